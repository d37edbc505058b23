package deadflag_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcssim/pcssim/examples/deadflag"
	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcssimtest"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// violated runs n random and n pct executions of world under the dead-flag
// strategy and returns the properties violated.
func violated(t *testing.T, world string, n int) []string {
	sc, err := scenarios.Open(world)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, name := range []string{"random", "pct"} {
		ex, _ := scenarios.NewExplorer(name, sc, deadflag.ID, 3)
		for i := range n {
			r, err := scenarios.Execute(sc, deadflag.ID, ex.New(sim.ExecutionSeed(1, i)), scenarios.NoRecord)
			if err != nil {
				t.Fatalf("%s: %v", world, err)
			}
			for _, p := range r.Violated() {
				got[p] = true
			}
		}
	}
	var out []string
	for _, p := range scenarios.AllProperties {
		if got[p] {
			out = append(out, p)
		}
	}
	return out
}

// verdicts is the dead-flag design's verdict on each world, as
// TestVerdicts asserts and docs/extending.md states (TestDocTable).
var verdicts = map[string][]string{
	"rmk-2022-unbind":     nil,
	"rmk-2022-rmmod":      nil,
	"rmk-2022-self-pin":   nil,
	"rmk-2022-nfsroot":    nil,
	"rmk-2022-get-device": nil,
	"pcs-rebind":          nil,
	"racy-release":        nil,
	"qsgmii-shared":       nil,
	"soak":                nil,
}

// TestVerdicts states the dead-flag design's verdict on every canonical
// world and the shipped topologies: it never uses freed memory and the link
// comes back after a rebind (the handle is revived; srcu-wrapper's is not),
// and, like srcu-wrapper, a resolve that read the link state before the
// release can report link up once after it (the flag is checked per op,
// not across phylink's decision), but the resolve that corrects it is
// already queued: a transient, not a link-without-pcs violation. In -short
// mode, with fewer executions, only "nothing unexpected" is asserted.
// 500 executions per explorer in the long tier (testtier), 250 by default.
func TestVerdicts(t *testing.T) {
	n := testtier.Pick(t, 100, 250, 500)
	for world, w := range verdicts {
		t.Run(world, func(t *testing.T) {
			t.Parallel()
			got := violated(t, world, n)
			if testing.Short() {
				for _, p := range got {
					if !slices.Contains(w, p) {
						t.Errorf("%s/%s: unexpected %s", world, deadflag.ID, p)
					}
				}
				return
			}
			if diff := cmp.Diff(w, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s/%s verdict (-want +got):\n%s", world, deadflag.ID, diff)
			}
		})
	}
}

// TestWithPcssimtest is how a kernel developer would check the design in
// CI: explore, and fail with a replayable report on any violation.
func TestWithPcssimtest(t *testing.T) {
	pcssimtest.Run(t, "pcs-rebind", pcssimtest.Options{Strategy: deadflag.ID, Seeds: 300})
}

// TestDFSStateCache checks that the strategy keeps dfs's state caching
// sound: with and without caching, dfs covers the same number of schedules
// and finds the same properties.
func TestDFSStateCache(t *testing.T) {
	for _, world := range []string{"rmk-2022-unbind", "pcs-rebind", "rmk-2022-nfsroot"} {
		sc, err := scenarios.Open(world)
		if err != nil {
			t.Fatal(err)
		}
		type summary struct {
			Schedules int
			Exhausted bool
			Violated  []string
		}
		explore := func(noCache bool) (summary, int) {
			var s summary
			r := scenarios.ExploreDFS(sc, deadflag.ID, scenarios.DFSOptions{Preemptions: 1, Limit: 20000, NoCache: noCache},
				func(o scenarios.Outcome) bool {
					for _, p := range o.Result.Violated() {
						if !slices.Contains(s.Violated, p) {
							s.Violated = append(s.Violated, p)
						}
					}
					return o.Err == nil
				})
			slices.Sort(s.Violated)
			s.Schedules, s.Exhausted = r.Unreduced, r.Exhausted
			return s, r.Runs
		}
		plain, plainRuns := explore(true)
		cached, cachedRuns := explore(false)
		if diff := cmp.Diff(plain, cached); diff != "" || !plain.Exhausted {
			t.Errorf("%s: state caching changed the result (-plain +cached):\n%s", world, diff)
		}
		t.Logf("%s: %d schedules in %d executions (%d without caching)", world, plain.Schedules, cachedRuns, plainRuns)
	}
}
