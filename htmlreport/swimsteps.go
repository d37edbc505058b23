package htmlreport

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/sim"
)

// badge is a tag drawn at the right end of a step: what the step did to
// the violating object, or that it is the violating step.
type badge struct{ text, color string }

// Badge colours.
const (
	allocColor = "#2e7d32"
	freeColor  = "#333333"
	bugColor   = "#cc0000"
)

// badges returns the tags of entry e.
func (s *swimlane) badges(e int) []badge {
	var out []badge
	if s.life != nil {
		for _, m := range s.trace[e].Marks {
			switch {
			case m.Obj != s.life.Obj:
			case m.Kind == sim.MarkAlloc:
				out = append(out, badge{"alloc", allocColor})
			case m.Kind == sim.MarkFree && e != s.fe:
				out = append(out, badge{"kfree", freeColor})
			}
		}
	}
	if e == s.fe {
		out = append(out, badge{"BUG", bugColor})
	}
	return out
}

// drawSteps draws each task step in its lane, the violating one in red,
// and links the steps that allocated, freed and misused the object to its
// column.
func (s *swimlane) drawSteps(w *svgWriter) {
	prev := map[int]int{} // lane → task of its previous step shown
	for _, r := range s.rows {
		if r.kind != rowStep {
			continue
		}
		st := s.trace[r.entry]
		k := s.laneOf[st.Task]
		label := st.Label
		if t, ok := prev[k]; !ok || t != st.Task {
			label = s.longLabel(r.entry)
		}
		prev[k] = st.Task
		x, wd := s.cell(r.entry, label)
		wd = min(wd, s.width-6-x)
		bugStep := r.entry == s.fe
		class, fill, stroke := "step", laneFill[k%len(laneFill)], `stroke="#9aa"`
		if bugStep {
			class, fill, stroke = "step bug", "#ffd6d6", `stroke="#c00" stroke-width="2"`
		}
		w.printf(`<g class="%s" data-step="%d">`, class, st.N)
		w.title(s.tooltip(st))
		bs := s.badges(r.entry)
		if s.life != nil && len(bs) > 0 {
			c := bs[len(bs)-1].color
			w.line(s.lanesX-4, r.y+r.h/2, x, r.y+r.h/2, fmt.Sprintf(`stroke="%s" stroke-dasharray="3 2"`, c))
		}
		w.rect(x, r.y+2, wd, r.h-4, fmt.Sprintf(`fill="%s" %s rx="4"`, fill, stroke))
		bx := x + wd - 3
		for i := len(bs) - 1; i >= 0; i-- {
			bw := textW(bs[i].text) + 8
			bx -= bw + 2
			w.rect(bx, r.y+5, bw, r.h-10, fmt.Sprintf(`class="badge" fill="%s" rx="3"`, bs[i].color))
			w.text(bx+4, r.y+r.h/2+4, `fill="#fff" font-weight="bold"`, bs[i].text)
		}
		attrs := `fill="#111"`
		if bugStep {
			attrs = `fill="#900" font-weight="bold"`
		}
		w.text(x+5, r.y+r.h/2+4, attrs, fit(label, bx-x-7))
		w.WriteString(`</g>`)
	}
}

// tooltip describes a step in full: number, time, task, label, objects
// touched and what it did to objects and locks.
func (s *swimlane) tooltip(st sim.Step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %d at t=%s\ntask %d: %s\n%s", st.N, st.At, st.Task, st.TaskName, st.Label)
	if len(st.Touched) > 0 {
		fmt.Fprintf(&b, "\ntouched: %s", strings.Join(st.Touched, ", "))
	}
	for _, m := range st.Marks {
		name := m.Name
		if m.Obj != 0 {
			name = s.names[m.Obj]
		}
		fmt.Fprintf(&b, "\n%s %s", m.Kind, name)
	}
	return b.String()
}

// cell returns the left edge and width of the box of the step of entry e
// labelled label: its lane's width, or what the label and badges need.
func (s *swimlane) cell(e int, label string) (int, int) {
	return s.laneX(s.laneOf[s.trace[e].Task]) + cellPad, max(s.laneW-cellPad-4, s.need(e, label))
}

// longLabel is the label of the step of entry e as the first step of its
// task in its lane shows it: with the task's number, and its name in the
// lane of other tasks.
func (s *swimlane) longLabel(e int) string {
	st := s.trace[e]
	if s.lanes[s.laneOf[st.Task]].name == otherLane {
		return fmt.Sprintf("[%d] %s: %s", st.Task, st.TaskName, st.Label)
	}
	return fmt.Sprintf("[%d] %s", st.Task, st.Label)
}

