package sim

import "testing"

// BenchmarkEngineStep measures one scheduling decision plus one coroutine
// step (the engine's hot path): 4 tasks yield b.N times in total. ns/op is
// the cost of one step, events/s the engine throughput. "campaign" runs as
// campaigns do (no schedule kept), "recorded" keeps the schedule.
func BenchmarkEngineStep(b *testing.B) {
	b.Run("campaign", func(b *testing.B) { benchSteps(b, true) })
	b.Run("recorded", func(b *testing.B) { benchSteps(b, false) })
}

func benchSteps(b *testing.B, noRecord bool) {
	const tasks = 4
	s := New(Config{MaxSteps: b.N + tasks + 1, Horizon: Time(1) << 62, NoRecord: noRecord}, NewRandom(1))
	per := b.N/tasks + 1
	for range tasks {
		s.Spawn("t", func(t *Task) {
			for range per {
				t.Yield("step")
			}
		})
	}
	b.ReportAllocs()
	b.ResetTimer()
	s.Run()
	b.StopTimer()
	b.ReportMetric(float64(s.Steps())/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEventQueue measures timed events: each event schedules the next
// one (a re-arming timer), so the queue's push and pop are exercised.
func BenchmarkEventQueue(b *testing.B) {
	s := New(Config{Horizon: Time(1) << 62}, NewRandom(1))
	n := 0
	var tick func()
	tick = func() {
		n++
		if n < b.N {
			s.After(Millisecond, tick)
		}
	}
	s.After(0, tick)
	b.ReportAllocs()
	b.ResetTimer()
	s.Run()
	b.StopTimer()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMutexHandoff measures two tasks contending for a mutex.
func BenchmarkMutexHandoff(b *testing.B) {
	s := New(Config{MaxSteps: 1 << 62, Horizon: Time(1) << 62}, NewRandom(1))
	m := NewMutex("m")
	for range 2 {
		s.Spawn("t", func(t *Task) {
			for range b.N / 2 {
				m.Lock(t)
				t.Yield("critical")
				m.Unlock(t)
			}
		})
	}
	b.ReportAllocs()
	b.ResetTimer()
	s.Run()
	b.StopTimer()
	b.ReportMetric(float64(s.Steps())/b.Elapsed().Seconds(), "events/s")
}
