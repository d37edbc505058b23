package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// crashReport prints a simulator crash (err, usually a
// *scenarios.CrashError) of the execution recorded under rec that origin
// names ("seed 7 (execution 3)"), on w (stderr: the Go stack is not
// deterministic), with the command (run by prog) that replays it. again
// is the --seed or --schedule flag of the execution (its value stamped
// and shell-quoted), used when the crash carries no schedule. Every
// subcommand that runs executions prints its crashes here and exits
// exitCrash.
func crashReport(w io.Writer, prog string, rec scenarios.Recording, origin, again string, err error) {
	fmt.Fprintln(w, "pcssim: simulator crashed")
	sc := rec.Scenario
	replay := fmt.Sprintf("%s replay %s%s %s", prog, scenarios.ShellQuote(sc.Path), rec.Flags(), again)
	var ce *scenarios.CrashError
	if !errors.As(err, &ce) {
		fmt.Fprintf(w, "scenario %s, strategy %s, kernel %s, explore %s, %s\n", sc.Name, rec.Strategy, sc.Kernel, rec.ExploreLabel(), origin)
		fmt.Fprintf(w, "error: %v\n", err)
		fmt.Fprintf(w, "reproduce: %s\n", replay)
		return
	}
	fmt.Fprintf(w, "scenario %s, strategy %s, kernel %s, explore %s, %s, step %d, t=%s\n", sc.Name, rec.Strategy, sc.Kernel, rec.ExploreLabel(), origin, ce.Steps, ce.At)
	if ce.Task != "" {
		fmt.Fprintf(w, "in task %s\n", ce.Task)
	}
	if len(ce.KernelStack) > 0 {
		fmt.Fprintln(w, "kernel call chain:")
		for _, fn := range ce.KernelStack {
			fmt.Fprintf(w, " %s\n", fn)
		}
	}
	fmt.Fprintf(w, "panic: %v\n", ce.Panic)
	if s := strings.TrimSpace(ce.GoStack); s != "" {
		fmt.Fprintln(w, s)
	}
	if len(ce.Schedule) > 0 || again == "" {
		replay = rec.ReplayCommand(prog, ce.Schedule)
	}
	fmt.Fprintf(w, "reproduce: %s\n", replay)
}

// reportCrash prints the crash of execution o of plan pl.
func reportCrash(w io.Writer, prog string, pl *plan, o *scenarios.Outcome) {
	origin, again := pl.origin(o)
	if pl.explore != "dfs" {
		origin = fmt.Sprintf("%s (execution %d)", origin, o.Index)
	}
	crashReport(w, prog, pl.rec, origin, again, o.Err)
}

// crashTrace returns the trace up to the crash that err reports, if the
// execution was traced.
func crashTrace(err error) []sim.Step {
	var ce *scenarios.CrashError
	if errors.As(err, &ce) {
		return ce.Trace
	}
	return nil
}
