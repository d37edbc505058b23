package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/pcssim/pcssim/scenarios"
)

// runText is what the text summary of a run needs beyond its JSON object.
type runText struct {
	// total is the number of executions planned.
	total int
	// dfs is the dfs summary (nil for seeded explorers) and preemptions
	// its bound.
	dfs         *scenarios.DFSResult
	preemptions int
}

// writeRunText prints the text summary of run r: the same for a run and
// for the merge of its shards, which has only the JSON objects.
func writeRunText(w io.Writer, r *runJSON, t runText) {
	fmt.Fprintf(w, "scenario %s, strategy %s, kernel %s, explore %s: %d executions, %d steps\n", r.Scenario, r.Strategy, r.Kernel, r.Explore, r.Executions, r.Steps)
	switch dfs := t.dfs; {
	case r.Stopped != "":
		fmt.Fprintf(w, "stopped (%s) after %d of %d executions\n", r.Stopped, r.Executions, t.total)
		if r.Interrupted != nil {
			fmt.Fprintf(w, "execution %d was interrupted before its end: no verdict for it\n", *r.Interrupted)
		}
	case dfs != nil && dfs.Exhausted:
		fmt.Fprintf(w, "explored all %d schedules with <= %d preemptions%s\n", dfs.Unreduced, t.preemptions, reduction(dfs))
	case dfs != nil:
		fmt.Fprintf(w, "explored %d schedules with <= %d preemptions%s; limit reached, the bounded space is not exhausted\n", dfs.Unreduced, t.preemptions, reduction(dfs))
	}
	if r.BudgetExceeded > 0 {
		fmt.Fprintf(w, "warning: %d executions ran out of their step budget (%d)\n", r.BudgetExceeded, r.MaxSteps)
	}
	if r.Coverage != nil {
		writeCoverage(w, r.Coverage)
	}
	var unreached []string
	for _, s := range r.Sometimes {
		fmt.Fprintf(w, "sometimes %q: reached in %d executions\n", s.What, s.Executions)
		if s.Executions == 0 {
			unreached = append(unreached, s.What)
		}
	}
	if len(unreached) > 0 && r.judged() {
		fmt.Fprintf(w, "VACUOUS: never reached %q in %d executions; the campaign proves nothing about it\n",
			strings.Join(unreached, `", "`), r.Executions)
	}
	scenarios.WriteExercise(w, r.Exercised, r.Executions, r.judged())
	if (len(unreached) > 0 || len(r.Unmet) > 0) && r.Shard != "" && r.Stopped == "" {
		fmt.Fprintf(w, "shard %s: some conditions were not met in its executions; pcssim merge of all the shards judges whether the campaign is VACUOUS\n", r.Shard)
	}
	exp := verdictOf(r.Expected, r.Counts)
	expectLine := func() {
		switch {
		case !exp.Has:
		case exp.ok():
			fmt.Fprintf(w, "expect %s: ok\n", r.Strategy)
		default:
			fmt.Fprintf(w, "MISMATCH: expect %s: [%s] but got [%s] (%s)\n", r.Strategy, strings.Join(exp.Expected, ", "),
				strings.Join(got(r.Counts), ", "), exp.why(missingHint(r.Explore, t.dfs, t.preemptions)))
		}
	}
	if r.FirstViolation == nil || len(r.Violations) == 0 {
		fmt.Fprintf(w, "no violation in %d executions\n", r.Executions)
		expectLine()
		return
	}
	var parts []string
	for _, v := range r.Violations {
		parts = append(parts, fmt.Sprintf("%s %d", v.Property, r.Counts[v.Property]))
	}
	counted, origin := "executions", "seed "+r.Violations[0].Seed
	if t.dfs != nil {
		counted, origin = "schedules", fmt.Sprintf("dfs schedule %d", r.Violations[0].Execution)
	}
	fmt.Fprintf(w, "violations (%s): %s\n", counted, strings.Join(parts, ", "))
	expectLine()
	fmt.Fprintf(w, "first violation: execution %d, %s\n\n", *r.FirstViolation, origin)
	fmt.Fprint(w, r.Violations[0].Report)
	writeShrinkLine(w, r.Violations[0])
	// One report per distinct violated property, each with the command
	// that shrinks its execution to it.
	for _, v := range r.Violations[1:] {
		if v.Report == "" {
			continue
		}
		o := "seed " + v.Seed
		if t.dfs != nil {
			o = fmt.Sprintf("dfs schedule %d", v.Execution)
		}
		fmt.Fprintf(w, "\nfirst %s: execution %d, %s\n\n", v.Property, v.Execution, o)
		fmt.Fprint(w, v.Report)
		writeShrinkLine(w, v)
	}
}

// writeShrinkLine prints the command that shrinks a violation's execution,
// keeping its property.
func writeShrinkLine(w io.Writer, v violationJSON) {
	if v.Shrink != "" {
		fmt.Fprintf(w, "shrink: %s\n", v.Shrink)
	}
}
