package sim

import "testing"

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
// a periodic event, each trigger firing a task of a few steps, and returns
// how many triggers its decisions examined: the cost of a decision must
// not grow with the triggers already fired.
func sequentialFaults(n int) (int, End) {
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
	end := s.Run()
	visits := s.trigVisits
	s.Release()
	return visits, end
}

// TestDecisionCostIndependentOfDisarmedTriggers: ten times the triggers
// cost about ten times the work (it was a hundred times: every decision
// looked at every trigger, fired or not). Work is counted, not timed
// (BenchmarkSequentialFaults times it).
func TestDecisionCostIndependentOfDisarmedTriggers(t *testing.T) {
	small, end := sequentialFaults(2000)
	big, end2 := sequentialFaults(20000)
	if end != EndHorizon || end2 != EndHorizon {
		t.Fatalf("end %v, %v, want horizon", end, end2)
	}
	if ratio := float64(big) / float64(small); ratio > 12 {
		t.Errorf("20 000 triggers examined %d times, 2 000 %d: %.1f times (linear is 10)", big, small, ratio)
	}
}

// BenchmarkSequentialFaults is one execution of a world of 2 000
// consecutive faults.
func BenchmarkSequentialFaults(b *testing.B) {
	for range b.N {
		sequentialFaults(2000)
	}
}
