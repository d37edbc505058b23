package htmlreport

import (
	"fmt"

	"github.com/pcssim/pcssim/sim"
)

// Which trace entries a swimlane shows. A short trace is shown whole up to
// a few entries past the violation; a long one shows the entries before
// the violation and those around the violating object's allocation and
// free, and folds the rest into gap rows that say what they hide. Virtual
// time is not drawn to scale: the kernel's bursts last microseconds and
// the pauses between them seconds, so rows follow the order of the steps
// and a gap row says how far virtual time moved.

// Window bounds.
const (
	// showAll: a trace of at most this many entries up to the violation is
	// shown whole.
	showAll = 80
	// before and after: entries shown before and after the violation.
	before, after = 48, 6
	// around: entries shown on each side of the object's alloc and free.
	around = 2
	// idleGap: a pause of virtual time longer than this between two shown
	// entries gets a gap row.
	idleGap = 50 * sim.Microsecond
)

// rowKind says what a swimlane row shows.
type rowKind uint8

const (
	rowStep rowKind = iota // a task step
	rowNote                // a note (an injected fault, a data choice)
	rowGap                 // entries not shown, or idle time
	rowBug                 // a violation found outside a task step
)

// row is one row of a swimlane.
type row struct {
	kind rowKind
	// entry is the trace index of a step or note row (-1 otherwise);
	// from and to (inclusive) are the entries a gap row hides (-1: an idle
	// gap, which hides none).
	entry    int
	from, to int
	text     string
	y, h     int
}

// rowHeights by kind.
var rowHeights = [...]int{rowStep: 22, rowNote: 20, rowGap: 22, rowBug: 24}

// focus is the trace index the violation is shown at: its step's entry,
// or for a finding made outside a step the last entry before it (-1: none).
func focus(trace []sim.Step, f sim.Finding, fe int) int {
	if fe >= 0 {
		return fe
	}
	last := -1
	for i, st := range trace {
		if st.N < f.Step || (st.N == f.Step && st.At <= f.At) {
			last = i
		}
	}
	return last
}

// selectRows returns the rows of the swimlane of trace around entry at
// (the violation's; bug: found outside a step, shown as its own row after
// it), keeping the entries in keepAlso (-1 ignored) and their neighbours.
func selectRows(trace []sim.Step, at int, bug bool, f sim.Finding, keepAlso ...int) []row {
	last := min(len(trace)-1, at+after)
	if at < 0 {
		last = min(len(trace)-1, showAll-1)
	}
	keep := make([]bool, last+1)
	if last+1 <= showAll {
		for i := range keep {
			keep[i] = true
		}
	} else {
		mark := func(lo, hi int) {
			for i := max(0, lo); i <= min(last, hi); i++ {
				keep[i] = true
			}
		}
		mark(at-before, last)
		for _, k := range keepAlso {
			if k >= 0 {
				mark(k-around, k+around)
			}
		}
	}
	var rows []row
	hidden, hiddenFrom := 0, 0
	prevAt := sim.Time(-1)
	flush := func(i int) {
		if hidden > 0 {
			a, b := trace[hiddenFrom], trace[i-1]
			rows = append(rows, row{kind: rowGap, entry: -1, from: hiddenFrom, to: i - 1,
				text: fmt.Sprintf("⋯ %d entries not shown (steps %d–%d, t=%s–%s)", hidden, a.N, b.N, a.At, b.At)})
			prevAt, hidden = b.At, 0
		}
	}
	for i := 0; i <= last; i++ {
		if !keep[i] {
			if hidden == 0 {
				hiddenFrom = i
			}
			hidden++
			continue
		}
		flush(i)
		st := trace[i]
		if prevAt >= 0 && st.At-prevAt > idleGap {
			rows = append(rows, row{kind: rowGap, entry: -1, from: -1, to: -1, text: fmt.Sprintf("virtual time +%s", st.At-prevAt)})
		}
		prevAt = st.At
		k := rowStep
		if st.Task < 0 {
			k = rowNote
		}
		rows = append(rows, row{kind: k, entry: i, from: i, to: i})
		if bug && i == at {
			rows = append(rows, row{kind: rowBug, entry: -1, from: -1, to: -1, text: fmt.Sprintf("BUG at t=%s (after step %d): %s", f.At, f.Step, f.Summary)})
		}
	}
	if bug && at < 0 {
		rows = append(rows, row{kind: rowBug, entry: -1, from: -1, to: -1, text: fmt.Sprintf("BUG at t=%s (step %d): %s", f.At, f.Step, f.Summary)})
	}
	if n := len(trace) - 1 - last; n > 0 {
		rows = append(rows, row{kind: rowGap, entry: -1, from: last + 1, to: len(trace) - 1,
			text: fmt.Sprintf("⋯ %d more entries to step %d, t=%s", n, trace[len(trace)-1].N, trace[len(trace)-1].At)})
	}
	return rows
}
