package sim

import (
	"fmt"
	"slices"
)

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
// Counting: the search counts schedules, the leaves of the bounded tree
// (Unreduced), and per property the schedules that violate it (Violated),
// the same with and without caching and symmetry reduction. Call Done with
// each execution's findings: an execution cut short at a cached state
// stands for that state's subtree, and violates a property in all of its
// schedules if the path to the state already did, else in as many as the
// subtree did after the state (recorded per state when it is cached;
// Finding.Last tells the two apart). A skipped interchangeable fault's
// subtree counts as its twin's, per property too.
//
// Use it as a loop: for d.Next() { run an execution with d.Chooser();
// d.Done(findings) }. The chooser implements Resting.
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
	replay  int              // decisions replayed from the previous execution
	cache   map[cacheKey]int // index in subtrees
	// subtrees holds what is known of each cached state's subtree.
	subtrees []subtree
	pending  []pendingState
	pruned   int
	// unhashable counts task-free points whose state could not be hashed.
	unhashable int
	// cached counts the virtual runs that state caching stands for.
	cached int
	// point counts the current execution's consultations (decisions and
	// states at rest), as Sim.Points does.
	point int
	// cut is the index (in subtrees) of the cached state the current
	// execution was cut short at, or -1.
	cut int
	// open is set from Next until Done.
	open bool
	// props names the properties seen (the index of the counts vectors);
	// violated counts, per property, the schedules covered that violate it.
	props    []string
	violated []int
}

// subtree is what the search knows of an explored state's subtree: its
// size in schedules (0 while it is being explored) and, per property, the
// schedules violating it after the state was reached.
type subtree struct {
	size  int
	after []int
}

// Weight is what one dfs execution stands for.
type Weight struct {
	// Schedules is 1, or the size of the subtree of the explored state at
	// which the execution was cut short.
	Schedules int
	// Violated counts, per property, the schedules among them that violate
	// it (nil when none does).
	Violated map[string]int
}

// cacheKey is a state with the preemptions left to spend from it.
type cacheKey struct {
	state StateKey
	left  int
}

// pendingState is a state whose subtree is being explored: it began at
// decision depth and consultation point, when Unreduced was start+1;
// after counts, per property, the schedules of the subtree so far that
// violated it after point.
type pendingState struct {
	sub   int // index in DFS.subtrees
	depth int
	start int
	point int
	after []int
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
	// option began; base holds the violation counts of the enclosing
	// counters (the search's, then each pending state's) when it began,
	// and gains[i] what option i's subtree added to each (all kept only
	// when twin is set).
	twin  []int
	sizes []int
	start int
	base  [][]int
	gains [][][]int
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
	d.point = 0
	d.cut = -1
	d.open = true
	d.replay = len(d.stack)
	return true
}

// Done records the findings of the execution just run (as the engine
// reported them: Finding.Last says whether a violation came after a state
// at rest) and returns what the execution stands for. An execution whose
// Done was not called counts as one without findings.
func (d *DFS) Done(findings []Finding) Weight {
	if !d.open {
		panic("sim: dfs: Done without an execution")
	}
	d.open = false
	w := Weight{Schedules: 1}
	var rest []int
	if d.cut >= 0 {
		w.Schedules, rest = d.subtrees[d.cut].size, d.subtrees[d.cut].after
	}
	// The subtree's own violations count for every counter: the search's
	// and each enclosing pending state's.
	for p, n := range rest {
		if n == 0 {
			continue
		}
		addCount(&d.violated, p, n)
		for i := range d.pending {
			addCount(&d.pending[i].after, p, n)
		}
	}
	// A violation on the path counts for all the schedules, in the
	// search's counter and in the states reached before it.
	for _, f := range findings {
		if f.Last > d.point {
			// Sim.Points and d.point count the same consultations.
			panic(fmt.Sprintf("sim: dfs: %s reported at point %d, after the execution's last (%d)", f.Property, f.Last, d.point))
		}
		p := d.prop(f.Property)
		extra := w.Schedules
		if p < len(rest) {
			extra -= rest[p]
		}
		addCount(&d.violated, p, extra)
		for i := range d.pending {
			if d.pending[i].point > f.Last {
				break
			}
			addCount(&d.pending[i].after, p, extra)
		}
	}
	for p := range d.props {
		n := 0
		if p < len(rest) {
			n = rest[p]
		}
		for _, f := range findings {
			if f.Property == d.props[p] {
				n = w.Schedules
			}
		}
		if n > 0 {
			if w.Violated == nil {
				w.Violated = map[string]int{}
			}
			w.Violated[d.props[p]] = n
		}
	}
	return w
}

