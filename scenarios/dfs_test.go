package scenarios

import (
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// dfsSummary is what a dfs exploration establishes: the schedules it
// covers, whether it covered all of them, the properties violated and in
// how many schedules each.
type dfsSummary struct {
	Schedules int
	Exhausted bool
	Violated  []string
	Counts    map[string]int
}

func exploreSummary(t *testing.T, sc *Scenario, st string, o DFSOptions) (dfsSummary, DFSResult) {
	t.Helper()
	return exploreSummaryUpTo(t, sc, st, o, 0)
}

// exploreSummaryUpTo is exploreSummary stopping, when maxSchedules > 0,
// once the executions stand for more than maxSchedules schedules.
func exploreSummaryUpTo(t *testing.T, sc *Scenario, st string, o DFSOptions, maxSchedules int) (dfsSummary, DFSResult) {
	t.Helper()
	var violated []string
	weights, weighted := 0, map[string]int{}
	r := ExploreDFS(sc, st, o, func(out Outcome) bool {
		if out.Err != nil {
			t.Fatalf("%s/%s: %v", sc.Name, st, out.Err)
		}
		for _, p := range out.Result.Violated() {
			if !slices.Contains(violated, p) {
				violated = append(violated, p)
			}
			if out.Weight.Violated[p] != out.Weight.Schedules && out.Result.End != sim.EndEquivalent {
				t.Errorf("%s/%s: execution %d violates %s but counts it in %d of its %d schedules",
					sc.Name, st, out.Index, p, out.Weight.Violated[p], out.Weight.Schedules)
			}
		}
		weights += out.Weight.Schedules
		for p, n := range out.Weight.Violated {
			weighted[p] += n
		}
		return maxSchedules == 0 || weights <= maxSchedules
	})
	slices.Sort(violated)
	// The executions' weights add up to the totals but for the subtrees
	// skipped as interchangeable faults' twins.
	if twins := r.Unreduced - (r.Runs - r.EquivalentRuns) - r.Cached; weights+twins != r.Unreduced {
		t.Errorf("%s/%s: executions stand for %d schedules, twins for %d, of %d", sc.Name, st, weights, twins, r.Unreduced)
	}
	for p, n := range r.Violated {
		if n > r.Unreduced || weighted[p] > n || (r.Unreduced == r.Runs+r.Cached && weighted[p] != n) {
			t.Errorf("%s/%s: %s violated in %d of %d schedules, in %d by the executions' weights", sc.Name, st, p, n, r.Unreduced, weighted[p])
		}
	}
	return dfsSummary{r.Unreduced, r.Exhausted, violated, r.Violated}, r
}

// dfsTooLarge are the shipped worlds whose dfs search without preemptions
// ends within none of the dfs soundness tests' limits, under any strategy
// (a few seconds each to find that out): outside the long tier those tests
// leave them out. The long tier runs them (and would compare them, were
// they to become small enough).
var dfsTooLarge = []string{"soak", "lynx-enetc"}

// TestDFSStateCacheSound checks state caching against the plain search on
// every shipped scenario and strategy, with no preemption and with one:
// the same number of schedules covered (each pruned subtree counted by the
// size of the one it repeats), the same properties violated, each in the
// same number of schedules (end-of-execution checks included: an
// execution cut short counts what the cached subtree found after its
// state), with fewer executions. Searches too large to exhaust here are
// left to the CLI.
//
// Outside the long tier (testtier) the campaign is cut to a third and cut
// short where it could not compare anyway: world i runs strategy j when
// i+j is a multiple of 3 (every world and every strategy, a third of the
// pairs); the plain search's limit is 5 000 executions instead of 7 000 (a
// few searches with one preemption, on racy-release and release-pcs-stop,
// no longer fit; cli's TestDFSCountsIgnoreStateCache compares
// racy-release's through the command line); and the cached search stops
// once its executions stand for more schedules than the plain search may
// run (which could then not exhaust them: it runs one execution per
// schedule but for interchangeable faults' twins) and, without
// preemptions, at 1 000 executions (every search without preemptions that
// the plain search exhausts within its limit takes under 700 on the
// shipped worlds), so that the worlds too large to compare (qsgmii-shared)
// are not run to the limit only to find that out; a world whose search
// without preemptions does not end under one strategy is not tried under
// the others, and those of dfsTooLarge are left out. The long tier runs every pair
// and every probe to limit/2.
func TestDFSStateCacheSound(t *testing.T) {
	long := testtier.Long(t)
	limit := testtier.Pick(t, 7000, 5000, 7000) // plain search
	var pruned, compared atomic.Int64
	want := int64(testtier.Pick(t, 4, 40, 200)) // of 8 strategies x 25 worlds x 2 bounds
	stopAbove, probe0 := limit, 1000
	if long {
		stopAbove, probe0 = 0, limit/2
	}
	t.Cleanup(func() {
		if !t.Failed() && (pruned.Load() == 0 || compared.Load() < want) {
			t.Errorf("%d searches compared, state caching pruned %d executions", compared.Load(), pruned.Load())
		}
		t.Logf("%d searches compared, state caching pruned %d executions", compared.Load(), pruned.Load())
	})
	bounds := []int{0, 1}
	for i, name := range Shipped() {
		if !long && slices.Contains(dfsTooLarge, name) {
			continue
		}
		var strategies []string
		for j, st := range pcs.StrategyIDs() {
			if long || (i+j)%3 == 0 {
				strategies = append(strategies, st)
			}
		}
		if testing.Short() {
			// One world whose caching saves most, two strategies.
			if name != "rmk-2022-nfsroot" {
				continue
			}
			strategies = []string{"none", "phylink-notify"}
		}
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, st := range strategies {
				for _, b := range bounds {
					// Cached first: when it does not exhaust the space
					// within the limit, the plain search cannot either.
					probe := limit / 2
					if b == 0 {
						probe = probe0
					}
					cached, cr := exploreSummaryUpTo(t, sc, st, DFSOptions{Preemptions: b, Limit: probe}, stopAbove)
					pruned.Add(int64(cr.Revisits))
					if !cached.Exhausted {
						if b == 0 && !long {
							return // too large for this tier: the long tier runs its other strategies
						}
						break // nor with more preemptions
					}
					plain, pr := exploreSummary(t, sc, st, DFSOptions{Preemptions: b, Limit: limit, NoCache: true})
					if !plain.Exhausted {
						continue // too large to compare here
					}
					compared.Add(1)
					if diff := cmp.Diff(plain, cached); diff != "" {
						t.Errorf("%s/%s, %d preemptions: state caching changed the result (-plain +cached):\n%s", name, st, b, diff)
					}
					if cr.Runs > pr.Runs {
						t.Errorf("%s/%s, %d preemptions: %d executions with caching, %d without", name, st, b, cr.Runs, pr.Runs)
					}
					t.Logf("%s/%s, %d preemptions: %d schedules, %d executions (%d without caching), %v", name, st, b, plain.Schedules, cr.Runs, pr.Runs, plain.Counts)
				}
			}
		})
	}
}

