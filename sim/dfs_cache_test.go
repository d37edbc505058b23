package sim

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// op is one step of a generated task: vars[dst] = (vars[src] + add) % 3,
// or vars[dst] = add when src < 0; with check, a result of 2 violates
// property "p<dst>".
type op struct {
	dst, src, add int
	check         bool
}

// genModel is a small random world: tasks at time 0, named events that
// start more tasks later, and a fault (a trigger with a window) that starts
// one, armed faults times (two: interchangeable twins); every task runs its
// ops with a preemption point between them. With end, an end-of-execution
// check reports property "end" when vars[0] is 1.
type genModel struct {
	vars    int
	initial [][]op
	events  []genEvent
	fault   []op // nil: no fault
	faults  int
	end     bool
}

type genEvent struct {
	at    Time
	tasks [][]op
}

func drawOps(t *rapid.T, vars int, label string) []op {
	n := rapid.IntRange(1, 3).Draw(t, label+" ops")
	out := make([]op, n)
	for i := range out {
		out[i] = op{
			dst:   rapid.IntRange(0, vars-1).Draw(t, label+" dst"),
			src:   rapid.IntRange(-1, vars-1).Draw(t, label+" src"),
			add:   rapid.IntRange(0, 2).Draw(t, label+" add"),
			check: rapid.Bool().Draw(t, label+" check"),
		}
	}
	return out
}

func drawModel(t *rapid.T) genModel {
	m := genModel{vars: rapid.IntRange(1, 3).Draw(t, "vars")}
	for i := range rapid.IntRange(1, 2).Draw(t, "initial tasks") {
		m.initial = append(m.initial, drawOps(t, m.vars, fmt.Sprint("task ", i)))
	}
	for i := range rapid.IntRange(0, 2).Draw(t, "events") {
		e := genEvent{at: Time(i+1) * Millisecond}
		for j := range rapid.IntRange(1, 2).Draw(t, "event tasks") {
			e.tasks = append(e.tasks, drawOps(t, m.vars, fmt.Sprint("event ", i, " task ", j)))
		}
		m.events = append(m.events, e)
	}
	if rapid.Bool().Draw(t, "fault") {
		m.fault = drawOps(t, m.vars, "fault")
		m.faults = rapid.IntRange(1, 2).Draw(t, "fault copies")
	}
	m.end = rapid.Bool().Draw(t, "end check")
	return m
}

// run executes m once under c and returns the final variables, or nil when
// the execution was cut short at a state explored before, and the findings.
// With distinct, the fault copies get different names (no twins).
func (m genModel) run(c Chooser, cached, distinct bool) ([]int, []Finding) {
	s := New(Config{Horizon: 10 * Millisecond}, c)
	vars := make([]int, m.vars)
	if cached {
		s.SetFingerprint(func(h *StateHash) { h.Value(vars) })
	}
	spawn := func(ops []op) {
		s.Spawn("task", func(t *Task) {
			for i, o := range ops {
				if i > 0 {
					t.Yield("op")
				}
				v := o.add
				if o.src >= 0 {
					v = (vars[o.src] + o.add) % 3
				}
				vars[o.dst] = v
				if o.check && v == 2 {
					s.Report(Finding{Property: fmt.Sprint("p", o.dst)})
				}
			}
		})
	}
	for _, ops := range m.initial {
		spawn(ops)
	}
	for i, e := range m.events {
		s.AtNamed(e.at, fmt.Sprint("event ", i), func() {
			for _, ops := range e.tasks {
				spawn(ops)
			}
		})
	}
	for i := range m.faults {
		name := "fault"
		if distinct {
			name = fmt.Sprint("fault ", i)
		}
		s.Arm(name, 0, 5*Millisecond, func() { spawn(m.fault) })
	}
	if s.Run() == EndPruned {
		return nil, s.Findings()
	}
	if m.end && vars[0] == 1 {
		s.Report(Finding{Property: "end"})
	}
	return vars, s.Findings()
}

// TestDFSStateCacheProperty checks dfs's cache bookkeeping on random small
// worlds: with caching, dfs covers exactly the schedules of the plain search
// (each pruned subtree counted by the size of the one it repeats) in no
// more executions, the executions that ran to the end reach exactly the
// final states the plain search reaches, and each property is violated in
// exactly as many schedules — those a search without caching or symmetry
// reduction (the fault copies named apart) counts one by one, violations
// found by the end-of-execution check included.
func TestDFSStateCacheProperty(t *testing.T) {
	skipped, carried, cases, big := 0, 0, 0, 0
	rapid.Check(t, func(t *rapid.T) {
		m := drawModel(t)
		bound := rapid.IntRange(0, 2).Draw(t, "preemptions")
		const limit = 20000
		search := func(cached, distinct bool) (*DFS, []string, map[string]int) {
			d := NewDFS(bound)
			d.NoCache = !cached
			var ends []string
			counted := map[string]int{} // by hand, from each execution
			for d.Next() {
				v, fs := m.run(d.Chooser(), cached, distinct)
				w := d.Done(fs)
				if v != nil {
					ends = append(ends, fmt.Sprint(v))
				}
				for _, f := range fs {
					counted[f.Property]++
				}
				for p, n := range w.Violated {
					if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Property == p }) {
						carried += n // counted from the cached subtree only
					}
				}
				if d.Runs() > limit {
					break
				}
			}
			slices.Sort(ends)
			return d, slices.Compact(ends), counted
		}
		brute, bruteEnds, want := search(false, true)
		if !brute.Exhausted() {
			big++ // two fault copies named apart multiply the space
			return
		}
		if brute.Unreduced() != brute.Runs() {
			t.Fatalf("no reduction: %d runs covering %d schedules", brute.Runs(), brute.Unreduced())
		}
		if diff := cmp.Diff(want, brute.Violated()); diff != "" {
			t.Fatalf("no reduction: Violated differs from the findings (-counted +Violated):\n%s", diff)
		}
		plain, _, _ := search(false, false)
		cached, cachedEnds, _ := search(true, false)
		if cached.Unreduced() != brute.Runs() || plain.Unreduced() != brute.Runs() || cached.Runs() > plain.Runs() {
			t.Fatalf("cached: %d runs covering %d schedules; plain: %d runs covering %d; without reduction: %d runs",
				cached.Runs(), cached.Unreduced(), plain.Runs(), plain.Unreduced(), brute.Runs())
		}
		if diff := cmp.Diff(bruteEnds, cachedEnds); diff != "" {
			t.Fatalf("final states differ (-plain +cached):\n%s", diff)
		}
		if diff := cmp.Diff(want, plain.Violated()); diff != "" {
			t.Fatalf("symmetry reduction changed the counts (-unreduced +reduced):\n%s", diff)
		}
		if diff := cmp.Diff(want, cached.Violated()); diff != "" {
			t.Fatalf("state caching changed the counts (-unreduced +cached):\n%s", diff)
		}
		_, n := cached.Pruned()
		skipped += n
		cases++
	})
	if big > cases/2 || skipped == 0 || carried == 0 {
		t.Fatalf("in %d worlds (%d more too large) caching skipped %d schedules and carried %d violations: the property says little", cases, big, skipped, carried)
	}
	t.Logf("%d worlds (%d more too large), %d schedules skipped by caching, %d violations carried from cached subtrees", cases, big, skipped, carried)
}

