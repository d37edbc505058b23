package pcs

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/sim"
)

// How a MAC driver creates a PCS that sits on an MDIO bus.
const (
	// CreateMdiodev is lynx_pcs_create_mdiodev(bus, addr) /
	// xpcs_create_mdiodev: a new, unregistered mdio_device at addr.
	CreateMdiodev = "mdiodev"
	// CreateFwnode is lynx_pcs_create_fwnode(node) / xpcs_create_fwnode:
	// the mdio_device the bus owner registered for the node, found with
	// fwnode_mdio_find_device; -EPROBE_DEFER while there is none.
	CreateFwnode = "fwnode"
)

// CreateOnMDIO is PREFIX_pcs_create_mdiodev or PREFIX_pcs_create_fwnode
// (6.12): find or create the mdio_device, create the PCS on it
// (PREFIX_create takes a reference, mdio_device_get) and drop the lookup's
// own reference. DestroyIntegrated drops the PCS's reference.
// Simplification: in 6.1 the MAC driver kept the lookup's reference and
// dropped it after lynx_pcs_destroy (mdio_device_free); the count is the
// same.
func (e *Env) CreateOnMDIO(t *sim.Task, mac *devmodel.Device, name, prefix string, mod *devmodel.Module, poll bool, lane *Lane, how string, bus *mdio.Bus, addr int, node string) (*PCS, int) {
	var d *mdio.Device
	if how == CreateFwnode {
		t.Enter(prefix + "_create_fwnode")
		defer t.Leave()
		if d = e.MDIO.FindByFwnode(t, node, nil); d == nil {
			return nil, -devmodel.EPROBE_DEFER
		}
	} else {
		t.Enter(prefix + "_create_mdiodev")
		defer t.Leave()
		if bus == nil {
			// The MAC's bus pointer before its bus exists: the kernel
			// oopses in mdio_device_create.
			e.K.Heap.Deref(t, nil, "struct mii_bus", devmodel.Read)
		}
		d = e.MDIO.DeviceCreate(t, bus, addr)
	}
	p := e.CreateIntegrated(t, mac, name, prefix, mod, poll, lane)
	p.MDIO = d
	e.MDIO.Get(t, d, p.Obj)
	e.MDIO.Put(t, d, nil)
	return p, 0
}
