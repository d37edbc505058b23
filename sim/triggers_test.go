package sim

import (
	"testing"
	"time"
)

// TestFaultFiringsCountAgainstMaxSteps: a world of nothing but triggers
// ends at the step budget, not after firing them all.
func TestFaultFiringsCountAgainstMaxSteps(t *testing.T) {
	s := New(Config{Horizon: Second, MaxSteps: 100}, NewRandom(1))
	fired := 0
	for i := 0; i < 1000; i++ {
		s.Arm("noop", 0, Second, func() { fired++ })
	}
	if end := s.Run(); end != EndBudget || fired > 100 {
		t.Errorf("end %v after %d firings, want %v after at most 100", end, fired, EndBudget)
	}
	s.Release()
}

// sequentialFaults runs a world of n triggers with consecutive windows and
// a periodic event, each trigger firing a task of a few steps: the cost of a decision must not grow
// with the triggers already fired.
func sequentialFaults(n int) (time.Duration, End) {
	s := New(Config{Horizon: Time(n+1) * Millisecond, MaxSteps: 10 * n}, NewRandom(1))
	for i := 0; i < n; i++ {
		at := Time(i) * Millisecond
		s.Arm("fault", at, at+Microsecond, func() {
			s.Spawn("task", func(t *Task) { t.Yield("a"); t.Yield("b") })
		})
	}
	// A poll timer, as worlds have: an idle world advances to its next
	// tick, so only the windows starting before it are candidates.
	var tick func()
	tick = func() { s.After(100*Microsecond, tick) }
	s.After(0, tick)
	start := time.Now()
	end := s.Run()
	d := time.Since(start)
	s.Release()
	return d, end
}

// TestDecisionCostIndependentOfDisarmedTriggers: ten times the triggers
// cost about ten times the time (it was a hundred times: every decision
// looked at every trigger, fired or not).
func TestDecisionCostIndependentOfDisarmedTriggers(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	// The fastest of three runs each, against noise from parallel tests.
	best := func(n int) time.Duration {
		var b time.Duration
		for i := 0; i < 3; i++ {
			d, end := sequentialFaults(n)
			if end != EndHorizon {
				t.Fatalf("end %v, want horizon", end)
			}
			if i == 0 || d < b {
				b = d
			}
		}
		return b
	}
	small, big := best(2000), best(20000)
	if ratio := float64(big) / float64(small); ratio > 50 {
		t.Errorf("20 000 triggers took %v, 2 000 took %v: %.0f times (linear is 10; it was 186)", big, small, ratio)
	}
}
