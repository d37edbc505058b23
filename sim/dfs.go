package sim

import (
	"cmp"
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

	// Reduce turns partial-order reduction (sleep sets, see sleepEntry)
	// on. Only for models whose shared state is all in footprints (see
	// Footprint): a step that touches state no footprint names looks
	// independent of every other.
	Reduce bool
	// sleep is the current sleep set: steps of runnable tasks that need
	// not run before a step dependent with them does (running them here
	// is equivalent to a schedule explored already).
	sleep []sleepEntry
	// await is the decision whose chosen step's footprint comes next
	// (-1: none).
	await int
	// force is the task that must go on at the next decision (after a
	// half-asleep step), or -1.
	force int
	// redundant is set when every option of a decision sleeps: the
	// execution ends there (sim.EndEquivalent).
	redundant bool
	// equivalent counts options skipped because they slept, redundantRuns
	// the executions ended as equivalent.
	equivalent, redundantRuns int
}

// sleepEntry is a sleeping step: the next step of a task, with the
// footprint it had when it ran.
//
// Sleep sets and the preemption bound: a sleeping option a (explored at
// a decision n) is pruned at a later decision m reached through
// independent steps because the schedule n·b·…·a·w is equivalent to
// n·a·b·…·w, explored in a's subtree — if that one is within the bound.
// Moving a forward never costs a preemption more when a is the step of
// the task that ran last at n, or a step after which its task blocks or
// ends; for a fault, when firing it at m costs what it cost at n. Else
// (a task that runs on after a) it costs one more exactly when the task
// goes on right after a in the pruned schedule: such an entry is half
// asleep, a is explored at m, but then only its own task may go on
// (the other continuations are equivalent to explored ones within the
// bound). Coons, Musuvathi and McKinley (OOPSLA 2013) show why plain
// sleep sets under a preemption bound are not sound.
type sleepEntry struct {
	task int // a task's ID, or faultID plus a trigger's
	fp   Footprint
	cost int // preemptions it cost where it was explored
	half bool
	// ends: its task blocks or ends after the step. Such an entry is
	// never pruned where it sleeps: it is explored, and then only faults
	// may follow (every task step after it is covered, but a fault fired
	// there was free and would not be where the step was explored).
	ends bool
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
	born  int // the run that reached it
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
	// Partial-order reduction: ids[i] is option i's task (-1: not a
	// task), sleep the sleep set when the decision was first reached,
	// done the explored options that sleep in the later ones' subtrees,
	// first the footprint of the current option's step.
	ids       []int
	only      int // with ids: the one task that may go on (-1: any)
	sleep     []sleepEntry
	done      []sleepEntry
	first     Footprint
	firstTask int
	// born is the run that first reached the decision.
	born int
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
	d.sleep = d.sleep[:0]
	d.await, d.force = -1, -1
	d.redundant = false
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
	if d.redundant {
		// Equivalent to schedules explored or to be explored: it stands
		// for none, and the subtrees begun in it gained nothing.
		d.redundantRuns++
		for i := range d.stack {
			if d.stack[i].born == d.runs && d.stack[i].twin != nil {
				d.stack[i].start++
			}
		}
		for i := range d.pending {
			if d.pending[i].born == d.runs {
				d.pending[i].start++
			}
		}
		return Weight{}
	}
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

// RestStates returns the distinct states at rest the search met past
// replayed prefixes (whatever the preemptions left), in increasing order.
// Partial-order reduction must not change this set: equivalent schedules
// pass through the same states at rest.
func (d *DFS) RestStates() []StateKey {
	out := make([]StateKey, 0, len(d.cache))
	for k := range d.cache {
		out = append(out, k.state)
	}
	slices.SortFunc(out, func(a, b StateKey) int {
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		return cmp.Compare(a[1], b[1])
	})
	return slices.Compact(out)
}

// Unhashable returns the number of task-free points (past the replayed
// prefix) whose state could not be hashed, so nothing was cached there.
func (d *DFS) Unhashable() int { return d.unhashable }

// Pruned returns the number of executions ended at a state explored
// before, and the number of schedules they stood for beyond themselves.
func (d *DFS) Pruned() (runs, schedules int) { return d.pruned, d.cached }

// AtRest implements Resting.
func (d *DFS) AtRest(key func() (StateKey, bool)) bool {
	d.point++
	// No task is alive; sleeping faults wake (exploring more is always
	// sound), so that what is explored from here depends on the state and
	// the preemptions left only, as state caching needs.
	clear(d.sleep)
	d.sleep = d.sleep[:0]
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
	d.pending = append(d.pending, pendingState{sub: len(d.subtrees), depth: d.depth, start: d.Unreduced() - 1, point: d.point, born: d.runs})
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
// (but those ended as equivalent to another schedule) plus the ones
// symmetry reduction proved isomorphic to a run and the ones that state
// caching proved to continue as a run did.
func (d *DFS) Unreduced() int { return d.runs - d.redundantRuns + d.virtual }

// Equivalent returns what partial-order reduction pruned: options not
// explored because their step slept (each the root of a subtree of
// schedules equivalent to explored ones), and executions ended because
// every option slept.
func (d *DFS) Equivalent() (branches, runs int) { return d.equivalent, d.redundantRuns }

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
		if ans := x.answer(x.pos); x.ids != nil && x.ids[ans] >= 0 && x.firstTask == x.ids[ans] {
			// Explored: it sleeps in the other options' subtrees (see
			// sleepEntry for when it is only half asleep).
			x.done = append(x.done, sleepEntry{task: x.ids[ans], fp: x.first.Clone(), cost: x.cost(ans),
				half: x.ids[ans] < faultID && ans != x.last && x.first.Runnable,
				ends: x.ids[ans] < faultID && !x.first.Runnable})
		}
		for p := x.pos + 1; p < x.n; p++ {
			ans := x.answer(p)
			if d.skip(x, ans) {
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
func (d *DFS) decide(n, last int, twin, ids []int) int {
	k := d.depth
	d.depth++
	d.point++
	if k < len(d.stack) {
		x := &d.stack[k]
		if x.n != n || x.last != last {
			panic(fmt.Sprintf("sim: dfs: execution is not deterministic at decision %d (%d/%d options)", k, x.n, n))
		}
		if x.ids != nil {
			d.sleep = append(d.sleep[:0], x.sleep...)
			for _, e := range x.done {
				if x.mayDefer(e, x.answer(x.pos)) {
					d.sleep = append(d.sleep, e)
				}
			}
			d.await = k
			d.force = x.nextForce(x.answer(x.pos))
		}
		return x.answer(x.pos)
	}
	x := dfsDecision{n: n, last: last, pre: d.spentBefore(k), twin: twin, born: d.runs}
	pos := 0
	if ids != nil && d.Reduce {
		x.ids = ids
		x.sleep = slices.Clone(d.sleep)
		x.only = -1
		if d.force >= 0 && slices.Contains(ids, d.force) || d.force == noTask {
			x.only = d.force
		}
		d.force = -1
		// The first option within the bound that is not equivalent to
		// an explored one.
		for pos < n && d.skip(&x, x.answer(pos)) {
			pos++
		}
		if pos == n {
			d.redundant = true
			return 0
		}
		d.await = k
		d.force = x.nextForce(x.answer(pos))
	}
	x.pos = pos
	if twin != nil {
		x.sizes = make([]int, n)
		x.gains = make([][][]int, n)
		x.start = d.Unreduced() - 1 // this run is in the first option's subtree
		x.base = d.counters(nil)    // its findings are not counted yet
	}
	d.stack = append(d.stack, x)
	return x.answer(pos)
}

// skip reports whether option ans of x is not explored: past the bound,
// or equivalent to explored schedules (counted).
func (d *DFS) skip(x *dfsDecision, ans int) bool {
	if x.pre+x.cost(ans) > d.Bound {
		return true
	}
	if x.equivalent(ans) {
		d.equivalent++
		return true
	}
	return false
}

// faultID is where candidate IDs of faults (triggers) begin.
const faultID = 1 << 30

// equivalent reports whether every schedule through option ans is
// equivalent to one explored (or to be explored) within the bound: its
// step sleeps (fully), or the decision follows a half-asleep step whose
// task must go on (x.only) and ans is another task's step, or follows a
// sleeping step that ended its task (x.only is noTask) and ans is a task's
// step. Faults are never pruned by x.only.
func (x *dfsDecision) equivalent(ans int) bool {
	if x.ids == nil || x.ids[ans] < 0 {
		return false
	}
	if x.only != -1 && x.ids[ans] < faultID && x.ids[ans] != x.only {
		return true
	}
	e := x.entry(ans)
	if e == nil || e.half || e.ends {
		return false
	}
	// Firing a fault leaves the task that ran last as it was, so only
	// its own cost can differ from where it was explored.
	return e.task < faultID || x.cost(ans) >= e.cost
}

// mayDefer reports whether the explored option e of x may sleep in the
// subtree of option p: whether every schedule of that subtree that runs
// e's step a later (at a decision m, after steps b1…bk) and is pruned has
// an equivalent that runs a at x, first, within the bound — one explored
// in e's subtree. Moving a to x changes the cost of a itself (e.cost
// instead of its cost at m), of b1, of every fault fired before the first
// task step of b1…bk and of that task step (they now follow a, not the
// task that ran last before x; a fault leaves "the task that ran last" as
// it was), and of what follows a. So:
//   - a continues the task that ran last (a == x.last) or is a fault:
//     never costs more (a fault is pruned at m only where firing it costs
//     at least e.cost, see equivalent);
//   - a's task ends or blocks after a: a may sleep if it cost no more at x
//     than p, but it is explored where it sleeps (ends), and only faults
//     may follow it there, since faults fired after it were free and
//     would not be after bk;
//   - a's task runs on after a (half asleep: explored, then only a's task
//     or faults may follow, and a fault keeps a's task's turn): b1 and the
//     faults and the first task step after x become preemptions, so p must
//     be a task's step that was one already (x.last runnable), or any
//     task's step when nothing was runnable before x.
//
// Otherwise e does not sleep there. The toy worlds of dfs_traces_test.go
// check the result against the plain search, trace by trace.
func (x *dfsDecision) mayDefer(e sleepEntry, p int) bool {
	switch {
	case x.last >= 0 && e.task == x.ids[x.last], e.task >= faultID:
		return true
	case !e.fp.Runnable:
		return e.cost <= x.cost(p)
	case x.last >= 0:
		return x.cost(p) == 1 && x.ids[p] < faultID
	default:
		return x.ids[p] >= 0 && x.ids[p] < faultID
	}
}

// halfAsleep returns the task of option ans if its step is half asleep
// (the next decision must go on with it, or fire a fault), noTask if it
// sleeps and ended its task (the next decision may only fire a fault),
// else -1.
func (x *dfsDecision) halfAsleep(ans int) int {
	if x.ids == nil || x.ids[ans] < 0 {
		return -1
	}
	if e := x.entry(ans); e != nil && e.half {
		return e.task
	} else if e != nil && e.ends {
		return noTask
	}
	return -1
}

// noTask as a decision's forced task: no task step may run (faults only).
const noTask = -2

// nextForce returns the constraint on the decision after answering ans at
// x (a task that must go on, noTask, or -1): a sleeping step's, or, when
// ans fires a fault, the one x was under (a fault keeps a half-asleep
// task's turn).
func (x *dfsDecision) nextForce(ans int) int {
	if f := x.halfAsleep(ans); f != -1 {
		return f
	}
	if x.ids != nil && x.ids[ans] >= faultID && x.only >= 0 {
		return x.only
	}
	return -1
}

// entry returns option ans's entry in the sleep set, or nil.
func (x *dfsDecision) entry(ans int) *sleepEntry {
	for i := range x.sleep {
		if x.sleep[i].task == x.ids[ans] {
			return &x.sleep[i]
		}
	}
	return nil
}

// Stepped implements Reducer: the step (or event) that ran wakes the
// sleeping steps dependent with it, and the task's own.
func (d *DFS) Stepped(task int, fp *Footprint) {
	if d.await >= 0 {
		x := &d.stack[d.await]
		x.first, x.firstTask = fp.Clone(), task
		d.await = -1
	} else if task != d.force {
		d.force = -1 // something else ran first: no constraint
	}
	if len(d.sleep) == 0 {
		return
	}
	j := 0
	for _, e := range d.sleep {
		if e.task == task || e.fp.Dependent(fp) {
			continue
		}
		d.sleep[j] = e
		j++
	}
	clear(d.sleep[j:])
	d.sleep = d.sleep[:j]
}

// Redundant implements Reducer.
func (d *DFS) Redundant() bool { return d.redundant }

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
func (c *dfsChooser) Choose(n int, label string) int { return (*DFS)(c).decide(n, -1, nil, nil) }

// Stepped implements Reducer.
func (c *dfsChooser) Stepped(task int, fp *Footprint) { (*DFS)(c).Stepped(task, fp) }

// Redundant implements Reducer.
func (c *dfsChooser) Redundant() bool { return (*DFS)(c).Redundant() }

// AtRest implements Resting.
func (c *dfsChooser) AtRest(key func() (StateKey, bool)) bool { return (*DFS)(c).AtRest(key) }

// Pick implements Chooser.
func (c *dfsChooser) Pick(cands []Candidate, step int) int {
	last := -1
	var twin []int
	ids := make([]int, len(cands))
	for i, x := range cands {
		ids[i] = -1
		if x.ID >= 0 {
			ids[i] = x.ID // a task or a fault
		}
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
	if !(*DFS)(c).Reduce {
		ids = nil
	}
	return (*DFS)(c).decide(len(cands), last, twin, ids)
}
