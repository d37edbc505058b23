package sim

// What a trace's marks say about objects and locks: the lifetimes and lock
// spans the trace exports and the HTML report draw, and the access a
// finding is about. Positions are indices into the trace.

// Lifetime is one object's life in a trace: the entries that allocated
// and first freed it (-1: not in the trace) and those that accessed it.
type Lifetime struct {
	Obj         int
	Name        string
	Alloc, Free int
	Accesses    []int
}

// Lifetimes returns the objects the trace's marks name, in the order they
// first appear.
func Lifetimes(trace []Step) []Lifetime {
	var out []Lifetime
	at := map[int]int{} // object → index in out
	for i, st := range trace {
		for _, m := range st.Marks {
			if m.Obj == 0 || m.Kind == MarkLock || m.Kind == MarkUnlock {
				continue
			}
			k, ok := at[m.Obj]
			if !ok {
				k = len(out)
				at[m.Obj] = k
				out = append(out, Lifetime{Obj: m.Obj, Alloc: -1, Free: -1})
			}
			l := &out[k]
			switch m.Kind {
			case MarkAlloc:
				l.Alloc, l.Name = i, m.Name
			case MarkFree:
				if l.Free < 0 {
					l.Free = i
				}
			default:
				if n := len(l.Accesses); n == 0 || l.Accesses[n-1] != i {
					l.Accesses = append(l.Accesses, i)
				}
			}
		}
	}
	return out
}

// FindingEntry returns the index of the trace entry of the task step in
// which f was reported, or -1 when f was reported outside a task step (an
// end-of-execution check, an event) or past the trace.
func FindingEntry(trace []Step, f Finding) int {
	for i := len(trace) - 1; i >= 0; i-- {
		st := trace[i]
		if st.N < f.Step {
			break
		}
		if st.N == f.Step && st.Task >= 0 && st.At == f.At {
			return i
		}
	}
	return -1
}

// Culprit returns the object that the step of entry misused, and the kind
// of the misuse: an access to it or a free of it after it was freed (a use
// after free, a double free). ok is false when the step misused none.
func Culprit(trace []Step, entry int) (obj int, kind MarkKind, ok bool) {
	if entry < 0 || entry >= len(trace) {
		return 0, 0, false
	}
	freed := map[int]bool{}
	for i := 0; i <= entry; i++ {
		for _, m := range trace[i].Marks {
			if m.Obj == 0 {
				continue
			}
			if i == entry && freed[m.Obj] && m.Kind != MarkAlloc {
				return m.Obj, m.Kind, true
			}
			if m.Kind == MarkFree {
				freed[m.Obj] = true
			}
		}
	}
	return 0, 0, false
}

// LockSpan is a lock held by a task from the entry that took it to the
// one that released it (To -1: still held at the end of the trace).
// Depth is the number of locks the task held when it took this one.
type LockSpan struct {
	Task     int
	Lock     string
	From, To int
	Depth    int
}

// LockSpans returns the lock spans of the trace, in the order the locks
// were taken.
func LockSpans(trace []Step) []LockSpan {
	var out []LockSpan
	open := map[int][]int{} // task → indices in out of the locks it holds
	for i, st := range trace {
		for _, m := range st.Marks {
			switch m.Kind {
			case MarkLock:
				open[st.Task] = append(open[st.Task], len(out))
				out = append(out, LockSpan{Task: st.Task, Lock: m.Name, From: i, To: -1, Depth: len(open[st.Task]) - 1})
			case MarkUnlock:
				held := open[st.Task]
				for j := len(held) - 1; j >= 0; j-- {
					if out[held[j]].Lock == m.Name {
						out[held[j]].To = i
						open[st.Task] = append(held[:j], held[j+1:]...)
						break
					}
				}
			}
		}
	}
	return out
}
