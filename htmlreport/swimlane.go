package htmlreport

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/sim"
)

// swimlane is the timeline of one violating execution: rows of steps top
// to bottom, a column for the violating object's life, then a lane per
// task (see lanes.go) with the locks its task holds as bars on its left.
// A step's box grows to the right over the lanes beside it when its label
// needs the room: a row holds one step, so nothing else is there.
type swimlane struct {
	trace []sim.Step
	f     sim.Finding
	// truncated: the trace stopped before the execution's end.
	truncated bool
	// fe is the entry of the finding's step (-1: found outside a step).
	fe     int
	rows   []row
	rowOf  []int // trace index → index in rows (-1: not covered)
	lanes  []lane
	laneOf map[int]int
	// life is the violating object's lifetime (nil: the finding is not a
	// misuse of an object) and misuse what the violating step did to it.
	life   *sim.Lifetime
	misuse sim.MarkKind
	names  map[int]string // object → label
	spans  []sim.LockSpan
	locks  []string // lock names in order of their first bar
	laneW  int
	lanesX int // left edge of the first lane
	width  int
	height int
}

// Geometry of a swimlane, in pixels.
const (
	timeW    = 136
	headerH  = 64
	objW     = 150
	targetW  = 1190
	minLaneW = 90
	maxLaneW = 280
	lockW    = 4
	// cellPad is the room left of a step's box on its lane (lock bars).
	cellPad = 22
	// maxOverflow is how far a step's box may reach past the last lane.
	maxOverflow = 220
)

func newSwimlane(trace []sim.Step, f sim.Finding, truncated bool) *swimlane {
	s := &swimlane{trace: trace, f: f, truncated: truncated, names: map[int]string{}}
	s.fe = sim.FindingEntry(trace, f)
	lives := sim.Lifetimes(trace)
	for _, l := range lives {
		s.names[l.Obj] = l.Name
	}
	var also []int
	if obj, kind, ok := sim.Culprit(trace, s.fe); ok {
		for i := range lives {
			if lives[i].Obj == obj {
				s.life, s.misuse = &lives[i], kind
				also = []int{lives[i].Alloc, lives[i].Free}
			}
		}
	}
	s.rows = selectRows(trace, focus(trace, f, s.fe), s.fe < 0, f, also...)
	y := headerH
	s.rowOf = make([]int, len(trace))
	for i := range s.rowOf {
		s.rowOf[i] = -1
	}
	for i := range s.rows {
		r := &s.rows[i]
		r.y, r.h = y, rowHeights[r.kind]
		y += r.h
		for e := r.from; e >= 0 && e <= r.to; e++ {
			s.rowOf[e] = i
		}
	}
	s.height = y + 10
	s.lanes, s.laneOf = assignLanes(trace, s.rows)
	pinned := []int{}
	for _, e := range append(also, s.fe) {
		if e >= 0 && trace[e].Task >= 0 {
			if k, ok := s.laneOf[trace[e].Task]; ok {
				pinned = append(pinned, k)
			}
		}
	}
	s.lanes, s.laneOf = capLanes(trace, s.rows, s.lanes, s.laneOf, pinned)
	for _, sp := range sim.LockSpans(trace) {
		if _, ok := s.laneOf[sp.Task]; ok && s.rowOf[sp.From] >= 0 {
			s.spans = append(s.spans, sp)
			if !contains(s.locks, sp.Lock) {
				s.locks = append(s.locks, sp.Lock)
			}
		}
	}
	ow := 0
	if s.life != nil {
		ow = objW
	}
	s.lanesX = timeW + ow
	s.fitLanes()
	return s
}

