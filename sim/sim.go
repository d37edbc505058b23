package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
)

// Config bounds one execution.
type Config struct {
	// Horizon ends the execution when virtual time would pass it.
	Horizon Time
	// MaxSteps ends the execution after that many task steps.
	MaxSteps int
	// StepCost is the virtual time one task step takes (default 1µs).
	StepCost Time
	// FaultsMayLapse lets time pass the end of a trigger's window without
	// firing it (an idle world may then end before its faults): scripted
	// executions use it, where faults fire only when the script says so.
	// Otherwise every armed trigger fires within its window, at a moment
	// the chooser picks relative to every other event and task step.
	FaultsMayLapse bool
	// Trace records every step (slower; used for replays and reports).
	Trace bool
	// TraceLimit bounds the trace (0: unbounded): past that many entries
	// nothing more is recorded and TraceTruncated says so. A trace entry
	// costs about 200 bytes.
	TraceLimit int
	// NoRecord keeps no schedule: for campaign executions whose chooser
	// regenerates every answer from its seed (re-run with recording when
	// the schedule is needed).
	NoRecord bool
	// Coverage, if set, records interleaving pairs and faults in flight.
	Coverage *Coverage
	// HungAfter: a task still blocked (not sleeping) when the horizon ends
	// the execution, and blocked for at least this long, is reported as a
	// hung task (default 2s; the kernel's hung-task detector uses 120s of
	// real time). Periodic events keep such executions from ever becoming
	// quiescent, where a stuck task is reported at once.
	HungAfter Time
	// Pool, if set, is the worker pool the execution takes its engine
	// state from and returns it to (see Pool); executions sharing one
	// must run one after another.
	Pool *Pool
	// Interrupt, if set, is read at every scheduling point: once true the
	// execution ends with EndInterrupted (a signal or a wall-clock budget
	// in the caller). Reading it never changes a choice, so an execution
	// that completes is the same with or without it; an interrupted one
	// has no verdict (no end-of-execution checks).
	Interrupt *atomic.Bool
}

// End says why an execution stopped.
type End uint8

// Ways an execution ends.
const (
	EndRunning   End = iota
	EndQuiescent     // no task, trigger or event left
	EndHorizon       // the next event lies past the horizon
	EndBudget        // the step budget ran out
	EndPruned        // the state was explored before (see Resting)
	EndOops          // a task oopsed (see Task.Oops)
	// EndInterrupted: Config.Interrupt was set (a signal, a time budget);
	// the execution is unfinished and has no verdict.
	EndInterrupted
	// EndRestart: the modelled machine restarted (see Restart).
	EndRestart
	// EndEquivalent: every way on from here is equivalent (by commuting
	// independent steps) to a schedule explored already (see Reducer).
	EndEquivalent
)

// String says why the execution ended, in words.
func (e End) String() string {
	return [...]string{"running", "quiescent", "horizon", "step budget exhausted", "state explored before", "kernel oops", "interrupted",
		"machine restarted", "equivalent to a schedule explored before"}[e]
}

// Finding is a violated property, reported by the engine (deadlock) or by a
// model layered on it.
type Finding struct {
	Property string
	// Summary is one line, e.g. `use-after-free of struct phylink_pcs "lynx-pcs.0"`.
	Summary string
	// Detail is the multi-line body of the report (sites, stacks, tables).
	Detail string
	// Kernel is the report as the kernel would print it (KASAN, Oops),
	// when the finding has a kernel counterpart; reports print it first.
	Kernel string
	Step   int
	At     Time
	// Point orders the finding among the chooser's consultations: it is
	// the value of Sim.Points when the property was first reported, and
	// Last its value when it was last reported (Report keeps one finding
	// per property but notes every later report of it here). A finding
	// made after the engine offered a state at rest (see Resting) has
	// Last at or above that offer's number; dfs uses this to tell a
	// violation of a cached state's subtree from one of the path to it.
	Point, Last int
}

