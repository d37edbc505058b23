package scenarios

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// outcomes runs a campaign (or, for dfs, an exploration) and returns
// every outcome, with boot snapshots on or off.
func outcomes(t *testing.T, sc *Scenario, st string, ex Explorer, n int, snapshots bool) []Outcome {
	t.Helper()
	defer func(old bool) { BootSnapshots = old }(BootSnapshots)
	BootSnapshots = snapshots
	var out []Outcome
	visit := func(o Outcome) bool {
		if o.Err != nil {
			t.Fatalf("%s/%s: %v", sc.Name, st, o.Err)
		}
		out = append(out, o)
		return true
	}
	if ex == nil {
		r := ExploreDFS(sc, st, DFSOptions{Preemptions: 1, Limit: n}, visit)
		out = append(out, Outcome{Index: -1, Weight: sim.Weight{Schedules: r.Unreduced, Violated: r.Violated}})
		return out
	}
	Campaign(sc, st, ex, n, func(i int) uint64 { return sim.ExecutionSeed(7, i) }, 2, visit)
	return out
}

// TestBootSnapshotsChangeNothing: for every shipped scenario, strategy and
// explorer, executions started from the boot snapshot give the same
// results as executions that build their world (findings with their
// reports, schedules, steps, ends, observations, coverage; dfs counts).
// Outside the long tier (testtier): half the (scenario, strategy) pairs,
// 20 executions per explorer instead of 40.
func TestBootSnapshotsChangeNothing(t *testing.T) {
	n := testtier.Pick(t, 10, 20, 40) // executions per explorer (dfs: a limit); 40 in the long tier
	// Not parallel: outcomes switches the package's BootSnapshots.
	opts := cmp.Options{cmpopts.EquateEmpty(), cmp.Comparer(func(a, b *sim.Coverage) bool {
		if a == nil || b == nil {
			return a == b
		}
		return cmp.Equal(a.Pairs, b.Pairs, cmpopts.EquateEmpty()) && cmp.Equal(a.Faults, b.Faults, cmpopts.EquateEmpty())
	})}
	long := testtier.Long(t)
	for i, name := range Shipped() {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		for j, st := range pcs.StrategyIDs() {
			if !long && (i+j)%2 == 1 {
				continue // outside the long tier, half the pairs: every world, every strategy
			}
			pct, _ := NewExplorer("pct", sc, st, 3)
			for _, ex := range []Explorer{RandomExplorer{}, pct, nil} {
				exName := "dfs"
				if ex != nil {
					exName = ex.Name()
				}
				want := outcomes(t, sc, st, ex, n, false)
				got := outcomes(t, sc, st, ex, n, true)
				if d := cmp.Diff(want, got, opts); d != "" {
					t.Errorf("%s/%s/%s: with boot snapshots (-without +with):\n%s", name, st, exName, d)
				}
			}
		}
	}
}

// TestBootSnapshotTaken: the canonical world's prefix (boot, probe, link
// up) is found and saved; a world whose build consults the chooser (a
// fault with a probability) gets none.
func TestBootSnapshotTaken(t *testing.T) {
	sc, err := Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	p := sim.NewPool()
	defer p.Close()
	b := &bootCache{}
	cfg := sim.Config{Horizon: sc.Horizon, Pool: p}
	s, w := b.world(sc, "phylink-notify", cfg, sim.NewRandom(1))
	if s == nil || w == nil {
		t.Fatal("no boot snapshot for rmk-2022-unbind")
	}
	if s.Steps() == 0 || s.Now() == 0 {
		t.Errorf("snapshot at step %d, t=%s: the prefix ran nothing", s.Steps(), s.Now())
	}
	objs, _ := b.snap.Model().Objects()
	t.Logf("prefix: %d steps to t=%s, %d objects saved", s.Steps(), s.Now(), objs)

	chancy := *sc
	chancy.Faults = slices.Clone(sc.Faults)
	chancy.Faults[0].Probability = 0.5
	b = &bootCache{}
	if s, _ := b.world(&chancy, "phylink-notify", cfg, sim.NewRandom(1)); s != nil || !b.off {
		t.Error("a snapshot of a world whose build asks the chooser")
	}
}
