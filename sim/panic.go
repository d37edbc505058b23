package sim

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// TaskPanic is a panic of model code (a bug in the simulator or a
// strategy, not a finding), caught where it happened: inside the task's
// coroutine, whose Go stack is gone by the time the panic reaches the
// engine's caller. The engine re-panics with a *TaskPanic, so whoever runs
// it recovers one.
type TaskPanic struct {
	// Value is what the model panicked with.
	Value any
	// Task is the name of the task that panicked ("" for a panic outside
	// any task: an event callback or a fault injection) and TaskID its ID.
	Task   string
	TaskID int
	// KernelStack is the task's simulated kernel call chain at the panic,
	// innermost first (Task.Stack).
	KernelStack []string
	// GoStack is the Go stack of the goroutine that panicked, taken before
	// it unwound.
	GoStack string
}

// Error says what the model panicked with and in which task.
func (p *TaskPanic) Error() string {
	if p.Task == "" {
		return fmt.Sprintf("panic: %v", p.Value)
	}
	return fmt.Sprintf("panic in task %s: %v", p.Task, p.Value)
}

// String is Error followed by the kernel call chain, one frame a line.
func (p *TaskPanic) String() string {
	var b strings.Builder
	b.WriteString(p.Error())
	for _, fn := range p.KernelStack {
		b.WriteString("\n " + fn)
	}
	return b.String()
}

// Unwrap returns the panic value if it is an error.
func (p *TaskPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// taskPanic wraps r, recovered in t's coroutine (t nil: outside any task),
// with the stacks at the panic. A *TaskPanic passes through unchanged.
func taskPanic(r any, t *Task) *TaskPanic {
	if p, ok := r.(*TaskPanic); ok {
		return p
	}
	p := &TaskPanic{Value: r, GoStack: fromPanic(debug.Stack())}
	if t != nil {
		p.Task, p.TaskID, p.KernelStack = t.Name, t.ID, slices.Clone(t.Stack())
	}
	return p
}

// fromPanic drops the frames of a stack taken in a deferred call above the
// panic (debug.Stack, taskPanic, the recovering function), keeping the
// goroutine line and everything from the panic down.
func fromPanic(stack []byte) string {
	s := string(stack)
	head, rest, ok := strings.Cut(s, "\n")
	if i := strings.Index(rest, "\npanic("); ok && i >= 0 {
		return head + rest[i:]
	}
	return s
}
