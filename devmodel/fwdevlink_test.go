package devmodel

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/sim"
)

// fwWorld is a MAC device whose firmware node refers to a PCS device
// (handle), both drivers built in; the MAC is added first when macFirst.
type fwWorld struct {
	s        *sim.Sim
	k        *Kernel
	pcsDrv   *Driver
	mac, pcs *Device
}

// bareKernel is a kernel on a fresh simulation with one platform bus and a
// built-in driver per name whose probe and remove do nothing.
func bareKernel(v Version, names ...string) (*sim.Sim, *Kernel, *Bus, map[string]*Driver) {
	s := sim.New(sim.Config{Horizon: 1 << 60, MaxSteps: 1 << 20}, sim.NewRandom(1))
	k := New(s)
	k.Version = v
	bus := k.NewBus("platform")
	drvs := map[string]*Driver{}
	for _, n := range names {
		drvs[n] = k.NewDriver(bus, nil, n)
		drvs[n].Probe, drvs[n].Remove = func(t *sim.Task, d *Device) int { return 0 }, func(t *sim.Task, d *Device) {}
	}
	return s, k, bus, drvs
}

func newFwWorld(t *testing.T, v Version, mode FwDevlink, pcsHandle bool, h Handle, macFirst bool) *fwWorld {
	t.Helper()
	w := &fwWorld{}
	s, k, bus, drvs := bareKernel(v, "lynx-pcs", "mvpp2")
	w.s, w.k, w.pcsDrv = s, k, drvs["lynx-pcs"]
	macDrv := drvs["mvpp2"]
	w.k.FwDevlink, w.k.FwPCSHandle = mode, pcsHandle
	w.run(t, func(t *sim.Task) {
		w.pcs = w.k.NewDevice(t, bus, "lynx-pcs.0", nil)
		w.mac = w.k.NewDevice(t, bus, "mvpp2.0", nil)
		h.Supplier = w.pcs
		w.mac.Handles = []Handle{h}
		order := []*Device{w.pcs, w.mac}
		if macFirst {
			order = []*Device{w.mac, w.pcs}
		}
		for _, d := range order {
			w.k.DeviceAdd(t, d)
		}
		w.k.DriverRegister(t, macDrv)
		w.k.DriverRegister(t, w.pcsDrv)
	})
	return w
}

func (w *fwWorld) run(t *testing.T, body func(t *sim.Task)) {
	t.Helper()
	w.k.Spawn("op", &Cause{Kind: "test"}, body)
	if end := w.s.Run(); end != sim.EndQuiescent {
		t.Fatalf("execution ended %v, want quiescent", end)
	}
}

func (w *fwWorld) unbindPCS(t *testing.T) {
	w.run(t, func(t *sim.Task) { w.k.UnbindStore(t, w.pcsDrv, w.pcs) })
}

func (w *fwWorld) bindPCS(t *testing.T) {
	w.run(t, func(t *sim.Task) { w.k.BindStore(t, w.pcsDrv, w.pcs) })
}

// linkFlags returns the flags of the MAC -> PCS device link, or -1.
func (w *fwWorld) linkFlags() int {
	for _, l := range w.k.Links() {
		if l.Consumer == w.mac && l.Supplier == w.pcs {
			return int(l.Flags)
		}
	}
	return -1
}

var pcsHandle = Handle{Property: "pcs-handle"}

func TestFwDevlinkOnUnbindsAndReprobesConsumer(t *testing.T) {
	w := newFwWorld(t, VNetNext, FwDevlinkOn, true, pcsHandle, false)
	if got, want := w.linkFlags(), int(DLInferred|DLAutoprobeConsumer); got != want {
		t.Fatalf("link flags %#x, want %#x (FW_DEVLINK_FLAGS_ON)", got, want)
	}
	if !w.mac.Bound() || !w.pcs.Bound() {
		t.Fatalf("after boot: mac bound %v, pcs bound %v", w.mac.Bound(), w.pcs.Bound())
	}
	w.unbindPCS(t)
	if w.mac.Bound() {
		t.Fatal("the PCS's unbind left its fw_devlink consumer bound")
	}
	w.bindPCS(t)
	if !w.mac.Bound() || w.mac.BoundCount != 2 {
		t.Fatalf("after the PCS came back: mac bound %v (binds %d), want reprobed (AUTOPROBE_CONSUMER)", w.mac.Bound(), w.mac.BoundCount)
	}
}

