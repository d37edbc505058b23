package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// chromeEvent is one Chrome Trace Event Format entry.
type chromeEvent struct {
	Name string            `json:"name"`
	Ph   string            `json:"ph"`
	Ts   float64           `json:"ts"`
	Dur  float64           `json:"dur,omitempty"`
	Pid  int               `json:"pid"`
	Tid  int               `json:"tid"`
	S    string            `json:"s,omitempty"`
	Args map[string]string `json:"args,omitempty"`
}

// Processes of the Chrome trace: the tasks (thread 0 carries the notes:
// injected faults, data choices; task N is thread N+1) and the heap
// objects' lifetimes (one thread per object, objectTid plus its heap ID,
// apart from every task's thread: a trace holds at most
// scenarios.MaxTraceSteps entries, so fewer tasks).
const (
	tasksPid   = 1
	objectsPid = 2
	notesTid   = 0
	objectTid  = 1 << 24
)

// chromeTrace renders steps as Chrome Trace Event JSON (Perfetto opens
// it): one track per task, one complete event per step, instant events for
// notes, for allocations and frees and a BUG instant per finding; one
// track per object with its life (allocation to free, then freed to the
// end). Every process and thread is named.
func chromeTrace(sc *scenarios.Scenario, st string, steps []sim.Step, findings []sim.Finding) []byte {
	ts := func(t sim.Time) float64 { return float64(t) / 1000 }
	meta := func(name string, pid, tid int, value string) chromeEvent {
		return chromeEvent{Name: name, Ph: "M", Pid: pid, Tid: tid, Args: map[string]string{"name": value}}
	}
	ev := []chromeEvent{
		meta("process_name", tasksPid, notesTid, fmt.Sprintf("pcssim %s (%s, kernel %s): tasks", sc.Name, st, sc.Kernel)),
		meta("thread_name", tasksPid, notesTid, "events: injected faults, choices, notes"),
	}
	lives := sim.Lifetimes(steps)
	names := map[int]string{}
	for _, l := range lives {
		names[l.Obj] = l.Name
	}
	named := map[int]bool{}
	for _, s := range steps {
		if s.Task < 0 {
			ev = append(ev, chromeEvent{Name: s.Label, Ph: "i", Ts: ts(s.At), Pid: tasksPid, Tid: notesTid, S: "g"})
			continue
		}
		tid := s.Task + 1
		if !named[s.Task] {
			named[s.Task] = true
			ev = append(ev, meta("thread_name", tasksPid, tid, fmt.Sprintf("[%d] %s", s.Task, s.TaskName)))
		}
		e := chromeEvent{Name: s.Label, Ph: "X", Ts: ts(s.At), Dur: 1, Pid: tasksPid, Tid: tid, Args: map[string]string{"step": fmt.Sprint(s.N)}}
		if len(s.Touched) > 0 {
			e.Args["touched"] = strings.Join(s.Touched, ", ")
		}
		ev = append(ev, e)
		for _, m := range s.Marks {
			if m.Kind == sim.MarkAlloc || m.Kind == sim.MarkFree {
				ev = append(ev, chromeEvent{Name: markVerb(m.Kind) + " " + names[m.Obj], Ph: "i", Ts: ts(s.At), Pid: tasksPid, Tid: tid, S: "t",
					Args: map[string]string{"object": names[m.Obj], "step": fmt.Sprint(s.N)}})
			}
		}
	}
	ev = append(ev, objectTracks(steps, lives, ts, meta)...)
	for _, f := range findings {
		tid := notesTid
		if e := sim.FindingEntry(steps, f); e >= 0 {
			tid = steps[e].Task + 1
		}
		ev = append(ev, chromeEvent{Name: f.Title(), Ph: "i", Ts: ts(f.At), Pid: tasksPid, Tid: tid, S: "g",
			Args: map[string]string{"property": f.Property, "summary": f.Summary, "step": fmt.Sprint(f.Step)}})
	}
	out, _ := json.MarshalIndent(map[string]any{"traceEvents": ev, "displayTimeUnit": "ns"}, "", " ")
	return out
}

