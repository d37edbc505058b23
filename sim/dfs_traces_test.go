package sim

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// The tests here check partial-order reduction against its definition:
// every Mazurkiewicz trace (the order of each pair of dependent steps)
// that the plain bounded search runs, the reduced one runs too. They use
// tiny worlds of tasks whose steps read and write named objects, and
// faults that do the same, so that dependence is exactly what the
// footprints say.

// traceStep is one step of a toy world: the objects it reads and writes.
type traceStep struct{ r, w []string }

// traceEvent is a step as it ran: its name, its task ("" for a fault).
type traceEvent struct {
	name, task string
	step       traceStep
}

// traceLog records an execution's steps and their footprints.
type traceLog struct {
	s   *Sim
	evs []traceEvent
}

func (l *traceLog) run(task, name string, st traceStep) {
	for _, x := range st.r {
		l.s.Footprint("obj", x, false)
	}
	for _, x := range st.w {
		l.s.Footprint("obj", x, true)
	}
	l.evs = append(l.evs, traceEvent{name, task, st})
}

func dependentSteps(a, b traceEvent) bool {
	if a.task != "" && a.task == b.task {
		return true
	}
	conflict := func(x, y traceStep) bool {
		return slices.ContainsFunc(x.w, func(o string) bool { return slices.Contains(y.r, o) || slices.Contains(y.w, o) })
	}
	return conflict(a.step, b.step) || conflict(b.step, a.step)
}

// trace names the execution's Mazurkiewicz trace: the ordered dependent
// pairs.
func (l *traceLog) trace() string {
	var ps []string
	for i := range l.evs {
		for j := i + 1; j < len(l.evs); j++ {
			if dependentSteps(l.evs[i], l.evs[j]) {
				ps = append(ps, l.evs[i].name+"<"+l.evs[j].name)
			}
		}
	}
	slices.Sort(ps)
	return strings.Join(ps, ",")
}

func (l *traceLog) order() string {
	var o []string
	for _, e := range l.evs {
		o = append(o, e.name)
	}
	return strings.Join(o, " ")
}

// traceWorld is a toy world: tasks of steps (a task yields between its
// steps) and faults armed over the whole execution.
type traceWorld struct {
	tasks  [][]traceStep
	faults []traceStep
}

func (w traceWorld) run(c Chooser) *traceLog {
	s := New(Config{Horizon: Second}, c)
	l := &traceLog{s: s}
	for i, steps := range w.tasks {
		name := string(rune('A' + i))
		s.Spawn(name, func(t *Task) {
			for j, st := range steps {
				if j > 0 {
					t.Yield("step")
				}
				l.run(name, fmt.Sprintf("%s%d", name, j), st)
			}
		})
	}
	for i, f := range w.faults {
		name := fmt.Sprintf("F%d", i)
		s.Arm(name, 0, Second, func() { l.run("", name, f) })
	}
	s.Run()
	return l
}

// lostTraces runs the plain and the reduced search (no state caching)
// with the given bound and returns an example schedule of each trace the
// reduced one missed.
func lostTraces(w traceWorld, bound int) []string {
	var sets [2]map[string]string
	for i, reduce := range []bool{false, true} {
		sets[i] = map[string]string{}
		d := NewDFS(bound)
		d.Reduce, d.NoCache = reduce, true
		for d.Next() {
			l := w.run(d.Chooser())
			d.Done(nil)
			sets[i][l.trace()] = l.order()
		}
	}
	var lost []string
	for k, o := range sets[0] {
		if _, ok := sets[1][k]; !ok {
			lost = append(lost, o)
		}
	}
	slices.Sort(lost)
	return lost
}

// TestDFSReductionKeepsTracesExamples: worlds where moving a sleeping step
// back over a fault changes what the fault, or the first task step after
// it, costs (found in review; each lost a trace within the bound).
func TestDFSReductionKeepsTracesExamples(t *testing.T) {
	R := func(objs ...string) []string { return objs }
	worlds := map[string]traceWorld{
		// After a half-asleep step, a fault must stay allowed.
		"fault after half-asleep step": {tasks: [][]traceStep{
			{{w: R("o")}, {r: R("o", "q")}},
			{{r: R("o")}, {r: R("o"), w: R("q")}},
			{{r: R("o")}, {r: R("o", "q")}},
		}, faults: []traceStep{{w: R("o")}}},
		// A sibling that is a fault is no preemption of the sleeping
		// step's task: the task step after it would become one.
		"fault as the sibling": {tasks: [][]traceStep{
			{{w: R("s", "r")}, {r: R("s"), w: R("q")}, {r: R("u")}},
			{{w: R("r")}, {r: R("u")}},
			{{r: R("r", "q"), w: R("u")}},
		}, faults: []traceStep{{w: R("s")}}},
		// After a step that ends its task, faults fired next were free.
		"faults after an ending step": {tasks: [][]traceStep{
			{{w: R("o")}, {r: R("o"), w: R("q")}},
			{{r: R("o")}},
			{{r: R("o")}, {r: R("q")}},
		}, faults: []traceStep{{w: R("o")}}},
	}
	for name, w := range worlds {
		for bound := range 5 {
			if lost := lostTraces(w, bound); len(lost) > 0 {
				t.Errorf("%s, bound %d: the reduced search lost %d traces, e.g. %s", name, bound, len(lost), lost[0])
			}
		}
	}
}

// TestDFSReductionKeepsTraces: the same on rapid-generated toy worlds (two
// or three tasks of one to three steps, up to two faults, three objects),
// bounds 0 to 3.
func TestDFSReductionKeepsTraces(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		objs := []string{"x", "y", "z"}
		step := func(label string) traceStep {
			var s traceStep
			for _, o := range objs {
				switch rapid.IntRange(0, 3).Draw(rt, label+" "+o) {
				case 0:
					s.r = append(s.r, o)
				case 1:
					s.w = append(s.w, o)
				}
			}
			return s
		}
		var w traceWorld
		for i := range rapid.IntRange(2, 3).Draw(rt, "tasks") {
			var steps []traceStep
			for j := range rapid.IntRange(1, 3).Draw(rt, "steps") {
				steps = append(steps, step(fmt.Sprintf("task %d step %d", i, j)))
			}
			w.tasks = append(w.tasks, steps)
		}
		for i := range rapid.IntRange(0, 2).Draw(rt, "faults") {
			w.faults = append(w.faults, step(fmt.Sprintf("fault %d", i)))
		}
		for bound := range 4 {
			if lost := lostTraces(w, bound); len(lost) > 0 {
				rt.Fatalf("bound %d: the reduced search lost %d traces, e.g. %s", bound, len(lost), lost[0])
			}
		}
	})
}
