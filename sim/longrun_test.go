package sim

import "testing"

// TestLongExecutionForgetsFinishedTasks: an execution that runs many
// short tasks one after another (a poll timer) keeps a bounded number of
// them, and a periodic named event's key once: its memory does not grow
// with its length (every task was kept until the end: 430 MB for 1.4 M
// steps).
func TestLongExecutionForgetsFinishedTasks(t *testing.T) {
	s := New(Config{Horizon: 3600 * Second, MaxSteps: 10_000_000}, NewRandom(1))
	var tick func()
	n := 0
	tick = func() {
		n++
		s.Spawn("poll", func(tk *Task) { tk.Yield("read") })
		if n < 20_000 {
			s.AtNamed(s.Now()+Millisecond, "poll timer", tick)
		}
	}
	s.AtNamed(0, "poll timer", tick)
	if end := s.Run(); end != EndQuiescent {
		t.Fatalf("end %v", end)
	}
	if n != 20_000 {
		t.Fatalf("%d polls", n)
	}
	if len(s.spawned) > 2*maxKeptFinished {
		t.Errorf("%d tasks kept after 20000 finished; want at most %d", len(s.spawned), 2*maxKeptFinished)
	}
	if len(s.evKeys) != 1 {
		t.Errorf("%d event keys for one periodic event", len(s.evKeys))
	}
	s.Release()
}

// TestTraceLimit: a traced execution records at most TraceLimit entries
// and says that it stopped recording.
func TestTraceLimit(t *testing.T) {
	s := New(Config{Horizon: 3600 * Second, MaxSteps: 5000, Trace: true, TraceLimit: 100}, NewRandom(1))
	s.Spawn("spinner", func(tk *Task) {
		for {
			tk.Yield("spin")
			s.Touch("x")
		}
	})
	s.Run()
	if len(s.Trace()) != 100 || !s.TraceTruncated() || s.Steps() != 5000 {
		t.Fatalf("trace %d entries, truncated %v, %d steps", len(s.Trace()), s.TraceTruncated(), s.Steps())
	}
}
