package scenarios

import (
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// BenchmarkExecute measures executions/s of each canonical world under the
// safe strategy and a buggy one, as a campaign worker runs them: no
// schedule kept, coverage recorded, the worker's engine pool and boot
// snapshot.
func BenchmarkExecute(b *testing.B) {
	for _, name := range []string{"rmk-2022-unbind", "rmk-2022-rmmod", "rmk-2022-self-pin", "rmk-2022-nfsroot",
		"rmk-2022-get-device", "pcs-rebind", "racy-release", "soak"} {
		for _, st := range []string{"phylink-notify", "module-ref"} {
			b.Run(name+"/"+st, func(b *testing.B) { benchExecute(b, name, st, true) })
		}
	}
}

// BenchmarkExecuteBuild is BenchmarkExecute with every execution building
// and booting its world (boot snapshots off).
func BenchmarkExecuteBuild(b *testing.B) {
	for _, name := range []string{"rmk-2022-unbind", "racy-release"} {
		b.Run(name+"/phylink-notify", func(b *testing.B) { benchExecute(b, name, "phylink-notify", false) })
	}
}

func benchExecute(b *testing.B, name, st string, snapshots bool) {
	sc, err := Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer func(old bool) { BootSnapshots = old }(BootSnapshots)
	BootSnapshots = snapshots
	pool := sim.NewPool()
	defer pool.Close()
	o := execOptions{pool: pool, boot: &bootCache{}}
	b.ReportAllocs()
	steps := 0
	for i := range b.N {
		r, err := execute(sc, st, sim.NewRandom(sim.ExecutionSeed(1, i)), NoRecord|Cover, o)
		if err != nil {
			b.Fatal(err)
		}
		steps += r.Steps
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exec/s")
	b.ReportMetric(float64(steps)/float64(b.N), "steps/exec")
}
