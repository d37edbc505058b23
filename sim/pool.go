package sim

import "sync"

// Executions are short (tens of microseconds) and many, so the engine
// recycles what one execution leaves behind for the next: its Sim with the
// capacity of its queues, its tasks and their coroutines.
//
// A campaign worker gives each of its executions the worker's own Pool
// (Config.Pool): nothing is shared between workers, so parallel workers
// take no lock and touch no common cache line to recycle. Executions
// without a Pool (tests, replays) use process-wide caches.
var (
	simPool  = sync.Pool{New: func() any { return new(Sim) }}
	taskPool = sync.Pool{New: func() any { return new(Task) }}
)

// Pool holds one worker's recycled engine state: released Sims and tasks
// and parked coroutines. It is not safe for concurrent use: one goroutine
// runs the executions that use it, one after another. Close it when the
// worker is done (parked coroutines are goroutines).
type Pool struct {
	sims  []*Sim
	tasks []*Task
	coros []*coro
}

// NewPool returns an empty worker pool.
func NewPool() *Pool { return &Pool{} }

// Close stops the coroutines parked on p (ending their goroutines) and
// drops the rest. p may be used again afterwards.
func (p *Pool) Close() {
	for _, c := range p.coros {
		c.dead = true
		c.stop()
	}
	clear(p.coros)
	*p = Pool{}
}

// newSim returns a Sim for cfg and c: a released one (zeroed but for the
// capacity of its buffers) when the pool has one.
func newSim(cfg Config, c Chooser) *Sim {
	var s *Sim
	if p := cfg.Pool; p != nil {
		if n := len(p.sims); n > 0 {
			s = p.sims[n-1]
			p.sims[n-1] = nil
			p.sims = p.sims[:n-1]
		} else {
			s = new(Sim)
		}
	} else {
		s = simPool.Get().(*Sim)
	}
	s.cfg, s.chooser = cfg, c
	return s
}

// newTask returns a zero Task from p, or from the process-wide cache.
func newTask(p *Pool) *Task {
	if p == nil {
		return taskPool.Get().(*Task)
	}
	n := len(p.tasks)
	if n == 0 {
		return new(Task)
	}
	t := p.tasks[n-1]
	p.tasks[n-1] = nil
	p.tasks = p.tasks[:n-1]
	return t
}

// maxPooledTasks bounds the tasks a worker pool keeps.
const maxPooledTasks = 1024

// Release ends the use of s: s and its tasks go back to pools that later
// executions take theirs from. Neither s nor any of its tasks may be used
// afterwards; call it when everything wanted from the execution (findings,
// schedule, trace, coverage) has been taken. The schedule and trace are
// not reused, so slices already taken from them stay valid. Optional: an
// execution not released is simply garbage-collected.
func (s *Sim) Release() {
	p := s.cfg.Pool
	for _, t := range s.spawned {
		// A finished task's coroutine went back to the free list and the
		// task forgot it (t.co nil); a dead one ended with a model bug.
		recycleTask(t, p)
	}
	if s.cfg.Coverage != nil {
		s.cfg.Coverage.prev = nil
	}
	s.reset()
	if p == nil {
		simPool.Put(s)
	} else {
		p.sims = append(p.sims, s)
	}
}

// reset zeroes s but for the capacity of its buffers.
func (s *Sim) reset() {
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
}
