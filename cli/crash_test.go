package cli

import (
	"strings"
	"testing"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// attachCrashStrategy is a test-only strategy whose Unregistering writes to
// a nil map: a bug in model code, inside pcs_unregister, in the task of an
// injected unbind (after scheduling choices were made).
const attachCrashStrategy = "test-crash-unregister"

type crashingAttach struct {
	pcs.Base
	seen map[string]int
}

func (crashingAttach) ID() string  { return attachCrashStrategy }
func (crashingAttach) Doc() string { return "test only: writes to a nil map in pcs_unregister" }
func (c crashingAttach) Unregistering(t *sim.Task, e *pcs.Env, p *pcs.PCS) {
	c.seen[p.Name]++
}

// The test-only strategies are registered before any test runs, so every
// test sees the same registry whatever order tests run in (TestGolden
// leaves them out of what it pins).
func init() {
	pcs.RegisterStrategy(crashStrategy, func(pcs.Options) pcs.Strategy { return crashing{} })
	pcs.RegisterStrategy(attachCrashStrategy, func(pcs.Options) pcs.Strategy { return crashingAttach{} })
}

// crashStderr checks one crash report: the headline, the execution named,
// the kernel call chain with the frames in kernel, the panic value and a
// reproduce line, which it returns as arguments.
func crashStderr(t *testing.T, what, stderr string, names []string, kernel []string, value string) []string {
	t.Helper()
	want := append([]string{"pcssim: simulator crashed\n", "scenario rmk-2022-unbind, strategy ", "kernel call chain:\n", "panic: " + value,
		"goroutine ", "reproduce: pcssim replay "}, names...)
	for _, k := range kernel {
		want = append(want, "\n "+k+"\n")
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("%s: crash report lacks %q:\n%s", what, w, stderr)
		}
	}
	return reproduceArgs(t, stderr)
}

// TestCrashReportedByEveryCommand: a panic in model code inside a task is
// reported by run, compare, replay (-v) and shrink with exit status 3, the
// execution that crashed, the task's kernel call chain, the Go panic and a
// replay command that, run as printed, crashes the same way.
func TestCrashReportedByEveryCommand(t *testing.T) {
	chain := []string{"pcs_unregister", "lynx_pcs_remove", "unbind_store"}
	value := "assignment to entry in nil map"
	st := attachCrashStrategy

	code, out, stderr := pcssim("run", "rmk-2022-unbind", "--strategy", st, "--seeds", "5", "--jobs", "2")
	if code != exitCrash {
		t.Fatalf("run: exit %d, want 3\n%s", code, stderr)
	}
	if strings.Contains(out, "goroutine") {
		t.Errorf("run: Go stack on stdout:\n%s", out)
	}
	again := crashStderr(t, "run", stderr, []string{"strategy " + st, "explore random, seed ", "(execution 0)", "--schedule "}, chain, value)
	if again[0] != "replay" || again[len(again)-2] != "--schedule" {
		t.Fatalf("run: reproduce line %q is not a replay of a schedule", again)
	}
	report := crashSansGo(stderr)

	code, out, stderr = pcssim("compare", "rmk-2022-unbind", "--strategies", "none,"+st, "--seeds", "5")
	if code != exitCrash {
		t.Fatalf("compare: exit %d, want 3\n%s", code, stderr)
	}
	crashStderr(t, "compare", stderr, []string{"strategy " + st, "seed ", "(execution 0)", "--schedule "}, chain, value)
	if strings.Contains(out, "rows as expected") {
		t.Errorf("compare gave a verdict after a crash:\n%s", out)
	}
	if got := crashSansGo(stderr); got != report {
		t.Errorf("compare and run report the crash differently:\n%s\n---\n%s", got, report)
	}

	// The printed command, run as printed, crashes the same way; with -v
	// the trace up to the crash comes first, on stdout.
	code, out, stderr = pcssim(append(again, "-v")...)
	if code != exitCrash {
		t.Fatalf("replay: exit %d, want 3\n%s", code, stderr)
	}
	crashStderr(t, "replay", stderr, []string{"strategy " + st, "explore random, schedule, "}, chain, value)
	if rep := reproduceArgs(t, stderr); strings.Join(rep, " ") != strings.Join(again, " ") {
		t.Errorf("replay's reproduce line %q, want %q", rep, again)
	}
	if !strings.Contains(out, "inject unbind lynx-pcs.0") || !strings.Contains(lastLine(out), "sysfs unbind lynx-pcs.0]") ||
		strings.Contains(out, "goroutine") {
		t.Errorf("replay -v: no trace (or a Go stack) on stdout:\n%s", out)
	}
	if strings.Contains(crashSansGo(stderr), "step 0,") {
		t.Errorf("replay: crash at step 0:\n%s", stderr)
	}

	code, _, stderr = pcssim("replay", "rmk-2022-unbind", "--strategy", st, "--seed", "1")
	if code != exitCrash {
		t.Fatalf("replay --seed: exit %d, want 3\n%s", code, stderr)
	}
	crashStderr(t, "replay --seed", stderr, []string{"seed 1, "}, chain, value)

	code, _, stderr = pcssim(append([]string{"shrink"}, again[1:]...)...)
	if code != exitCrash {
		t.Fatalf("shrink: exit %d, want 3\n%s", code, stderr)
	}
	crashStderr(t, "shrink", stderr, []string{"strategy " + st}, chain, value)
}

// crashSansGo is a crash report without its Go stack and the execution
// line (which names the command's view of the execution): what every
// command must agree on.
func crashSansGo(stderr string) string {
	var keep []string
	in := false
	for _, l := range strings.Split(stderr, "\n") {
		switch {
		case l == "pcssim: simulator crashed":
			in = true
		case strings.HasPrefix(l, "goroutine "):
			in = false
		case strings.HasPrefix(l, "reproduce: "):
			keep = append(keep, l)
		case in && !strings.HasPrefix(l, "scenario "):
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestNoCrashNoCrashReport: an execution that does not crash prints no
// crash report and does not exit 3.
func TestNoCrashNoCrashReport(t *testing.T) {
	for _, args := range [][]string{
		{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--seeds", "5"},
		{"compare", "rmk-2022-unbind", "--seeds", "5"},
		{"replay", "rmk-2022-unbind", "--strategy", "none", "--seed", "1", "-v"},
	} {
		code, _, stderr := pcssim(args...)
		if code == exitCrash || strings.Contains(stderr, "crashed") {
			t.Errorf("%v: exit %d, stderr:\n%s", args, code, stderr)
		}
	}
}
