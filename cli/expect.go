package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pcssim/pcssim/scenarios"
)

// verdict compares the properties that a strategy's executions violated
// with what the scenario's `expect:` says of the strategy.
type verdict struct {
	// Has is set when the scenario states an expectation for the strategy;
	// Expected is it (empty: no property may be violated).
	Has      bool
	Expected []string
	// Unexpected are violated properties the expectation does not list
	// (sorted); Missing are listed properties no execution violated (in the
	// order of the file).
	Unexpected, Missing []string
}

// expectFor checks counts (executions per violated property) against the
// expectation of sc for strategy st.
func expectFor(sc *scenarios.Scenario, st string, counts map[string]int) verdict {
	want, ok := sc.Expect[st]
	if !ok {
		return verdict{}
	}
	return verdictOf(&want, counts)
}

// verdictOf is expectFor from a run's JSON: its expectation (nil: none)
// and counts.
func verdictOf(expected *[]string, counts map[string]int) verdict {
	if expected == nil {
		return verdict{}
	}
	v := verdict{Has: true, Expected: append([]string{}, *expected...)}
	for p, n := range counts {
		if n > 0 && !slices.Contains(v.Expected, p) {
			v.Unexpected = append(v.Unexpected, p)
		}
	}
	slices.Sort(v.Unexpected)
	for _, p := range v.Expected {
		if counts[p] == 0 {
			v.Missing = append(v.Missing, p)
		}
	}
	return v
}

// ok reports whether the executions agree with the expectation.
func (v verdict) ok() bool { return v.Has && len(v.Unexpected) == 0 && len(v.Missing) == 0 }

// why says how the executions disagree with the expectation; hint is how
// to reach the missing properties.
func (v verdict) why(hint string) string {
	if !v.Has {
		return "no expectation for this strategy"
	}
	var parts []string
	if len(v.Unexpected) > 0 {
		parts = append(parts, "unexpected "+strings.Join(v.Unexpected, ","))
	}
	if len(v.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("expected %s not reached: %s", strings.Join(v.Missing, ","), hint))
	}
	return strings.Join(parts, "; ")
}

// got lists the violated properties of counts in the order of
// scenarios.AllProperties (then any others, sorted).
func got(counts map[string]int) []string {
	out := []string{}
	for _, p := range scenarios.AllProperties {
		if counts[p] > 0 {
			out = append(out, p)
		}
	}
	var rest []string
	for p, n := range counts {
		if n > 0 && !slices.Contains(scenarios.AllProperties, p) {
			rest = append(rest, p)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// missingHint says how a property not reached by these executions could
// be: more executions, another explorer, or a larger preemption bound.
func missingHint(explore string, dfs *scenarios.DFSResult, preemptions int) string {
	switch {
	case dfs != nil && dfs.Exhausted:
		return fmt.Sprintf("in none of the %d schedules with <= %d preemptions: raise --preemptions", dfs.Unreduced, preemptions)
	case dfs != nil:
		return fmt.Sprintf("in the first %d schedules: raise --seeds", dfs.Unreduced)
	case explore == "pct":
		return "more seeds or another --depth"
	case strings.Contains(explore, "+"):
		return "more seeds, or --explore dfs"
	default:
		return "more seeds or --explore pct"
	}
}
