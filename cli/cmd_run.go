package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// violationJSON is one violation in --format json: the first execution
// that violated the property.
type violationJSON struct {
	Property  string `json:"property"`
	Execution int    `json:"execution"`
	// Seed is the execution's seed as a decimal string (a JSON number
	// loses 64-bit precision); absent for dfs, whose executions have none.
	// replay --seed SEED@FINGERPRINT (the run's fingerprint) replays it.
	Seed string `json:"seed,omitempty"`
	// Schedule is the execution's schedule as replay --schedule takes it
	// (SCHEDULE@FINGERPRINT).
	Schedule string `json:"schedule"`
	Summary  string `json:"summary"`
	// Report is the KASAN-style report of the violating execution, as the
	// text output prints it; Reproduce the command that replays it and
	// Shrink the command that shrinks it, keeping the property (DESIGN.md).
	Report    string `json:"report"`
	Reproduce string `json:"reproduce"`
	Shrink    string `json:"shrink"`
	// sched is the schedule, for the report; rank orders violations of
	// one execution when shards are merged.
	sched sim.Schedule
	rank  int
}

// runJSON is the --format json object of one scenario run (DESIGN.md).
// It is deterministic: timing goes to stderr only, so stdout stays
// byte-identical across runs and --jobs. Counts gives, per property, the
// executions that violated it; for dfs, the schedules that did (out of
// Schedules), the same with and without state caching.
type runJSON struct {
	Scenario string `json:"scenario"`
	Strategy string `json:"strategy"`
	Kernel   string `json:"kernel"`
	Explore  string `json:"explore"`
	// Depth is pct's bug depth.
	Depth int `json:"depth,omitempty"`
	// Seeds is --seeds (a count or a list) for the seeded explorers.
	Seeds string `json:"seeds,omitempty"`
	// Fingerprint identifies the scenario's content, the strategy, the
	// explorer and the kernel: the seeds and schedules of this run
	// replay only with it (replay --seed SEED@FINGERPRINT).
	Fingerprint    string          `json:"fingerprint"`
	Shard          string          `json:"shard,omitempty"`
	Executions     int             `json:"executions"`
	Steps          int             `json:"steps"`
	FirstViolation *int            `json:"first_violation"`
	Violations     []violationJSON `json:"violations"`
	Counts         map[string]int  `json:"counts"`
	BudgetExceeded int             `json:"budget_exceeded"`
	// MaxSteps is the step budget of an execution, given when some ran
	// out of it.
	MaxSteps int `json:"max_steps,omitempty"`
	// Preemptions and Exhausted describe a dfs run.
	Preemptions *int  `json:"preemptions,omitempty"`
	Exhausted   *bool `json:"exhausted,omitempty"`
	// Schedules counts the schedules a dfs search covered: its executions
	// and those that state caching or symmetry reduction skipped.
	Schedules *int `json:"schedules,omitempty"`
	// Revisits counts the executions ended at a state explored before.
	Revisits *int `json:"state_revisits,omitempty"`
	// Equivalent counts the branches partial-order reduction skipped as
	// equivalent to explored schedules, EquivalentRuns the executions it
	// ended early for that (absent with --reduction=false).
	Equivalent     *int `json:"pruned_equivalent,omitempty"`
	EquivalentRuns *int `json:"equivalent_executions,omitempty"`
	// States counts the distinct states dfs met where no task was alive.
	States *int `json:"states,omitempty"`
	// Stopped says why a run ended early ("time budget", "interrupted").
	Stopped string `json:"stopped,omitempty"`
	// Interrupted is the index of the execution the stop cut short (it
	// has no verdict and is not counted), if one was.
	Interrupted *int          `json:"interrupted_execution,omitempty"`
	Coverage    *coverageJSON `json:"coverage,omitempty"`
	// Sometimes counts the executions that reached each situation the
	// scenario names; Vacuous is true when one was never reached.
	Sometimes []faultCoverage `json:"sometimes,omitempty"`
	// Exercised counts, per condition of the world (a netdev got link, a
	// fault fired and how it turned out, a PCS went away in use), the
	// executions that met it; Unmet names the conditions none met that the
	// scenario does not declare unreachable.
	Exercised []scenarios.ExerciseRow `json:"exercised"`
	Unmet     []string                `json:"unmet,omitempty"`
	// Vacuous is true when a condition or a sometimes situation was never
	// met: the campaign proves nothing about it (exit status 1).
	Vacuous bool `json:"vacuous"`
	// Expected is the scenario's expectation for the strategy, if it has
	// one; AsExpected says whether the run agrees with it.
	Expected   *[]string `json:"expected,omitempty"`
	AsExpected *bool     `json:"as_expected,omitempty"`
}