// Trigger is an optional event with a window of virtual time: while armed
// and inside its window it is a Candidate, and the Chooser decides whether
// and when it fires. Faults are injected through triggers.
type Trigger struct {
	ID          int
	Name        string
	From, Until Time
	fire        func()
	armed       bool
	key         string
}

// Sim is one execution's engine state.
type Sim struct {
	cfg       Config
	chooser   Chooser
	now       Time
	steps     int
	decisions int
	events    eventQueue
	tasks     []*Task
	spawned   []*Task // the tasks of the execution for Release (see forgetFinished)
	// keepSpawned: spawned is compacted when it reaches twice this.
	keepSpawned int
	triggers    []*Trigger
	// Armed triggers are either open (window started: From <= now), in ID
	// order, or waiting, sorted by From from pendHead on; fired and lapsed
	// ones leave open, so a decision costs what the armed triggers cost,
	// never what the disarmed ones do.
	open       []*Trigger
	waiting    []*Trigger
	pendHead   int
	pendSorted bool
	fired      int // triggers fired (they count against MaxSteps)
	current    *Task
	lastRan    *Task
	nextTaskID int
	cands      []Candidate
	candTask   []*Task
	schedule   Schedule
	answers    int // data answers given (Choose, Chance)
	rests      int // states at rest offered to a Resting chooser
	findings   []Finding
	observed   []string
	// trigVisits counts triggers examined by decisions (a cost measure the
	// tests use instead of timing).
	trigVisits int
	trace      []Step
	traceFull  bool // the trace reached cfg.TraceLimit
	// entry is 1 + the index in trace of the running step's entry (0:
	// none), where Mark records.
	entry   int
	end     End
	stopped bool
	// State hashing at task-free points (see Resting).
	fingerprint func(h *StateHash)
	restKey     func() (StateKey, bool)
	hash        *StateHash
	evBuf       []event
	evKeys      []string // names of named events (event.key - 1)
	evIndex     map[string]uint32
	// quiet counts the points where no task was alive; at pauseAt (if
	// not 0) Run returns with paused set (see PauseAt).
	quiet, pauseAt int
	paused         bool
	running        bool // Run has been called
	// reducer and fp: footprints of steps for partial-order reduction
	// (set when the chooser is a Reducer).
	reducer Reducer
	fp      *Footprint
	// Idle, if set, is called whenever no task is runnable, before time
	// advances; models use it for checks at quiescent points.
	Idle func()
}

// New returns an engine for one execution driven by c.
func New(cfg Config, c Chooser) *Sim {
	s := newSim(defaults(cfg), c)
	s.keepSpawned = maxKeptFinished
	return s
}

// defaults fills in cfg's unset bounds.
func defaults(cfg Config) Config {
	if cfg.StepCost == 0 {
		cfg.StepCost = Microsecond
	}
	if cfg.MaxSteps == 0 {
		cfg.MaxSteps = 1 << 20
	}
	if cfg.Horizon == 0 {
		cfg.Horizon = 10 * Second
	}
	if cfg.HungAfter == 0 {
		cfg.HungAfter = 2 * Second
	}
	return cfg
}

// Now returns the virtual time.
func (s *Sim) Now() Time { return s.now }

// Steps returns the number of task steps run so far.
func (s *Sim) Steps() int { return s.steps }

// Decisions returns the number of scheduling decisions (Pick calls) so far.
func (s *Sim) Decisions() int { return s.decisions }

// Points returns the number of times the chooser has been consulted so
// far: scheduling decisions, data answers, and states at rest offered to
// it (see Resting). Findings carry it (Finding.Point).
func (s *Sim) Points() int { return s.decisions + s.answers + s.rests }

// Current returns the running task, or nil in event context.
func (s *Sim) Current() *Task { return s.current }

// Horizon returns the configured horizon.
func (s *Sim) Horizon() Time { return s.cfg.Horizon }

// Schedule returns the answers given so far.
func (s *Sim) Schedule() Schedule { return s.schedule }

