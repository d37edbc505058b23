package sim

import (
	"iter"
	"sync"
)

// coro is a coroutine that runs task bodies one after another. Creating a
// coroutine (iter.Pull: a goroutine and its stack) costs more than most
// task bodies, so finished coroutines are pooled and reused by later tasks,
// in this execution or another one. Exactly one side runs at a time.
type coro struct {
	next  func() (struct{}, bool)
	yield func(struct{}) bool
	task  *Task
	body  func(t *Task)
	// started is set when the body begins; done when it has returned (or
	// unwound after an abort): the coroutine is then parked and reusable.
	started, done bool
	// dead is set when a body panicked with a model bug: the coroutine has
	// ended and is never reused.
	dead bool
}

var coroPool = sync.Pool{New: func() any { return newCoro() }}

func newCoro() *coro {
	c := &coro{}
	c.next, _ = iter.Pull(func(yield func(struct{}) bool) {
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
	c := coroPool.Get().(*coro)
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
		c.task, c.body = nil, nil
		coroPool.Put(c)
		return
	}
	c.task.aborting = true
	c.resume()
}

// resume runs the task's next step; it reports whether the body has ended,
// in which case the coroutine goes back to the pool.
func (c *coro) resume() (ended bool) {
	c.next()
	if c.done {
		c.task, c.body = nil, nil
		coroPool.Put(c)
		return true
	}
	return false
}
