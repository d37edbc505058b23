package scenarios

import (
	"fmt"
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// BenchmarkCampaign measures campaign throughput with 1 and 2 workers on
// rmk-2022-unbind under the safe strategy; exec/s at jobs=2 over jobs=1 is
// the parallel speed-up.
func BenchmarkCampaign(b *testing.B) {
	sc, err := Open("rmk-2022-unbind")
	if err != nil {
		b.Fatal(err)
	}
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			seed := func(i int) uint64 { return sim.ExecutionSeed(1, i) }
			Campaign(sc, "phylink-notify", RandomExplorer{}, b.N, seed, jobs, func(Outcome) bool { return true })
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exec/s")
		})
	}
}
