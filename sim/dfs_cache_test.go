package sim

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// op is one step of a generated task: vars[dst] = (vars[src] + add) % 3,
// or vars[dst] = add when src < 0.
type op struct{ dst, src, add int }

// genModel is a small random world: tasks at time 0, named events that
// start more tasks later, and a fault (a trigger with a window) that starts
// one; every task runs its ops with a preemption point between them.
type genModel struct {
	vars    int
	initial [][]op
	events  []genEvent
	fault   []op // nil: no fault
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
			dst: rapid.IntRange(0, vars-1).Draw(t, label+" dst"),
			src: rapid.IntRange(-1, vars-1).Draw(t, label+" src"),
			add: rapid.IntRange(0, 2).Draw(t, label+" add"),
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
	}
	return m
}

// run executes m once under c and returns the final variables, or nil when
// the execution was cut short at a state explored before.
func (m genModel) run(c Chooser, cached bool) []int {
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
	if m.fault != nil {
		s.Arm("fault", 0, 5*Millisecond, func() { spawn(m.fault) })
	}
	if s.Run() == EndPruned {
		return nil
	}
	return vars
}

// TestDFSStateCacheProperty checks dfs's cache bookkeeping on random small
// worlds: with caching, dfs covers exactly the schedules of the plain search
// (each pruned subtree counted by the size of the one it repeats) in no
// more executions, and the executions that ran to the end reach exactly
// the final states the plain search reaches.
func TestDFSStateCacheProperty(t *testing.T) {
	skipped, cases := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		m := drawModel(t)
		bound := rapid.IntRange(0, 2).Draw(t, "preemptions")
		search := func(cached bool) (*DFS, []string) {
			d := NewDFS(bound)
			d.NoCache = !cached
			var ends []string
			for d.Next() {
				if v := m.run(d.Chooser(), cached); v != nil {
					ends = append(ends, fmt.Sprint(v))
				}
				if d.Runs() > 100000 {
					t.Fatal("search does not end")
				}
			}
			slices.Sort(ends)
			return d, slices.Compact(ends)
		}
		plain, plainEnds := search(false)
		cached, cachedEnds := search(true)
		if cached.Unreduced() != plain.Runs() || cached.Runs() > plain.Runs() {
			t.Fatalf("cached: %d runs covering %d schedules; plain: %d runs", cached.Runs(), cached.Unreduced(), plain.Runs())
		}
		if diff := cmp.Diff(plainEnds, cachedEnds); diff != "" {
			t.Fatalf("final states differ (-plain +cached):\n%s", diff)
		}
		_, n := cached.Pruned()
		skipped += n
		cases++
	})
	if skipped == 0 {
		t.Fatalf("in %d worlds caching never skipped a schedule: the property says nothing", cases)
	}
	t.Logf("%d worlds, %d schedules skipped by caching", cases, skipped)
}
