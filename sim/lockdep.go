package sim

import (
	"fmt"
	"strings"
)

// The kernel-shaped forms of a deadlock finding: lockdep's circular locking
// dependency report (kernel/locking/lockdep.c: print_circular_bug) when
// tasks wait on each other's mutexes, and the hung task report
// (kernel/hung_task.c: check_hung_task) when tasks wait for something
// nothing will provide. Frames carry no code offsets (+0x0/0x0).

const lockdepRule = "======================================================"

// comm is a task's command name as the kernel prints it.
func comm(name string) string {
	if i := strings.IndexAny(name, ": "); i > 0 {
		name = name[:i]
	}
	if len(name) > 15 {
		name = name[:15]
	}
	return name
}

// backtrace writes a task's call chain (innermost first).
func backtrace(b *strings.Builder, t *Task) {
	b.WriteString("Call Trace:\n <TASK>\n")
	for _, f := range t.Stack() {
		fmt.Fprintf(b, " %s+0x0/0x0\n", f)
	}
	b.WriteString(" </TASK>\n")
}

// lockdepReport renders print_circular_bug for a cycle of tasks, each
// holding locks and waiting for the next one's; table is the "possible
// unsafe locking scenario" already drawn.
func lockdepReport(cycle []*Task, table string) string {
	var b strings.Builder
	t := cycle[0]
	fn := "mutex_lock"
	if st := t.Stack(); len(st) > 0 {
		fn = st[0]
	}
	want := t.blockedOn
	if m, ok := t.waitsFor.(*Mutex); ok {
		want = m.Name
	}
	fmt.Fprintf(&b, "%s\nWARNING: possible circular locking dependency detected\n%s\n",
		lockdepRule, strings.Repeat("-", len(lockdepRule)))
	fmt.Fprintf(&b, "%s/%d is trying to acquire lock:\n (%s), at: %s+0x0/0x0\n\n", comm(t.Name), t.ID, want, fn)
	b.WriteString("but task is already holding lock:\n")
	for _, m := range t.held {
		fmt.Fprintf(&b, " (%s)\n", m.Name)
	}
	b.WriteString("\nwhich lock already depends on the new lock.\n\nother info that might help us debug this:\n\n Possible unsafe locking scenario:\n\n")
	b.WriteString(table)
	for _, x := range cycle {
		fmt.Fprintf(&b, "\n%s/%d (pcssim task %q):\n", comm(x.Name), x.ID, x.Name)
		backtrace(&b, x)
	}
	return b.String()
}

// hungTaskReport renders check_hung_task for each task blocked for good.
func hungTaskReport(tasks []*Task, secs int64) string {
	var b strings.Builder
	for _, t := range tasks {
		fmt.Fprintf(&b, "INFO: task %s:%d blocked for more than %d seconds.\n", comm(t.Name), t.ID, secs)
		fmt.Fprintf(&b, "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n")
		fmt.Fprintf(&b, "task:%-15s state:D pid:%d (pcssim task %q, waiting in %s)\n", comm(t.Name), t.ID, t.Name, t.blockedOn)
		backtrace(&b, t)
	}
	return b.String()
}
