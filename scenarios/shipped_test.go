package scenarios

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pcssim/sim"
)

// TestShippedVerdicts runs every shipped scenario under every strategy it
// states an expectation for and checks that exactly the expected properties
// are violated. The verdicts come from executing the model.
func TestShippedVerdicts(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 100
	}
	for _, name := range Shipped() {
		sc, err := Open(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(sc.Expect) == 0 {
			t.Errorf("%s: no expect section", name)
		}
		for _, st := range sc.ExpectOrder {
			t.Run(name+"/"+st, func(t *testing.T) {
				t.Parallel()
				got := map[string]bool{}
				for i := 0; i < n; i++ {
					r, err := Execute(sc, st, sim.NewRandom(sim.ExecutionSeed(1, i)), NoRecord)
					if err != nil {
						t.Fatalf("execution %d: %v", i, err)
					}
					for _, p := range r.Violated() {
						got[p] = true
					}
				}
				var gotList []string
				for _, p := range AllProperties {
					if got[p] {
						gotList = append(gotList, p)
					}
				}
				want := slices.Clone(sc.Expect[st])
				slices.SortFunc(want, func(a, b string) int { return slices.Index(AllProperties, a) - slices.Index(AllProperties, b) })
				if diff := cmp.Diff(want, gotList, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" && !(len(want) == 0 && len(gotList) == 0) {
					t.Errorf("violated properties over %d executions (-want +got):\n%s", n, diff)
				}
			})
		}
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