// Findings returns the violations reported, at most one per property, in
// the order they happened.
func (s *Sim) Findings() []Finding { return s.findings }

// EndReason says why Run returned.
func (s *Sim) EndReason() End { return s.end }

// Tasks returns the live (not finished) tasks in creation order.
func (s *Sim) Tasks() []*Task { return s.tasks }

// At schedules fn to run at virtual time at (not before now).
func (s *Sim) At(at Time, fn func()) { s.AtNamed(at, "", fn) }

// After schedules fn to run d after now.
func (s *Sim) After(d Time, fn func()) { s.AtNamed(s.now+d, "", fn) }

// AtNamed is At for an event whose effect key names: two events pending
// at the same time with the same key must do the same thing. Only named
// events let dfs fingerprint a state (see Resting); a pending unnamed one
// makes the state unhashable.
func (s *Sim) AtNamed(at Time, key string, fn func()) {
	if at < s.now {
		at = s.now
	}
	s.footprintGlobal() // a timed event: its time depends on the steps before
	var k uint32
	if key != "" {
		// Interned: a periodic event's key is added once, not once per
		// period (a long execution's memory would grow with its length).
		if k = s.evIndex[key]; k == 0 {
			if s.evIndex == nil {
				s.evIndex = map[string]uint32{}
			}
			s.evKeys = append(s.evKeys, key)
			k = uint32(len(s.evKeys))
			s.evIndex[key] = k
		}
	}
	s.events.push(at, k, fn)
}

// Arm registers a trigger that may fire once at a time in [from, until].
// Triggers armed with the same name and window must have the same effect
// when fired: explorers treat them as interchangeable.
func (s *Sim) Arm(name string, from, until Time, fire func()) *Trigger {
	tr := &Trigger{ID: len(s.triggers), Name: name, From: from, Until: until, fire: fire, armed: true,
		key: triggerKey(name, from, until)}
	s.triggers = append(s.triggers, tr)
	s.waiting = append(s.waiting, tr)
	s.pendSorted = false
	return tr
}

// triggerKey is "NAME@FROM-UNTIL", built with one allocation (triggers are
// armed in every execution).
func triggerKey(name string, from, until Time) string {
	var buf [96]byte
	b := append(append(buf[:0], name...), '@')
	b = append(from.appendTo(b), '-')
	return string(until.appendTo(b))
}

// Choose asks the Chooser a data question with n possible answers.
func (s *Sim) Choose(n int, label string) int {
	if n <= 1 {
		return 0
	}
	v := s.chooser.Choose(n, label)
	s.answers++
	if !s.cfg.NoRecord {
		s.schedule = append(s.schedule, uint32(v))
	}
	if s.cfg.Trace {
		s.note(fmt.Sprintf("choose %s: %d of %d", label, v, n))
	}
	return v
}

// Chance asks the Chooser whether something with probability p happens.
// A random chooser says yes with probability p; explorers that enumerate
// (dfs) or do not weigh data (pct) see a plain two-way choice. The answer is
// recorded like any other, so replays reproduce it.
func (s *Sim) Chance(p float64, label string) bool {
	switch {
	case p >= 1:
		return true
	case p <= 0:
		return false
	}
	var v int
	if b, ok := s.chooser.(Biased); ok {
		v = b.ChooseBiased(p, label)
	} else {
		v = s.chooser.Choose(2, label)
	}
	s.answers++
	if !s.cfg.NoRecord {
		s.schedule = append(s.schedule, uint32(v))
	}
	if s.cfg.Trace {
		s.note(fmt.Sprintf("chance %s (p=%g): %v", label, p, v == 1))
	}
	return v == 1
}

// Report records a finding, keeping only the first one per property (a
// later one only moves the kept one's Last).
func (s *Sim) Report(f Finding) {
	pt := s.Points()
	for i := range s.findings {
		if s.findings[i].Property == f.Property {
			s.findings[i].Last = pt
			return
		}
	}
	f.Step, f.At = s.steps, s.now
	f.Point, f.Last = pt, pt
	s.findings = append(s.findings, f)
}

