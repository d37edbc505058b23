package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// marksOf lists the marks of the trace entries of task name, step by step.
func marksOf(trace []Step, name string) [][]Mark {
	var out [][]Mark
	for _, st := range trace {
		if st.TaskName == name {
			out = append(out, st.Marks)
		}
	}
	return out
}

// TestMarksRecordLocksAndObjects: a traced step carries the locks its task
// took and released and the object marks model code made in it, repeated
// accesses once; an untraced execution records none.
func TestMarksRecordLocksAndObjects(t *testing.T) {
	for _, traced := range []bool{true, false} {
		s := New(Config{Horizon: Second, Trace: traced}, NewRandom(1))
		m := NewMutex("rtnl_mutex")
		s.Spawn("a", func(tk *Task) {
			s.Mark(Mark{Kind: MarkAlloc, Obj: 1, Name: `struct x "x0"`})
			m.Lock(tk)
			s.Mark(Mark{Kind: MarkRead, Obj: 1})
			s.Mark(Mark{Kind: MarkRead, Obj: 1})
			s.Mark(Mark{Kind: MarkWrite, Obj: 1})
			m.Unlock(tk)
			s.Mark(Mark{Kind: MarkFree, Obj: 1})
		})
		s.At(Millisecond, func() { s.Mark(Mark{Kind: MarkFree, Obj: 2}) }) // event context: not recorded
		s.Run()
		var want [][]Mark
		if traced {
			want = [][]Mark{
				{{Kind: MarkAlloc, Obj: 1, Name: `struct x "x0"`}},
				{{Kind: MarkLock, Name: "rtnl_mutex"}, {Kind: MarkRead, Obj: 1}, {Kind: MarkWrite, Obj: 1},
					{Kind: MarkUnlock, Name: "rtnl_mutex"}, {Kind: MarkFree, Obj: 1}},
			}
		} else if len(s.Trace()) != 0 {
			t.Fatalf("untraced execution has a trace: %v", s.Trace())
		}
		if diff := cmp.Diff(want, marksOf(s.Trace(), "a")); diff != "" {
			t.Errorf("traced %v: marks (-want +got):\n%s", traced, diff)
		}
	}
}

// TestMarkPastTraceLimit: once the trace is full, marks are dropped
// rather than added to the last recorded step.
func TestMarkPastTraceLimit(t *testing.T) {
	s := New(Config{Horizon: Second, Trace: true, TraceLimit: 1}, NewRandom(1))
	s.Spawn("a", func(tk *Task) {
		tk.Yield("second")
		s.Mark(Mark{Kind: MarkFree, Obj: 1})
	})
	s.Run()
	if len(s.Trace()) != 1 || len(s.Trace()[0].Marks) != 0 {
		t.Fatalf("trace %+v: want one entry without marks", s.Trace())
	}
}

func TestMarkKindString(t *testing.T) {
	got := []string{MarkAlloc.String(), MarkFree.String(), MarkCall.String(), MarkUnlock.String(), MarkKind(0).String()}
	if diff := cmp.Diff([]string{"alloc", "free", "call", "unlock", "mark"}, got); diff != "" {
		t.Error(diff)
	}
}