// need is the width the label and badges of the step of entry e take.
func (s *swimlane) need(e int, label string) int {
	n := textW(label) + 14
	for _, b := range s.badges(e) {
		n += textW(b.text) + 10
	}
	return n
}

// misuseWord says what the violating step did to the freed object.
func misuseWord(k sim.MarkKind) string {
	if k == sim.MarkFree {
		return "double free"
	}
	return k.String() + " after free"
}

// drawObject draws the violating object's life: a green bar from its
// allocation to its free, a red dashed one after, a dot per access shown
// and a red mark at the violating access.
func (s *swimlane) drawObject(w *svgWriter) {
	l := s.life
	top, bottom := s.rows[0].y, s.rows[len(s.rows)-1].y+s.rows[len(s.rows)-1].h
	bx, bw, tx := timeW+16, 12, timeW+36
	allocY := s.mid(l.Alloc, top)
	freeY := bottom
	if l.Free >= 0 {
		freeY = s.mid(l.Free, bottom)
	}
	w.printf(`<g class="life">`)
	w.title(fmt.Sprintf("%s: allocated at step %d, freed at step %d", l.Name, s.stepN(l.Alloc), s.stepN(l.Free)))
	w.rect(bx, allocY, bw, max(1, freeY-allocY), `fill="#a5d6a7" stroke="#2e7d32"`)
	w.WriteString(`</g>`)
	if l.Free >= 0 {
		w.rect(bx, freeY, bw, max(1, bottom-freeY), `class="freed" fill="#fde0e0" stroke="#c00" stroke-dasharray="3 2"`)
		w.text(tx, freeY+4, `class="mark free" fill="#333" font-weight="bold"`, "kfree")
	}
	if l.Alloc >= 0 && s.rowOf[l.Alloc] >= 0 {
		w.text(tx, allocY+4, `class="mark alloc" fill="#2e7d32" font-weight="bold"`, "alloc")
	}
	for _, e := range l.Accesses {
		if e == s.fe || s.rowOf[e] < 0 || s.rows[s.rowOf[e]].entry != e {
			continue
		}
		w.printf(`<circle class="access" cx="%d" cy="%d" r="3" fill="#1f4e79">`, bx+bw/2, s.mid(e, 0))
		w.title(fmt.Sprintf("step %d: task %d %s uses %s", s.trace[e].N, s.trace[e].Task, s.trace[e].TaskName, l.Name))
		w.WriteString(`</circle>`)
	}
	if s.fe >= 0 {
		y := s.mid(s.fe, bottom)
		w.printf(`<g class="mark bug-access">`)
		w.title(fmt.Sprintf("step %d: %s of %s by task %d", s.trace[s.fe].N, misuseWord(s.misuse), l.Name, s.trace[s.fe].Task))
		w.printf(`<circle cx="%d" cy="%d" r="7" fill="#c00" stroke="#fff" stroke-width="2"/>`, bx+bw/2, y)
		w.text(tx, y+4, `fill="#c00" font-weight="bold"`, misuseWord(s.misuse))
		w.WriteString(`</g>`)
	}
}

// stepN is the step number of entry e (0 when e is -1).
func (s *swimlane) stepN(e int) int {
	if e < 0 {
		return 0
	}
	return s.trace[e].N
}

// legendItem is a lock and the colour of its bars.
type legendItem struct{ Name, Color string }

func (s *swimlane) legend() []legendItem {
	var out []legendItem
	for _, l := range s.locks {
		out = append(out, legendItem{l, s.lockColorOf(l)})
	}
	return out
}

// caption explains what the swimlane shows of the execution.
func (s *swimlane) caption() string {
	shown := 0
	for _, r := range s.rows {
		if r.entry >= 0 {
			shown++
		}
	}
	c := fmt.Sprintf("%d of %d trace entries shown, in step order (not to scale: gap rows say how far virtual time moved); %d lanes.", shown, len(s.trace), len(s.lanes))
	if s.life != nil {
		c += fmt.Sprintf(" Left of the lanes: the life of %s, allocated at step %d, freed at step %d, then the %s at step %d.",
			s.life.Name, s.stepN(s.life.Alloc), s.stepN(s.life.Free), misuseWord(s.misuse), s.trace[s.fe].N)
	}
	if s.truncated {
		c += " The trace stops before the execution's end (docs/limits.md)."
	}
	return c
}
