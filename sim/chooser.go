package sim

import "math/rand/v2"

// Candidate is one thing the scheduler may do next: resume a task, fire an
// armed trigger, or let virtual time advance to the next event. ID is stable
// within an execution (tasks and triggers are numbered in creation order), so
// explorers such as PCT can attach priorities to it.
type Candidate struct {
	ID   int
	Name string
	// Last marks the task that ran the previous step: choosing another
	// candidate while it is runnable is a preemption.
	Last bool
	// Label is a task's next step ("" for faults and time).
	Label string
	// Key is the same for faults that are interchangeable: same name and
	// window (their effects are identical). "" for tasks and time.
	Key string
}

// AdvanceID is the Candidate.ID of "let virtual time advance".
const AdvanceID = -1

// Chooser is the single source of nondeterminism of an execution.
//
// Choose answers a data decision with a value in [0, n); label says what is
// being decided and only feeds the trace. Pick answers a scheduling decision
// with an index into cands (len(cands) >= 2). The engine records every answer,
// so any Chooser's execution can be replayed with a Replay chooser.
type Chooser interface {
	Choose(n int, label string) int
	Pick(cands []Candidate, step int) int
}

// Random is a Chooser drawing uniformly from a PCG generator.
type Random struct {
	rng *rand.Rand
	pcg rand.PCG // rng's source, in the same allocation
}

// NewRandom returns a Random chooser for an execution seed.
func NewRandom(seed uint64) *Random {
	r := &Random{}
	r.pcg.Seed(seed, seed^0x9e3779b97f4a7c15) // as rand.NewPCG
	r.rng = rand.New(&r.pcg)
	return r
}

// Choose implements Chooser.
func (r *Random) Choose(n int, label string) int { return r.rng.IntN(n) }

// Pick implements Chooser.
func (r *Random) Pick(cands []Candidate, step int) int { return r.rng.IntN(len(cands)) }

// Biased is implemented by choosers that can answer a yes/no question with
// a given probability of yes; others answer it as a uniform Choose(2).
type Biased interface {
	ChooseBiased(p float64, label string) int
}

// ChooseBiased implements Biased: 1 with probability p.
func (r *Random) ChooseBiased(p float64, label string) int {
	if r.rng.Float64() < p {
		return 1
	}
	return 0
}

// Replay is a Chooser that answers from a recorded schedule. An answer out of
// range for the current decision is reduced modulo n, and decisions past the
// end of the schedule get 0, so any edited (e.g. shrunk) schedule still
// denotes exactly one execution.
type Replay struct {
	sched Schedule
	pos   int
}

// NewReplay returns a chooser replaying s.
func NewReplay(s Schedule) *Replay { return &Replay{sched: s} }

func (r *Replay) next(n int) int {
	if r.pos >= len(r.sched) {
		return 0
	}
	v := int(r.sched[r.pos])
	r.pos++
	return v % n
}

// Choose implements Chooser.
func (r *Replay) Choose(n int, label string) int { return r.next(n) }

// Pick implements Chooser.
func (r *Replay) Pick(cands []Candidate, step int) int { return r.next(len(cands)) }

// ExecutionSeed derives the seed of execution index from a master seed
// (splitmix64), so results do not depend on how executions are split across
// jobs or shards.
func ExecutionSeed(master uint64, index int) uint64 {
	z := master + uint64(index+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return (z ^ (z >> 31)) >> 1 // 63 bits: prints as a plain positive number
}
