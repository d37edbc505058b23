package main

import (
	"fmt"
	"io"
	"strings"

	"pcssim/scenarios"
)

// crashReport prints a simulator crash and the replay flags (again) that
// reproduce it.
func crashReport(w io.Writer, sc *scenarios.Scenario, st, origin, again string, err error) {
	fmt.Fprintf(w, "pcssim: internal error in scenario %s, strategy %s, %s: %v\n", sc.Name, st, origin, err)
	if ce, ok := err.(*scenarios.CrashError); ok {
		fmt.Fprintln(w, strings.TrimSpace(ce.Stack))
	}
	fmt.Fprintf(w, "reproduce: pcssim replay %s --strategy %s %s\n", sc.Path, st, again)
}

// reportCrash prints the crash of execution o of plan pl.
func reportCrash(w io.Writer, sc *scenarios.Scenario, st string, pl *plan, o *scenarios.Outcome) {
	origin, again := pl.origin(o)
	crashReport(w, sc, st, origin, again, o.Err)
}