// TestDFSStateCacheQSGMII compares cached and plain dfs without preemptions
// on a two-lane QSGMII world (testdata/dfs/qsgmii-2.yaml): interrupt-driven
// PCSs shared by two MACs, where caching saves the most (the full
// qsgmii-shared is too large for the plain search). With -short, two
// strategies.
func TestDFSStateCacheQSGMII(t *testing.T) {
	t.Parallel()
	sc, err := LoadFile("testdata/dfs/qsgmii-2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	strategies := pcs.DesignIDs
	if testing.Short() {
		strategies = []string{"none", "device-link"} // device-link: the use-after-free caching must keep
	}
	for _, st := range strategies {
		o := DFSOptions{Preemptions: 0, Limit: 20000}
		cached, cr := exploreSummary(t, sc, st, o)
		o.NoCache = true
		plain, pr := exploreSummary(t, sc, st, o)
		if diff := cmp.Diff(plain, cached); diff != "" || !plain.Exhausted {
			t.Errorf("%s: state caching changed the result (-plain +cached):\n%s", st, diff)
		}
		if 3*cr.Runs > pr.Runs {
			t.Errorf("%s: %d executions with caching, %d without: not a third", st, cr.Runs, pr.Runs)
		}
		t.Logf("%s: %d schedules, %d executions (%d without caching), violated %v", st, plain.Schedules, cr.Runs, pr.Runs, plain.Violated)
	}
}

// TestDFSStateCacheRacyRelease is the documented case: racy-release with
// two preemptions, where caching runs a third of the schedules and still
// finds the race of phylink-notify-racy.
func TestDFSStateCacheRacyRelease(t *testing.T) {
	testtier.SkipUnlessLong(t, "two dfs searches of about 55 000 schedules each, with and without caching")
	sc, err := Open("racy-release")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"phylink-notify", "phylink-notify-racy"} {
		o := DFSOptions{Preemptions: 2, Limit: 1 << 20}
		cached, cr := exploreSummary(t, sc, st, o)
		o.NoCache = true
		plain, pr := exploreSummary(t, sc, st, o)
		if diff := cmp.Diff(plain, cached); diff != "" {
			t.Errorf("%s: state caching changed the result (-plain +cached):\n%s", st, diff)
		}
		if 2*cr.Runs > pr.Runs {
			t.Errorf("%s: %d executions with caching, %d without: less than halved", st, cr.Runs, pr.Runs)
		}
		t.Logf("%s: %d schedules, %d executions (%d without caching), violated %v", st, plain.Schedules, cr.Runs, pr.Runs, cached.Violated)
	}
}