// Observe records that something a campaign counts happened in this
// execution (a netdev got link, a fault took effect): each key once, in
// the order first seen. Observations are not findings.
func (s *Sim) Observe(key string) {
	s.Footprint("observe", key, true)
	if !slices.Contains(s.observed, key) {
		s.observed = append(s.observed, key)
	}
}

// Observed returns the keys recorded by Observe.
func (s *Sim) Observed() []string { return s.observed }

// Stop ends the execution at the next scheduling point.
func (s *Sim) Stop() { s.stopped = true }

// Restart ends the execution at the next scheduling point as the machine
// restarting does (EndRestart): nothing runs after it, and what memory
// and references are left is no longer the model's business.
func (s *Sim) Restart() {
	s.stopped = true
	s.end = EndRestart
}

// Run executes until quiescence, the horizon, the step budget or Stop, then
// unwinds every unfinished task. A panic in model code propagates as a
// *TaskPanic (with the Go stack at the panic, and the task and its kernel
// call chain when it happened in a task).
func (s *Sim) Run() End {
	s.paused, s.running = false, true
	if r, ok := s.chooser.(Reducer); ok {
		s.reducer = r
		if s.fp == nil {
			s.fp = &Footprint{}
		}
	}
	defer s.abortAll()
	defer func() {
		if r := recover(); r != nil {
			panic(taskPanic(r, nil))
		}
	}()
	for !s.stopped {
		if s.cfg.Interrupt != nil && s.cfg.Interrupt.Load() {
			s.end = EndInterrupted
			return s.end
		}
		for s.events.len() > 0 && s.events.peek() <= s.now {
			s.events.pop().fn()
			s.engineStepped()
		}
		if len(s.tasks) == 0 {
			s.quiet++
			if s.quiet == s.pauseAt {
				// Run again goes on from here (and counts this point again).
				s.quiet--
				s.paused = true
				return s.end
			}
			if s.atRest() {
				s.end = EndPruned
				return s.end
			}
		}
		s.cands, s.candTask = s.cands[:0], s.candTask[:0]
		for _, t := range s.tasks {
			if t.state == Runnable {
				s.cands = append(s.cands, Candidate{ID: t.ID, Name: t.Name, Last: t == s.lastRan, Label: t.label})
				s.candTask = append(s.candTask, t)
			}
		}
		nRunnable := len(s.cands)
		nextAt := s.cfg.Horizon + 1
		if s.events.len() > 0 {
			nextAt = s.events.peek()
		}
		if nRunnable == 0 && s.Idle != nil {
			s.Idle()
		}
		limit := s.now
		if nRunnable == 0 {
			limit = s.idleLimit(min(nextAt, s.cfg.Horizon))
		}
		// deadline is the earliest end of an open window: no step may
		// carry time past it, and time may not advance past it, before
		// that trigger fired (unless faults may lapse).
		deadline := s.triggerCands(limit)
		if nRunnable > 0 && deadline < s.now+s.cfg.StepCost && !s.cfg.FaultsMayLapse {
			// The next step would close a window: only the triggers whose
			// window ends now may go first.
			s.cands = slices.DeleteFunc(s.cands, func(c Candidate) bool {
				return c.ID < 1<<30 || s.triggers[c.ID-1<<30].Until >= s.now+s.cfg.StepCost
			})
			nRunnable = 0
		}
		if len(s.cands) == 0 {
			if s.events.len() == 0 {
				s.checkStuck()
				s.end = EndQuiescent
				return s.end
			}
			if nextAt > s.cfg.Horizon {
				s.end = EndHorizon
				s.checkHung()
				return s.end
			}
			s.now = nextAt
			continue
		}
		if len(s.candTask) == 0 && (s.cfg.FaultsMayLapse || nextAt <= s.cfg.Horizon && deadline >= nextAt) {
			// Nothing runs: time may advance to the next event unless a
			// window closes before it (that fault fires first).
			s.cands = append(s.cands, Candidate{ID: AdvanceID, Name: "advance time"})
		}
		i := 0
		if len(s.cands) > 1 {
			s.decisions++
			i = s.chooser.Pick(s.cands, s.steps)
			if !s.cfg.NoRecord {
				s.schedule = append(s.schedule, uint32(i))
			}
			if s.reducer != nil && s.reducer.Redundant() {
				s.end = EndEquivalent
				return s.end
			}
		}
		switch c := s.cands[i]; {
		case i < nRunnable:
			if s.steps+s.fired >= s.cfg.MaxSteps {
				s.end = EndBudget
				return s.end
			}
			s.runStep(s.candTask[i])
		case c.ID == AdvanceID:
			// Triggers whose window closes before the next event are
			// skipped (their windows started before it).
			for _, tr := range s.open {
				if tr.armed && tr.Until < nextAt {
					tr.armed = false
				}
			}
			for _, tr := range s.waiting[s.pendHead:] {
				if tr.From >= nextAt {
					break
				}
				if tr.armed && tr.Until < nextAt {
					tr.armed = false
				}
			}
			s.engineStepped()
			if s.events.len() == 0 {
				continue
			}
			if nextAt > s.cfg.Horizon {
				s.end = EndHorizon
				s.checkHung()
				return s.end
			}
			s.now = nextAt
		default:
			if s.steps+s.fired >= s.cfg.MaxSteps {
				s.end = EndBudget
				return s.end
			}
			s.fired++
			tr := s.triggers[c.ID-1<<30]
			tr.armed = false
			if s.reducer != nil {
				s.fp.reset()
				s.fp.Global = s.now < tr.From // time jumps to the window
			}
			s.now = max(s.now, tr.From)
			if s.cfg.Trace {
				s.note("inject " + tr.Name)
			}
			if s.cfg.Coverage != nil {
				s.cfg.Coverage.fault(tr.Name, s.tasks)
			}
			tr.fire()
			if s.reducer != nil {
				s.reducer.Stepped(c.ID, s.fp)
			}
		}
	}
	return s.end
}

