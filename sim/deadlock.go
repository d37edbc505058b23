package sim

import (
	"fmt"
	"strings"
)

// checkCycle reports a deadlock if t, just blocked, closes a wait-for cycle.
func (s *Sim) checkCycle(t *Task) {
	cycle := []*Task{t}
	cur := t
	for range len(s.tasks) + 1 {
		if cur.waitsFor == nil {
			return
		}
		o := cur.waitsFor.Holder()
		if o == nil || o.state != Blocked {
			return
		}
		if o == t {
			s.reportDeadlock(cycle, "tasks wait on each other", true)
			return
		}
		cycle = append(cycle, o)
		cur = o
	}
}

// checkStuck reports a deadlock when nothing can run and nothing will
// happen, yet some task is still blocked.
func (s *Sim) checkStuck() {
	var stuck []*Task
	for _, t := range s.tasks {
		if t.state == Blocked {
			stuck = append(stuck, t)
		}
	}
	if len(stuck) > 0 {
		s.reportDeadlock(stuck, "no task can run and no event is pending", false)
	}
}

// checkHung reports, when the horizon ends an execution, the tasks blocked
// (not sleeping) for at least HungAfter: they wait for something no
// remaining event or task provides within the horizon (khungtaskd's view).
func (s *Sim) checkHung() {
	var hung []*Task
	for _, t := range s.tasks {
		if t.state == Blocked && t.blockedOn != sleeping && s.cfg.Horizon-t.blockedAt >= s.cfg.HungAfter {
			hung = append(hung, t)
		}
	}
	if len(hung) > 0 {
		s.reportDeadlock(hung, fmt.Sprintf("blocked for more than %s at the horizon (hung task)", s.cfg.HungAfter), false)
	}
}

// reportDeadlock renders the lockdep-style "possible unsafe scenario" with
// one column per task: what it holds, then what it waits for; the kernel's
// own form is lockdep's circular dependency report for a cycle of tasks,
// the hung task report otherwise.
func (s *Sim) reportDeadlock(tasks []*Task, why string, cycle bool) {
	var names []string
	for _, t := range tasks {
		names = append(names, fmt.Sprintf("%q", t.Name))
	}
	var b strings.Builder
	const w = 34
	row := func(cells []string) {
		var line strings.Builder
		for i, c := range cells {
			if i < len(cells)-1 {
				fmt.Fprintf(&line, "  %-*s", w, c)
			} else {
				fmt.Fprintf(&line, "  %s", c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	head := make([]string, len(tasks))
	rule := make([]string, len(tasks))
	for i, t := range tasks {
		head[i] = fmt.Sprintf("[%d] %s", t.ID, t.Name)
		if len(head[i]) > w {
			head[i] = head[i][:w]
		}
		rule[i] = strings.Repeat("-", min(len(head[i]), w))
	}
	row(head)
	row(rule)
	for i, t := range tasks {
		for _, m := range t.held {
			cells := make([]string, len(tasks))
			cells[i] = "lock(" + m.Name + ");"
			row(cells)
		}
	}
	for i, t := range tasks {
		cells := make([]string, len(tasks))
		cells[i] = t.blockedOn + ";"
		row(cells)
	}
	b.WriteString("\n *** DEADLOCK ***\n")
	summary := "deadlock between " + strings.Join(names, " and ")
	if len(names) == 1 {
		summary = "deadlock: " + names[0] + " waits forever for " + tasks[0].blockedOn
	}
	table := b.String()
	kernel := lockdepReport(tasks, table)
	if !cycle {
		kernel = hungTaskReport(tasks, int64(max(s.cfg.HungAfter, Second)/Second))
	}
	s.Report(Finding{Property: "deadlock", Summary: summary, Detail: why + ":\n" + table, Kernel: kernel})
}
