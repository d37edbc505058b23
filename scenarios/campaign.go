package scenarios

import (
	"runtime"
	"sync/atomic"

	"github.com/pcssim/pcssim/sim"
)

// Explorer makes the Chooser of one execution from its seed.
type Explorer interface {
	Name() string
	New(seed uint64) sim.Chooser
	// Mode is the execution mode the explorer needs (Swarm or 0).
	Mode() Mode
}

// RandomExplorer chooses uniformly at random.
type RandomExplorer struct{}

// Name implements Explorer.
func (RandomExplorer) Name() string { return "random" }

// New implements Explorer.
func (RandomExplorer) New(seed uint64) sim.Chooser { return sim.NewRandom(seed) }

// Mode implements Explorer.
func (RandomExplorer) Mode() Mode { return 0 }

// SwarmExplorer is random exploration with swarm variation (Groce et al.,
// ISSTA 2012): each execution first draws how many times each fault may
// fire, from 0 to the scenario's count.
type SwarmExplorer struct{ RandomExplorer }

// Name implements Explorer.
func (SwarmExplorer) Name() string { return "swarm" }

// Mode implements Explorer.
func (SwarmExplorer) Mode() Mode { return Swarm }

// Outcome is one execution of a campaign.
type Outcome struct {
	Index  int
	Seed   uint64
	Result Result
	Err    error
	// Weight is what a dfs execution stands for: 1 schedule, or the
	// subtree of the explored state it was cut short at, with the
	// schedules among them that violate each property (see sim.Weight).
	// Zero for seeded explorers, whose executions stand for themselves.
	Weight sim.Weight
}

// Campaign runs n executions, the i-th with seed(i), on jobs workers and
// calls visit for each outcome in index order (so output never depends on
// jobs). visit returning false stops the campaign after that outcome.
//
// Workers take chunks of consecutive indices, so the visiting goroutine
// wakes once per chunk rather than once per execution, and at most a few
// chunks per worker are in flight, so memory does not grow with n.
func Campaign(sc *Scenario, strategy string, ex Explorer, n int, seed func(i int) uint64, jobs int, visit func(o Outcome) bool) {
	CampaignUntil(sc, strategy, ex, n, seed, jobs, nil, visit)
}

// CampaignUntil is Campaign that stops once interrupt is true (a signal, a
// time budget): no execution starts after that, and the executions in
// flight end at their next scheduling point (see ExecuteUntil). visit sees
// each one interrupted as an Outcome whose Result.End is
// sim.EndInterrupted: it has no verdict. interrupt may be nil.
func CampaignUntil(sc *Scenario, strategy string, ex Explorer, n int, seed func(i int) uint64, jobs int, interrupt *atomic.Bool, visit func(o Outcome) bool) {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	jobs = min(jobs, max(1, n))
	chunk := max(1, min(64, n/(jobs*16)))
	type work struct {
		lo, hi int
		out    chan []Outcome
	}
	todo := make(chan work, 4*jobs)
	var stop atomic.Bool
	for range jobs {
		go func() {
			// Each worker recycles its own engine state: no lock, no
			// cache line shared with the other workers.
			pool := sim.NewPool()
			defer pool.Close()
			o := execOptions{stop: interrupt, pool: pool, boot: &bootCache{}}
			for w := range todo {
				outs := make([]Outcome, 0, w.hi-w.lo)
				for i := w.lo; i < w.hi && !stop.Load(); i++ {
					s := seed(i)
					r, err := execute(sc, strategy, ex.New(s), ex.Mode()|NoRecord|Cover, o)
					if r.End != sim.EndInterrupted && (err != nil || len(r.Findings) > 0) {
						r, err = execute(sc, strategy, ex.New(s), ex.Mode()|Cover, o)
					}
					if r.End == sim.EndInterrupted {
						stop.Store(true) // the rest of the chunk does not run
					}
					outs = append(outs, Outcome{Index: i, Seed: s, Result: r, Err: err})
				}
				w.out <- outs
			}
		}()
	}
	defer close(todo)
	var pending []chan []Outcome
	next := 0
	for next < n || len(pending) > 0 {
		for len(pending) < cap(todo) && next < n {
			w := work{lo: next, hi: min(next+chunk, n), out: make(chan []Outcome, 1)}
			todo <- w
			pending = append(pending, w.out)
			next = w.hi
		}
		outs := <-pending[0]
		pending = pending[1:]
		for _, o := range outs {
			if !visit(o) {
				// Workers finish the chunk they hold (skipping the rest of
				// it) into buffered channels nobody reads.
				stop.Store(true)
				return
			}
		}
	}
}

// PCTExplorer runs PCT with the given depth; Steps estimates the number of
// scheduling steps of an execution (from a pilot run).
type PCTExplorer struct {
	Depth, Steps int
}

// Name implements Explorer.
func (PCTExplorer) Name() string { return "pct" }

// New implements Explorer.
func (e PCTExplorer) New(seed uint64) sim.Chooser { return sim.NewPCT(seed, e.Depth, e.Steps) }

// Mode implements Explorer.
func (PCTExplorer) Mode() Mode { return 0 }

