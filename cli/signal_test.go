package cli

import (
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// keepAlive registers the test for the stop signals, so a signal that
// arrives when pcssim is not listening does not kill the test binary.
func keepAlive(t *testing.T) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, stopSignals...)
	t.Cleanup(func() { signal.Stop(ch) })
}

// signalDuring runs pcssim with args and sends sig to the process once it
// has run for a while; it returns what pcssim returned.
func signalDuring(t *testing.T, sig syscall.Signal, args ...string) (int, string, string) {
	t.Helper()
	keepAlive(t)
	go func() {
		time.Sleep(300 * time.Millisecond)
		syscall.Kill(os.Getpid(), sig)
	}()
	return pcssim(args...)
}

// TestSignalsGivePartialResults: SIGTERM and SIGHUP stop a run as SIGINT
// does, with the partial JSON on stdout and 128+signal as the status.
func TestSignalsGivePartialResults(t *testing.T) {
	for _, tc := range []struct {
		sig    syscall.Signal
		code   int
		reason string
	}{{syscall.SIGTERM, 143, "terminated"}, {syscall.SIGHUP, 129, "hangup"}, {syscall.SIGINT, 130, "interrupted"}} {
		code, out, errs := signalDuring(t, tc.sig, "run", "rmk-2022-unbind", "--strategy", "phylink-notify",
			"--seeds", "100000000", "--jobs", "1", "--format", "json")
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tc.sig, code, tc.code, errs)
		}
		got, err := decodeRun(out)
		if err != nil {
			t.Fatalf("%v: stdout is not the partial JSON: %v\n%s", tc.sig, err, out)
		}
		if got.Stopped != tc.reason || got.Executions == 0 {
			t.Errorf("%v: stopped %q after %d executions, want %q after some", tc.sig, got.Stopped, got.Executions, tc.reason)
		}
	}
}

// TestCompareInterruptedPrintsPartialTable: compare on SIGINT prints the
// rows it has and says it stopped early.
func TestCompareInterruptedPrintsPartialTable(t *testing.T) {
	code, out, _ := signalDuring(t, syscall.SIGINT, "compare", "rmk-2022-unbind", "--strategies", "phylink-notify,none",
		"--seeds", "100000000", "--jobs", "1")
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(out, "phylink-notify") || !strings.Contains(out, "stopped early (interrupted)") {
		t.Errorf("no partial table:\n%s", out)
	}
}

// TestSecondSignalForcesExit: a second signal while the first one's partial
// results are written exits at once, with the first one's status.
func TestSecondSignalForcesExit(t *testing.T) {
	keepAlive(t)
	exited := make(chan int, 1)
	forceExit = func(code int) { exited <- code }
	defer func() { forceExit = os.Exit }()
	var errb strings.Builder
	s := newStopper(0, &errb)
	defer s.release()
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	for s.exitCode() == 0 {
		time.Sleep(time.Millisecond)
	}
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-exited:
		if code != exitTerminated {
			t.Errorf("forced exit %d, want %d", code, exitTerminated)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a second signal did not force the exit")
	}
}