func cmdRun(prog string, args []string, stdout, stderr io.Writer) (int, error) {
	c := common{prog: prog}
	fs := newFlagSet("run", "FILE... [flags]", stderr)
	c.register(fs.FlagSet, true)
	html := htmlFlag(fs.FlagSet)
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, usagef("no scenario given")
	}
	if c.format != "text" && c.format != "json" {
		return 0, usagef("--format must be text or json")
	}
	if c.explore == "dfs" && c.jobs > 1 {
		// Its exploration order and state cache are sequential.
		fmt.Fprintln(stderr, "pcssim: dfs explores on one core; --jobs does not apply to it")
	}
	restore, err := c.useCPUs()
	if err != nil {
		return 0, err
	}
	defer restore()
	var all []runJSON
	code := exitOK
	stop := newStopper(c.timeBudget, stderr)
	defer stop.release()
	scs, err := c.loadAll(files)
	if err != nil {
		return 0, err
	}
	var recs []scenarios.Recording
	for _, sc := range scs {
		st, err := c.strategyFor(sc)
		if err != nil {
			return 0, err
		}
		pl, err := c.plan(sc, st)
		if err != nil {
			return 0, err
		}
		out, rc := runOne(sc, st, pl, &c, stop, stdout, stderr)
		all, recs = append(all, out), append(recs, pl.rec)
		code = max(code, rc)
		if stop.why() != "" {
			break
		}
	}
	if c.format == "json" {
		writeJSON(stdout, all)
	}
	if *html != "" {
		if err := runHTML(*html, c.prog, args, recs, all); err != nil {
			return 0, err
		}
	}
	if sig := stop.exitCode(); sig != 0 {
		return sig, nil
	}
	return code, nil
}

