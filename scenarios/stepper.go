package scenarios

import (
	"fmt"
	"iter"
	"strings"

	"github.com/pcssim/pcssim/sim"
)

// Stepper runs one execution of a scenario under a script: the caller makes
// every scheduling decision ("run this task until it is about to call that
// kernel function", "inject this fault now", "let the rest run"), so a race
// can be written down step by step and read as a specification. The
// execution runs as a coroutine that stops at each decision; only one side
// runs at a time.
type Stepper struct {
	sc       *Scenario
	strategy string
	s        *sim.Sim
	next     func() (struct{}, bool)
	stop     func()
	yield    func(struct{}) bool
	cands    []sim.Candidate // the pending decision
	answer   int
	done     bool
	result   Result
	err      error
	shown    int // trace entries already returned
}

// NewStepper starts an execution of sc under strategy and runs it up to its
// first scheduling decision.
func NewStepper(sc *Scenario, strategy string) *Stepper {
	st := &Stepper{sc: sc, strategy: strategy}
	st.next, st.stop = iter.Pull(func(yield func(struct{}) bool) {
		st.yield = yield
		st.result, st.err = execute(sc, strategy, st, Trace|Scripted, execOptions{started: func(s *sim.Sim) { st.s = s }})
		st.done = true
	})
	st.next()
	return st
}

// Choose implements sim.Chooser: data decisions take the first answer.
func (st *Stepper) Choose(n int, label string) int { return 0 }

// Pick implements sim.Chooser: it hands the decision to the script.
func (st *Stepper) Pick(cands []sim.Candidate, step int) int {
	st.cands = cands
	if !st.yield(struct{}{}) {
		panic("scenarios: stepper stopped")
	}
	return st.answer
}

// Done reports whether the execution has ended.
func (st *Stepper) Done() bool { return st.done }

// Result returns the execution's result once Done.
func (st *Stepper) Result() (Result, error) { return st.result, st.err }

// Close abandons an unfinished execution.
func (st *Stepper) Close() { st.stop() }

// Candidates describes the pending decision, one candidate per line.
func (st *Stepper) Candidates() string {
	if st.done {
		return "execution ended\n"
	}
	var b strings.Builder
	for _, c := range st.cands {
		switch {
		case c.ID == sim.AdvanceID:
			fmt.Fprintf(&b, "  %s\n", c.Name)
		case c.Label == "":
			fmt.Fprintf(&b, "  inject %s\n", c.Name)
		default:
			fmt.Fprintf(&b, "  [%s] next: %s\n", c.Name, c.Label)
		}
	}
	return b.String()
}

// decide answers the pending decision with candidate i and runs the
// execution to its next decision.
func (st *Stepper) decide(i int) {
	st.answer = i
	st.next()
}

// find returns the index of the candidate whose name contains every
// comma-separated part of sub and is a task (task true) or a fault, or -1.
func (st *Stepper) find(sub string, task bool) int {
	for i, c := range st.cands {
		isTask := c.Label != ""
		if isTask != task || c.ID == sim.AdvanceID {
			continue
		}
		all := true
		for _, part := range strings.Split(sub, ",") {
			all = all && strings.Contains(c.Name, part)
		}
		if all {
			return i
		}
	}
	return -1
}

// fallback is the default choice: the task that ran last if it can go on,
// else the first task, else letting time advance (faults never fire by
// default).
func (st *Stepper) fallback() int {
	first, advance := -1, -1
	for i, c := range st.cands {
		switch {
		case c.Last:
			return i
		case c.ID == sim.AdvanceID:
			advance = i
		case c.Label != "" && first < 0:
			first = i
		}
	}
	if first >= 0 {
		return first
	}
	return advance
}

// maxScriptSteps bounds one command so a script that waits for something
// that never happens ends with an error instead of hanging.
const maxScriptSteps = 100_000

// Run runs task (a substring of its name) whenever it can run, and the
// default choice otherwise, until the task is about to run a step whose
// label contains until (and, with after > 0, virtual time has reached
// after). until "" runs until the task is gone.
func (st *Stepper) Run(task, until string, after sim.Time) error {
	seen := false
	for range maxScriptSteps {
		if st.done {
			if until == "" && seen {
				return nil
			}
			return fmt.Errorf("execution ended before %q reached %q", task, until)
		}
		i := st.find(task, true)
		if i >= 0 {
			seen = true
			if until != "" && strings.Contains(st.cands[i].Label, until) && st.s.Now() >= after {
				return nil
			}
			st.decide(i)
			continue
		}
		if seen && until == "" {
			return nil // the task has finished (or blocked for good)
		}
		st.decide(st.fallback())
	}
	return fmt.Errorf("%q did not reach %q within %d steps", task, until, maxScriptSteps)
}

// Inject fires the pending fault whose name contains fault.
func (st *Stepper) Inject(fault string) error {
	if st.done {
		return fmt.Errorf("execution ended")
	}
	i := st.find(fault, false)
	if i < 0 {
		return fmt.Errorf("no fault %q can fire now; candidates:\n%s", fault, st.Candidates())
	}
	st.decide(i)
	return nil
}

// Step runs n decisions: task when it can run (task "" or absent: the
// default choice).
func (st *Stepper) Step(task string, n int) {
	for range n {
		if st.done {
			return
		}
		i := -1
		if task != "" {
			i = st.find(task, true)
		}
		if i < 0 {
			i = st.fallback()
		}
		st.decide(i)
	}
}

// Finish runs the rest of the execution with default choices.
func (st *Stepper) Finish() error {
	for range maxScriptSteps {
		if st.done {
			return nil
		}
		st.decide(st.fallback())
	}
	return fmt.Errorf("execution did not end within %d steps", maxScriptSteps)
}

// NewTrace returns the trace lines recorded since the last call.
func (st *Stepper) NewTrace() string {
	tr := st.s.Trace()
	if st.done {
		tr = st.result.Trace
	}
	out := sim.RenderTrace(tr[min(st.shown, len(tr)):])
	st.shown = len(tr)
	return out
}
