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
// Symmetry reduction: faults with the same Key (same name and window) are
// interchangeable, so of several such candidates at a decision only the
// first is explored; the subtree of each skipped one is isomorphic to its
// twin's, whose size is counted as "virtual" runs. Unreduced reports the
// size of the full bounded tree, so the saving is visible.
//
// State caching: at every point where no task is alive the engine offers
// the state's fingerprint (see Resting). The rest of an execution depends
// only on that state and on the preemptions left, so when a state is met
// again with the same number of preemptions left after its first subtree
// was fully explored, the execution ends there and the subtree's size is
// counted as virtual runs. Only states reached past the replayed prefix
// are hashed.
//
// Use it as a loop: for d.Next() { run an execution with d.Chooser() }.
// The chooser implements Resting.
type DFS struct {
	// Bound is the preemption bound.
	Bound   int
	stack   []dfsDecision
	depth   int
	runs    int
	virtual int
	done    bool
	// NoCache turns state caching off.
	NoCache bool
	replay  int // decisions replayed from the previous execution
	cache   map[cacheKey]int
	pending []pendingState
	pruned  int
	// unhashable counts task-free points whose state could not be hashed.
	unhashable int
	// cached counts the virtual runs that state caching stands for.
	cached int
}

// cacheKey is a state with the preemptions left to spend from it.
type cacheKey struct {
	state StateKey
	left  int
}

// pendingState is a state whose subtree is being explored: it began at
// decision depth, when Unreduced was start+1.
type pendingState struct {
	key   cacheKey
	depth int
	start int
}

// dfsDecision is one decision of the current path.
type dfsDecision struct {
	n    int // options
	last int // index of the task that ran last if runnable, else -1
	pos  int // position in the exploration order (0: the default)
	pre  int // preemptions before this decision
	// twin[i] is the first earlier option interchangeable with option i,
	// or -1; nil when the decision has no such pair. sizes[i] is the size
	// of option i's subtree, and start the run count when the current
	// option began (both kept only when twin is set).
	twin  []int
	sizes []int
	start int
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
	d.replay = len(d.stack)
	return true
}

// States returns the number of distinct states (with the preemptions left
// from them) met at task-free points.
func (d *DFS) States() int { return len(d.cache) }

// Unhashable returns the number of task-free points (past the replayed
// prefix) whose state could not be hashed, so nothing was cached there.
func (d *DFS) Unhashable() int { return d.unhashable }

// Pruned returns the number of executions ended at a state explored
// before, and the number of schedules they stood for beyond themselves.
func (d *DFS) Pruned() (runs, schedules int) { return d.pruned, d.cached }

// AtRest implements Resting.
func (d *DFS) AtRest(key func() (StateKey, bool)) bool {
	if d.NoCache || d.depth < d.replay {
		// Reached by the replayed prefix: met and recorded before.
		return false
	}
	st, ok := key()
	if !ok {
		d.unhashable++
		return false
	}
	k := cacheKey{st, d.Bound - d.spentBefore(d.depth)}
	if size, seen := d.cache[k]; seen {
		if size == 0 {
			return false // still being explored (cannot happen: time only grows)
		}
		d.virtual += size - 1
		d.cached += size - 1
		d.pruned++
		return true
	}
	if d.cache == nil {
		d.cache = map[cacheKey]int{}
	}
	d.cache[k] = 0
	d.pending = append(d.pending, pendingState{key: k, depth: d.depth, start: d.Unreduced() - 1})
	return false
}

// spentBefore returns the preemptions the current path spends before
// decision k.
func (d *DFS) spentBefore(k int) int {
	if k == 0 {
		return 0
	}
	p := d.stack[k-1]
	return p.pre + p.cost(p.answer(p.pos))
}

// settle records the size of every pending state whose subtree lies below
// decision i (all of it has been explored once decision i changes).
func (d *DFS) settle(i int) {
	for n := len(d.pending); n > 0 && d.pending[n-1].depth > i; n-- {
		p := d.pending[n-1]
		d.cache[p.key] = d.Unreduced() - p.start
		d.pending = d.pending[:n-1]
	}
}

// Runs returns the number of executions started.
func (d *DFS) Runs() int { return d.runs }

// Unreduced returns the number of schedules the search covers: the runs
// plus the ones symmetry reduction proved isomorphic to a run and the ones
// that state caching proved to continue as a run did.
func (d *DFS) Unreduced() int { return d.runs + d.virtual }

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
		d.settle(i)
		x := &d.stack[i]
		if x.twin != nil {
			x.sizes[x.answer(x.pos)] = d.Unreduced() - x.start
		}
		for p := x.pos + 1; p < x.n; p++ {
			ans := x.answer(p)
			if x.pre+x.cost(ans) > d.Bound {
				continue
			}
			if x.twin != nil && x.twin[ans] >= 0 {
				// Isomorphic to the twin's subtree, explored already.
				x.sizes[ans] = x.sizes[x.twin[ans]]
				d.virtual += x.sizes[ans]
				continue
			}
			x.pos = p
			x.start = d.Unreduced()
			d.stack = d.stack[:i+1]
			return true
		}
	}
	d.settle(-1)
	d.stack = d.stack[:0]
	return false
}

// decide answers the next decision with n options; twin (nil when none)
// maps an option to the first earlier option interchangeable with it.
func (d *DFS) decide(n, last int, twin []int) int {
	k := d.depth
	d.depth++
	if k < len(d.stack) {
		x := d.stack[k]
		if x.n != n || x.last != last {
			panic(fmt.Sprintf("sim: dfs: execution is not deterministic at decision %d (%d/%d options)", k, x.n, n))
		}
		return x.answer(x.pos)
	}
	x := dfsDecision{n: n, last: last, pre: d.spentBefore(k), twin: twin}
	if twin != nil {
		x.sizes = make([]int, n)
		x.start = d.Unreduced() - 1 // this run is in the first option's subtree
	}
	d.stack = append(d.stack, x)
	return x.answer(0)
}

// dfsChooser is the Chooser view of a DFS.
type dfsChooser DFS

// Choose implements Chooser: a free branch.
func (c *dfsChooser) Choose(n int, label string) int { return (*DFS)(c).decide(n, -1, nil) }

// AtRest implements Resting.
func (c *dfsChooser) AtRest(key func() (StateKey, bool)) bool { return (*DFS)(c).AtRest(key) }

// Pick implements Chooser.
func (c *dfsChooser) Pick(cands []Candidate, step int) int {
	last := -1
	var twin []int
	for i, x := range cands {
		if x.Last {
			last = i
		}
		if x.Key == "" {
			continue
		}
		for j := range i {
			if cands[j].Key == x.Key {
				if twin == nil {
					twin = make([]int, len(cands))
					for k := range twin {
						twin[k] = -1
					}
				}
				twin[i] = j
				break
			}
		}
	}
	return (*DFS)(c).decide(len(cands), last, twin)
}
