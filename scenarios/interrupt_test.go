package scenarios

import (
	"sync/atomic"
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// TestCampaignsStopInsideExecutions: once the interrupt flag is set, a
// seeded campaign and a dfs exploration visit the execution in flight as
// interrupted (no verdict) and run nothing more.
func TestCampaignsStopInsideExecutions(t *testing.T) {
	sc, err := Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	stop.Store(true)
	var seen []sim.End
	CampaignUntil(sc, "module-ref", RandomExplorer{}, 1000, func(i int) uint64 { return uint64(i) }, 1, &stop, func(o Outcome) bool {
		seen = append(seen, o.Result.End)
		return o.Result.End != sim.EndInterrupted
	})
	if len(seen) != 1 || seen[0] != sim.EndInterrupted {
		t.Errorf("campaign visited %v, want one interrupted execution", seen)
	}
	seen = nil
	r := ExploreDFS(sc, "module-ref", DFSOptions{Preemptions: 1, Limit: 1000, Interrupt: &stop}, func(o Outcome) bool {
		seen = append(seen, o.Result.End)
		return true
	})
	if len(seen) != 1 || seen[0] != sim.EndInterrupted || r.Exhausted {
		t.Errorf("dfs visited %v (exhausted %v), want one interrupted execution", seen, r.Exhausted)
	}
	res, err := ExecuteUntil(sc, "module-ref", sim.NewRandom(1), 0, &stop)
	if err != nil || res.End != sim.EndInterrupted || len(res.Findings) != 0 {
		t.Errorf("ExecuteUntil: end %v, findings %d, err %v", res.End, len(res.Findings), err)
	}
}
