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

// chromeTrace renders steps as Chrome Trace Event JSON: one track per task,
// one complete event per step, instant events for notes.
func chromeTrace(steps []sim.Step) []byte {
	var ev []chromeEvent
	named := map[int]bool{}
	for _, s := range steps {
		ts := float64(s.At) / 1000
		if s.Task < 0 {
			ev = append(ev, chromeEvent{Name: s.Label, Ph: "i", Ts: ts, Pid: 1, Tid: 0, S: "g"})
			continue
		}
		if !named[s.Task] {
			named[s.Task] = true
			ev = append(ev, chromeEvent{Name: "thread_name", Ph: "M", Pid: 1, Tid: s.Task + 1,
				Args: map[string]string{"name": fmt.Sprintf("[%d] %s", s.Task, s.TaskName)}})
		}
		e := chromeEvent{Name: s.Label, Ph: "X", Ts: ts, Dur: 1, Pid: 1, Tid: s.Task + 1}
		if len(s.Touched) > 0 {
			e.Args = map[string]string{"touched": strings.Join(s.Touched, ", "), "step": fmt.Sprint(s.N)}
		}
		ev = append(ev, e)
	}
	out, _ := json.MarshalIndent(map[string]any{"traceEvents": ev, "displayTimeUnit": "ns"}, "", " ")
	return out
}

// mermaid renders the steps that touched objects as a Mermaid sequence
// diagram: one participant per task, notes for injected faults.
func mermaid(sc *scenarios.Scenario, steps []sim.Step) string {
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
	for _, s := range steps {
		if s.Task < 0 {
			if len(order) > 0 {
				fmt.Fprintf(&b, "    Note over %s: t=%s %s\n", ids[order[0]], s.At, quoteMermaid(s.Label))
			}
			continue
		}
		for _, o := range s.Touched {
			fmt.Fprintf(&b, "    %s->>%s: %s\n", ids[s.Task], oid[o], quoteMermaid(s.Label))
		}
	}
	b.WriteString("```\n")
	return b.String()
}

func quoteMermaid(s string) string {
	return strings.NewReplacer(";", ",", "#", "", ":", " ", "\n", " ").Replace(s)
}
