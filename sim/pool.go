package sim

import "sync"

// Executions are short (tens of microseconds) and many, so the engine
// recycles what one execution leaves behind for the next: its Sim with the
// capacity of its queues, and its tasks. Coroutines are pooled separately
// (coro.go).
var (
	simPool  = sync.Pool{New: func() any { return new(Sim) }}
	taskPool = sync.Pool{New: func() any { return new(Task) }}
)

// newSim returns a Sim for cfg and c: a released one (zeroed but for the
// capacity of its buffers) when the pool has one.
func newSim(cfg Config, c Chooser) *Sim {
	s := simPool.Get().(*Sim)
	s.cfg, s.chooser = cfg, c
	return s
}

// Release ends the use of s: s and its tasks go back to pools that later
// executions take theirs from. Neither s nor any of its tasks may be used
// afterwards; call it when everything wanted from the execution (findings,
// schedule, trace, coverage) has been taken. The schedule and trace are
// not reused, so slices already taken from them stay valid. Optional: an
// execution not released is simply garbage-collected.
func (s *Sim) Release() {
	for _, t := range s.spawned {
		// A finished task's coroutine went back to the free list and the
		// task forgot it (t.co nil); a dead one ended with a model bug.
		if c := t.co; c != nil && !c.dead {
			if c.started {
				continue // suspended in its body (Run not finished): leave it
			}
			c.abort() // spawned but never run: free its coroutine
		}
		*t = Task{}
		taskPool.Put(t)
	}
	if s.cfg.Coverage != nil {
		s.cfg.Coverage.prev = nil
	}
	clear(s.events.items)
	clear(s.evKeys)
	clear(s.evIndex)
	clear(s.spawned)
	clear(s.tasks)
	clear(s.triggers)
	clear(s.open)
	clear(s.waiting)
	clear(s.cands)
	clear(s.candTask)
	*s = Sim{events: eventQueue{items: s.events.items[:0]}, tasks: s.tasks[:0], spawned: s.spawned[:0],
		triggers: s.triggers[:0], open: s.open[:0], waiting: s.waiting[:0], cands: s.cands[:0], candTask: s.candTask[:0], evBuf: s.evBuf[:0], evKeys: s.evKeys[:0], evIndex: s.evIndex, hash: s.hash}
	simPool.Put(s)
}
