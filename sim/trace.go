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
