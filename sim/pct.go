package sim

import "math/rand/v2"

// PCT is probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi,
// Nagarakatte, ASPLOS 2010). Every candidate (task, trigger, "advance
// time") gets a random priority when first seen and the highest-priority
// candidate always runs; at Depth-1 change points, drawn uniformly from the
// first Steps scheduling steps, the candidate that ran last drops below all
// initial priorities. For a bug of depth d in a program with n tasks and k
// steps, one execution finds it with probability at least 1/(n·k^(d−1)).
// Here k counts scheduling decisions (points where more than one candidate
// exists), not all steps: change points land only where a different choice
// was possible, which shrinks k several-fold on kernel-like workloads.
type PCT struct {
	rng     *rand.Rand
	prio    map[int]int
	changes []int
	last    int
	nextLow int
	picks   int
}

// NewPCT returns a PCT chooser for one execution; steps estimates the
// number of scheduling decisions of an execution.
func NewPCT(seed uint64, depth, steps int) *PCT {
	p := &PCT{rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)), prio: map[int]int{}, last: AdvanceID - 1}
	steps = max(steps, 1)
	for i := 0; i < depth-1; i++ {
		p.changes = append(p.changes, p.rng.IntN(steps))
	}
	p.nextLow = depth
	return p
}

// Choose implements Chooser: data decisions are uniform.
func (p *PCT) Choose(n int, label string) int { return p.rng.IntN(n) }

// Pick implements Chooser.
func (p *PCT) Pick(cands []Candidate, step int) int {
	decision := p.picks
	p.picks++
	for _, c := range p.changes {
		if c == decision {
			if _, ok := p.prio[p.last]; ok {
				p.nextLow--
				p.prio[p.last] = p.nextLow
			}
		}
	}
	best, bestPrio := 0, -1<<62
	for i, c := range cands {
		pr, ok := p.prio[c.ID]
		if !ok {
			pr = 1000 + p.rng.IntN(1<<30)
			p.prio[c.ID] = pr
		}
		if pr > bestPrio {
			best, bestPrio = i, pr
		}
	}
	p.last = cands[best].ID
	return best
}
