package htmlreport

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pcssim/pcssim/sim"
)

// lane is one column of a swimlane: a task, or successive tasks of the
// same name that never overlap (the kworker running one phylink_resolve
// after another, a periodic timer), as a kernel thread runs one work item
// after the next.
type lane struct {
	name  string
	tasks []int
	// end is the last trace index of the lane's latest task.
	end int
}

// title names the lane with its task numbers, e.g.
// "[4, 7, 9] kworker: phylink_resolve eth0".
func (l *lane) title() string {
	ids := make([]string, len(l.tasks))
	for i, t := range l.tasks {
		ids[i] = fmt.Sprint(t)
	}
	return "[" + strings.Join(ids, ", ") + "] " + l.name
}

// assignLanes gives each task with a step among rows a lane, in order of
// its first step shown; laneOf maps a task to its lane's index.
func assignLanes(trace []sim.Step, rows []row) ([]lane, map[int]int) {
	first, last := map[int]int{}, map[int]int{}
	for i, st := range trace {
		if st.Task < 0 {
			continue
		}
		if _, ok := first[st.Task]; !ok {
			first[st.Task] = i
		}
		last[st.Task] = i
	}
	var lanes []lane
	laneOf := map[int]int{}
	for _, r := range rows {
		if r.kind != rowStep {
			continue
		}
		t := trace[r.entry].Task
		if _, ok := laneOf[t]; ok {
			continue
		}
		k := -1
		for j := range lanes {
			if lanes[j].name == trace[r.entry].TaskName && lanes[j].end < first[t] {
				k = j
				break
			}
		}
		if k < 0 {
			k = len(lanes)
			lanes = append(lanes, lane{name: trace[r.entry].TaskName})
		}
		lanes[k].tasks = append(lanes[k].tasks, t)
		lanes[k].end = last[t]
		laneOf[t] = k
	}
	return lanes, laneOf
}

// maxLanes bounds the lanes of a swimlane: past it the lanes with the
// fewest steps shown share one lane, "other tasks" (a swimlane as wide as
// a screen stays readable).
const maxLanes = 7

// otherLane names the lane of the folded tasks.
const otherLane = "other tasks"

// capLanes folds lanes into an "other tasks" lane when there are more than
// maxLanes: it keeps the pinned lanes and then those with the most steps
// among rows, in their order, and returns the lanes and the task → lane
// map anew.
func capLanes(trace []sim.Step, rows []row, lanes []lane, laneOf map[int]int, pinned []int) ([]lane, map[int]int) {
	if len(lanes) <= maxLanes {
		return lanes, laneOf
	}
	steps := make([]int, len(lanes))
	for _, r := range rows {
		if r.kind == rowStep {
			steps[laneOf[trace[r.entry].Task]]++
		}
	}
	keep := make([]bool, len(lanes))
	kept := 0
	for _, k := range pinned {
		if k >= 0 && !keep[k] && kept < maxLanes-1 {
			keep[k] = true
			kept++
		}
	}
	for kept < maxLanes-1 {
		best := -1
		for k := range lanes {
			if !keep[k] && (best < 0 || steps[k] > steps[best]) {
				best = k
			}
		}
		keep[best] = true
		kept++
	}
	var out []lane
	other := lane{name: otherLane}
	newOf := map[int]int{}
	for k := range lanes {
		if keep[k] {
			for _, t := range lanes[k].tasks {
				newOf[t] = len(out)
			}
			out = append(out, lanes[k])
		} else {
			other.tasks = append(other.tasks, lanes[k].tasks...)
		}
	}
	for _, t := range other.tasks {
		newOf[t] = len(out)
	}
	slices.Sort(other.tasks)
	return append(out, other), newOf
}