// engineStepped reports an event, a fault injection or a time advance to
// the reducer: all of them are dependent with every step.
func (s *Sim) engineStepped() {
	if s.reducer != nil {
		s.fp.reset()
		s.fp.Global = true
		s.reducer.Stepped(-1, s.fp)
	}
}

// triggerCands appends to s.cands the armed triggers whose window has
// started by limit, in ID order, and returns the earliest end of their
// windows (past the horizon if none). Triggers armed after their window
// are disarmed; disarmed ones leave the open list.
func (s *Sim) triggerCands(limit Time) Time {
	deadline := Time(math.MaxInt64) // no window open
	if !s.pendSorted {
		slices.SortStableFunc(s.waiting[s.pendHead:], func(a, b *Trigger) int { return cmp.Compare(a.From, b.From) })
		s.pendSorted = true
	}
	promoted := false
	for s.pendHead < len(s.waiting) && s.waiting[s.pendHead].From <= s.now {
		s.open = append(s.open, s.waiting[s.pendHead])
		s.waiting[s.pendHead] = nil
		s.pendHead++
		promoted = true
	}
	if s.pendHead == len(s.waiting) {
		s.waiting, s.pendHead = s.waiting[:0], 0
	}
	if promoted {
		slices.SortFunc(s.open, func(a, b *Trigger) int { return a.ID - b.ID })
	}
	base := len(s.cands)
	j := 0
	for _, tr := range s.open {
		s.trigVisits++
		if tr.armed && tr.Until < s.now {
			tr.armed = false // armed after its window
		}
		if !tr.armed {
			continue
		}
		s.open[j] = tr
		j++
		s.cands = append(s.cands, Candidate{ID: 1<<30 + tr.ID, Name: tr.Name, Key: tr.key})
		deadline = min(deadline, tr.Until)
	}
	clear(s.open[j:])
	s.open = s.open[:j]
	// Idle, time may advance to limit: windows starting by then count.
	later := false
	for _, tr := range s.waiting[s.pendHead:] {
		s.trigVisits++
		if tr.From > limit {
			break
		}
		if tr.armed && tr.Until < s.now {
			tr.armed = false
		}
		if tr.armed {
			s.cands = append(s.cands, Candidate{ID: 1<<30 + tr.ID, Name: tr.Name, Key: tr.key})
			deadline = min(deadline, tr.Until)
			later = true
		}
	}
	if later && len(s.cands)-base > 1 {
		slices.SortFunc(s.cands[base:], func(a, b Candidate) int { return a.ID - b.ID })
	}
	return deadline
}