// objectTracks returns the lifetime track of each object: its name, a
// "live" slice from allocation to free, a "freed" slice from the free to
// the end of the trace, and a BUG instant at each access to it after the
// free.
func objectTracks(steps []sim.Step, lives []sim.Lifetime, ts func(sim.Time) float64, meta func(string, int, int, string) chromeEvent) []chromeEvent {
	if len(lives) == 0 || len(steps) == 0 {
		return nil
	}
	end := ts(steps[len(steps)-1].At) + 1
	ev := []chromeEvent{meta("process_name", objectsPid, objectTid, "objects: heap lifetimes (allocation to free)")}
	for _, l := range lives {
		name := l.Name
		if name == "" {
			name = fmt.Sprintf("object %d", l.Obj)
		}
		tid := objectTid + l.Obj
		ev = append(ev, meta("thread_name", objectsPid, tid, name))
		from := 0.0
		if l.Alloc >= 0 {
			from = ts(steps[l.Alloc].At)
		}
		to := end
		if l.Free >= 0 {
			to = ts(steps[l.Free].At) + 1
		}
		ev = append(ev, chromeEvent{Name: "live", Ph: "X", Ts: from, Dur: max(to-from, 1), Pid: objectsPid, Tid: tid})
		if l.Free >= 0 {
			ev = append(ev, chromeEvent{Name: "freed", Ph: "X", Ts: to, Dur: max(end-to, 1), Pid: objectsPid, Tid: tid})
		}
		for _, e := range l.Accesses {
			if l.Free >= 0 && e > l.Free {
				ev = append(ev, chromeEvent{Name: "BUG: access after free", Ph: "i", Ts: ts(steps[e].At), Pid: objectsPid, Tid: tid, S: "t",
					Args: map[string]string{"step": fmt.Sprint(steps[e].N), "task": fmt.Sprintf("[%d] %s", steps[e].Task, steps[e].TaskName)}})
			}
		}
	}
	return ev
}

// markVerb names an object mark in exports.
func markVerb(k sim.MarkKind) string {
	if k == sim.MarkFree {
		return "kfree"
	}
	return k.String()
}

// mermaid renders the steps that touched objects as a Mermaid sequence
// diagram: one participant per task, notes for injected faults, for the
// allocation and free of objects and for each finding (BUG).
func mermaid(sc *scenarios.Scenario, steps []sim.Step, findings []sim.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "```mermaid\nsequenceDiagram\n    title %s\n", sc.Name)
	ids := map[int]string{}
	var order []int
	for _, s := range steps {
		if s.Task >= 0 && ids[s.Task] == "" {
			ids[s.Task] = fmt.Sprintf("T%d", s.Task)
			order = append(order, s.Task)
		}
	}
	sort.Ints(order)
	objs := map[string]bool{}
	for _, s := range steps {
		for _, o := range s.Touched {
			objs[o] = true
		}
	}
	for _, t := range order {
		name := ""
		for _, s := range steps {
			if s.Task == t {
				name = s.TaskName
				break
			}
		}
		fmt.Fprintf(&b, "    participant %s as %s\n", ids[t], quoteMermaid(fmt.Sprintf("[%d] %s", t, name)))
	}
	var onames []string
	for o := range objs {
		onames = append(onames, o)
	}
	sort.Strings(onames)
	oid := map[string]string{}
	for i, o := range onames {
		oid[o] = fmt.Sprintf("O%d", i)
		fmt.Fprintf(&b, "    participant %s as %s\n", oid[o], quoteMermaid(o))
	}
	names := map[int]string{}
	for _, l := range sim.Lifetimes(steps) {
		names[l.Obj] = l.Name
	}
	// bugs[i] are the findings shown after entry i (-1: at the end).
	bugs := map[int][]sim.Finding{}
	for _, f := range findings {
		bugs[sim.FindingEntry(steps, f)] = append(bugs[sim.FindingEntry(steps, f)], f)
	}
	note := func(task int, text string) {
		over := "T0"
		if id, ok := ids[task]; ok {
			over = id
		} else if len(order) > 0 {
			over = ids[order[0]]
		}
		if len(order) > 0 {
			fmt.Fprintf(&b, "    Note over %s: %s\n", over, quoteMermaid(text))
		}
	}
	for i, s := range steps {
		if s.Task < 0 {
			note(-1, fmt.Sprintf("t=%s %s", s.At, s.Label))
			continue
		}
		for _, o := range s.Touched {
			fmt.Fprintf(&b, "    %s->>%s: %s\n", ids[s.Task], oid[o], quoteMermaid(s.Label))
		}
		for _, m := range s.Marks {
			if m.Kind == sim.MarkAlloc || m.Kind == sim.MarkFree {
				note(s.Task, fmt.Sprintf("%s %s (step %d)", markVerb(m.Kind), names[m.Obj], s.N))
			}
		}
		for _, f := range bugs[i] {
			note(s.Task, fmt.Sprintf("%s (step %d)", f.Title(), s.N))
		}
	}
	for _, f := range bugs[-1] {
		note(-1, fmt.Sprintf("t=%s %s", f.At, f.Title()))
	}
	b.WriteString("```\n")
	return b.String()
}

func quoteMermaid(s string) string {
	return strings.NewReplacer(";", ",", "#", "", ":", " ", "\n", " ", `"`, "'").Replace(s)
}
