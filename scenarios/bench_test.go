package scenarios

import (
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// BenchmarkExecute measures executions/s of each canonical world under the
// safe strategy and a buggy one, as campaigns run them (no schedule kept).
func BenchmarkExecute(b *testing.B) {
	for _, name := range []string{"rmk-2022-unbind", "rmk-2022-rmmod", "rmk-2022-self-pin", "rmk-2022-nfsroot",
		"rmk-2022-get-device", "pcs-rebind", "racy-release", "soak"} {
		sc, err := Open(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, st := range []string{"phylink-notify", "module-ref"} {
			b.Run(name+"/"+st, func(b *testing.B) {
				b.ReportAllocs()
				steps := 0
				for i := range b.N {
					r, err := Execute(sc, st, sim.NewRandom(sim.ExecutionSeed(1, i)), NoRecord)
					if err != nil {
						b.Fatal(err)
					}
					steps += r.Steps
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exec/s")
				b.ReportMetric(float64(steps)/float64(b.N), "steps/exec")
			})
		}
	}
}
