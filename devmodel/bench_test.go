package devmodel

import (
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// smallWorld is one execution of a small driver-model world: a supplier and
// a consumer driver in two modules, a managed link, and concurrent insmod,
// sysfs unbind, rebind and rmmod.
func smallWorld(seed uint64) *sim.Sim {
	s := sim.New(sim.Config{NoRecord: true}, sim.NewRandom(seed))
	k := New(s)
	bus := k.NewBus("platform")
	sup := k.NewModule("sup")
	con := k.NewModule("con", sup)
	probe := func(t *sim.Task, d *Device) int {
		k.DevmKzalloc(t, d, "struct priv", d.Name)
		t.Yield("probe body")
		return 0
	}
	for _, m := range []*Module{sup, con} {
		drv := k.NewDriver(bus, m, m.Name)
		drv.Probe = probe
	}
	s.Spawn("boot", func(t *sim.Task) {
		ds := k.NewDevice(t, bus, "sup.0", nil)
		dc := k.NewDevice(t, bus, "con.0", nil)
		k.DeviceLinkAdd(dc, ds, DLAutoprobeConsumer)
		k.DeviceAdd(t, ds)
		k.DeviceAdd(t, dc)
		k.Insmod(t, sup)
		k.Insmod(t, con)
		k.Spawn("unbind", nil, func(t *sim.Task) { k.UnbindStore(t, sup.Drivers[0], ds) })
		k.Spawn("bind", nil, func(t *sim.Task) { k.BindStore(t, sup.Drivers[0], ds) })
		k.Spawn("rmmod", nil, func(t *sim.Task) { k.Rmmod(t, con) })
	})
	s.Run()
	return s
}

// BenchmarkSmallWorld measures executions/s of a small driver-model world.
func BenchmarkSmallWorld(b *testing.B) {
	b.ReportAllocs()
	steps := 0
	for i := range b.N {
		steps += smallWorld(uint64(i)).Steps()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exec/s")
	b.ReportMetric(float64(steps)/float64(b.N), "steps/exec")
}

func TestSmallWorldIsClean(t *testing.T) {
	for seed := range uint64(300) {
		if f := smallWorld(seed).Findings(); len(f) > 0 {
			t.Fatalf("seed %d: %s\n%s", seed, f[0].Summary, f[0].Detail)
		}
	}
}
