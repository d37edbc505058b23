package sim

import (
	"sync/atomic"
	"testing"
)

// TestInterruptStopsALongExecution: a set Interrupt ends one execution at
// the next scheduling point, however long it would still run (before,
// SIGINT and --time-budget were looked at only between executions).
func TestInterruptStopsALongExecution(t *testing.T) {
	var stop atomic.Bool
	s := New(Config{Horizon: 3600 * Second, MaxSteps: 10_000_000, Interrupt: &stop}, NewRandom(1))
	s.Spawn("spinner", func(tk *Task) {
		for i := 0; ; i++ {
			if i == 1000 {
				stop.Store(true) // as the signal handler would, from outside
			}
			tk.Yield("spin")
		}
	})
	if end := s.Run(); end != EndInterrupted {
		t.Fatalf("end %v, want interrupted", end)
	}
	if s.Steps() != 1001 {
		t.Errorf("ran %d steps after the interrupt at step 1001", s.Steps())
	}
	if EndInterrupted.String() != "interrupted" {
		t.Errorf("EndInterrupted says %q", EndInterrupted.String())
	}
}

// TestInterruptDoesNotChangeExecutions: an unset Interrupt leaves every
// choice and the trace of a complete execution as they were.
func TestInterruptDoesNotChangeExecutions(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		a := pingPong(NewRandom(seed))
		a.Run()
		b := pingPong(NewRandom(seed))
		var stop atomic.Bool
		b.cfg.Interrupt = &stop
		b.Run()
		if a.Schedule().Encode() != b.Schedule().Encode() || len(a.Trace()) != len(b.Trace()) || a.EndReason() != b.EndReason() {
			t.Fatalf("seed %d: an unset interrupt changed the execution", seed)
		}
	}
}