func TestFwDevlinkConsumerWaitsForSupplierDevice(t *testing.T) {
	w := newFwWorld(t, VNetNext, FwDevlinkOn, true, pcsHandle, true)
	if !w.mac.Bound() || w.mac.BoundCount != 1 {
		t.Fatalf("mac bound %v (%d binds), want bound once after its supplier", w.mac.Bound(), w.mac.BoundCount)
	}
	if w.linkFlags() < 0 {
		t.Fatal("no device link once the supplier device was added")
	}
	// The MAC's driver registers before the PCS device exists: the MAC
	// waits for it (a pending fwnode link), then for its driver (a
	// DORMANT device link).
	s, k, bus, drvs := bareKernel(VNetNext, "mvpp2", "lynx-pcs")
	k.FwPCSHandle = true
	macDrv, pcsDrv := drvs["mvpp2"], drvs["lynx-pcs"]
	var mac, pcs *Device
	var steps []string
	state := func() string {
		return map[bool]string{true: "bound", false: "unbound"}[mac.Bound()] + map[bool]string{true: " deferred", false: ""}[k.Deferred(mac)]
	}
	k.Spawn("op", &Cause{Kind: "test"}, func(t *sim.Task) {
		pcs = k.NewDevice(t, bus, "lynx-pcs.0", nil)
		mac = k.NewDevice(t, bus, "mvpp2.0", nil)
		mac.Handles = []Handle{{Property: "pcs-handle", Supplier: pcs}}
		k.DeviceAdd(t, mac)
		k.DriverRegister(t, macDrv)
		steps = append(steps, "no PCS device: "+state())
		k.DeviceAdd(t, pcs)
		steps = append(steps, "PCS device unbound: "+state())
		k.DriverRegister(t, pcsDrv)
	})
	if end := s.Run(); end != sim.EndQuiescent {
		t.Fatalf("execution ended %v", end)
	}
	steps = append(steps, "PCS bound: "+state())
	want := []string{"no PCS device: unbound deferred", "PCS device unbound: unbound deferred", "PCS bound: bound"}
	if d := cmp.Diff(want, steps); d != "" {
		t.Fatalf("MAC probe ordering (-want +got):\n%s", d)
	}
}

func TestFwDevlinkLeavesConsumerBound(t *testing.T) {
	cases := []struct {
		name      string
		v         Version
		mode      FwDevlink
		pcsHandle bool
		h         Handle
		flags     int // the link's flags after boot, -1 none
	}{
		{"6.12 does not parse pcs-handle", V6_12, FwDevlinkDefault, false, pcsHandle, -1},
		{"net-next without the series' parsing", VNetNext, FwDevlinkDefault, false, pcsHandle, -1},
		{"phy-handle is never parsed", VNetNext, FwDevlinkOn, true, Handle{Property: "phy-handle"}, -1},
		{"off", VNetNext, FwDevlinkOff, true, pcsHandle, -1},
		// A SYNC_STATE_ONLY link is dropped once its consumer binds.
		{"permissive", VNetNext, FwDevlinkPermissive, true, pcsHandle, -1},
		{"handle in a port node: proxy only", VNetNext, FwDevlinkOn, true, Handle{Property: "pcs-handle", Node: "ethernet-port@0"}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newFwWorld(t, c.v, c.mode, c.pcsHandle, c.h, false)
			if got := w.linkFlags(); got != c.flags {
				t.Errorf("link flags %#x, want %#x", got, c.flags)
			}
			w.unbindPCS(t)
			if !w.mac.Bound() {
				t.Error("the PCS's unbind unbound the MAC")
			}
		})
	}
}

func TestFwDevlinkDefaultModes(t *testing.T) {
	got := map[string]string{}
	for _, v := range []Version{V6_1, V6_12, VNetNext} {
		k := &Kernel{Version: v}
		got[v.String()] = k.FwDevlinkMode().String()
	}
	want := map[string]string{"6.1": "on", "6.12": "rpm", "net-next": "rpm"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("default fw_devlink per version (-want +got):\n%s", d)
	}
	w := newFwWorld(t, V6_12, FwDevlinkDefault, false, Handle{Property: "phys"}, false)
	if got, want := w.linkFlags(), int(DLInferred|DLAutoprobeConsumer|DLPMRuntime); got != want {
		t.Fatalf("6.12 phys link flags %#x, want %#x (FW_DEVLINK_FLAGS_RPM)", got, want)
	}
}

