package main

import (
	"fmt"
	"io"
	"strings"

	"pcssim/scenarios"
	"pcssim/sim"
)

// lastSteps is how many trace steps a report shows before the violation.
const lastSteps = 12

// writeReport prints the KASAN-style report of f (found in res, a traced
// execution) and the command that replays it.
func writeReport(w io.Writer, sc *scenarios.Scenario, st, explore, origin string, res *scenarios.Result, f sim.Finding) {
	fmt.Fprintf(w, "BUG: pcssim: %s\n", f.Summary)
	fmt.Fprint(w, f.Detail)
	var before []sim.Step
	for _, s := range res.Trace {
		if s.N <= f.Step {
			before = append(before, s)
		}
	}
	if len(before) > lastSteps {
		before = before[len(before)-lastSteps:]
	}
	if len(before) > 0 {
		fmt.Fprintf(w, "last steps before the violation (step %d, t=%s):\n", f.Step, f.At)
		for _, s := range before {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	fmt.Fprintf(w, "scenario %s, strategy %s, explore %s, %s\n", sc.Name, st, explore, origin)
	fmt.Fprintf(w, "reproduce: pcssim replay %s --strategy %s --schedule %s%s\n", sc.Path, st, res.Schedule.Encode(), swarmFlag(explore))
}

// swarmFlag is the flag a replay of a swarm execution needs.
func swarmFlag(explore string) string {
	if explore == "swarm" {
		return " --explore swarm"
	}
	return ""
}

// modeOf is the execution mode an explorer's executions replay in.
func modeOf(explore string) scenarios.Mode {
	if explore == "swarm" {
		return scenarios.Swarm
	}
	return 0
}

// traced replays schedule (of an execution of explorer explore) with
// tracing on.
func traced(sc *scenarios.Scenario, st, explore string, s sim.Schedule) (scenarios.Result, error) {
	return scenarios.Execute(sc, st, sim.NewReplay(s), scenarios.Trace|modeOf(explore))
}

// crashReport prints a simulator crash and the replay flags (again) that
// reproduce it.
func crashReport(w io.Writer, sc *scenarios.Scenario, st, origin, again string, err error) {
	fmt.Fprintf(w, "pcssim: internal error in scenario %s, strategy %s, %s: %v\n", sc.Name, st, origin, err)
	if ce, ok := err.(*scenarios.CrashError); ok {
		fmt.Fprintln(w, strings.TrimSpace(ce.Stack))
	}
	fmt.Fprintf(w, "reproduce: pcssim replay %s --strategy %s %s\n", sc.Path, st, again)
}
