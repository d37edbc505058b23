package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/pcssim/pcssim/sim"
)

// TestRaceScripts runs the canonical races as step-by-step scripts
// (testdata/races/*.txt). Each command drives one execution; its output is
// the trace of the steps it ran. Regenerate with -rewrite.
//
// Commands:
//
//	world scenario=NAME strategy=ID      start an execution
//	run task=SUB [until=LABEL] [after=DURATION]
//	                                     run the task whose name contains SUB
//	                                     until it is about to run LABEL
//	inject fault=SUB                     fire the fault whose name contains SUB
//	step [task=SUB] [n=N]                run N decisions (default choices)
//	candidates                           what could run next
//	finish                               run to the end, print the verdict
func TestRaceScripts(t *testing.T) {
	datadriven.Walk(t, "testdata/races", func(t *testing.T, path string) {
		var st *Stepper
		defer func() {
			if st != nil && !st.Done() {
				st.Close()
			}
		}()
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			arg := func(key string) string {
				for _, a := range d.CmdArgs {
					if a.Key == key && len(a.Vals) > 0 {
						return strings.Join(a.Vals, ",")
					}
				}
				return ""
			}
			if d.Cmd != "world" && st == nil {
				d.Fatalf(t, "no world yet")
			}
			var err error
			switch d.Cmd {
			// Example: world scenario=rmk-2022-unbind strategy=module-ref
			case "world":
				sc, err := Open(arg("scenario"))
				if err != nil {
					d.Fatalf(t, "%v", err)
				}
				st = NewStepper(sc, arg("strategy"))
				return st.NewTrace() + "next:\n" + st.Candidates()
			// Example: run task=phylink_resolve until=pcs_get_state after=1s
			case "run":
				var after sim.Time
				if a := arg("after"); a != "" {
					if after, err = ParseDuration(a); err != nil {
						d.Fatalf(t, "%v", err)
					}
				}
				err = st.Run(arg("task"), arg("until"), after)
			// Example: inject fault=unbind
			case "inject":
				err = st.Inject(arg("fault"))
			// Example: step task=resolve n=2
			case "step":
				n := 1
				if a := arg("n"); a != "" {
					n, _ = strconv.Atoi(a)
				}
				st.Step(arg("task"), n)
			// Example: candidates
			case "candidates":
				return st.Candidates()
			// Example: finish
			case "finish":
				if err := st.Finish(); err != nil {
					return "error: " + err.Error() + "\n"
				}
				return st.NewTrace() + verdict(st)
			default:
				d.Fatalf(t, "unknown command %q", d.Cmd)
			}
			if err != nil {
				return "error: " + err.Error() + "\n"
			}
			return st.NewTrace() + "next:\n" + st.Candidates()
		})
	})
}

// verdict renders the findings of a finished execution.
func verdict(st *Stepper) string {
	res, err := st.Result()
	if err != nil {
		return fmt.Sprintf("crash: %v\n", err)
	}
	if len(res.Findings) == 0 {
		return "verdict: no violation\n"
	}
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "BUG: %s\n%s", f.Summary, f.Detail)
	}
	return b.String()
}
