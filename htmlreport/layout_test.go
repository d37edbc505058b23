package htmlreport

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/sim"
)

// longTrace is n steps of three tasks one µs apart, but for a pause of a
// second before entry pause; entry alloc allocates object 1, free frees
// it and use reads it.
func longTrace(n, alloc, free, use, pause int) []sim.Step {
	var tr []sim.Step
	at := sim.Time(0)
	for i := range n {
		if i == pause {
			at += sim.Second
		}
		st := sim.Step{N: i + 1, At: at, Task: i % 3, TaskName: fmt.Sprintf("task%d", i%3), Label: "step"}
		switch i {
		case alloc:
			st.Marks = []sim.Mark{{Kind: sim.MarkAlloc, Obj: 1, Name: `struct x "x0"`}}
		case free:
			st.Marks = []sim.Mark{{Kind: sim.MarkFree, Obj: 1}}
		case use:
			st.Marks = []sim.Mark{{Kind: sim.MarkRead, Obj: 1}}
		}
		tr = append(tr, st)
		at += sim.Microsecond
	}
	return tr
}

// shown lists the entries that rows show and the texts of gap and BUG rows.
func shown(rows []row) ([]int, []string) {
	var entries []int
	var texts []string
	for _, r := range rows {
		if r.entry >= 0 {
			entries = append(entries, r.entry)
		} else {
			texts = append(texts, r.text)
		}
	}
	return entries, texts
}

