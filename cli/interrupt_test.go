package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcssim/pcssim/scenarios"
)

// longWorld writes a world whose one execution runs millions of steps
// (n polled netdevs for an hour of virtual time) and returns its path.
func longWorld(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("name: long\nhorizon: 3600s\nmax_steps: 10000000\nstrategy: phylink-notify\n" +
		"modules:\n  - name: pcs-lynx\n  - name: fsl-enetc\ndrivers:\n" +
		"  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, bus: mdio}\n" +
		"  - {name: enetc, kind: mac, module: fsl-enetc, bus: pci}\ndevices:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {name: lynx-pcs.%d, driver: lynx-pcs}\n  - {name: enetc.%d, driver: enetc}\n", i, i)
	}
	b.WriteString("netdevs:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {name: eno%d, mac: enetc.%d, pcs: lynx-pcs.%d, up: true}\n", i, i, i)
	}
	b.WriteString("faults:\n  - {action: unbind, target: lynx-pcs.0, window: [1s, 3000s]}\n")
	p := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTimeBudgetStopsOneLongExecution: --time-budget ends a run inside its
// only execution (millions of steps), which is reported as interrupted,
// not as a verdict. Before, the budget was looked at only between
// executions and the run took the whole execution's time.
func TestTimeBudgetStopsOneLongExecution(t *testing.T) {
	file := longWorld(t, 300)
	start := time.Now()
	code, out, errs := pcssim("run", file, "--seeds", "1", "--time-budget", "300ms", "--format", "json")
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("the run took %v after a 300ms budget", el)
	}
	if code != exitOK {
		t.Errorf("exit %d (stderr %q)", code, errs)
	}
	got, err := decodeRun(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Stopped != "time budget" || got.Interrupted == nil || *got.Interrupted != 0 || got.Executions != 0 || got.Steps != 0 {
		t.Errorf("stopped %q, interrupted %v, %d executions, %d steps; want the time budget to cut execution 0 short with nothing counted",
			got.Stopped, got.Interrupted, got.Executions, got.Steps)
	}
}

// TestSignalStopsOneLongExecution: SIGINT ends the execution in flight at
// its next step; the text summary says it was interrupted.
func TestSignalStopsOneLongExecution(t *testing.T) {
	file := longWorld(t, 300)
	start := time.Now()
	code, out, _ := signalDuring(t, syscall.SIGINT, "run", file, "--seeds", "1")
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("the run took %v after SIGINT", el)
	}
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(out, "stopped (interrupted) after 0 of 1 executions") || !strings.Contains(out, "execution 0 was interrupted before its end") {
		t.Errorf("no partial summary:\n%s", out)
	}
}

// TestShrinkInterruptedPrintsBestSoFar: SIGINT during a shrink prints the
// smallest violating schedule found so far, with its report and replay
// line, and exits 130 (shrink printed nothing and lost its work).
func TestShrinkInterruptedPrintsBestSoFar(t *testing.T) {
	file := longWorld(t, 12)
	code, out, errs := pcssim("run", file, "--strategy", "none", "--seeds", "1")
	if code != exitViolation {
		t.Fatalf("run: exit %d, want a violation to shrink\n%s%s", code, out, errs)
	}
	args := reproduceArgs(t, out)
	code, out, errs = signalDuring(t, syscall.SIGINT, append([]string{"shrink"}, args[1:]...)...)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d (stderr %q)", code, exitInterrupted, errs)
	}
	if !strings.Contains(out, "shrink stopped (interrupted)") || !strings.Contains(out, "reproduce: pcssim replay ") {
		t.Errorf("no best-so-far report:\n%s", out)
	}
}

// TestTraceLimitIsExitTwo: replay -v of an execution longer than a trace
// may be is exit 2 naming the limit (not gigabytes of trace and an OOM);
// the report of a violation past the trace says its steps are not shown.
func TestTraceLimitIsExitTwo(t *testing.T) {
	defer func(n int) { scenarios.MaxTraceSteps = n }(scenarios.MaxTraceSteps)
	scenarios.MaxTraceSteps = 20
	file := longWorld(t, 2)
	code, out, errs := pcssim("replay", file, "--strategy", "none", "--seed", "1", "-v")
	if code != exitUsage || !strings.Contains(errs, "a trace holds at most 20 entries (docs/limits.md)") || out != "" {
		t.Errorf("replay -v: exit %d, stderr %q, %d bytes of stdout; want exit 2 naming the limit", code, errs, len(out))
	}
	code, out, _ = pcssim("replay", file, "--strategy", "none", "--seed", "1")
	if code != exitViolation || !strings.Contains(out, "(the trace stops at 20 entries, before step") {
		t.Errorf("replay: exit %d, want the report to say the trace stops before the violation:\n%s", code, out)
	}
}
