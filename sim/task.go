package sim

// TaskState says whether a task can be scheduled.
type TaskState uint8

// Task states.
const (
	Runnable TaskState = iota
	Blocked
	Done
)

// Holder is something a blocked task waits for that is owned by a task at
// the moment (a mutex's owner, the worker running a work item). The engine
// follows Holder links to detect wait-for cycles.
type Holder interface {
	Holder() *Task
}

// abortSignal unwinds a task's coroutine when its execution ends early.
type abortSignal struct{}

// Task is a kernel context (a sysfs write, a probe, a work item, a timer
// callback, an interrupt). It runs as a coroutine that yields at every point
// where the real kernel could be preempted or block; exactly one task runs at
// a time and the Chooser decides which runnable task goes next.
type Task struct {
	// ID numbers tasks in creation order within an execution.
	ID int
	// Name says what the task is, e.g. "kworker: phylink_resolve eth0".
	Name string
	// Origin is what caused the task (e.g. an injected fault); tasks spawned
	// by a task inherit it. The engine never looks at it.
	Origin any

	s         *Sim
	state     TaskState
	label     string // label of the task's next step
	blockedOn string
	blockedAt Time
	waitsFor  Holder
	held      []*Mutex
	stack     []string
	co        *coro
	aborting  bool
	nameH     uint64   // nameHash cache
	snap      []string // Stack's result until the stack changes
	stackBuf  [16]string
	heldBuf   [2]*Mutex
}

// Spawn creates a runnable task running body. The new task inherits the
// Origin of the task that is running when Spawn is called, if any.
func (s *Sim) Spawn(name string, body func(t *Task)) *Task {
	t := newTask(s.cfg.Pool)
	t.ID, t.Name, t.s, t.label = s.nextTaskID, name, s, "start"
	s.spawned = append(s.spawned, t)
	// One backing array for the simulated stack and held locks: most
	// tasks never outgrow it.
	t.stack = t.stackBuf[:0]
	t.held = t.heldBuf[:0]
	s.nextTaskID++
	if s.current != nil {
		t.Origin = s.current.Origin
	}
	t.co = startCoro(t, body)
	s.tasks = append(s.tasks, t)
	s.Footprint("task", "spawn", true) // task numbers follow spawn order
	return t
}

// Sim returns the engine the task belongs to.
func (t *Task) Sim() *Sim { return t.s }

// State returns the task's scheduling state.
func (t *Task) State() TaskState { return t.state }

// BlockedOn says what a blocked task waits for.
func (t *Task) BlockedOn() string { return t.blockedOn }

// Yield marks a preemption point: the task stays runnable and the Chooser
// may run another task first. label names the step that follows.
func (t *Task) Yield(label string) {
	t.label = label
	if t.aborting || !t.co.yield(struct{}{}) || t.aborting {
		t.aborting = true
		panic(abortSignal{})
	}
}

// Oops ends the task as a kernel oops does (after the caller reported
// it): the task dies where it stands, the locks it holds stay held (its
// deferred unlocks do not run), and the execution stops after this step
// with EndOops: what the kernel does next is no longer the model's business.
func (t *Task) Oops() {
	t.s.stopped = true
	t.s.end = EndOops
	t.aborting = true
	panic(abortSignal{})
}

// Block suspends the task until Wake is called. what describes the wait for
// traces and deadlock reports; h, if not nil, is what the task waits for.
func (t *Task) Block(what string, h Holder) {
	// Whether a step blocks depends on state the engine does not see
	// (the condition a wait re-checks): a blocking step is dependent
	// with every other.
	t.s.footprintGlobal()
	t.block(what, h)
}

// block is Block for a wait whose condition the footprint already holds
// (a mutex's owner).
func (t *Task) block(what string, h Holder) {
	t.state = Blocked
	t.blockedOn = what
	t.blockedAt = t.s.now
	t.waitsFor = h
	t.s.checkCycle(t)
	t.Yield(what)
	t.blockedOn = ""
	t.waitsFor = nil
}

// Wake makes a blocked task runnable again.
func (t *Task) Wake() {
	if t.state == Blocked {
		t.state = Runnable
	}
}

// Sleep blocks the task for d of virtual time (msleep).
func (t *Task) Sleep(d Time) {
	t.s.After(d, t.Wake)
	t.Block(sleeping, nil)
}

// sleeping is what a task in Sleep waits for (never a hung task).
const sleeping = "msleep"

// Enter pushes a simulated kernel function onto the task's call stack.
// Pair every Enter with Leave (usually deferred).
func (t *Task) Enter(fn string) {
	t.stack = append(t.stack, fn)
	t.snap = nil
}

// Leave pops the innermost simulated function. Deferred directly (defer
// t.Leave()), it also sees a panic of model code go by: it wraps the panic
// in a *TaskPanic with the kernel call chain and Go stack of the panic
// before it pops a frame, since the coroutine's own recover runs only after
// every deferred Leave has.
func (t *Task) Leave() {
	if r := recover(); r != nil {
		if _, ok := r.(abortSignal); !ok {
			r = taskPanic(r, t)
		}
		t.stack = t.stack[:len(t.stack)-1]
		t.snap = nil
		panic(r)
	}
	t.stack = t.stack[:len(t.stack)-1]
	t.snap = nil
}

// Stack returns the simulated call stack, innermost first, the order
// KASAN prints. The slice is shared by the calls made at the same depth of
// the same call chain: callers must not modify it.
func (t *Task) Stack() []string {
	if t.snap == nil {
		t.snap = make([]string, len(t.stack))
		for i, fn := range t.stack {
			t.snap[len(t.stack)-1-i] = fn
		}
	}
	return t.snap
}

// Func returns the innermost simulated function, or "" outside any.
func (t *Task) Func() string {
	if len(t.stack) == 0 {
		return ""
	}
	return t.stack[len(t.stack)-1]
}
