package sim

import "fmt"

// DFS is bounded exhaustive exploration in the style of CHESS (Musuvathi
// and Qadeer, PLDI 2007): executions are re-run from the start, each with a
// forced prefix of answers followed by the non-preemptive default (keep
// running the task that ran last; else the first candidate; data questions
// answer 0), and every alternative at every decision is explored in turn
// as long as the schedule has at most Bound preemptions. A preemption is
// choosing any other candidate (a task or an injected fault) while the task
// that ran last is still runnable; switches after a task blocks or ends,
// firing a fault while nothing runs, and data answers are free.
//
// Use it as a loop: for d.Next() { run an execution with d.Chooser() }.
type DFS struct {
	// Bound is the preemption bound.
	Bound int
	stack []dfsDecision
	depth int
	runs  int
	done  bool
}

// dfsDecision is one decision of the current path.
type dfsDecision struct {
	n    int // options
	last int // index of the task that ran last if runnable, else -1
	pos  int // position in the exploration order (0: the default)
	pre  int // preemptions before this decision
}

// NewDFS returns a DFS explorer with the given preemption bound.
func NewDFS(bound int) *DFS { return &DFS{Bound: bound} }

// Next prepares the next execution; it returns false once every schedule
// within the bound has been run.
func (d *DFS) Next() bool {
	if d.runs > 0 && !d.backtrack() {
		d.done = true
	}
	if d.done {
		return false
	}
	d.runs++
	d.depth = 0
	return true
}

// Runs returns the number of executions started.
func (d *DFS) Runs() int { return d.runs }

// Exhausted reports whether the bounded space has been fully explored.
func (d *DFS) Exhausted() bool { return d.done }

// Chooser returns the chooser of the current execution.
func (d *DFS) Chooser() Chooser { return (*dfsChooser)(d) }

// answer maps an exploration position to an option: the default first,
// then the others in index order.
func (x dfsDecision) answer(pos int) int {
	def := max(x.last, 0)
	if pos == 0 {
		return def
	}
	if pos <= def {
		return pos - 1
	}
	return pos
}

func (x dfsDecision) cost(ans int) int {
	if x.last >= 0 && ans != x.last {
		return 1
	}
	return 0
}

// backtrack moves to the deepest decision with an untried alternative
// within the bound and cuts the path there.
func (d *DFS) backtrack() bool {
	for i := len(d.stack) - 1; i >= 0; i-- {
		x := &d.stack[i]
		for p := x.pos + 1; p < x.n; p++ {
			if x.pre+x.cost(x.answer(p)) <= d.Bound {
				x.pos = p
				d.stack = d.stack[:i+1]
				return true
			}
		}
	}
	d.stack = d.stack[:0]
	return false
}

// decide answers the next decision with n options.
func (d *DFS) decide(n, last int) int {
	k := d.depth
	d.depth++
	if k < len(d.stack) {
		x := d.stack[k]
		if x.n != n || x.last != last {
			panic(fmt.Sprintf("sim: dfs: execution is not deterministic at decision %d (%d/%d options)", k, x.n, n))
		}
		return x.answer(x.pos)
	}
	pre := 0
	if k > 0 {
		p := d.stack[k-1]
		pre = p.pre + p.cost(p.answer(p.pos))
	}
	d.stack = append(d.stack, dfsDecision{n: n, last: last, pre: pre})
	return d.stack[k].answer(0)
}

// dfsChooser is the Chooser view of a DFS.
type dfsChooser DFS

// Choose implements Chooser: a free branch.
func (c *dfsChooser) Choose(n int, label string) int { return (*DFS)(c).decide(n, -1) }

// Pick implements Chooser.
func (c *dfsChooser) Pick(cands []Candidate, step int) int {
	last := -1
	for i, x := range cands {
		if x.Last {
			last = i
		}
	}
	return (*DFS)(c).decide(len(cands), last)
}