// endCheckWorld is a world whose second half is reached on several paths:
// tasks a and b run at time 0 and, in whatever order, leave the same state
// at rest; b reports "a first" on the paths where a started before it
// (the first path: by default a runs first), a reports "b first" on the
// others. At
// 1ms task c starts (two steps), and a fault may fire in [1ms, 2ms]; the
// end-of-execution check reports "end" when the fault's task ran between
// c's two steps. With state caching, the rest of every path but the first
// is cut short at the state after a and b: "end" is found only in the
// executions of the first, and the others must carry it.
func endCheckWorld(c Chooser) (*Sim, []Finding) {
	s := New(Config{Horizon: 10 * Millisecond}, c)
	var w struct{ aStarted, bStarted, cHalf, cDone, torn bool }
	s.SetFingerprint(func(h *StateHash) { h.Value(&w) })
	s.Spawn("a", func(t *Task) {
		if w.bStarted {
			s.Report(Finding{Property: "b first"})
		}
		w.aStarted = true
		t.Yield("second")
	})
	s.Spawn("b", func(t *Task) {
		if w.aStarted {
			s.Report(Finding{Property: "a first"})
		}
		w.bStarted = true
		t.Yield("second")
	})
	s.AtNamed(Millisecond, "start c", func() {
		s.Spawn("c", func(t *Task) {
			w.cHalf = true
			t.Yield("second")
			w.cDone = true
		})
	})
	s.Arm("fault", Millisecond, 2*Millisecond, func() {
		s.Spawn("f", func(t *Task) { w.torn = w.torn || (w.cHalf && !w.cDone) })
	})
	if s.Run() != EndPruned && w.torn {
		s.Report(Finding{Property: "end"})
	}
	return s, s.Findings()
}

// TestDFSCountsCarriedByCachedStates: per-property schedule counts of dfs
// are the same with and without state caching on endCheckWorld, where
// "end" is only found after the cached state (each execution cut short
// there stands for the cached subtree's count) and "b first" only before
// it (an execution cut short after it counts it in all the schedules it
// stands for, although the cached subtree never violated it), and "a
// first" is found on the path that is cached (an execution cut short
// without it on its own path does not count it).
func TestDFSCountsCarriedByCachedStates(t *testing.T) {
	type counts struct {
		Schedules int
		Violated  map[string]int
	}
	for _, bound := range []int{1, 2} { // the race needs one preemption
		search := func(cached bool) (counts, *DFS, []Weight) {
			d := NewDFS(bound)
			d.NoCache = !cached
			var cut []Weight // weights of the executions cut short
			for d.Next() {
				s, fs := endCheckWorld(d.Chooser())
				if w := d.Done(fs); s.EndReason() == EndPruned {
					cut = append(cut, w)
				}
			}
			return counts{d.Unreduced(), d.Violated()}, d, cut
		}
		plain, pd, _ := search(false)
		cached, cd, cut := search(true)
		if diff := cmp.Diff(plain, cached); diff != "" {
			t.Errorf("bound %d: state caching changed the counts (-plain +cached):\n%s", bound, diff)
		}
		if plain.Violated["end"] == 0 || plain.Violated["end"] == plain.Schedules {
			t.Errorf("bound %d: end violated in %d of %d schedules: the world does not test the carried count", bound, plain.Violated["end"], plain.Schedules)
		}
		carriedEnd, fullPrefix := false, false
		for _, w := range cut {
			carriedEnd = carriedEnd || (w.Violated["end"] > 0 && w.Violated["end"] < w.Schedules)
			fullPrefix = fullPrefix || (w.Schedules > 1 && w.Violated["b first"] == w.Schedules)
		}
		if !carriedEnd || !fullPrefix {
			t.Errorf("bound %d: %d executions cut short; one carrying a share of end: %v, one counting b first in all its schedules: %v",
				bound, len(cut), carriedEnd, fullPrefix)
		}
		t.Logf("bound %d: %d schedules, %v; %d executions without caching, %d with", bound, plain.Schedules, plain.Violated, pd.Runs(), cd.Runs())
	}
}
