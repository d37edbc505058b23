package scenarios

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"pcssim/pcs"
	"pcssim/sim"
)

// verdictSeeds is how many executions each explorer runs per (scenario,
// strategy) in TestShippedVerdicts.
func verdictSeeds() int {
	if testing.Short() {
		return 150
	}
	return 1000
}

// violatedOver runs n executions of sc under st with each of random and
// pct and returns the properties violated in any of them, in the order of
// AllProperties.
func violatedOver(t *testing.T, sc *Scenario, st string, n int) []string {
	got := map[string]bool{}
	for _, name := range []string{"random", "pct"} {
		ex, _ := NewExplorer(name, sc, st, 3)
		for i := range n {
			r, err := Execute(sc, st, ex.New(sim.ExecutionSeed(1, i)), NoRecord)
			if err != nil {
				t.Fatalf("%s execution %d: %v", name, i, err)
			}
			for _, p := range r.Violated() {
				got[p] = true
			}
		}
	}
	var out []string
	for _, p := range AllProperties {
		if got[p] {
			out = append(out, p)
		}
	}
	return out
}

// TestShippedVerdicts runs every shipped scenario under every strategy and
// checks its expect section: exactly the expected properties are violated
// over the random and pct explorers' first executions (in -short mode, with
// fewer executions, nothing unexpected is). The verdicts come from
// executing the model, never from a table.
func TestShippedVerdicts(t *testing.T) {
	n := verdictSeeds()
	for _, name := range Shipped() {
		sc, err := Open(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, st := range pcs.DesignIDs {
			want, ok := sc.Expect[st]
			if !ok {
				t.Errorf("%s: expect names no verdict for %s", name, st)
				continue
			}
			t.Run(name+"/"+st, func(t *testing.T) {
				t.Parallel()
				got := violatedOver(t, sc, st, n)
				want := slices.Clone(want)
				slices.SortFunc(want, func(a, b string) int { return slices.Index(AllProperties, a) - slices.Index(AllProperties, b) })
				if testing.Short() {
					for _, p := range got {
						if !slices.Contains(want, p) {
							t.Errorf("unexpected %s over %d executions per explorer (expect %v)", p, n, want)
						}
					}
					return
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("violated properties over %d executions per explorer (-want +got):\n%s", n, diff)
				}
			})
		}
	}
}

// TestSafeStrategyOnCanonicalWorlds runs phylink-notify 20 000 times on
// every canonical world: no property may ever be violated.
func TestSafeStrategyOnCanonicalWorlds(t *testing.T) {
	if testing.Short() {
		t.Skip("20 000 executions per world; run without -short")
	}
	for _, name := range []string{"rmk-2022-unbind", "rmk-2022-rmmod", "rmk-2022-self-pin", "rmk-2022-nfsroot",
		"rmk-2022-get-device", "pcs-rebind", "racy-release"} {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for i := range 20_000 {
				r, err := Execute(sc, "phylink-notify", sim.NewRandom(sim.ExecutionSeed(7, i)), NoRecord)
				if err != nil || len(r.Findings) > 0 {
					t.Fatalf("execution %d: %v %v", i, err, r.Violated())
				}
			}
		})
	}
}

// TestReplayReproduces checks that a violation's recorded schedule replays
// to the identical trace and findings.
func TestReplayReproduces(t *testing.T) {
	sc, err := Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Execute(sc, "module-ref", sim.NewRandom(7), Trace)
	if err != nil || len(a.Findings) == 0 {
		t.Fatalf("no violation: %v", err)
	}
	b, err := Execute(sc, "module-ref", sim.NewReplay(a.Schedule), Trace)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.Trace, b.Trace); diff != "" {
		t.Fatalf("replay trace differs:\n%s", diff)
	}
	if diff := cmp.Diff(a.Findings, b.Findings); diff != "" {
		t.Fatalf("replay findings differ:\n%s", diff)
	}
}

// TestRacyReleaseFoundAndSafeClean: some early seed finds the racy
// release's use-after-free and its schedule reproduces it; the safe
// strategy is clean on every seed tried.
func TestRacyReleaseFoundAndSafeClean(t *testing.T) {
	sc, err := Open("racy-release")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i := 0; i < 2000 && !found; i++ {
		r, _ := Execute(sc, "phylink-notify-racy", sim.NewRandom(sim.ExecutionSeed(1, i)), 0)
		if slices.Contains(r.Violated(), "use-after-free") {
			found = true
			again, _ := Execute(sc, "phylink-notify-racy", sim.NewReplay(r.Schedule), 0)
			if !slices.Contains(again.Violated(), "use-after-free") {
				t.Fatalf("seed index %d: replay does not reproduce", i)
			}
		}
	}
	if !found {
		t.Fatal("no seed among the first 2000 finds the racy release")
	}
	for i := 0; i < 2000; i++ {
		r, _ := Execute(sc, "phylink-notify", sim.NewRandom(sim.ExecutionSeed(1, i)), NoRecord)
		if len(r.Findings) > 0 {
			t.Fatalf("safe strategy violates %v at seed index %d", r.Violated(), i)
		}
	}
}
