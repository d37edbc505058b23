package scenarios

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/pcs"
)

// porVerdict is what partial-order reduction must not change: the
// properties a bounded search finds violated, and the class of the first
// violation it meets.
type porVerdict struct {
	Violated []string
	First    string
}

// explorePOR runs dfs and returns its verdict, the number of executions,
// and whether it exhausted the bounded space.
func explorePOR(t interface{ Fatalf(string, ...any) }, sc *Scenario, st string, o DFSOptions) (porVerdict, DFSResult) {
	var v porVerdict
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
	return v, r
}

// TestDFSReductionSound compares dfs with and without partial-order
// reduction on every shipped scenario and strategy, with up to two
// preemptions: the same properties violated and the same first violation
// class whenever both searches exhaust the bounded space, never more
// executions with reduction, and reduction saving executions somewhere.
func TestDFSReductionSound(t *testing.T) {
	limit := 4000
	bounds := []int{0, 1, 2}
	worlds := Shipped()
	if testing.Short() {
		limit, bounds = 2000, []int{1}
		worlds = []string{"rmk-2022-unbind", "racy-release", "xpcs-irq-order"}
	}
	compared, saved := 0, 0
	for _, name := range worlds {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range pcs.StrategyIDs() {
			for _, b := range bounds {
				// Reduced first: when it does not exhaust the space, the
				// plain search will not either.
				red, rr := explorePOR(t, sc, st, DFSOptions{Preemptions: b, Limit: limit})
				if !rr.Exhausted {
					break
				}
				plain, pr := explorePOR(t, sc, st, DFSOptions{Preemptions: b, Limit: limit, NoReduce: true})
				if !pr.Exhausted {
					break
				}
				compared++
				if d := cmp.Diff(plain, red); d != "" {
					t.Errorf("%s/%s, %d preemptions: reduction changed the verdict (-plain +reduced):\n%s", name, st, b, d)
				}
				if rr.Runs > pr.Runs {
					t.Errorf("%s/%s, %d preemptions: %d executions reduced, %d plain", name, st, b, rr.Runs, pr.Runs)
				}
				if rr.Runs < pr.Runs {
					saved++
				}
				t.Logf("%s/%s, %d preemptions: %d executions reduced (%d branches, %d executions pruned as equivalent), %d plain; %v",
					name, st, b, rr.Runs, rr.Equivalent, rr.EquivalentRuns, pr.Runs, red)
			}
		}
	}
	if compared == 0 || saved == 0 {
		t.Errorf("%d searches compared, reduction saved executions in %d", compared, saved)
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
