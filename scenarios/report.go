package scenarios

import (
	"fmt"
	"io"

	"github.com/pcssim/pcssim/sim"
)

// ReportSteps is how many trace steps a report shows before the violation.
const ReportSteps = 12

// WriteReport prints the KASAN-style report of finding f of res (a traced
// execution recorded under r and named by origin, e.g. "seed 42"), ending
// with the command that replays it, run by prog (see
// Recording.ReplayCommand).
func WriteReport(w io.Writer, prog string, r Recording, origin string, res *Result, f sim.Finding) {
	if f.Kernel != "" {
		fmt.Fprint(w, f.Kernel)
		fmt.Fprintf(w, "pcssim: %s\n", f.Summary)
	} else {
		fmt.Fprintf(w, "BUG: pcssim: %s\n", f.Summary)
		fmt.Fprint(w, f.Detail)
	}
	var before []sim.Step
	for _, s := range res.Trace {
		// Notes carry the number of the step before them: keep those of
		// the violating step only up to its time.
		if s.N < f.Step || (s.N == f.Step && s.At <= f.At) {
			before = append(before, s)
		}
	}
	if len(before) > ReportSteps {
		before = before[len(before)-ReportSteps:]
	}
	if res.TraceTruncated && (len(res.Trace) == 0 || res.Trace[len(res.Trace)-1].N < f.Step) {
		// The trace stopped before the violation: its last steps would
		// not be the ones that led to it.
		before = nil
		fmt.Fprintf(w, "(the trace stops at %d entries, before step %d of the violation: no steps shown)\n", MaxTraceSteps, f.Step)
	}
	if len(before) > 0 {
		fmt.Fprintf(w, "last steps before the violation (step %d, t=%s):\n", f.Step, f.At)
		for _, s := range before {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	fmt.Fprintf(w, "scenario %s, strategy %s, kernel %s, explore %s, %s\n", r.Scenario.Name, r.Strategy, r.Scenario.Kernel, r.ExploreLabel(), origin)
	fmt.Fprintf(w, "reproduce: %s\n", r.ReplayCommand(prog, res.Schedule))
}

// KernelFlag is " --kernel V" when sc follows another kernel than its file
// says (--kernel), else "": what a replay command needs to add.
func KernelFlag(sc *Scenario) string {
	if sc.Kernel.String() == sc.FileKernel.String() {
		return ""
	}
	return " --kernel " + sc.Kernel.String()
}

// ModeOf is the execution mode in which executions of explorer explore
// replay (Swarm for swarm, else 0).
func ModeOf(explore string) Mode {
	if explore == "swarm" {
		return Swarm
	}
	return 0
}

// Traced replays schedule (of an execution made by explorer explore) with
// tracing on, for a report.
func Traced(sc *Scenario, strategy, explore string, schedule sim.Schedule) (Result, error) {
	return Execute(sc, strategy, sim.NewReplay(schedule), Trace|ModeOf(explore))
}