func span(lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

// TestSelectRowsLongTrace: a long trace shows the entries before the
// violation and a few after, those around the object's allocation and
// free, and says what it hides and where virtual time paused.
func TestSelectRowsLongTrace(t *testing.T) {
	tr := longTrace(300, 10, 150, 250, 230)
	f := sim.Finding{Step: 251, At: tr[250].At}
	rows := selectRows(tr, 250, false, f, 10, 150)
	entries, texts := shown(rows)
	want := append(append(span(8, 12), span(148, 152)...), span(250-before, 250+after)...)
	if diff := cmp.Diff(want, entries); diff != "" {
		t.Errorf("entries shown (-want +got):\n%s", diff)
	}
	wantTexts := []string{
		"⋯ 8 entries not shown (steps 1–8, t=0.000000s–0.000007s)",
		"⋯ 135 entries not shown (steps 14–148, t=0.000013s–0.000147s)",
		"⋯ 49 entries not shown (steps 154–202, t=0.000153s–0.000201s)",
		"virtual time +1.000001s",
		"⋯ 43 more entries to step 300, t=1.000299s",
	}
	if diff := cmp.Diff(wantTexts, texts); diff != "" {
		t.Errorf("gap rows (-want +got):\n%s", diff)
	}
}

// TestSelectRowsShortTrace: a short trace is shown whole, with a gap row
// where virtual time paused; a finding made outside a step gets its own
// row after the last entry before it.
func TestSelectRowsShortTrace(t *testing.T) {
	tr := longTrace(20, 2, 5, 9, 12)
	f := sim.Finding{Step: 20, At: tr[19].At + 5*sim.Microsecond, Summary: "leak of x"}
	at := focus(tr, f, sim.FindingEntry(tr, f))
	entries, texts := shown(selectRows(tr, at, true, f))
	if diff := cmp.Diff(span(0, 19), entries); diff != "" {
		t.Errorf("entries shown (-want +got):\n%s", diff)
	}
	want := []string{"virtual time +1.000001s", "BUG at t=1.000024s (after step 20): leak of x"}
	if diff := cmp.Diff(want, texts); diff != "" {
		t.Errorf("gap and BUG rows (-want +got):\n%s", diff)
	}
}

// TestAssignLanes: tasks of one name share a lane when they do not
// overlap; overlapping ones get their own.
func TestAssignLanes(t *testing.T) {
	steps := []struct {
		task int
		name string
	}{{0, "init"}, {1, "kworker"}, {1, "kworker"}, {2, "kworker"}, {3, "kworker"}, {2, "kworker"}, {3, "kworker"}, {4, "kworker"}}
	var tr []sim.Step
	var rows []row
	for i, s := range steps {
		tr = append(tr, sim.Step{N: i + 1, Task: s.task, TaskName: s.name})
		rows = append(rows, row{kind: rowStep, entry: i})
	}
	lanes, laneOf := assignLanes(tr, rows)
	var titles []string
	for i := range lanes {
		titles = append(titles, lanes[i].title())
	}
	if diff := cmp.Diff([]string{"[0] init", "[1, 2, 4] kworker", "[3] kworker"}, titles); diff != "" {
		t.Errorf("lanes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[int]int{0: 0, 1: 1, 2: 1, 3: 2, 4: 1}, laneOf); diff != "" {
		t.Errorf("task → lane (-want +got):\n%s", diff)
	}
}

// TestCapLanes: past maxLanes, the lanes with the fewest steps shown fold
// into "other tasks", except the pinned ones (the violating task's).
func TestCapLanes(t *testing.T) {
	var tr []sim.Step
	var rows []row
	for task := range 10 {
		for range task + 1 { // task k has k+1 steps
			tr = append(tr, sim.Step{N: len(tr) + 1, Task: task, TaskName: fmt.Sprintf("t%d", task)})
			rows = append(rows, row{kind: rowStep, entry: len(tr) - 1})
		}
	}
	lanes, laneOf := assignLanes(tr, rows)
	lanes, laneOf = capLanes(tr, rows, lanes, laneOf, []int{0})
	var names []string
	for _, l := range lanes {
		names = append(names, l.name)
	}
	want := []string{"t0", "t5", "t6", "t7", "t8", "t9", otherLane}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("lanes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4}, lanes[len(lanes)-1].tasks); diff != "" {
		t.Errorf("other tasks (-want +got):\n%s", diff)
	}
	for task := range 10 {
		if k, ok := laneOf[task]; !ok || k >= len(lanes) {
			t.Errorf("task %d has lane %d (ok %v) of %d", task, k, ok, len(lanes))
		}
	}
}

// TestSwimlaneOfLongTrace: a long trace's swimlane stays within the page
// width and draws the violating step once.
func TestSwimlaneOfLongTrace(t *testing.T) {
	tr := longTrace(300, 10, 150, 250, 230)
	s := newSwimlane(tr, sim.Finding{Step: 251, At: tr[250].At, Property: "use-after-free"}, false)
	out := s.svg()
	if s.width > targetW+maxOverflow {
		t.Errorf("width %d", s.width)
	}
	if n := strings.Count(out, `class="step bug"`); n != 1 {
		t.Errorf("%d violating steps, want 1", n)
	}
	if !strings.Contains(s.caption(), "allocated at step 11, freed at step 151, then the read after free at step 251") {
		t.Errorf("caption: %s", s.caption())
	}
}

func TestCellStyle(t *testing.T) {
	if got := cellStyle(0, 10); got != "" {
		t.Errorf("no violation: style %q, want none", got)
	}
	rare, all := string(cellStyle(1, 100)), string(cellStyle(100, 100))
	if rare == all || !strings.Contains(all, "color:#fff") || strings.Contains(rare, "color:#fff") {
		t.Errorf("1 of 100: %q; 100 of 100: %q", rare, all)
	}
}

func TestFitAndWrap(t *testing.T) {
	if got := fit("mutex_lock(rtnl_mutex)", 70); got != "mutex_loc…" {
		t.Errorf("fit = %q", got)
	}
	if got := fit("short", 200); got != "short" {
		t.Errorf("fit = %q", got)
	}
	got := wrap("kworker: phylink_resolve eth0", 100, 2)
	if diff := cmp.Diff([]string{"kworker:", "phylink_resol…"}, got); diff != "" {
		t.Errorf("wrap (-want +got):\n%s", diff)
	}
}
