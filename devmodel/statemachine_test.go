package devmodel

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/sim"
)

// rapidChooser lets rapid's bitstream answer every scheduling and data
// question, so rapid shrinks interleavings together with the actions.
type rapidChooser struct{ t *rapid.T }

func (c *rapidChooser) Choose(n int, label string) int {
	return rapid.IntRange(0, n-1).Draw(c.t, label)
}

func (c *rapidChooser) Pick(cands []sim.Candidate, step int) int {
	return rapid.IntRange(0, len(cands)-1).Draw(c.t, "pick")
}

// coreMachine drives a small bus through random sequences of insmod, rmmod,
// sysfs bind/unbind, hot-unplug, re-add and module references, sometimes
// two at once, and checks the driver core's invariants at every quiescent
// point.
//
// The world: module "core" with driver "sup"; module "cons" (depends on
// core) with driver "con", whose devices have a managed link to sup.0
// (AUTOPROBE_CONSUMER); module "dfr" with driver "dfr", whose probe returns
// -EPROBE_DEFER unless sup.0 is bound. Every probe devm-allocates two
// objects and adds a devm action.
type coreMachine struct {
	rt   *rapid.T
	s    *sim.Sim
	k    *Kernel
	bus  *Bus
	mods []*Module
	drvs []*Driver
	// devs holds the current struct device of each name (a removed device
	// is replaced by a new one when re-added, as the kernel allocates anew).
	devs map[string]*Device
	// binding is the devres a device's current binding allocated; past
	// bindings' objects must all be freed.
	binding map[*Device][]*Object
	past    []*Object
	holders []*Object // module references taken by "userspace"
	holderM []*Module
	// deleted holds removed devices (their memory lives until the last put).
	deleted []*Device
}

var devNames = []string{"sup.0", "con.0", "dfr.0", "sup.1"}

func (m *coreMachine) init(rt *rapid.T) {
	m.rt = rt
	m.s = sim.New(sim.Config{Horizon: 1 << 60, MaxSteps: 1 << 30}, &rapidChooser{rt})
	m.k = New(m.s)
	m.bus = m.k.NewBus("platform")
	m.devs = map[string]*Device{}
	m.binding = map[*Device][]*Object{}
	core := m.k.NewModule("core")
	cons := m.k.NewModule("cons", core)
	dfr := m.k.NewModule("dfr")
	m.mods = []*Module{core, cons, dfr}
	for i, name := range []string{"sup", "con", "dfr"} {
		drv := m.k.NewDriver(m.bus, m.mods[i], name)
		drv.Probe = m.probe
		drv.Remove = func(t *sim.Task, d *Device) { t.Yield("remove body") }
		m.drvs = append(m.drvs, drv)
	}
	m.run(func(t *sim.Task) {
		for _, n := range devNames {
			m.addDevice(t, n)
		}
	})
}

// probe is every driver's probe: dfr defers until sup.0 is bound.
func (m *coreMachine) probe(t *sim.Task, d *Device) int {
	if d.Driver.Name == "dfr" {
		if s := m.devs["sup.0"]; s == nil || !s.Bound() {
			return -EPROBE_DEFER
		}
	}
	a := m.k.DevmKzalloc(t, d, "struct priv", d.Name)
	t.Yield("probe body")
	b := m.k.DevmKzalloc(t, d, "struct regs", d.Name)
	m.k.DevmAddAction(t, d, "action", func(*sim.Task) {})
	m.binding[d] = []*Object{a, b}
	return 0
}

func (m *coreMachine) addDevice(t *sim.Task, name string) {
	d := m.k.NewDevice(t, m.bus, name, nil)
	m.devs[name] = d
	if name == "con.0" {
		if s := m.devs["sup.0"]; s != nil && s.Registered() {
			m.k.DeviceLinkAdd(d, s, DLAutoprobeConsumer)
		}
	}
	m.k.DeviceAdd(t, d)
}

