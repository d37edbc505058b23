package mdio

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Bus states (enum mdiobus_state).
const (
	StateAllocated = iota + 1
	StateRegistered
	StateUnregistered
	StateReleased
)

// stateNames are the kernel's names of the bus states.
var stateNames = [...]string{"", "MDIOBUS_ALLOCATED", "MDIOBUS_REGISTERED", "MDIOBUS_UNREGISTERED", "MDIOBUS_RELEASED"}

// maxAddr is PHY_MAX_ADDR.
const maxAddr = 32

// Bus is struct mii_bus. Its memory (Obj) holds the embedded struct
// device, whose reference count (Kref) frees it (mdiobus_release), and the
// owner's private data (mdiobus_alloc_size puts bus->priv in the same
// allocation). Simplification: the class device is no devmodel.Device (no
// driver binds to it; device_add/device_del of it only change State).
type Bus struct {
	ID    string
	Obj   *devmodel.Object
	Kref  devmodel.Kref
	State int
	// Owner is the device whose driver allocated the bus; OwnerModule the
	// module whose code bus->read and bus->write are (nil: built-in).
	Owner       *devmodel.Device
	OwnerModule *devmodel.Module
	// Nodes are the bus's firmware child nodes that are no PHYs.
	Nodes []Node
	// Regs is the register window bus->read uses (the owner's
	// devm_ioremap, priv->mdio_base); devres unmaps it.
	Regs *devmodel.Object
	// Map is bus->mdio_map: the registered mdio_devices by address.
	Map [maxAddr]*Device
}

// Alloc is mdiobus_alloc_size: a bus in MDIOBUS_ALLOCATED state whose
// read/write are owner's driver code in module mod, with the owner's
// register window mapped (devm).
func (s *Subsys) Alloc(t *sim.Task, owner *devmodel.Device, mod *devmodel.Module, id string, nodes []Node) *Bus {
	b := s.alloc(t, owner, mod, id, nodes)
	s.mapRegs(t, b)
	return b
}

func (s *Subsys) alloc(t *sim.Task, owner *devmodel.Device, mod *devmodel.Module, id string, nodes []Node) *Bus {
	t.Enter("mdiobus_alloc_size")
	defer t.Leave()
	k := s.K
	b := &Bus{ID: id, State: StateAllocated, Owner: owner, OwnerModule: mod, Nodes: nodes}
	b.Obj = k.Heap.Alloc(t, "struct mii_bus", id)
	b.Kref.Obj = b.Obj
	b.Kref.Init(nil)
	b.Kref.Release = func(t *sim.Task) { s.release(t, b) }
	k.TrackKref(&b.Kref)
	s.Buses = append(s.Buses, b)
	return b
}

// DevmAlloc is devm_mdiobus_alloc_size: Alloc, freed with mdiobus_free
// when owner's driver unbinds.
func (s *Subsys) DevmAlloc(t *sim.Task, owner *devmodel.Device, mod *devmodel.Module, id string, nodes []Node) *Bus {
	t.Enter("devm_mdiobus_alloc_size")
	defer t.Leave()
	b := s.alloc(t, owner, mod, id, nodes)
	s.K.DevmAddAction(t, owner, "devm_mdiobus_free", func(t *sim.Task) { s.Free(t, b) })
	s.mapRegs(t, b) // xgmac_mdio_probe: devm_ioremap after the allocation
	return b
}

// release is mdiobus_release, the class device's release(): kfree(bus).
func (s *Subsys) release(t *sim.Task, b *Bus) {
	t.Enter("mdiobus_release")
	defer t.Leave()
	s.K.Heap.Kfree(t, b.Obj)
}

// Register is of_mdiobus_register (__mdiobus_register): the bus device is
// added, then an mdio_device is created and registered for every non-PHY
// child node (of_mdiobus_register_device), which may bind its driver.
func (s *Subsys) Register(t *sim.Task, b *Bus) {
	t.Enter("__of_mdiobus_register")
	defer t.Leave()
	if !s.K.Heap.Access(t, b.Obj, devmodel.Write) {
		return
	}
	b.State = StateRegistered
	for _, n := range b.Nodes {
		t.Enter("of_mdiobus_register_device")
		d := s.deviceCreate(t, b, n)
		s.DeviceRegister(t, d)
		t.Leave()
	}
}

