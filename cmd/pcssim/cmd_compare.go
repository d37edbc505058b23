package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"pcssim/pcs"
	"pcssim/scenarios"
)

func cmdCompare(args []string, stdout, stderr io.Writer) (int, error) {
	var c common
	var strategies string
	fs := newFlagSet("compare", "FILE [--strategies a,b,...] [--seeds N]", stderr)
	c.register(fs.FlagSet, true)
	fs.StringVar(&strategies, "strategies", strings.Join(pcs.StrategyIDs(), ","), "strategies to compare")
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) != 1 {
		return 0, usagef("give exactly one scenario")
	}
	sc, err := loadScenario(files[0])
	if err != nil {
		return 0, err
	}
	defer c.useCPUs()()
	type row struct {
		Strategy   string         `json:"strategy"`
		Executions int            `json:"executions"`
		Counts     map[string]int `json:"counts"`
		Expected   []string       `json:"expected,omitempty"`
		AsExpected *bool          `json:"as_expected,omitempty"`
		// Unexpected properties contradict the file's claim; Missing ones
		// were not reached by these executions (the claim holds over
		// random and pct with enough of them).
		Unexpected []string `json:"unexpected,omitempty"`
		Missing    []string `json:"missing,omitempty"`
		// Schedules and Exhausted describe a dfs search.
		Schedules *int  `json:"schedules,omitempty"`
		Exhausted *bool `json:"exhausted,omitempty"`
	}
	var rows []row
	code := exitOK
	for _, st := range strings.Split(strategies, ",") {
		c.strategy = st
		if _, err := c.strategyFor(sc); err != nil {
			return 0, err
		}
		pl, err := c.plan(sc, st)
		if err != nil {
			return 0, err
		}
		r := row{Strategy: st, Counts: map[string]int{}}
		var crash error
		dfs := pl.drive(func(o scenarios.Outcome) bool {
			if o.Err != nil {
				crash = o.Err
				return false
			}
			r.Executions++
			for _, p := range o.Result.Violated() {
				r.Counts[p]++
			}
			return true
		})
		if crash != nil {
			return 0, crash
		}
		if dfs != nil {
			r.Schedules, r.Exhausted = &dfs.Unreduced, &dfs.Exhausted
			r.Counts = dfs.Violated // schedules, not executions
		}
		if len(r.Counts) > 0 {
			code = exitViolation
		}
		if want, ok := sc.Expect[st]; ok {
			r.Expected = want
			for p := range r.Counts {
				if !slices.Contains(want, p) {
					r.Unexpected = append(r.Unexpected, p)
				}
			}
			for _, p := range want {
				if r.Counts[p] == 0 {
					r.Missing = append(r.Missing, p)
				}
			}
			slices.Sort(r.Unexpected)
			ok := len(r.Unexpected) == 0 && len(r.Missing) == 0
			r.AsExpected = &ok
		}
		rows = append(rows, r)
	}
	if c.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"scenario": sc.Name, "seeds": c.seedsArg(), "explore": c.explore, "strategies": rows})
		return code, nil
	}
	props := scenarios.AllProperties
	short := map[string]string{"use-after-free": "uaf", "use-after-unload": "unload", "refcount": "refcnt", "leak": "leak",
		"rmmod-blocked": "rmmod", "collateral-teardown": "collat", "link-without-pcs": "nopcs", "no-recovery": "norecov", "deadlock": "dlock"}
	if c.explore == "dfs" {
		fmt.Fprintf(stdout, "scenario %s: schedules with each property violated (explore dfs, <= %d preemptions)\n", sc.Name, c.preemptions)
	} else {
		fmt.Fprintf(stdout, "scenario %s: executions with each property violated (%s seeds, explore %s)\n", sc.Name, c.seedsArg(), c.explore)
	}
	fmt.Fprintf(stdout, "%-20s", "strategy")
	for _, p := range props {
		fmt.Fprintf(stdout, " %7s", short[p])
	}
	fmt.Fprintf(stdout, "  expect\n")
	for _, r := range rows {
		fmt.Fprintf(stdout, "%-20s", r.Strategy)
		for _, p := range props {
			cell := "-"
			if n := r.Counts[p]; n > 0 {
				cell = fmt.Sprint(n)
			}
			fmt.Fprintf(stdout, " %7s", cell)
		}
		switch {
		case r.AsExpected == nil:
			fmt.Fprintf(stdout, "  (none)\n")
		case *r.AsExpected:
			fmt.Fprintf(stdout, "  ok\n")
		case len(r.Unexpected) > 0:
			fmt.Fprintf(stdout, "  MISMATCH (unexpected %s)\n", strings.Join(r.Unexpected, ","))
		case r.Exhausted != nil && *r.Exhausted:
			fmt.Fprintf(stdout, "  not reached: %s (in none of the %d schedules with <= %d preemptions: raise --preemptions)\n",
				strings.Join(r.Missing, ","), *r.Schedules, c.preemptions)
		case r.Exhausted != nil:
			fmt.Fprintf(stdout, "  not reached: %s (in the first %d schedules: raise --seeds)\n", strings.Join(r.Missing, ","), *r.Schedules)
		default:
			fmt.Fprintf(stdout, "  not reached: %s (more seeds or --explore pct)\n", strings.Join(r.Missing, ","))
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
	return code, nil
}