// run spawns one task per body and runs the engine to quiescence.
func (m *coreMachine) run(bodies ...func(t *sim.Task)) {
	for i, b := range bodies {
		m.k.Spawn(fmt.Sprintf("op%d", i), &Cause{Kind: "test"}, b)
	}
	if end := m.s.Run(); end != sim.EndQuiescent {
		m.rt.Fatalf("execution ended %v, want quiescent", end)
	}
	m.noteBindings()
}

// noteBindings moves the objects of bindings that ended to past.
func (m *coreMachine) noteBindings() {
	for _, d := range sortedDevices(m.binding) {
		if !d.Bound() {
			m.past = append(m.past, m.binding[d]...)
			delete(m.binding, d)
		}
	}
}

func sortedDevices(b map[*Device][]*Object) []*Device {
	out := make([]*Device, 0, len(b))
	for d := range b {
		out = append(out, d)
	}
	slices.SortFunc(out, func(x, y *Device) int { return x.Obj.ID - y.Obj.ID })
	return out
}

// op draws one driver-core operation as a task body. For rmmod it returns
// a check to run afterwards: the result must be 0 exactly when the module
// was LIVE with refcount 0 and no loaded dependant at the start.
func (m *coreMachine) op(t *rapid.T, label string) (func(*sim.Task), func()) {
	switch kind := rapid.SampledFrom([]string{"insmod", "rmmod", "bind", "unbind", "unplug", "replug", "get", "put"}).Draw(t, label); kind {
	case "insmod":
		mod := m.mods[rapid.IntRange(0, len(m.mods)-1).Draw(t, "module")]
		return func(t *sim.Task) { m.k.Insmod(t, mod) }, nil
	case "rmmod":
		mod := m.mods[rapid.IntRange(0, len(m.mods)-1).Draw(t, "module")]
		want := 0
		switch {
		case mod.State == Unloaded:
			want = ENOENT
		case len(mod.users()) > 0 || mod.Refcount() > 0:
			want = EWOULDBLOCK
		}
		var got int
		return func(t *sim.Task) { got = m.k.Rmmod(t, mod) }, func() {
			if got != want {
				m.rt.Fatalf("rmmod %s = %d, want %d (refcount %d, users %d)", mod.Name, got, want, mod.Refcount(), len(mod.users()))
			}
		}
	case "bind", "unbind":
		drv := m.drvs[rapid.IntRange(0, len(m.drvs)-1).Draw(t, "driver")]
		dev := m.devs[rapid.SampledFrom(devNames).Draw(t, "device")]
		if kind == "bind" {
			return func(t *sim.Task) { m.k.BindStore(t, drv, dev) }, nil
		}
		return func(t *sim.Task) { m.k.UnbindStore(t, drv, dev) }, nil
	case "unplug":
		dev := m.devs[rapid.SampledFrom(devNames).Draw(t, "device")]
		return func(t *sim.Task) {
			if dev.Registered() {
				m.deleted = append(m.deleted, dev)
			}
			m.k.DeviceUnregister(t, dev)
		}, nil
	case "replug":
		name := rapid.SampledFrom(devNames).Draw(t, "device")
		return func(t *sim.Task) {
			if !m.devs[name].Registered() {
				m.addDevice(t, name)
			}
		}, nil
	case "get":
		mod := m.mods[rapid.IntRange(0, len(m.mods)-1).Draw(t, "module")]
		return func(t *sim.Task) {
			h := m.k.Heap.Alloc(t, "struct file", "fd")
			if m.k.TryModuleGet(t, mod, nil, h) {
				m.holders, m.holderM = append(m.holders, h), append(m.holderM, mod)
			}
		}, nil
	default: // put
		return func(t *sim.Task) {
			if n := len(m.holders); n > 0 {
				m.k.ModulePut(t, m.holderM[n-1], m.holders[n-1])
				m.holders, m.holderM = m.holders[:n-1], m.holderM[:n-1]
			}
		}, nil
	}
}

// Sequential runs one operation.
func (m *coreMachine) Sequential(t *rapid.T) {
	m.rt = t
	body, after := m.op(t, "op")
	m.run(body)
	if after != nil {
		after()
	}
}

