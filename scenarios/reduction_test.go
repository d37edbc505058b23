package scenarios

import (
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// porVerdict is what partial-order reduction must not change: the
// properties a bounded search finds violated, and the class of the first
// violation it meets.
type porVerdict struct {
	Violated []string
	First    string
	// States are the distinct states at rest the search met: equivalent
	// schedules pass through the same ones, so a reduction that loses
	// one lost a schedule.
	States []sim.StateKey
}

// explorePOR runs dfs and returns its verdict, the number of executions,
// and whether it exhausted the bounded space.
func explorePOR(t interface{ Fatalf(string, ...any) }, sc *Scenario, st string, o DFSOptions) (porVerdict, DFSResult) {
	var v porVerdict
	o.RestStates = true
	r := ExploreDFS(sc, st, o, func(out Outcome) bool {
		if out.Err != nil {
			t.Fatalf("%s/%s: %v", sc.Name, st, out.Err)
		}
		for _, p := range out.Result.Violated() {
			if v.First == "" {
				v.First = p
			}
			if !slices.Contains(v.Violated, p) {
				v.Violated = append(v.Violated, p)
			}
		}
		return true
	})
	slices.Sort(v.Violated)
	v.States = r.RestStates
	return v, r
}

// TestDFSReductionSound compares dfs with and without partial-order
// reduction on every shipped scenario and strategy, with up to two
// preemptions: the same properties violated and the same first violation
// class whenever both searches exhaust the bounded space, never more
// executions with reduction, and reduction saving executions somewhere.
// Outside the long tier (testtier) it runs world i with strategy j when
// i+j is a multiple of 3 (every world and every strategy, a third of the
// pairs), with up to one preemption and a limit of 2 500 executions,
// without the worlds of dfsTooLarge, and a world whose search without
// preemptions does not end within the limit under one strategy is not
// tried under the others.
func TestDFSReductionSound(t *testing.T) {
	long := testtier.Long(t)
	limit := 4000
	bounds := []int{0, 1, 2}
	if !long {
		limit, bounds = 2500, []int{0, 1}
	}
	worlds := Shipped()
	if testing.Short() {
		limit, bounds = 2000, []int{1}
		worlds = []string{"rmk-2022-unbind", "racy-release", "xpcs-irq-order"}
	}
	var compared, saved atomic.Int64
	t.Cleanup(func() {
		if !t.Failed() && (compared.Load() == 0 || saved.Load() == 0) {
			t.Errorf("%d searches compared, reduction saved executions in %d", compared.Load(), saved.Load())
		}
	})
	for i, name := range worlds {
		if !long && slices.Contains(dfsTooLarge, name) {
			continue
		}
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		var strategies []string
		for j, st := range pcs.StrategyIDs() {
			if long || testing.Short() || (i+j)%3 == 0 {
				strategies = append(strategies, st)
			}
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, st := range strategies {
				for _, b := range bounds {
					// Reduced first: when it does not exhaust the space, the
					// plain search will not either.
					red, rr := explorePOR(t, sc, st, DFSOptions{Preemptions: b, Limit: limit})
					if !rr.Exhausted {
						if b == 0 && !long {
							return // too large for this tier: the long tier runs its other strategies
						}
						break
					}
					plain, pr := explorePOR(t, sc, st, DFSOptions{Preemptions: b, Limit: limit, NoReduce: true})
					if !pr.Exhausted {
						break
					}
					compared.Add(1)
					if d := cmp.Diff(plain, red); d != "" {
						t.Errorf("%s/%s, %d preemptions: reduction changed the verdict (-plain +reduced):\n%s", name, st, b, d)
					}
					if rr.Runs > pr.Runs {
						t.Errorf("%s/%s, %d preemptions: %d executions reduced, %d plain", name, st, b, rr.Runs, pr.Runs)
					}
					if rr.Runs < pr.Runs {
						saved.Add(1)
					}
					t.Logf("%s/%s, %d preemptions: %d executions reduced (%d branches, %d executions pruned as equivalent), %d plain; %v",
						name, st, b, rr.Runs, rr.Equivalent, rr.EquivalentRuns, pr.Runs, red)
				}
			}
		})
	}
}

// TestDFSReductionSoundGenerated: the same on generated small worlds, each
// under a strategy rapid draws, with one preemption.
func TestDFSReductionSoundGenerated(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		loaded, data := genLoadedWorld(rt)
		st := rapid.SampledFrom(pcs.DesignIDs).Draw(rt, "strategy")
		red, rr := explorePOR(rt, loaded, st, DFSOptions{Preemptions: 1, Limit: 300})
		if !rr.Exhausted {
			return
		}
		plain, pr := explorePOR(rt, loaded, st, DFSOptions{Preemptions: 1, Limit: 600, NoReduce: true})
		if !pr.Exhausted {
			return
		}
		if d := cmp.Diff(plain, red); d != "" {
			rt.Fatalf("%s: reduction changed the verdict (-plain +reduced):\n%s\nworld:\n%s", st, d, data)
		}
	})
}