// prop returns the index of property name in the counts vectors.
func (d *DFS) prop(name string) int {
	for i, p := range d.props {
		if p == name {
			return i
		}
	}
	d.props = append(d.props, name)
	return len(d.props) - 1
}

// addCount adds n to (*v)[i], growing *v as needed.
func addCount(v *[]int, i, n int) {
	if n == 0 {
		return
	}
	for len(*v) <= i {
		*v = append(*v, 0)
	}
	(*v)[i] += n
}

// Violated returns, per property, the number of schedules covered so far
// that violate it (counted like Unreduced: every leaf of the bounded tree,
// whether it ran, was cut short at a cached state or was skipped as an
// interchangeable fault's twin). Each schedule counts at most once per
// property.
func (d *DFS) Violated() map[string]int {
	out := map[string]int{}
	for p, n := range d.violated {
		if n > 0 {
			out[d.props[p]] = n
		}
	}
	return out
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
	d.point++
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
	if i, seen := d.cache[k]; seen {
		sub := d.subtrees[i]
		if sub.size == 0 {
			return false // still being explored (cannot happen: time only grows)
		}
		d.virtual += sub.size - 1
		d.cached += sub.size - 1
		d.pruned++
		d.cut = i
		return true
	}
	if d.cache == nil {
		d.cache = map[cacheKey]int{}
	}
	d.cache[k] = len(d.subtrees)
	d.pending = append(d.pending, pendingState{sub: len(d.subtrees), depth: d.depth, start: d.Unreduced() - 1, point: d.point})
	d.subtrees = append(d.subtrees, subtree{})
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
		d.subtrees[p.sub] = subtree{size: d.Unreduced() - p.start, after: p.after}
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
	if d.open {
		d.Done(nil)
	}
	for i := len(d.stack) - 1; i >= 0; i-- {
		d.settle(i)
		x := &d.stack[i]
		if x.twin != nil {
			ans := x.answer(x.pos)
			x.sizes[ans] = d.Unreduced() - x.start
			x.gains[ans] = d.gains(x.base)
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
				d.addGains(x.gains[x.twin[ans]])
				continue
			}
			x.pos = p
			x.start = d.Unreduced()
			if x.twin != nil {
				x.base = d.counters(x.base[:0])
			}
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
	d.point++
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
		x.gains = make([][][]int, n)
		x.start = d.Unreduced() - 1 // this run is in the first option's subtree
		x.base = d.counters(nil)    // its findings are not counted yet
	}
	d.stack = append(d.stack, x)
	return x.answer(0)
}

// counters appends copies of the violation counts of every counter open
// now (the search's, then each pending state's) to buf.
func (d *DFS) counters(buf [][]int) [][]int {
	buf = append(buf, slices.Clone(d.violated))
	for _, p := range d.pending {
		buf = append(buf, slices.Clone(p.after))
	}
	return buf
}

// gains returns what each counter in base gained since base was taken.
func (d *DFS) gains(base [][]int) [][]int {
	now := d.counters(nil)
	for i, v := range now {
		for p := range v {
			if p < len(base[i]) {
				v[p] -= base[i][p]
			}
		}
	}
	return now
}

// addGains adds gains (as returned by gains) to the open counters.
func (d *DFS) addGains(g [][]int) {
	for i, v := range g {
		for p, n := range v {
			if i == 0 {
				addCount(&d.violated, p, n)
			} else {
				addCount(&d.pending[i-1].after, p, n)
			}
		}
	}
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