// Concurrent runs two operations as interleaved tasks; rapid picks the
// interleaving.
func (m *coreMachine) Concurrent(t *rapid.T) {
	m.rt = t
	a, _ := m.op(t, "op1")
	b, _ := m.op(t, "op2")
	m.run(a, b)
}

// Check asserts the driver-core invariants at a quiescent point.
func (m *coreMachine) Check(t *rapid.T) {
	if f := m.s.Findings(); len(f) > 0 {
		t.Fatalf("finding in a clean world: %s\n%s", f[0].Summary, f[0].Detail)
	}
	for _, mod := range m.mods {
		if mod.State != Live && mod.State != Unloaded {
			t.Fatalf("module %s is %v at quiescence", mod.Name, mod.State)
		}
	}
	for _, name := range devNames {
		d := m.devs[name]
		// A device is bound to at most one driver, and that driver's
		// klist agrees.
		n := 0
		for _, drv := range m.drvs {
			if slices.Contains(drv.bound, d) {
				n++
				if d.Driver != drv {
					t.Fatalf("%s on %s's klist but dev->driver is %v", name, drv.Name, d.Driver)
				}
			}
		}
		if n > 1 || (n == 1) != d.Bound() {
			t.Fatalf("%s is on %d drivers' klists, bound=%v", name, n, d.Bound())
		}
		if d.Bound() {
			if !d.Registered() {
				t.Fatalf("%s is bound but not registered", name)
			}
			// A bound device's driver belongs to a live module.
			if mod := d.Driver.Module; mod != nil && mod.State != Live {
				t.Fatalf("%s bound to %s of module %s in state %v", name, d.Driver.Name, mod.Name, mod.State)
			}
			for _, o := range m.binding[d] {
				if o.Freed() {
					t.Fatalf("%s: devres %s of the live binding was freed", name, o.Label())
				}
			}
		} else if d.DevresCount() != 0 {
			t.Fatalf("%s is unbound with %d devres entries left", name, d.DevresCount())
		}
		if d.Registered() && d.Obj.Freed() {
			t.Fatalf("struct device of registered %s was freed", name)
		}
		// Deferred devices were retried after every successful bind: one
		// still waiting must still have the reason it deferred for.
		if d.Registered() && !d.Bound() && m.k.Deferred(d) && m.reasonGoneByBind(d) {
			t.Fatalf("%s waits on the deferred list although its probe would now succeed", name)
		}
	}
	for _, o := range m.past {
		if !o.Freed() {
			t.Fatalf("devres %s of an ended binding is still allocated", o.Label())
		}
	}
	for _, d := range m.deleted {
		if d.Bound() || d.DevresCount() != 0 {
			t.Fatalf("removed device %s still bound or holding devres", d.Name)
		}
	}
	// Managed-link consumers are never bound while their supplier is not.
	for _, l := range m.k.Links() {
		if l.managed() && l.Consumer.Bound() && !l.Supplier.Bound() {
			t.Fatalf("consumer %s bound while supplier %s is not", l.Consumer.Name, l.Supplier.Name)
		}
	}
}

// reasonGoneByBind reports whether d's driver is registered and d's reason
// to defer has gone through a successful bind: dfr's sup.0 is bound, or a
// consumer's link suppliers are. (A reason that went away without a bind,
// e.g. the supplier device deleted, legitimately leaves d waiting until the
// next trigger, as in the kernel.)
func (m *coreMachine) reasonGoneByBind(d *Device) bool {
	registered := false
	for _, x := range m.bus.Drivers {
		registered = registered || match(x, d)
	}
	if !registered {
		return false
	}
	if d.DriverName == "" && d.Name == "dfr.0" {
		s := m.devs["sup.0"]
		return s != nil && s.Bound()
	}
	linked := false
	for _, l := range m.k.Links() {
		if l.Consumer == d && l.managed() {
			linked = true
			if !l.Supplier.Bound() {
				return false
			}
		}
	}
	return linked
}

// TestDriverCoreStateMachine checks the driver core's invariants over random
// action sequences and interleavings.
func TestDriverCoreStateMachine(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		m := &coreMachine{}
		m.init(rt)
		rt.Repeat(rapid.StateMachineActions(m))
	})
}
