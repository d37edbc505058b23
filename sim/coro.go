package sim

import (
	"iter"
	"sync"
)

// coro is a coroutine that runs task bodies one after another. Creating a
// coroutine (iter.Pull: a goroutine and its stack) costs more than most
// task bodies, so finished coroutines are kept on a free list and reused by
// later tasks, in this execution or another one. Exactly one side runs at
// a time.
//
// The free list is bounded (maxFreeCoros) and never drops a coroutine
// silently: one that does not fit is stopped, which ends its goroutine. (A
// sync.Pool would drop parked coroutines at a garbage collection, or at
// random under the race detector, leaving their goroutines parked forever.)
type coro struct {
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
	task  *Task
	body  func(t *Task)
	// started is set when the body begins; done when it has returned (or
	// unwound after an abort): the coroutine is then parked and reusable.
	started, done bool
	// dead is set when a body panicked with a model bug: the coroutine has
	// ended and is never reused.
	dead bool
	// pool is the worker pool the coroutine returns to (nil: the
	// process-wide free list).
	pool *Pool
}

// maxFreeCoros bounds the coroutines parked on the free list: enough for
// the live tasks of many parallel executions, a few MB of stacks at most.
const maxFreeCoros = 256

// freeCoros is the free list of parked, reusable coroutines.
var freeCoros struct {
	sync.Mutex
	list []*coro
}

// getCoro takes a parked coroutine from p (or, without a worker pool, the
// process-wide free list), or makes one.
func getCoro(p *Pool) *coro {
	if p != nil {
		if n := len(p.coros); n > 0 {
			c := p.coros[n-1]
			p.coros[n-1] = nil
			p.coros = p.coros[:n-1]
			return c
		}
		c := newCoro()
		c.pool = p
		return c
	}
	freeCoros.Lock()
	if n := len(freeCoros.list); n > 0 {
		c := freeCoros.list[n-1]
		freeCoros.list[n-1] = nil
		freeCoros.list = freeCoros.list[:n-1]
		freeCoros.Unlock()
		return c
	}
	freeCoros.Unlock()
	return newCoro()
}

// putCoro parks c on the free list, or stops it (ending its goroutine)
// when the list is full.
// The task it ran forgets it: the coroutine may serve another execution
// on another goroutine from now on.
func putCoro(c *coro) {
	if c.task != nil && c.task.co == c {
		c.task.co = nil
	}
	c.task, c.body = nil, nil
	if p := c.pool; p != nil {
		if len(p.coros) < maxFreeCoros {
			p.coros = append(p.coros, c)
			return
		}
		c.dead = true
		c.stop()
		return
	}
	freeCoros.Lock()
	if len(freeCoros.list) < maxFreeCoros {
		freeCoros.list = append(freeCoros.list, c)
		freeCoros.Unlock()
		return
	}
	freeCoros.Unlock()
	c.dead = true
	c.stop()
}

func newCoro() *coro {
	c := &coro{}
	c.next, c.stop = iter.Pull(func(yield func(struct{}) bool) {
		c.yield = yield
		for {
			c.run()
			c.done = true
			if !yield(struct{}{}) {
				return
			}
		}
	})
	return c
}

// run runs the current body; an abort unwinds it, any other panic (a model
// bug) ends the coroutine and propagates to the engine as a *TaskPanic that
// carries the stacks at the panic (this goroutine's, which iter.Pull does
// not pass on, and the task's kernel call chain).
func (c *coro) run() {
	c.started = true
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abortSignal); !ok {
				c.dead = true
				panic(taskPanic(r, c.task))
			}
		}
	}()
	c.body(c.task)
}

// start binds a pooled coroutine to t; the body runs at t's first step.
func startCoro(t *Task, body func(t *Task)) *coro {
	c := getCoro(t.s.cfg.Pool)
	c.task, c.body, c.started, c.done = t, body, false, false
	return c
}

// abort ends the task bound to c: a body that has not started never runs;
// a suspended one unwinds from its Yield (t.aborting is set).
func (c *coro) abort() {
	if c.dead {
		return
	}
	if !c.started {
		putCoro(c)
		return
	}
	c.task.aborting = true
	c.resume()
}

// resume runs the task's next step; it reports whether the body has ended,
// in which case the coroutine goes back to the free list.
func (c *coro) resume() (ended bool) {
	c.next()
	if c.done {
		putCoro(c)
		return true
	}
	return false
}
