package scenarios

import (
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pcssim/pcs"
)

// dfsSummary is what a dfs exploration establishes: the schedules it
// covers, whether it covered all of them, and the properties violated.
type dfsSummary struct {
	Schedules int
	Exhausted bool
	Violated  []string
}

func exploreSummary(t *testing.T, sc *Scenario, st string, o DFSOptions) (dfsSummary, DFSResult) {
	t.Helper()
	var violated []string
	r := ExploreDFS(sc, st, o, func(out Outcome) bool {
		if out.Err != nil {
			t.Fatalf("%s/%s: %v", sc.Name, st, out.Err)
		}
		for _, p := range out.Result.Violated() {
			if !slices.Contains(violated, p) {
				violated = append(violated, p)
			}
		}
		return true
	})
	slices.Sort(violated)
	return dfsSummary{r.Unreduced, r.Exhausted, violated}, r
}

// TestDFSStateCacheSound checks state caching against the plain search on
// every shipped scenario and strategy: the same number of schedules
// covered (each pruned subtree counted by the size of the one it repeats)
// and the same properties violated, with fewer executions.
func TestDFSStateCacheSound(t *testing.T) {
	const limit = 7000 // larger spaces are left to the CLI
	var pruned atomic.Int64
	t.Cleanup(func() {
		if !t.Failed() && pruned.Load() == 0 {
			t.Error("state caching never pruned an execution")
		}
	})
	for _, name := range Shipped() {
		strategies := pcs.DesignIDs
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
				plain, pr := exploreSummary(t, sc, st, DFSOptions{Preemptions: 1, Limit: limit, NoCache: true})
				if !plain.Exhausted {
					continue // too large to compare here
				}
				cached, cr := exploreSummary(t, sc, st, DFSOptions{Preemptions: 1, Limit: limit})
				if diff := cmp.Diff(plain, cached); diff != "" {
					t.Errorf("%s/%s: state caching changed the result (-plain +cached):\n%s", name, st, diff)
				}
				if cr.Runs > pr.Runs {
					t.Errorf("%s/%s: %d executions with caching, %d without", name, st, cr.Runs, pr.Runs)
				}
				pruned.Add(int64(cr.Revisits))
				t.Logf("%s/%s: %d schedules, %d executions (%d without caching)", name, st, plain.Schedules, cr.Runs, pr.Runs)
			}
		})
	}
}

// TestDFSStateCacheQSGMII compares cached and plain dfs without preemptions
// on a two-lane QSGMII world (testdata/dfs/qsgmii-2.yaml): interrupt-driven
// PCSs shared by two MACs, where caching saves the most (the full
// qsgmii-shared is too large for the plain search).
func TestDFSStateCacheQSGMII(t *testing.T) {
	sc, err := LoadFile("testdata/dfs/qsgmii-2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range pcs.DesignIDs {
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
	if testing.Short() {
		t.Skip("60 000 schedules")
	}
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