// NewExplorer returns the explorer called name for sc.
func NewExplorer(name string, sc *Scenario, strategy string, depth int) (Explorer, bool) {
	switch name {
	case "random":
		return RandomExplorer{}, true
	case "swarm":
		return SwarmExplorer{}, true
	case "pct":
		// k, the number of scheduling decisions, is the largest of 16
		// pilot runs of PCT itself (depth 1: priorities only), whose
		// decision counts differ from a random run's.
		steps := 10
		for seed := range uint64(16) {
			if pilot, err := Execute(sc, strategy, sim.NewPCT(seed, 1, 1), NoRecord); err == nil {
				steps = max(steps, pilot.Decisions)
			}
		}
		return PCTExplorer{Depth: depth, Steps: steps}, true
	}
	return nil, false
}

// Explorers lists the explorer identifiers with one line each.
var Explorers = [][2]string{
	{"random", "uniform random choice at every scheduling point"},
	{"swarm", "random, and each execution draws how often each fault may fire (quiet to stormy)"},
	{"pct", "probabilistic concurrency testing with a depth bound (--depth)"},
	{"dfs", "bounded exhaustive exploration with a preemption bound (--preemptions)"},
}

// DFSResult summarises a bounded exhaustive exploration.
type DFSResult struct {
	// Runs is the number of executions.
	Runs int
	// Unreduced is the number of schedules covered: Runs plus those that
	// symmetry reduction or state caching proved to behave as one that ran.
	Unreduced int
	// Revisits counts the executions ended at a state explored before, and
	// Cached the schedules they stood for beyond themselves.
	Revisits, Cached int
	// NoCache is set when state caching was off.
	NoCache bool
	// States counts the distinct states met where no task was alive, and
	// Unhashable the points where the state could not be hashed.
	States, Unhashable int
	// Exhausted is true when every schedule within the bound was covered.
	Exhausted bool
	// NoReduce is set when partial-order reduction was off. Equivalent
	// counts the options it skipped (each the root of a subtree of
	// schedules equivalent to explored ones, not counted in Unreduced),
	// EquivalentRuns the executions it ended because every way on was.
	NoReduce                   bool
	Equivalent, EquivalentRuns int
	// Violated counts, per property, the schedules among Unreduced that
	// violate it: the same with and without state caching (an execution
	// cut short stands for the explored subtree's schedules and their
	// violations, end-of-execution checks included) and counting each
	// skipped interchangeable fault's subtree as its twin's. The sum of
	// the Outcomes' Weights, plus those skipped subtrees.
	Violated map[string]int
	// RestStates are the distinct states at rest met (see
	// sim.DFS.RestStates), when DFSOptions.RestStates asked for them.
	RestStates []sim.StateKey
}

// DFSOptions bound a dfs exploration.
type DFSOptions struct {
	// Preemptions is the preemption bound.
	Preemptions int
	// Limit caps the number of executions.
	Limit int
	// NoCache turns state caching off (every schedule runs to its end).
	NoCache bool
	// NoReduce turns partial-order reduction off (every schedule within
	// the bound runs, equivalent ones too).
	NoReduce bool
	// RestStates records the states at rest met in DFSResult.RestStates.
	RestStates bool
	// Interrupt, once true, ends the exploration: the execution running
	// ends at its next scheduling point and is visited as interrupted
	// (Result.End sim.EndInterrupted, no verdict). May be nil.
	Interrupt *atomic.Bool
}

// ExploreDFS runs every schedule of sc under strategy with at most
// o.Preemptions preemptions (see sim.DFS), up to o.Limit executions,
// calling visit for each in exploration order; visit returning false stops
// the exploration.
func ExploreDFS(sc *Scenario, strategy string, o DFSOptions, visit func(o Outcome) bool) DFSResult {
	d := sim.NewDFS(o.Preemptions)
	d.NoCache, d.Reduce = o.NoCache, !o.NoReduce
	interrupted := false
	pool := sim.NewPool()
	defer pool.Close()
	eo := execOptions{stop: o.Interrupt, pool: pool, boot: &bootCache{}}
	for d.Runs() < o.Limit && d.Next() {
		r, err := execute(sc, strategy, d.Chooser(), Cover, eo)
		if r.End == sim.EndInterrupted {
			interrupted = true
			visit(Outcome{Index: d.Runs() - 1, Result: r, Err: err})
			break
		}
		w := d.Done(r.Findings)
		if !visit(Outcome{Index: d.Runs() - 1, Result: r, Err: err, Weight: w}) {
			break
		}
	}
	r := DFSResult{Runs: d.Runs(), Unreduced: d.Unreduced(), Exhausted: d.Exhausted() && !interrupted, NoCache: o.NoCache, States: d.States(),
		Unhashable: d.Unhashable(), Violated: d.Violated()}
	r.Revisits, r.Cached = d.Pruned()
	r.NoReduce = o.NoReduce
	if o.RestStates {
		r.RestStates = d.RestStates()
	}
	r.Equivalent, r.EquivalentRuns = d.Equivalent()
	return r
}
