package scenarios

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sync/atomic"

	"github.com/pcssim/pcssim/sim"
)

// Result is the outcome of one execution.
type Result struct {
	Findings []sim.Finding
	Schedule sim.Schedule
	Steps    int
	// Decisions counts scheduling points with more than one candidate.
	Decisions int
	End       sim.End
	Trace     []sim.Step
	// TraceTruncated is set when the trace reached MaxTraceSteps: the
	// steps after it were run but not recorded.
	TraceTruncated bool
	// Observed lists what the execution did that campaigns count (netdevs
	// that got link, faults fired and their outcome): see Exercise.
	Observed []string
	// Coverage is set in Cover mode.
	Coverage *sim.Coverage
	EndTime  sim.Time
}

// Violated lists the violated properties in the order they happened.
func (r *Result) Violated() []string {
	out := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = f.Property
	}
	return out
}

// CrashError is a panic of the simulator itself (model code, a strategy)
// during an execution: everything needed to report and reproduce it.
type CrashError struct {
	// Panic is the value the model panicked with.
	Panic any
	// Task names the task that panicked ("" outside any task) and
	// KernelStack is its simulated kernel call chain, innermost first.
	Task        string
	KernelStack []string
	// GoStack is the Go stack at the panic.
	GoStack string
	// Schedule holds the choices made before the panic (empty when the
	// execution did not record them: NoRecord); replaying it reproduces
	// the panic. Steps and At say how far the execution got.
	Schedule sim.Schedule
	Steps    int
	At       sim.Time
	// Trace is the trace up to the panic, when the execution was traced.
	Trace []sim.Step
}

// Error says that the simulator crashed and why.
func (e *CrashError) Error() string {
	if e.Task != "" {
		return fmt.Sprintf("simulator crashed in task %s: %v", e.Task, e.Panic)
	}
	return fmt.Sprintf("simulator crashed: %v", e.Panic)
}

// crashError makes the CrashError of panic p (recovered from the engine or
// from building the world) of the execution s.
func crashError(p any, s *sim.Sim) *CrashError {
	e := &CrashError{Schedule: s.Schedule(), Steps: s.Steps(), At: s.Now(), Trace: s.Trace()}
	if tp, ok := p.(*sim.TaskPanic); ok {
		e.Panic, e.Task, e.KernelStack, e.GoStack = tp.Value, tp.Task, tp.KernelStack, tp.GoStack
	} else {
		// Outside the engine (building the world): this goroutine's stack
		// still holds the panicking frames.
		e.Panic, e.GoStack = p, string(debug.Stack())
	}
	return e
}

// MaxTraceSteps bounds a traced execution's trace (replays, reports,
// exports): an entry costs about 200 bytes, so the trace of an execution
// at the largest max_steps (10^7) would take 2 GB and more. Past it the
// execution goes on unrecorded (Result.TraceTruncated). A variable so
// that tests can lower it; not to be changed while executions run.
var MaxTraceSteps = 1_000_000

// Mode selects what an execution records.
type Mode uint8

// Execution modes.
const (
	// Trace records every step for reports and exports.
	Trace Mode = 1 << iota
	// NoRecord keeps no schedule (campaigns re-run a failing seed with
	// recording, which gives the identical execution).
	NoRecord
	// Cover records coverage (interleaving pairs, faults in flight).
	Cover
	// Swarm lets the chooser pick, per execution, how many times each fault
	// may fire (0 to its count): some executions are quiet, some stormy.
	Swarm
	// Scripted lets faults lapse unfired (sim.Config.FaultsMayLapse): a
	// script fires the faults it names and no others.
	Scripted
)

// Execute runs one execution of sc under strategy, with every
// nondeterministic decision answered by c. A panic inside the model is
// returned as a *CrashError.
func Execute(sc *Scenario, strategy string, c sim.Chooser, mode Mode) (Result, error) {
	return execute(sc, strategy, c, mode, execOptions{})
}

// ExecuteUntil is Execute that ends the execution at the next scheduling
// point once stop is true (Result.End is then sim.EndInterrupted, with no
// end-of-execution checks: the execution has no verdict). Reading stop
// changes no choice: an execution that completes is the one Execute runs.
func ExecuteUntil(sc *Scenario, strategy string, c sim.Chooser, mode Mode, stop *atomic.Bool) (Result, error) {
	return execute(sc, strategy, c, mode, execOptions{stop: stop})
}

// execOptions are the internal knobs of execute.
type execOptions struct {
	// started, if not nil, sees the engine before it runs (the engine is
	// then not released: the caller keeps it).
	started func(*sim.Sim)
	// stop interrupts the execution (see ExecuteUntil).
	stop *atomic.Bool
	// pool is the campaign worker's engine pool (nil: process-wide).
	pool *sim.Pool
	// boot, if set, is the worker's snapshot of the scenario's prefix
	// (see bootCache); executions start from it where they can.
	boot *bootCache
}

// execute is Execute with options.
func execute(sc *Scenario, strategy string, c sim.Chooser, mode Mode, o execOptions) (res Result, err error) {
	started := o.started
	cfg := sim.Config{Horizon: sc.Horizon, MaxSteps: sc.MaxSteps, Trace: mode&Trace != 0, NoRecord: mode&NoRecord != 0,
		FaultsMayLapse: mode&Scripted != 0, Interrupt: o.stop, Pool: o.pool}
	if cfg.Trace {
		cfg.TraceLimit = MaxTraceSteps
	}
	if mode&Cover != 0 {
		cfg.Coverage = sim.NewCoverage()
	}
	var s *sim.Sim
	var w *World
	snapshot := o.boot != nil && BootSnapshots && started == nil && mode&(Trace|Swarm|Scripted) == 0
	if snapshot {
		s, w = o.boot.world(sc, strategy, cfg, c)
		snapshot = s != nil
	}
	if !snapshot {
		s = sim.New(cfg, c)
	}
	defer func() {
		if p := recover(); p != nil {
			ce := crashError(p, s)
			err = ce
			res = Result{Schedule: ce.Schedule, Steps: ce.Steps, Trace: ce.Trace, EndTime: ce.At}
			if snapshot {
				*o.boot = bootCache{} // the world is left mid-step: prepare anew
			}
		}
	}()
	if !snapshot {
		if w, err = Build(sc, strategy, s, mode&Swarm != 0); err != nil {
			return Result{}, err
		}
	}
	if _, ok := c.(sim.Resting); ok {
		s.SetFingerprint(func(h *sim.StateHash) { h.Value(w) })
	}
	if started != nil {
		started(s)
	}
	end := s.Run()
	if end != sim.EndBudget && end != sim.EndPruned && end != sim.EndOops && end != sim.EndInterrupted && end != sim.EndRestart &&
		end != sim.EndEquivalent {
		w.K.CheckLeaks()
		w.W.CheckRecovery(end == sim.EndQuiescent)
		w.W.CheckEnd()
	}
	res = Result{Schedule: s.Schedule(), Steps: s.Steps(), Decisions: s.Decisions(), End: end, Trace: s.Trace(), EndTime: s.Now(), Coverage: cfg.Coverage,
		Observed: s.Observed(), TraceTruncated: s.TraceTruncated()}
	for _, f := range s.Findings() {
		if len(sc.Properties) == 0 || slices.Contains(sc.Properties, f.Property) {
			res.Findings = append(res.Findings, f)
		}
	}
	if started == nil && !snapshot {
		s.Release() // nobody else holds the engine: recycle its tasks
	}
	return res, nil
}