// writeJSON prints runs as what run and merge print with --format json,
// and merge reads: a JSON array with one object per scenario run (the
// contract of DESIGN.md), in the order of the files, whatever their
// number.
func writeJSON(w io.Writer, all []runJSON) {
	if all == nil {
		all = []runJSON{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(all)
}

// runOne runs the plan's executions of one scenario, prints the summary
// and the first violation's report, and returns the JSON object and the
// exit status.
func runOne(sc *scenarios.Scenario, st string, pl *plan, c *common, stop *stopper, stdout, stderr io.Writer) (runJSON, int) {
	start := time.Now()
	out := runJSON{Scenario: sc.Name, Strategy: st, Kernel: sc.Kernel.String(), Explore: pl.explore, Seeds: c.seedsArg(),
		Fingerprint: pl.rec.Fingerprint(), Shard: c.shard, Counts: map[string]int{}, Violations: []violationJSON{}}
	switch pl.explore {
	case "dfs":
		out.Seeds = ""
		out.Preemptions = &c.preemptions
	case "pct":
		out.Depth = c.depth
	}
	var first, crash *scenarios.Outcome
	cov := newCoverage()
	reach := scenarios.NewReach(sc.Sometimes)
	ex := scenarios.NewExercise(sc)
	prog := newProgress(stderr, sc.Name+"/"+st, pl.total)
	pl.interrupt = stop.interrupt()
	dfs := pl.drive(func(o scenarios.Outcome) bool {
		prog.update(o.Index + 1)
		if o.Result.End == sim.EndInterrupted {
			// Cut short by the stop: unfinished, so no verdict; neither
			// it nor its steps count.
			if out.Interrupted == nil || o.Index < *out.Interrupted {
				idx := o.Index
				out.Interrupted = &idx
			}
			return false
		}
		if o.Err != nil {
			crash = &o
			return false
		}
		out.Executions++
		out.Steps += o.Result.Steps
		cov.add(&o.Result)
		reach.Add(&o.Result)
		ex.Add(&o.Result)
		if o.Result.End == sim.EndBudget {
			out.BudgetExceeded++
		}
		for _, f := range o.Result.Findings {
			if out.Counts[f.Property] == 0 {
				v := violationJSON{Property: f.Property, Execution: o.Index, Schedule: pl.rec.Stamp(o.Result.Schedule),
					Summary: f.Summary, sched: o.Result.Schedule}
				if pl.explore != "dfs" {
					v.Seed = strconv.FormatUint(o.Seed, 10)
				}
				out.Violations = append(out.Violations, v)
			}
			out.Counts[f.Property]++
		}
		if len(o.Result.Findings) > 0 && first == nil {
			first = &o
			idx := o.Index
			out.FirstViolation = &idx
		}
		return stop.why() == ""
	})
	prog.clear()
	out.Stopped = stop.why()
	if dfs != nil {
		out.Counts = dfs.Violated // schedules, not executions
		out.Exhausted, out.Schedules, out.Revisits = &dfs.Exhausted, &dfs.Unreduced, &dfs.Revisits
		if !dfs.NoReduce {
			out.Equivalent, out.EquivalentRuns = &dfs.Equivalent, &dfs.EquivalentRuns
		}
		if !dfs.NoCache {
			out.States = &dfs.States
		}
	}
	out.Coverage = cov.json()
	if c.shard != "" {
		// What merge needs to count distinct pairs over the shards.
		out.Coverage.PairSet = cov.pairSet()
	}
	for i, s := range reach.Situations {
		out.Sometimes = append(out.Sometimes, faultCoverage{What: s, Executions: reach.Counts[i]})
	}
	out.Exercised = ex.Rows()
	out.setVacuous(len(reach.Unreached()) > 0)
	exp := expectFor(sc, st, out.Counts)
	if exp.Has {
		ok := exp.ok()
		out.Expected, out.AsExpected = &exp.Expected, &ok
	}
	el := time.Since(start).Seconds()
	fmt.Fprintf(stderr, "pcssim: %s/%s: %d executions, %d steps in %.2fs (%.0f executions/s)\n",
		sc.Name, st, out.Executions, out.Steps, el, float64(out.Executions)/max(el, 1e-9))
	if crash != nil {
		reportCrash(stderr, c.prog, pl, crash)
		return out, exitCrash
	}
	code := exitOK
	if first != nil || out.Vacuous || (exp.Has && !exp.ok()) {
		code = exitViolation
	}
	if out.BudgetExceeded > 0 {
		out.MaxSteps = sc.MaxSteps
	}
	for i := range out.Violations {
		out.Violations[i].fill(c.prog, pl.rec)
	}
	if first != nil && out.Violations[0].Report == "" {
		// The traced replay of the first violation crashed or did not
		// reproduce it.
		origin, again := pl.origin(first)
		res, err := scenarios.Traced(sc, st, pl.explore, first.Result.Schedule)
		if err != nil {
			crashReport(stderr, c.prog, pl.rec, fmt.Sprintf("%s (execution %d), replayed", origin, first.Index), again, err)
		} else {
			fmt.Fprintf(stderr, "pcssim: replay of the first violation did not reproduce it (%d findings)\n", len(res.Findings))
		}
		return out, exitCrash
	}
	if c.format == "json" {
		return out, code
	}
	writeRunText(stdout, &out, runText{total: pl.total, dfs: dfs, preemptions: c.preemptions})
	return out, code
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	return s
}

// reduction says how many executions a dfs run took for its schedules and
// what state caching and symmetry reduction saved.
func reduction(r *scenarios.DFSResult) string {
	cache := "no state met twice"
	switch {
	case r.NoCache:
		cache = "state caching off"
	case r.States == 0 && r.Unhashable > 0:
		cache = "state caching: no state could be hashed (an event scheduled without a name, or a channel, in the model)"
	case r.Revisits > 0:
		cache = fmt.Sprintf("state caching: %d distinct states at rest, %d executions cut short at one explored before, %d schedules skipped",
			r.States, r.Revisits, r.Cached)
	}
	sym := "no interchangeable faults"
	if n := r.Unreduced - (r.Runs - r.EquivalentRuns) - r.Cached; n > 0 {
		sym = fmt.Sprintf("interchangeable faults: %d schedules skipped", n)
	}
	por := "partial-order reduction off"
	if !r.NoReduce {
		por = fmt.Sprintf("partial-order reduction: %d branches and %d executions pruned as equivalent to explored schedules", r.Equivalent, r.EquivalentRuns)
	}
	return fmt.Sprintf(" in %d executions (%s; %s; %s)", r.Runs, cache, sym, por)
}

// setVacuous sets Unmet and Vacuous from the exercise rows and whether a
// sometimes situation was never reached. A run stopped early (time budget,
// interrupt) is not judged vacuous: it did not run what it was asked to;
// nor is one shard of a campaign: pcssim merge judges the whole.
func (r *runJSON) setVacuous(unreached bool) {
	r.Unmet = nil
	for _, u := range scenarios.Unmet(r.Exercised) {
		r.Unmet = append(r.Unmet, u.Key)
	}
	r.Vacuous = (unreached || len(r.Unmet) > 0) && r.judged()
}

// judged reports whether the run is a whole campaign that ran to its end,
// so that what it never reached makes it VACUOUS.
func (r *runJSON) judged() bool { return r.Stopped == "" && r.Shard == "" }

// fill sets v's report, replay and shrink commands (run by prog) from a
// traced replay of its schedule, recorded under rec.
func (v *violationJSON) fill(prog string, rec scenarios.Recording) {
	v.Reproduce = rec.ReplayCommand(prog, v.sched)
	v.Shrink = fmt.Sprintf("%s shrink %s%s --schedule %s --property %s", prog, scenarios.ShellQuote(rec.Scenario.Path), rec.Flags(),
		rec.Stamp(v.sched), scenarios.ShellQuote(v.Property))
	res, err := scenarios.Traced(rec.Scenario, rec.Strategy, rec.Explore, v.sched)
	if err != nil {
		return
	}
	for _, f := range res.Findings {
		if f.Property == v.Property {
			var b strings.Builder
			origin := "seed " + v.Seed
			if rec.Explore == "dfs" {
				origin = fmt.Sprintf("dfs schedule %d", v.Execution)
			}
			scenarios.WriteReport(&b, prog, rec, origin, &res, f)
			v.Report = b.String()
		}
	}
}