// DevmRegister is devm_of_mdiobus_register: Register, unregistered when
// the owner's driver unbinds (before a devm allocation of the bus, made
// earlier, frees it).
func (s *Subsys) DevmRegister(t *sim.Task, b *Bus) {
	t.Enter("devm_of_mdiobus_register")
	defer t.Leave()
	s.Register(t, b)
	s.K.DevmAddAction(t, b.Owner, "devm_mdiobus_unregister", func(t *sim.Task) { s.Unregister(t, b) })
}

// Unregister is mdiobus_unregister: MDIOBUS_UNREGISTERED, every registered
// mdio_device removed (device_del) and its registration reference dropped,
// then the bus device deleted. mdio_devices that others still hold keep
// their memory and their bus pointer.
func (s *Subsys) Unregister(t *sim.Task, b *Bus) {
	t.Enter("mdiobus_unregister")
	defer t.Leave()
	if !s.K.Heap.Access(t, b.Obj, devmodel.Write) {
		return
	}
	if b.State != StateRegistered {
		s.warn(t, "mdiobus_unregister", fmt.Sprintf("WARN_ON_ONCE(bus->state != MDIOBUS_REGISTERED): %s is %s", b.ID, stateNames[b.State]))
		return
	}
	b.State = StateUnregistered
	for i, d := range b.Map {
		if d == nil {
			continue
		}
		b.Map[i] = nil
		s.DeviceRemove(t, d)
	}
}

// Free is mdiobus_free: an allocated-only bus is kfree'd; otherwise the bus
// must be unregistered (a WARN in 6.1 and 6.12), becomes MDIOBUS_RELEASED
// and its device reference is dropped, which frees it.
func (s *Subsys) Free(t *sim.Task, b *Bus) {
	t.Enter("mdiobus_free")
	defer t.Leave()
	k := s.K
	if !k.Heap.Access(t, b.Obj, devmodel.Write) {
		return
	}
	if b.State == StateAllocated {
		k.Heap.Kfree(t, b.Obj)
		return
	}
	if b.State != StateUnregistered {
		s.warn(t, "mdiobus_free", fmt.Sprintf("%s: not in UNREGISTERED state (%s)", b.ID, stateNames[b.State]))
	}
	b.State = StateReleased
	k.KrefPut(t, &b.Kref, nil)
}

// warn reports a kernel WARN that means the driver broke the MDIO API's
// contract, as the refcount property (an object freed or torn down while
// still registered).
func (s *Subsys) warn(t *sim.Task, fn, msg string) {
	k := s.K
	k.S.Report(sim.Finding{
		Property: "refcount",
		Summary:  "refcount: " + fn + ": " + msg,
		Detail:   fmt.Sprintf("in %s at t=%s\n", t.Stack(), k.S.Now()),
		Kernel:   devmodel.WarningReport("drivers/net/phy/mdio_bus.c", fn, msg, t),
	})
}

// read is mdiobus_read/mdiobus_write on bus b from a user holding only the
// bus pointer: mutex_lock(&bus->mdio_lock) and bus->priv are the bus's
// memory, bus->read is its owner's code. Simplification: the mdio_lock is
// not a modelled lock (nothing else sleeps under it) and the owner's
// registers are not modelled.
func (s *Subsys) read(t *sim.Task, b *Bus, kind string) bool {
	k := s.K
	t.Enter("mdiobus_" + kind)
	defer t.Leave()
	ok := k.Heap.Access(t, b.Obj, devmodel.Write)
	if ok && b.OwnerModule != nil && b.OwnerModule.Core != nil {
		ok = k.Heap.Access(t, b.OwnerModule.Core, devmodel.Call)
	}
	if ok && b.Regs != nil {
		ok = k.Heap.Access(t, b.Regs, devmodel.Read) // readl(priv->mdio_base + ...)
	}
	return ok
}

// mapRegs is the owner's devm_ioremap of the bus's registers.
// Simplification: one window per bus, mapped right after the allocation
// (xgmac_mdio_probe's order; a MAC maps its registers before, which frees
// them at the same point of its unbind).
func (s *Subsys) mapRegs(t *sim.Task, b *Bus) {
	b.Regs = s.K.DevmIoremap(t, b.Owner, b.ID+" regs")
}