// A driver's own device_link_add on a pair fw_devlink already linked merges
// into the inferred link: without AUTOPROBE_CONSUMER's opposite, the longer
// lifetime wins, so the link survives the consumer's unbind and the
// consumer comes back with its supplier.
func TestDeviceLinkAddMergesIntoInferredLink(t *testing.T) {
	w := newFwWorld(t, VNetNext, FwDevlinkOn, true, pcsHandle, false)
	var l *Link
	w.run(t, func(t *sim.Task) { l = w.k.DeviceLinkAdd(w.mac, w.pcs, DLAutoremoveConsumer) })
	if got, want := l.Flags, DLAutoprobeConsumer; got != want || l.refs != 1 || !l.Managed {
		t.Fatalf("merged link flags %#x refs %d managed %v, want %#x (INFERRED cleared, no AUTOREMOVE), 1 (a managed merge takes no reference), managed", got, l.refs, l.Managed, want)
	}
	w.unbindPCS(t)
	w.bindPCS(t)
	if !w.mac.Bound() {
		t.Fatal("the MAC did not come back with its PCS")
	}
	w.k.DeviceLinkDel(l)
	if w.linkFlags() < 0 {
		t.Fatal("device_link_del dropped the managed link of a registered consumer (the kernel WARNs and keeps it)")
	}
}

// A supplier below its consumer in the device tree closes a cycle
// (__fw_devlink_relax_cycles): the link is permissive, so the supplier's
// unbind leaves its parent bound. Two references between the same nodes
// are one fwnode link.
func TestFwDevlinkChildSupplierIsACycle(t *testing.T) {
	s, k, bus, drvs := bareKernel(VNetNext, "mvpp2", "lynx-pcs")
	k.FwPCSHandle = true
	macDrv, pcsDrv := drvs["mvpp2"], drvs["lynx-pcs"]
	var mac, pcs *Device
	k.Spawn("op", &Cause{Kind: "test"}, func(t *sim.Task) {
		mac = k.NewDevice(t, bus, "mvpp2.0", nil)
		pcs = k.NewDevice(t, bus, "lynx-pcs.0", mac)
		mac.Handles = []Handle{{Property: "pcs-handle", Supplier: pcs}, {Property: "pcs-handle", Supplier: pcs}}
		k.DeviceAdd(t, mac)
		k.DeviceAdd(t, pcs)
		k.DriverRegister(t, macDrv)
		k.DriverRegister(t, pcsDrv)
		k.UnbindStore(t, pcsDrv, pcs)
	})
	if end := s.Run(); end != sim.EndQuiescent {
		t.Fatalf("execution ended %v", end)
	}
	if !mac.Bound() || len(k.fwnodeLinks) != 0 || len(k.Links()) != 0 {
		t.Fatalf("mac bound %v, fwnode links %d, device links %d: want bound, none left (the proxy went at bind)", mac.Bound(), len(k.fwnodeLinks), len(k.Links()))
	}
}

// A consumer deferred by its second supplier puts its first link back, so
// that supplier's unbind does not wait for a probe that is not running.
func TestDeferredConsumerReleasesItsLinks(t *testing.T) {
	s, k, bus, drvs := bareKernel(0, "mvpp2", "lynx-pcs", "serdes")
	var mac, pcs *Device
	k.Spawn("op", &Cause{Kind: "test"}, func(t *sim.Task) {
		pcs = k.NewDevice(t, bus, "lynx-pcs.0", nil)
		serdes := k.NewDevice(t, bus, "serdes.0", nil)
		mac = k.NewDevice(t, bus, "mvpp2.0", nil)
		mac.Handles = []Handle{{Property: "phys", Supplier: pcs}, {Property: "phys", Supplier: serdes}}
		for _, d := range []*Device{pcs, serdes, mac} {
			k.DeviceAdd(t, d)
		}
		k.DriverRegister(t, drvs["lynx-pcs"])
		k.DriverRegister(t, drvs["mvpp2"]) // serdes has no driver: mvpp2.0 defers
		k.UnbindStore(t, drvs["lynx-pcs"], pcs)
	})
	if end := s.Run(); end != sim.EndQuiescent {
		t.Fatalf("execution ended %v, want quiescent (no wait for a probe that is not running)", end)
	}
	if mac.Bound() || pcs.Bound() {
		t.Fatalf("mac bound %v, pcs bound %v: want both unbound", mac.Bound(), pcs.Bound())
	}
}
