package sim

import (
	"maps"
	"slices"
)

// Snapshots let executions of one world skip the part they all share.
//
// Every execution of a scenario runs the same steps until the chooser is
// first consulted: building the world, boot, probes, the first link up.
// A campaign runs that prefix once per worker, pauses the engine at the
// last point before the first consultation where no task is alive (see
// PauseAt), and saves the state there: the engine's (Snapshot) and the
// model's (a Checkpoint of the world's object graph). Each execution then
// rewinds the same Sim and world to that state (Rewind) and runs on from
// it. At such a point the state is plain data (no coroutine holds a
// half-run step), so rewinding in place is the same as starting from a
// copy: the execution that follows makes the same choices, steps, findings
// and reports as one started from scratch.

// PauseAt makes Run return (with EndRunning) when it reaches the n-th
// point where no task is alive, before it does anything there; n = 0 turns
// pausing off. Run called again goes on from that point as if it had
// never returned.
func (s *Sim) PauseAt(n int) { s.pauseAt = n }

// Paused reports whether Run returned at the point PauseAt asked for.
func (s *Sim) Paused() bool { return s.paused }

// QuietPoints returns the number of points where no task was alive that
// Run has reached so far (counting the one it paused at).
func (s *Sim) QuietPoints() int { return s.quiet }

// Snapshot is the engine's state at a point where Run paused, with the
// model's Checkpoint taken there.
type Snapshot struct {
	s        Sim // a shallow copy; the slices below are its own
	events   []event
	trigs    []Trigger
	trigPtrs []*Trigger
	open     []*Trigger
	waiting  []*Trigger
	spawned  []*Task
	findings []Finding
	observed []string
	nKeys    int
	cover    *Coverage
	model    *Checkpoint
}

// Snapshot saves the engine's state; s must be paused (see PauseAt) or
// not yet run, and untraced. model is the world's checkpoint taken at the same point;
// Rewind restores both. The tasks run so far stay out of recycling for
// as long as s is rewound to the snapshot (the model may point to them).
func (s *Sim) Snapshot(model *Checkpoint) *Snapshot {
	if (s.running && !s.paused) || s.cfg.Trace {
		panic("sim: Snapshot of an engine that is neither paused nor before Run, or traced")
	}
	sn := &Snapshot{
		events:   slices.Clone(s.events.items),
		trigPtrs: slices.Clone(s.triggers),
		open:     slices.Clone(s.open),
		waiting:  slices.Clone(s.waiting),
		spawned:  slices.Clone(s.spawned),
		findings: slices.Clone(s.findings),
		observed: slices.Clone(s.observed),
		nKeys:    len(s.evKeys),
		model:    model,
	}
	for _, tr := range s.triggers {
		sn.trigs = append(sn.trigs, *tr)
	}
	if c := s.cfg.Coverage; c != nil {
		sn.cover = &Coverage{Pairs: slices.Clone(c.Pairs), Faults: maps.Clone(c.Faults), prev: c.prev, prevLabel: c.prevLabel}
	}
	s.paused, s.pauseAt = false, 0
	sn.s = *s
	sn.s.cfg = Config{}
	sn.s.chooser = nil
	sn.s.schedule, sn.s.trace = nil, nil
	sn.s.cands, sn.s.candTask, sn.s.evBuf, sn.s.hash = nil, nil, nil, nil
	return sn
}

// Rewind makes s, the engine sn was taken from, the state saved in sn (the
// engine's and the model's), ready for Run to go on from there with cfg
// and chooser c (cfg as for New, untraced; its Coverage, if set, starts
// with what the prefix covered). The tasks of the execution that ran
// since are recycled.
func (s *Sim) Rewind(sn *Snapshot, cfg Config, c Chooser) {
	cfg = defaults(cfg)
	if cfg.Trace {
		panic("sim: Rewind for a traced execution")
	}
	p := cfg.Pool
	for _, t := range s.spawned {
		if t.ID < sn.s.nextTaskID {
			continue // run before the snapshot: the model may point to it
		}
		recycleTask(t, p)
	}
	for _, k := range s.evKeys[sn.nKeys:] {
		delete(s.evIndex, k)
	}
	clear(s.events.items)
	clear(s.tasks)
	clear(s.spawned)
	clear(s.open)
	clear(s.waiting)
	events, tasks, spawned, open, waiting := s.events.items[:0], s.tasks[:0], s.spawned[:0], s.open[:0], s.waiting[:0]
	triggers, cands, candTask, evBuf, hash := s.triggers[:0], s.cands[:0], s.candTask[:0], s.evBuf[:0], s.hash
	*s = sn.s
	s.cfg, s.chooser = cfg, c
	s.events.items = append(events, sn.events...)
	s.tasks = tasks
	s.spawned = append(spawned, sn.spawned...)
	s.open = append(open, sn.open...)
	s.waiting = append(waiting, sn.waiting...)
	s.triggers = append(triggers, sn.trigPtrs...)
	for i, tr := range sn.trigPtrs {
		*tr = sn.trigs[i]
	}
	s.cands, s.candTask, s.evBuf, s.hash = cands, candTask, evBuf, hash
	s.evKeys = s.evKeys[:sn.nKeys]
	// Results keep the findings and observations: each execution gets its own.
	s.findings = slices.Clone(sn.findings)
	s.observed = append(make([]string, 0, len(sn.observed)+8), sn.observed...)
	if cv := cfg.Coverage; cv != nil && sn.cover != nil {
		cv.Pairs = append(cv.Pairs[:0], sn.cover.Pairs...)
		cv.Faults = maps.Clone(sn.cover.Faults)
		cv.prev, cv.prevLabel = sn.cover.prev, sn.cover.prevLabel
	}
	if sn.model != nil {
		sn.model.Restore()
	}
}

// recycleTask puts a finished (or never started) task back in p, or in
// the process-wide cache; a task suspended in its body is left alone.
func recycleTask(t *Task, p *Pool) {
	if c := t.co; c != nil && !c.dead {
		if c.started {
			return
		}
		c.abort() // spawned but never run: free its coroutine
	}
	*t = Task{}
	if p == nil {
		taskPool.Put(t)
	} else if len(p.tasks) < maxPooledTasks {
		p.tasks = append(p.tasks, t)
	}
}

// Model returns the model's checkpoint saved with the snapshot.
func (sn *Snapshot) Model() *Checkpoint { return sn.model }
