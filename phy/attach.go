package phy

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// AttachDirect is phy_attach_direct(dev, phydev, …) for the net_device nd
// whose MAC driver is of module ndOwner: a reference on the MDIO bus
// owner's module (unless the MAC owns the bus), get_device on the PHY, a
// reference on the PHY driver's module (both references held for nd),
// attached_dev = nd, state PHY_READY. A PHY without a driver gets genphy
// (built in): its probe (phy_probe) and device_bind_driver, under rtnl
// and without device_lock.
func (d *Device) AttachDirect(t *sim.Task, nd *devmodel.Object, ndOwner *devmodel.Module) int {
	t.Enter("phy_attach_direct")
	defer t.Leave()
	k := d.l.K
	bus := d.Mdio.Bus
	k.Heap.Access(t, d.obj(), devmodel.Read) // phydev->mdio.bus
	busOwner := bus.OwnerModule
	if ndOwner != busOwner && !k.TryModuleGet(t, busOwner, nil, nd) {
		return -devmodel.EIO
	}
	k.GetDevice(t, d.Mdio.Dev, nd)
	dev := d.Mdio.Dev
	genphy := dev.Driver == nil
	if genphy {
		dev.Driver = d.l.genphy
	}
	if !k.TryModuleGet(t, dev.Driver.Module, nil, nd) {
		d.undoAttach(t, nd, ndOwner, busOwner)
		return -devmodel.EIO
	}
	if genphy {
		d.l.genphy.Probe(t, dev)
		k.DeviceBindDriver(t, dev, d.l.genphy)
	}
	if d.Attached != nil {
		k.ModulePut(t, dev.Driver.Module, nd)
		d.undoAttach(t, nd, ndOwner, busOwner)
		return -devmodel.EBUSY
	}
	d.write(t)
	d.Attached = nd
	d.State = Ready
	if !d.supportsIRQ() {
		d.IRQ = false // phy_drv_supports_irq: genphy polls (PHY_POLL)
	}
	return 0
}

func (d *Device) undoAttach(t *sim.Task, nd *devmodel.Object, ndOwner, busOwner *devmodel.Module) {
	d.l.K.PutDevice(t, d.Mdio.Dev, nd)
	if ndOwner != busOwner {
		d.l.K.ModulePut(t, busOwner, nd)
	}
}

// Disconnect is phy_disconnect: phy_stop if started, phy_free_interrupt
// for a PHY with an interrupt, then phy_detach.
func (d *Device) Disconnect(t *sim.Task, ndOwner *devmodel.Module) {
	t.Enter("phy_disconnect")
	defer t.Leave()
	if d.isStarted() {
		d.Stop(t)
	}
	if d.IRQ { // phy_interrupt_is_valid
		d.freeInterrupt(t)
	}
	d.Detach(t, ndOwner)
}

// Detach is phy_detach: attached_dev and phy_link_change cleared, the
// PHY driver's module put only `if (phydev->mdio.dev.driver)` — after the
// PHY driver was unbound that reference is never dropped —, put_device,
// and the bus owner's module put.
func (d *Device) Detach(t *sim.Task, ndOwner *devmodel.Module) {
	t.Enter("phy_detach")
	defer t.Leave()
	k := d.l.K
	nd := d.Attached
	if !d.write(t) {
		return
	}
	d.Attached = nil
	d.LinkChange = nil
	drv := d.Mdio.Dev.Driver
	if drv != nil {
		k.ModulePut(t, drv.Module, nd)
	}
	if drv == d.l.genphy {
		// phy_driver_is_genphy: unbind it so a real driver may bind.
		k.DeviceReleaseDriver(t, d.Mdio.Dev)
	}
	bus := d.Mdio.Bus
	k.PutDevice(t, d.Mdio.Dev, nd)
	// bus->owner: the mii_bus may be gone (mdiobus_unregister dropped the
	// PHY's reference on it; phy_attach_direct takes none).
	k.Heap.Access(t, bus.Obj, devmodel.Read)
	if ndOwner != bus.OwnerModule {
		k.ModulePut(t, bus.OwnerModule, nd)
	}
}
