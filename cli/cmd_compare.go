package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// defaultStrategies are the strategies compare runs without --strategies:
// every registered one; for a file with `expect:`, the design's strategies
// and those the file expects (the claims the file makes and must make), in
// registration order, so that a pcssim built with extra strategies still
// passes on the shipped files. A strategy named on --strategies without an
// expectation in such a file is a disagreement.
func defaultStrategies(sc *scenarios.Scenario) []string {
	all := pcs.StrategyIDs()
	if len(sc.Expect) == 0 {
		return all
	}
	var out []string
	for _, id := range all {
		if _, ok := sc.Expect[id]; ok || slices.Contains(pcs.DesignIDs, id) {
			out = append(out, id)
		}
	}
	return out
}

// cmdCompare runs every strategy on one scenario and prints a row of
// violation counts per strategy. With `expect:` in the file it is a gate:
// it exits 0 only when every row agrees with the file (no unexpected
// property, every expected one reached, an expectation for every strategy
// compared); without it, it exits 1 when any row violates a property.
func cmdCompare(prog string, args []string, stdout, stderr io.Writer) (int, error) {
	c := common{prog: prog}
	var strategies string
	fs := newFlagSet("compare", "FILE [--strategies a,b,...] [--seeds N] [--html OUT.html]", stderr)
	c.register(fs.FlagSet, true)
	fs.StringVar(&strategies, "strategies", "", "strategies to compare (default: all registered; with expect: in the file, the design's and those it expects)")
	html := htmlFlag(fs.FlagSet)
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	var hc *compareHTML
	if *html != "" {
		hc = &compareHTML{}
	}
	if len(files) != 1 {
		return 0, usagef("give exactly one scenario")
	}
	sc, err := c.loadScenario(files[0])
	if err != nil {
		return 0, err
	}
	if strategies == "" {
		strategies = strings.Join(defaultStrategies(sc), ",")
	}
	restore, err := c.useCPUs()
	if err != nil {
		return 0, err
	}
	defer restore()
	var rows []compareRow
	gate := len(sc.Expect) > 0
	stop := newStopper(c.timeBudget, stderr)
	defer stop.release()
	disagree := 0
	// Without --explore, each row is random's and pct's executions
	// together: how expect: is stated (and checked by the tests).
	explorers := []string{c.explore}
	if !flagSet(fs.FlagSet, "explore") {
		explorers = []string{"random", "pct"}
	}
	exploreName := strings.Join(explorers, "+")
	strats := strings.Split(strategies, ",")
	bar := newProgress(stderr, "compare", 0)
	defer bar.clear() // also on a crash
	for k, st := range strats {
		c.strategy = st
		if _, err := c.strategyFor(sc); err != nil {
			return 0, err
		}
		r := compareRow{Strategy: st, Counts: map[string]int{}}
		ex := scenarios.NewExercise(sc)
		reach := scenarios.NewReach(sc.Sometimes)
		var dfs *scenarios.DFSResult
		for _, name := range explorers {
			c.explore = name
			pl, err := c.plan(sc, st)
			if err != nil {
				return 0, err
			}
			var crash *scenarios.Outcome
			pl.interrupt = stop.interrupt()
			total := pl.total * len(explorers)
			dfs = pl.drive(func(o scenarios.Outcome) bool {
				bar.show("compare: strategy %d/%d %s, %d/%d executions", k+1, len(strats), st, r.Executions, total)
				if o.Result.End == sim.EndInterrupted {
					return false // unfinished: no verdict
				}
				if o.Err != nil {
					crash = &o
					return false
				}
				r.Executions++
				hc.see(pl.rec, &o)
				ex.Add(&o.Result)
				reach.Add(&o.Result)
				for _, p := range o.Result.Violated() {
					r.Counts[p]++
				}
				return stop.why() == ""
			})
			if crash != nil {
				reportCrash(stderr, c.prog, pl, crash)
				return exitCrash, nil
			}
			if stop.why() != "" {
				break
			}
		}
		if dfs != nil {
			r.Schedules, r.Exhausted = &dfs.Unreduced, &dfs.Exhausted
			r.Counts = dfs.Violated // schedules, not executions
		}
		var unmetWhat []string
		for _, u := range scenarios.Unmet(ex.Rows()) {
			r.Unmet = append(r.Unmet, u.Key)
			unmetWhat = append(unmetWhat, u.Key)
		}
		for _, u := range reach.Unreached() {
			r.Unmet = append(r.Unmet, "sometimes "+u)
			unmetWhat = append(unmetWhat, fmt.Sprintf("sometimes %q", u))
		}
		if gate {
			v := expectFor(sc, st, r.Counts)
			if v.Has {
				r.Expected = &v.Expected
			}
			r.Unexpected, r.Missing = v.Unexpected, v.Missing
			ok := v.ok() && len(r.Unmet) == 0
			r.AsExpected = &ok
			if !v.ok() {
				r.Why = v.why(missingHint(exploreName, dfs, c.preemptions))
			}
		} else if len(r.Counts) > 0 {
			r.Why = "violated"
		}
		r.Vacuous = len(r.Unmet) > 0
		if r.Vacuous {
			r.Why = strings.TrimPrefix(r.Why+"; VACUOUS: never "+strings.Join(unmetWhat, ", "), "; ")
		}
		if r.Why != "" {
			disagree++
		}
		hc.row(r.Strategy, r.Executions, r.Counts, r.Expected, r.AsExpected, r.Why, r.Unmet)
		rows = append(rows, r)
		if stop.why() != "" {
			break
		}
	}
	bar.clear()
	code := exitOK
	if disagree > 0 {
		code = exitViolation
	}
	stopped := stop.why()
	if sig := stop.exitCode(); sig != 0 {
		code = sig
	}
	if err := hc.write(*html, c.prog, args, sc, compareHeading(sc, &c, exploreName), gate); err != nil {
		return 0, err
	}
	if c.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		out := compareJSON{Scenario: sc.Name, Kernel: sc.Kernel.String(), Explore: exploreName, Seeds: c.seedsArg(), Strategies: rows,
			Stopped: stopped, AsExpected: code == exitOK}
		if c.explore == "dfs" {
			out.Seeds, out.Preemptions = "", &c.preemptions
		}
		enc.Encode(out)
		return code, nil
	}
	props := scenarios.AllProperties
	short := map[string]string{"use-after-free": "uaf", "use-after-unload": "unload", "refcount": "refcnt", "leak": "leak",
		"rmmod-blocked": "rmmod", "collateral-teardown": "collat", "link-without-pcs": "nopcs", "no-recovery": "norecov", "deadlock": "dlock", "null-deref": "null"}
	fmt.Fprintln(stdout, compareHeading(sc, &c, exploreName))
	fmt.Fprintf(stdout, "%-20s", "strategy")
	for _, p := range props {
		if short[p] == "" {
			short[p] = p[:min(7, len(p))]
		}
		fmt.Fprintf(stdout, " %7s", short[p])
	}
	fmt.Fprintf(stdout, "  %-8s expect\n", "world")
	for _, r := range rows {
		fmt.Fprintf(stdout, "%-20s", r.Strategy)
		for _, p := range props {
			cell := "-"
			if n := r.Counts[p]; n > 0 {
				cell = fmt.Sprint(n)
			}
			fmt.Fprintf(stdout, " %7s", cell)
		}
		world := "ok"
		if r.Vacuous {
			world = "VACUOUS"
		}
		fmt.Fprintf(stdout, "  %-8s", world)
		switch {
		case r.AsExpected == nil && len(r.Unmet) > 0:
			fmt.Fprintf(stdout, " (none; %s)\n", r.Why)
		case r.AsExpected == nil:
			fmt.Fprintf(stdout, " (none)\n")
		case *r.AsExpected:
			fmt.Fprintf(stdout, " ok\n")
		default:
			fmt.Fprintf(stdout, " MISMATCH (%s)\n", r.Why)
		}
	}
	fmt.Fprintf(stdout, "legend: ")
	for i, p := range props {
		if i > 0 {
			fmt.Fprint(stdout, ", ")
		}
		fmt.Fprintf(stdout, "%s=%s", short[p], p)
	}
	fmt.Fprintln(stdout)
	if stopped != "" {
		fmt.Fprintf(stdout, "stopped early (%s): the last row is partial, later strategies not run\n", stopped)
	}
	switch {
	case gate && disagree == 0:
		fmt.Fprintf(stdout, "%d of %d rows as expected\n", len(rows), len(rows))
	case gate:
		fmt.Fprintf(stdout, "MISMATCH: %d of %d rows disagree with expect\n", disagree, len(rows))
	case disagree == 0:
		fmt.Fprintf(stdout, "no expect in the scenario: no row violates a property or is vacuous\n")
	default:
		fmt.Fprintf(stdout, "no expect in the scenario: %d of %d rows violate a property or are vacuous\n", disagree, len(rows))
	}
	return code, nil
}

