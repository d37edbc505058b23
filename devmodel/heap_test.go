package devmodel

import (
	"testing"

	"github.com/pcssim/pcssim/sim"
)

func runTask(body func(k *Kernel, t *sim.Task)) []sim.Finding {
	s := sim.New(sim.Config{}, sim.NewRandom(1))
	k := New(s)
	s.Spawn("test", func(t *sim.Task) { body(k, t) })
	s.Run()
	return s.Findings()
}

func TestUseAfterFreeFires(t *testing.T) {
	f := runTask(func(k *Kernel, t *sim.Task) {
		o := k.Heap.Alloc(t, "struct phylink_pcs", "p")
		k.Heap.Kfree(t, o)
		k.Heap.Access(t, o, Read)
	})
	if len(f) != 1 || f[0].Property != "use-after-free" {
		t.Fatalf("findings %+v, want use-after-free", f)
	}
}

func TestAccessBeforeFreeIsClean(t *testing.T) {
	f := runTask(func(k *Kernel, t *sim.Task) {
		o := k.Heap.Alloc(t, "struct phylink_pcs", "p")
		k.Heap.Access(t, o, Read)
		k.Heap.Kfree(t, o)
	})
	if len(f) != 0 {
		t.Fatalf("findings %+v, want none", f)
	}
}

func TestDoubleFreeAndPutWithoutGet(t *testing.T) {
	f := runTask(func(k *Kernel, t *sim.Task) {
		o := k.Heap.Alloc(t, "struct x", "x")
		k.Heap.Kfree(t, o)
		k.Heap.Kfree(t, o)
	})
	if len(f) != 1 || f[0].Property != "refcount" {
		t.Fatalf("findings %+v, want refcount (double free)", f)
	}
	f = runTask(func(k *Kernel, t *sim.Task) {
		d := k.NewDevice(t, k.NewBus("b"), "d.0", nil)
		k.PutDevice(t, d, d.Obj) // d.Obj never took a reference
	})
	if len(f) != 1 || f[0].Property != "refcount" {
		t.Fatalf("findings %+v, want refcount (put without get)", f)
	}
}

func TestDevresReleasedLIFOAfterRemove(t *testing.T) {
	var order []string
	runTask(func(k *Kernel, t *sim.Task) {
		bus := k.NewBus("platform")
		drv := k.NewDriver(bus, nil, "drv")
		drv.Probe = func(t *sim.Task, d *Device) int {
			k.DevmAddAction(t, d, "a", func(*sim.Task) { order = append(order, "a") })
			k.DevmAddAction(t, d, "b", func(*sim.Task) { order = append(order, "b") })
			return 0
		}
		drv.Remove = func(t *sim.Task, d *Device) { order = append(order, "remove") }
		k.DriverRegister(t, drv)
		d := k.NewDevice(t, bus, "drv.0", nil)
		k.DeviceAdd(t, d)
		if !d.Bound() {
			panic("not bound")
		}
		k.UnbindStore(t, drv, d)
		if d.Bound() || d.DevresCount() != 0 {
			panic("still bound or devres left")
		}
	})
	if got := len(order); got != 3 || order[0] != "remove" || order[1] != "b" || order[2] != "a" {
		t.Fatalf("order %v, want [remove b a]", order)
	}
}

func TestLeakFiresWhenHolderFreedWithReference(t *testing.T) {
	leak := func(putFirst bool) []sim.Finding {
		s := sim.New(sim.Config{}, sim.NewRandom(1))
		k := New(s)
		s.Spawn("test", func(t *sim.Task) {
			d := k.NewDevice(t, k.NewBus("b"), "d.0", nil)
			holder := k.Heap.Alloc(t, "struct phylink", "eth0")
			k.GetDevice(t, d, holder)
			if putFirst {
				k.PutDevice(t, d, holder)
			}
			k.Heap.Kfree(t, holder)
		})
		s.Run()
		k.CheckLeaks()
		return s.Findings()
	}
	if f := leak(false); len(f) != 1 || f[0].Property != "leak" {
		t.Fatalf("findings %+v, want leak", f)
	}
	if f := leak(true); len(f) != 0 {
		t.Fatalf("findings %+v, want none after put", f)
	}
}

func TestKrefUnderflowAndUseAfterUnload(t *testing.T) {
	f := runTask(func(k *Kernel, t *sim.Task) {
		d := k.NewDevice(t, k.NewBus("b"), "d.0", nil)
		h := k.Heap.Alloc(t, "struct x", "x")
		k.GetDevice(t, d, h)
		k.PutDevice(t, d, h)
		k.PutDevice(t, d, nil) // the bus's reference: count reaches 0, freed
		k.PutDevice(t, d, nil) // one put too many
	})
	if len(f) != 1 || (f[0].Property != "refcount" && f[0].Property != "use-after-free") {
		t.Fatalf("findings %+v, want a refcount or use-after-free finding", f)
	}
	f = runTask(func(k *Kernel, t *sim.Task) {
		m := k.NewModule("pcs-lynx")
		k.Insmod(t, m)
		ops := m.Core
		k.Rmmod(t, m)
		k.Heap.Access(t, ops, Call)
	})
	if len(f) != 1 || f[0].Property != "use-after-unload" {
		t.Fatalf("findings %+v, want use-after-unload", f)
	}
	f = runTask(func(k *Kernel, t *sim.Task) {
		m := k.NewModule("pcs-lynx")
		k.Insmod(t, m)
		k.Heap.Access(t, m.Core, Call)
		k.Rmmod(t, m)
	})
	if len(f) != 0 {
		t.Fatalf("findings %+v, want none for a call before rmmod", f)
	}
}
