package sim

// Mutex is a sleeping lock with an owner (struct mutex, rtnl_lock). Tasks
// blocked on it are not runnable. Unlock hands the mutex to the longest
// waiter (simplification: the kernel's mutex is not strictly FIFO).
type Mutex struct {
	Name      string
	owner     *Task
	waiters   []*Task
	lockLabel string
}

// NewMutex returns an unlocked mutex.
func NewMutex(name string) *Mutex {
	return &Mutex{Name: name, lockLabel: "mutex_lock(" + name + ")"}
}

// Holder implements Holder: the owner of the mutex.
func (m *Mutex) Holder() *Task { return m.owner }

// Owner returns the task holding m, or nil.
func (m *Mutex) Owner() *Task { return m.owner }

// Lock acquires m (mutex_lock); it is a preemption point and blocks while
// another task owns m.
func (m *Mutex) Lock(t *Task) {
	t.Yield(m.lockLabel)
	t.s.Footprint("mutex", m.Name, true)
	if m.owner == nil {
		m.owner = t
	} else {
		m.waiters = append(m.waiters, t)
		t.block(m.lockLabel, m)
	}
	t.held = append(t.held, m)
	if t.s.cfg.Trace {
		t.s.Mark(Mark{Kind: MarkLock, Name: m.Name})
	}
}

// TryLock acquires m if it is free (mutex_trylock).
func (m *Mutex) TryLock(t *Task) bool {
	t.s.Footprint("mutex", m.Name, true)
	if m.owner != nil {
		return false
	}
	m.owner = t
	t.held = append(t.held, m)
	if t.s.cfg.Trace {
		t.s.Mark(Mark{Kind: MarkLock, Name: m.Name})
	}
	return true
}

// Unlock releases m (mutex_unlock). Unlocking a mutex the task does not own
// is a model bug and panics.
func (m *Mutex) Unlock(t *Task) {
	if t.aborting {
		return // the execution is over; deferred unlocks just unwind
	}
	if m.owner != t {
		panic("sim: " + t.Name + " unlocks " + m.Name + " it does not own")
	}
	t.s.Footprint("mutex", m.Name, true)
	for i := len(t.held) - 1; i >= 0; i-- {
		if t.held[i] == m {
			t.held = append(t.held[:i], t.held[i+1:]...)
			break
		}
	}
	if t.s.cfg.Trace {
		t.s.Mark(Mark{Kind: MarkUnlock, Name: m.Name})
	}
	m.owner = nil
	if len(m.waiters) > 0 {
		w := m.waiters[0]
		copy(m.waiters, m.waiters[1:])
		m.waiters = m.waiters[:len(m.waiters)-1]
		m.owner = w
		w.Wake()
	}
}

// WaitQueue is a list of tasks sleeping until an event (wait_event and
// friends); waiters re-check their condition after WakeAll.
type WaitQueue struct {
	waiters []*Task
}

// Wait blocks t until the next WakeAll. what and h describe the wait.
func (q *WaitQueue) Wait(t *Task, what string, h Holder) {
	q.waiters = append(q.waiters, t)
	t.Block(what, h)
}

// WaitTracked is Wait for a caller whose step's footprint already holds
// the condition it waits on (see Sim.Footprint): partial-order reduction
// then need not treat the blocking step as dependent with every other.
func (q *WaitQueue) WaitTracked(t *Task, what string, h Holder) {
	q.waiters = append(q.waiters, t)
	t.block(what, h)
}

// WakeAll makes every waiter runnable.
func (q *WaitQueue) WakeAll() {
	if len(q.waiters) > 0 {
		q.waiters[0].s.Footprint("waitqueue", "", true)
	}
	for _, w := range q.waiters {
		w.Wake()
	}
	clear(q.waiters)
	q.waiters = q.waiters[:0]
}

// Completion is struct completion: Wait blocks until Complete was called.
type Completion struct {
	Name string
	done bool
	q    WaitQueue
}

// Wait blocks t until the completion is done (wait_for_completion).
func (c *Completion) Wait(t *Task) {
	for !c.done {
		c.q.Wait(t, "wait_for_completion("+c.Name+")", nil)
	}
}

// Complete marks the completion done and wakes all waiters (complete_all).
func (c *Completion) Complete() {
	c.done = true
	c.q.WakeAll()
}

// Reinit makes a completion not done again (reinit_completion).
func (c *Completion) Reinit() { c.done = false }