// idleLimit is how far time may jump when nothing runs: to limit, but
// firing a fault moves time to its window's start, never past the end of
// another armed fault's window.
func (s *Sim) idleLimit(limit Time) Time {
	if s.cfg.FaultsMayLapse {
		return limit
	}
	for _, tr := range s.open {
		s.trigVisits++
		if tr.armed && tr.Until >= s.now {
			limit = min(limit, tr.Until)
		}
	}
	// Waiting windows are sorted by start: only those starting by the
	// limit can be offered (or skipped by an offered one).
	if !s.pendSorted {
		slices.SortStableFunc(s.waiting[s.pendHead:], func(a, b *Trigger) int { return cmp.Compare(a.From, b.From) })
		s.pendSorted = true
	}
	for _, tr := range s.waiting[s.pendHead:] {
		s.trigVisits++
		if tr.From > limit {
			break
		}
		if tr.armed {
			limit = min(limit, tr.Until)
		}
	}
	return limit
}

func (s *Sim) runStep(t *Task) {
	s.steps++
	s.current = t
	s.lastRan = t
	if s.cfg.Coverage != nil {
		s.cfg.Coverage.step(t, t.label)
	}
	if s.cfg.Trace {
		s.recordStep(Step{N: s.steps, At: s.now, Task: t.ID, TaskName: t.Name, Label: t.label})
	}
	var pts int
	if s.reducer != nil {
		s.fp.reset()
		pts = s.Points()
	}
	ok := !t.co.resume()
	if s.reducer != nil {
		if s.Points() != pts {
			s.fp.Global = true // a data question: its answers differ in footprint
		}
		s.fp.Runnable = ok && t.state == Runnable
		s.reducer.Stepped(t.ID, s.fp)
	}
	s.current = nil
	s.now += s.cfg.StepCost
	if !ok {
		t.state = Done
		s.removeDone()
		if len(s.spawned) >= 2*s.keepSpawned {
			s.forgetFinished()
		}
	}
}

// maxKeptFinished is how many finished tasks an execution keeps for
// Release to recycle; beyond it finished tasks are forgotten (left to the
// garbage collector), so a long execution's memory does not grow with the
// number of tasks it ever ran.
const maxKeptFinished = 512

// forgetFinished drops from s.spawned the finished tasks beyond the first
// maxKeptFinished. A forgotten task is never reused: model code may still
// hold a pointer to it (a lock's last owner, coverage's previous step),
// so it stays valid until nothing does.
func (s *Sim) forgetFinished() {
	j, kept := 0, 0
	for _, t := range s.spawned {
		if t.state == Done && t.co == nil {
			if kept >= maxKeptFinished {
				continue
			}
			kept++
		}
		s.spawned[j] = t
		j++
	}
	clear(s.spawned[j:])
	s.spawned = s.spawned[:j]
	s.keepSpawned = max(maxKeptFinished, j)
}

func (s *Sim) removeDone() {
	j := 0
	for _, t := range s.tasks {
		if t.state != Done {
			s.tasks[j] = t
			j++
		}
	}
	clear(s.tasks[j:])
	s.tasks = s.tasks[:j]
}

func (s *Sim) abortAll() {
	for _, t := range s.tasks {
		if t.state != Done && t.co != nil {
			t.co.abort()
		}
	}
}