// compareJSON is what compare prints with --format json: one object, its
// rows in the order of the text table, with run's field names.
type compareJSON struct {
	Scenario string `json:"scenario"`
	Kernel   string `json:"kernel"`
	Explore  string `json:"explore"`
	// Seeds is --seeds for the seeded explorers; Preemptions dfs's bound.
	Seeds       string       `json:"seeds,omitempty"`
	Preemptions *int         `json:"preemptions,omitempty"`
	Strategies  []compareRow `json:"strategies"`
	// Stopped says why compare ended early ("time budget",
	// "interrupted"): the last row is partial.
	Stopped string `json:"stopped,omitempty"`
	// AsExpected is true when compare exits 0: every row agrees with
	// expect: (or, without it, none violates a property or is vacuous).
	AsExpected bool `json:"as_expected"`
}

// compareRow is one strategy's row of compare.
type compareRow struct {
	Strategy   string         `json:"strategy"`
	Executions int            `json:"executions"`
	Counts     map[string]int `json:"counts"`
	// Expected is the file's expectation for the strategy (absent:
	// none); AsExpected says whether the row agrees with `expect:`
	// (absent when the file has none).
	Expected   *[]string `json:"expected,omitempty"`
	AsExpected *bool     `json:"as_expected,omitempty"`
	// Unexpected properties contradict the file's claim; Missing ones
	// were not reached by these executions (the claim holds over
	// random and pct with enough of them).
	Unexpected []string `json:"unexpected,omitempty"`
	Missing    []string `json:"missing,omitempty"`
	// Why says how a disagreeing row disagrees.
	Why string `json:"why,omitempty"`
	// Unmet names the exercise conditions no execution met (the
	// scenario does not declare them unreachable) and Vacuous says there
	// is one (the text's world column: VACUOUS).
	Unmet   []string `json:"unmet,omitempty"`
	Vacuous bool     `json:"vacuous"`
	// Schedules and Exhausted describe a dfs search.
	Schedules *int  `json:"schedules,omitempty"`
	Exhausted *bool `json:"exhausted,omitempty"`
}
