package scenarios

import (
	"reflect"

	"github.com/pcssim/pcssim/sim"
)

// BootSnapshots lets campaigns and dfs start executions from a snapshot of
// the prefix that all of them share (see bootCache). Results are the same
// with and without; tests turn it off to check that they are.
var BootSnapshots = true

// bootCache is one worker's snapshot of a scenario's deterministic prefix.
//
// Every execution of a scenario under a strategy runs the same steps until
// the chooser is first consulted (building the world, boot, probes, link
// up). The worker runs that prefix once with a probe chooser to find the
// last point before the first consultation where no task is alive (for a
// chooser that caches states, dfs, the first such point with something
// pending, where it would be offered the state), runs it again up to that
// point, and saves the state there: the engine's (sim.Snapshot) and the
// world's object graph (sim.Checkpoint). Each execution rewinds the same
// engine and world to it in place and runs on. Traced, swarm and scripted
// executions build their world from scratch (swarm consults the chooser
// while building; traces are kept from the start).
type bootCache struct {
	sc       *Scenario
	strategy string
	resting  bool
	// off is set when the scenario has no such prefix (or it could not be
	// saved): executions build their world.
	off  bool
	s    *sim.Sim
	w    *World
	snap *sim.Snapshot
}

// probe is the chooser of the run that finds the prefix: at the first
// consultation it notes how many task-free points the engine had passed
// and stops the execution.
type probe struct {
	s     *sim.Sim
	first int // task-free points before the first consultation; -1: none yet
}

func (p *probe) note() int {
	if p.first < 0 {
		p.first = p.s.QuietPoints()
		p.s.Stop()
	}
	return 0
}

func (p *probe) Choose(n int, label string) int           { return p.note() }
func (p *probe) Pick(cands []sim.Candidate, step int) int { return p.note() }

// restingProbe is the probe of a chooser that is offered states at rest.
type restingProbe struct{ probe }

func (p *restingProbe) AtRest(func() (sim.StateKey, bool)) bool { p.note(); return false }

var scenarioType = reflect.TypeFor[*Scenario]()

// world returns the engine and world an execution starts from: rewound to
// the snapshot when there is one for (sc, strategy), else nil.
func (b *bootCache) world(sc *Scenario, strategy string, cfg sim.Config, c sim.Chooser) (*sim.Sim, *World) {
	_, resting := c.(sim.Resting)
	if b.sc != sc || b.strategy != strategy || b.resting != resting {
		*b = bootCache{sc: sc, strategy: strategy, resting: resting}
		b.prepare(cfg.Pool)
	}
	if b.off {
		return nil, nil
	}
	b.s.Rewind(b.snap, cfg, c)
	return b.s, b.w
}

// prepare finds the prefix and takes the snapshot (or sets off).
func (b *bootCache) prepare(pool *sim.Pool) {
	b.off = true
	cfg := sim.Config{Horizon: b.sc.Horizon, MaxSteps: b.sc.MaxSteps, NoRecord: true, Pool: pool}
	start := func(c sim.Chooser, setS func(*sim.Sim)) (*sim.Sim, *World, bool) {
		cfg.Coverage = sim.NewCoverage()
		s := sim.New(cfg, c)
		setS(s)
		w, err := Build(b.sc, b.strategy, s, false)
		if err != nil || s.Points() > 0 {
			return nil, nil, false // building consults the chooser
		}
		if b.resting {
			s.SetFingerprint(func(h *sim.StateHash) { h.Value(w) })
		}
		return s, w, true
	}
	defer func() {
		if recover() != nil {
			b.off = true // a crash in the prefix: every execution shows it
		}
	}()
	p := &probe{first: -1}
	var c sim.Chooser = p
	if b.resting {
		c = &restingProbe{probe: *p}
		p = &c.(*restingProbe).probe
	}
	s, _, ok := start(c, func(s *sim.Sim) { p.s = s })
	if !ok {
		return
	}
	s.Run()
	s.Release()
	if p.first < 0 {
		return // never consulted: nothing to explore
	}
	k := p.first
	p.first = 0 // the second run must not be consulted before the point
	s, w, ok := start(c, func(s *sim.Sim) { p.s = s })
	if !ok {
		return
	}
	if k > 0 {
		s.PauseAt(k)
		s.Run()
		if !s.Paused() {
			return
		}
	}
	model, err := sim.SaveGraph(w, scenarioType)
	if err != nil {
		return
	}
	b.s, b.w, b.snap, b.off = s, w, s.Snapshot(model), false
}
