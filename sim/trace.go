package sim

import (
	"fmt"
	"strings"
)

// Step is one entry of the trace: a task step, or a note (Task == -1) such
// as an injected fault or a data choice.
type Step struct {
	N        int
	At       Time
	Task     int
	TaskName string
	Label    string
	Touched  []string
	// Marks are what the step did that trace exports draw: objects
	// allocated, freed or accessed, locks taken and released (only in
	// traced executions; see Sim.Mark).
	Marks []Mark
}

// MarkKind says what a Mark records.
type MarkKind uint8

// Kinds of marks.
const (
	// MarkAlloc: the step allocated object Obj named Name (kmalloc).
	MarkAlloc MarkKind = iota + 1
	// MarkFree: the step freed object Obj (kfree; a second one is a
	// double free).
	MarkFree
	// MarkRead, MarkWrite and MarkCall: the step read, wrote or called
	// through object Obj (an access after its MarkFree is a use after
	// free).
	MarkRead
	MarkWrite
	MarkCall
	// MarkLock and MarkUnlock: the step's task took or released the lock
	// named Name.
	MarkLock
	MarkUnlock
)

// String names the kind as exports print it.
func (k MarkKind) String() string {
	if k < MarkAlloc || k > MarkUnlock {
		return "mark"
	}
	return [...]string{"alloc", "free", "read", "write", "call", "lock", "unlock"}[k-1]
}

// Mark is one thing a traced step did to an object or a lock. Obj is the
// object's number (the model's heap ID; 0 for a lock); Name is set on
// MarkAlloc (the object's label) and on lock marks (the lock's name).
type Mark struct {
	Kind MarkKind
	Obj  int
	Name string
}

// Mark records m on the running task's step (only when tracing; outside a
// task, or past the trace limit, nothing is recorded). Repeated accesses
// of one kind to one object in a step are recorded once.
func (s *Sim) Mark(m Mark) {
	if !s.cfg.Trace || s.current == nil || s.entry == 0 {
		return
	}
	st := &s.trace[s.entry-1]
	if m.Kind >= MarkRead && m.Kind <= MarkCall {
		for _, o := range st.Marks {
			if o == m {
				return
			}
		}
	}
	st.Marks = append(st.Marks, m)
}

// Tracing reports whether the execution records a trace.
func (s *Sim) Tracing() bool { return s.cfg.Trace }

// Touch records that the running step touched an object (by name).
func (s *Sim) Touch(obj string) {
	if !s.cfg.Trace || s.current == nil || len(s.trace) == 0 || s.traceFull {
		return
	}
	st := &s.trace[len(s.trace)-1]
	for _, o := range st.Touched {
		if o == obj {
			return
		}
	}
	st.Touched = append(st.Touched, obj)
}

// Note adds a free-form line to the trace (only when tracing).
func (s *Sim) Note(text string) {
	if s.cfg.Trace {
		s.note(text)
	}
}

func (s *Sim) note(text string) {
	s.record(Step{N: s.steps, At: s.now, Task: -1, Label: text})
}

// record appends st to the trace unless it holds Config.TraceLimit
// entries already.
func (s *Sim) record(st Step) {
	if s.cfg.TraceLimit > 0 && len(s.trace) >= s.cfg.TraceLimit {
		s.traceFull = true
		return
	}
	s.trace = append(s.trace, st)
}

// recordStep appends the entry of a task step and remembers it as the one
// Mark adds to.
func (s *Sim) recordStep(st Step) {
	s.entry = 0
	s.record(st)
	if !s.traceFull {
		s.entry = len(s.trace)
	}
}

// TraceTruncated reports whether the trace reached Config.TraceLimit and
// later steps were not recorded.
func (s *Sim) TraceTruncated() bool { return s.traceFull }

// Trace returns the recorded steps.
func (s *Sim) Trace() []Step { return s.trace }

// String renders one step as a trace line.
func (st Step) String() string {
	if st.Task < 0 {
		return fmt.Sprintf("%6d %s  -- %s", st.N, st.At, st.Label)
	}
	line := fmt.Sprintf("%6d %s  [%d %s] %s", st.N, st.At, st.Task, st.TaskName, st.Label)
	if len(st.Touched) > 0 {
		line += "  {" + strings.Join(st.Touched, ", ") + "}"
	}
	return line
}

// RenderTrace renders steps one per line, deterministically.
func RenderTrace(steps []Step) string {
	var b strings.Builder
	for _, st := range steps {
		b.WriteString(st.String())
		b.WriteByte('\n')
	}
	return b.String()
}
