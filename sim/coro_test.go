package sim

import (
	"runtime"
	"testing"
	"time"
)

// TestCoroutinesDoNotLeak runs many executions, each spawning tasks that
// finish and tasks that are aborted, with garbage collections in between
// (a collection is when a sync.Pool drops what it holds): the number of
// goroutines must stay bounded by the coroutine free list, however many
// executions ran.
func TestCoroutinesDoNotLeak(t *testing.T) {
	run := func() {
		s := New(Config{Horizon: Second}, NewRandom(1))
		for i := 0; i < 20; i++ {
			s.Spawn("finishes", func(t *Task) { t.Yield("a"); t.Yield("b") })
		}
		for i := 0; i < 5; i++ {
			s.Spawn("blocks forever", func(t *Task) { t.Block("nothing", nil) })
		}
		s.Run()
		s.Release()
	}
	settle := func() int {
		for i := 0; i < 3; i++ {
			runtime.GC()
		}
		time.Sleep(10 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	base := settle()
	rounds := 200
	if testing.Short() {
		rounds = 50
	}
	for r := 0; r < rounds; r++ {
		for i := 0; i < 10; i++ {
			run()
		}
		runtime.GC() // a sync.Pool's items move to its victim cache
		runtime.GC() // and are dropped
	}
	n := settle()
	t.Logf("goroutines: %d before, %d after %d executions", base, n, rounds*10)
	if n > base+maxFreeCoros+10 {
		t.Fatalf("%d goroutines after %d executions (%d before): coroutines leak",
			n, rounds*10, base)
	}
}

// TestWorkerPoolRecyclesAndCloses: executions sharing a worker Pool reuse
// its coroutines (the goroutine count stays at what one execution needs),
// and Close ends every parked one.
func TestWorkerPoolRecyclesAndCloses(t *testing.T) {
	settle := func() int {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	base := settle()
	p := NewPool()
	for range 100 {
		s := New(Config{Horizon: Second, Pool: p}, NewRandom(1))
		for range 8 {
			s.Spawn("finishes", func(t *Task) { t.Yield("a") })
		}
		s.Spawn("blocks forever", func(t *Task) { t.Block("nothing", nil) })
		s.Run()
		s.Release()
	}
	if got := len(p.coros); got != 9 {
		t.Errorf("pool holds %d coroutines after 100 executions of 9 tasks, want 9", got)
	}
	if n := settle(); n > base+9 {
		t.Errorf("%d goroutines with the pool open (%d before): coroutines not reused", n, base)
	}
	p.Close()
	if n := settle(); n > base {
		t.Errorf("%d goroutines after Close (%d before): parked coroutines not stopped", n, base)
	}
}