// fitLanes sets the lanes' width and the swimlane's: the lanes share
// targetW, narrower (down to minLaneW) when a step's label would reach
// past it.
func (s *swimlane) fitLanes() {
	s.laneW = min(maxLaneW, max(minLaneW, (targetW-s.lanesX)/max(1, len(s.lanes))))
	for _, r := range s.rows {
		if k := s.laneOf[s.trace[max(0, r.entry)].Task]; r.kind == rowStep && k > 0 {
			need := s.need(r.entry, s.longLabel(r.entry))
			s.laneW = max(minLaneW, min(s.laneW, (targetW-s.lanesX-cellPad-need)/k))
		}
	}
	s.width = s.lanesX + len(s.lanes)*s.laneW
	for _, r := range s.rows {
		if r.kind == rowStep {
			x, wd := s.cell(r.entry, s.longLabel(r.entry))
			s.width = max(s.width, x+wd+4)
		}
	}
	s.width = min(s.width, s.lanesX+len(s.lanes)*s.laneW+maxOverflow) + 6
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// laneX is the left edge of lane k.
func (s *swimlane) laneX(k int) int { return s.lanesX + k*s.laneW }

// span returns the top and bottom of the rows of entries from..to (to -1:
// to the last row).
func (s *swimlane) span(from, to int) (int, int) {
	top := s.rows[s.rowOf[from]]
	last := s.rows[len(s.rows)-1]
	if to >= 0 && s.rowOf[to] >= 0 {
		last = s.rows[s.rowOf[to]]
	}
	return top.y, last.y + last.h
}

// mid is the vertical middle of the row showing entry e, or fallback when
// no row does.
func (s *swimlane) mid(e, fallback int) int {
	if e < 0 || s.rowOf[e] < 0 {
		return fallback
	}
	r := s.rows[s.rowOf[e]]
	return r.y + r.h/2
}

// svg draws the swimlane.
func (s *swimlane) svg() string {
	var w svgWriter
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="swimlane" width="%d" height="%d" viewBox="0 0 %d %d" font-family="monospace" font-size="11">`,
		s.width, s.height, s.width, s.height)
	s.drawHeader(&w)
	for i := range s.rows {
		s.drawRow(&w, &s.rows[i])
	}
	s.drawLocks(&w)
	s.drawSteps(&w)
	if s.life != nil {
		s.drawObject(&w)
	}
	w.WriteString(`</svg>`)
	return w.String()
}

func (s *swimlane) drawHeader(w *svgWriter) {
	w.text(8, 34, `class="col-title" font-weight="bold"`, "step")
	w.text(52, 34, `class="col-title" fill="#555"`, "virtual time")
	for k := range s.lanes {
		l := &s.lanes[k]
		x := s.laneX(k)
		if k%2 == 1 {
			w.rect(x, headerH-4, s.laneW, s.height-headerH-6, `fill="#f7f7f7"`)
		}
		w.line(x, 6, x, s.height-10, `stroke="#ccc"`)
		w.printf(`<g class="lane-title">`)
		w.title(l.title())
		ids := l.title()[:strings.Index(l.title(), "]")+1]
		w.text(x+6, 18, `fill="#555"`, fit("task "+ids, s.laneW-10))
		for i, line := range wrap(l.name, s.laneW-10, 2) {
			w.text(x+6, 34+i*14, `font-weight="bold"`, line)
		}
		w.WriteString(`</g>`)
	}
	if s.life != nil {
		typ, name, _ := strings.Cut(s.life.Name, " \"")
		w.printf(`<g class="obj-title">`)
		w.title("the object the violation is about: " + s.life.Name)
		w.text(timeW+8, 18, `fill="#555"`, "object")
		w.text(timeW+8, 34, `font-weight="bold"`, fit(typ, objW-12))
		w.text(timeW+8, 48, `font-weight="bold"`, fit(strings.TrimSuffix(name, "\""), objW-12))
		w.WriteString(`</g>`)
	}
	w.line(0, headerH-4, s.width, headerH-4, `stroke="#999"`)
}

// drawRow draws the time column of a row and the full-width rows (notes,
// gaps, a violation outside a step).
func (s *swimlane) drawRow(w *svgWriter, r *row) {
	base := r.y + r.h/2 + 4
	left, right := s.lanesX+8, s.width-8
	switch r.kind {
	case rowStep, rowNote:
		st := s.trace[r.entry]
		if r.kind == rowStep {
			w.text(44, base, `text-anchor="end" fill="#555"`, fmt.Sprint(st.N))
		}
		w.text(52, base, `fill="#555"`, st.At.String())
		if r.kind == rowNote {
			attrs := `class="note" fill="#666" font-style="italic"`
			if strings.HasPrefix(st.Label, "inject ") {
				attrs = `class="note inject" fill="#c25400" font-weight="bold"`
			}
			w.printf(`<g>`)
			w.title(st.String())
			w.text(left, base, attrs, fit("— "+st.Label, right-left))
			w.WriteString(`</g>`)
		}
	case rowGap:
		w.line(8, r.y+r.h/2, s.width-10, r.y+r.h/2, `stroke="#bbb" stroke-dasharray="4 3"`)
		tw := textW(r.text) + 12
		w.rect(left, r.y+3, min(tw, right-left), r.h-6, `fill="#fff"`)
		w.text(left+6, base, `class="gap" fill="#777" font-style="italic"`, fit(r.text, right-left-12))
	case rowBug:
		w.rect(timeW+4, r.y+2, s.width-timeW-14, r.h-4, `class="bug-row" fill="#c00" rx="3"`)
		w.text(timeW+10, base, `fill="#fff" font-weight="bold"`, fit(r.text, s.width-timeW-30))
	}
}

// drawLocks draws each lock a task held as a bar on its lane's left, from
// the step that took it to the one that released it.
func (s *swimlane) drawLocks(w *svgWriter) {
	for _, sp := range s.spans {
		top, bot := s.span(sp.From, sp.To)
		x := s.laneX(s.laneOf[sp.Task]) + 4 + min(sp.Depth, 2)*(lockW+2)
		held := "released at step " + fmt.Sprint(s.trace[max(0, sp.To)].N)
		if sp.To < 0 {
			held = "still held at the end of the trace"
		}
		w.printf(`<g class="lock">`)
		w.title(fmt.Sprintf("%s held by task %d: taken at step %d, %s", sp.Lock, sp.Task, s.trace[sp.From].N, held))
		w.rect(x, top+2, lockW, bot-top-4, fmt.Sprintf(`fill="%s" rx="2"`, s.lockColorOf(sp.Lock)))
		w.WriteString(`</g>`)
	}
}

func (s *swimlane) lockColorOf(name string) string {
	for i, l := range s.locks {
		if l == name {
			return lockColor[i%len(lockColor)]
		}
	}
	return lockColor[0]
}
