package mdio

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// runBody runs body as one task on a fresh kernel with an MDIO layer and
// returns the properties of the findings, in order.
func runBody(t *testing.T, body func(t *sim.Task, s *Subsys, owner *devmodel.Device)) []string {
	t.Helper()
	sm := sim.New(sim.Config{}, sim.NewRandom(1))
	k := devmodel.New(sm)
	s := New(k)
	sm.Spawn("test", func(t *sim.Task) {
		owner := k.NewDevice(t, k.NewBus("platform"), "mdio0", nil)
		body(t, s, owner)
	})
	sm.Run()
	var props []string
	for _, f := range sm.Findings() {
		props = append(props, f.Property)
	}
	return props
}

func TestBusLifecycleInOrderIsClean(tt *testing.T) {
	props := runBody(tt, func(t *sim.Task, s *Subsys, owner *devmodel.Device) {
		b := s.Alloc(t, owner, nil, "mdio0", []Node{{Addr: 3, Name: "pcs0"}})
		s.Register(t, b)
		if d := b.Map[3]; d == nil || !d.Dev.Registered() {
			tt.Errorf("of_mdiobus_register did not register the node's mdio_device: %+v", b.Map[3])
		}
		s.Unregister(t, b)
		s.Free(t, b)
		if !b.Obj.Freed() {
			tt.Error("mdiobus_free of an unregistered bus did not free it")
		}
	})
	if len(props) != 0 {
		tt.Fatalf("findings %v, want none", props)
	}
}

func TestFreeOfRegisteredBusWarns(tt *testing.T) {
	var report string
	sm := sim.New(sim.Config{}, sim.NewRandom(1))
	k := devmodel.New(sm)
	s := New(k)
	sm.Spawn("test", func(t *sim.Task) {
		owner := k.NewDevice(t, k.NewBus("platform"), "mdio0", nil)
		b := s.Alloc(t, owner, nil, "mdio0", nil)
		s.Register(t, b)
		s.Free(t, b) // the driver forgot mdiobus_unregister
		s.Unregister(t, b)
	})
	sm.Run()
	var props []string
	for _, f := range sm.Findings() {
		props = append(props, f.Property)
		if f.Property == "refcount" {
			report = f.Kernel
		}
	}
	if diff := cmp.Diff([]string{"refcount", "use-after-free"}, props); diff != "" {
		tt.Errorf("findings (-want +got):\n%s", diff)
	}
	if !strings.Contains(report, "WARNING: CPU: 0 PID: ") || !strings.Contains(report, "mdiobus_free+0x0/0x0") {
		tt.Errorf("WARN report:\n%s", report)
	}
}

func TestHeldMdioDeviceOutlivesItsBus(tt *testing.T) {
	props := runBody(tt, func(t *sim.Task, s *Subsys, owner *devmodel.Device) {
		b := s.Alloc(t, owner, nil, "mdio0", []Node{{Addr: 3, Name: "pcs0"}})
		s.Register(t, b)
		holder := s.K.Heap.Alloc(t, "struct lynx_pcs", "pcs0")
		d := s.FindByFwnode(t, "pcs0", holder)
		if d == nil {
			tt.Fatal("fwnode_mdio_find_device found nothing")
		}
		s.Unregister(t, b)
		s.Free(t, b)
		if d.Dev.Obj.Freed() {
			tt.Error("the held mdio_device was freed with its bus")
		}
		if s.FindByFwnode(t, "pcs0", holder) != nil {
			tt.Error("an unregistered mdio_device was found by fwnode")
		}
		s.Access(t, d, "read") // lynx_pcs_get_state: mdiodev->bus is stale
		s.Put(t, d, holder)
		if !d.Dev.Obj.Freed() {
			tt.Error("the last mdio_device_put did not free it")
		}
		s.K.Heap.Kfree(t, holder)
	})
	if diff := cmp.Diff([]string{"use-after-free"}, props); diff != "" {
		tt.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestUnregisterTwiceWarns(tt *testing.T) {
	props := runBody(tt, func(t *sim.Task, s *Subsys, owner *devmodel.Device) {
		b := s.Alloc(t, owner, nil, "mdio0", nil)
		s.Register(t, b)
		s.Unregister(t, b)
		s.Unregister(t, b)
		s.Free(t, b)
	})
	if diff := cmp.Diff([]string{"refcount"}, props); diff != "" {
		tt.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestDevmRegisterUnwindsBeforeDevmFree(tt *testing.T) {
	props := runBody(tt, func(t *sim.Task, s *Subsys, owner *devmodel.Device) {
		s.K.DeviceAdd(t, owner)
		o := &Owner{}
		for _, st := range DefaultControllerProbe {
			s.Step(t, o, owner, nil, st, []Node{{Addr: 1, Name: "pcs1"}})
		}
		s.K.DeviceUnregister(t, owner) // device_del releases devres LIFO
		if !o.Bus.Obj.Freed() || o.Bus.State != StateReleased {
			tt.Errorf("bus after devres release: freed %v, state %s", o.Bus.Obj.Freed(), stateNames[o.Bus.State])
		}
	})
	if len(props) != 0 {
		tt.Fatalf("findings %v, want none", props)
	}
}
