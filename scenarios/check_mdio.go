package scenarios

import (
	"fmt"
	"slices"

	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/phylink"
)

// ownsBus reports whether a driver allocates and registers an MDIO bus of
// its own (an mdio-controller, or a MAC whose probe registers one).
func ownsBus(d Driver) bool {
	switch d.Kind {
	case KindMDIOController:
		return true
	case KindMAC:
		return slices.ContainsFunc(d.Probe, func(s string) bool {
			return s == phylink.StepMDIORegister || s == mdio.StepRegister || s == mdio.StepDevmRegister
		})
	}
	return false
}

// mdioDevices checks the devices that are mdio_devices: each sits on the
// bus of a parent that owns one, at an address no other uses, and a driver
// bound to it is on the mdio bus.
func (l *loader) mdioDevices(sc *Scenario, drvKind map[string]Driver, devDrv map[string]Driver) {
	used := map[string]string{} // "parent/addr" -> device
	for _, d := range sc.Devices {
		if d.MDIOAddr == nil {
			continue
		}
		at := l.refs["device:"+d.Name]
		if d.Parent == "" {
			l.errf(at, "device %q: an mdio_device (mdio_addr) needs parent: the device whose driver owns the MDIO bus", d.Name)
			continue
		}
		if pd, ok := devDrv[d.Parent]; ok && !ownsBus(pd) {
			l.errf(at, "device %q: its parent %q is driven by %q, which registers no MDIO bus (a mdio-controller driver, or a mac driver with an mdio-register or mdiobus-register probe step)", d.Name, d.Parent, pd.Name)
		}
		key := fmt.Sprintf("%s/%d", d.Parent, *d.MDIOAddr)
		if other, dup := used[key]; dup {
			l.errf(at, "devices %q and %q are both at MDIO address %d of %q", other, d.Name, *d.MDIOAddr, d.Parent)
		}
		used[key] = d.Name
		if drv, ok := drvKind[d.Driver]; ok && drv.Bus != "mdio" {
			l.errf(at, "device %q is an mdio_device but its driver %q is on bus %q (want bus: mdio)", d.Name, drv.Name, drv.Bus)
		}
	}
}

// pcsMDIO checks the pcs_mdio of netdev key (its index, or "i.j" for
// entry j of netdev i's extra_pcs; n carries that entry's pcs_mdio):
// mdiodev needs the MAC's own bus, fwnode names an mdio_device.
func (l *loader) pcsMDIO(sc *Scenario, key string, n Netdev, devDrv map[string]Driver) {
	at := l.refs["netdev-mdio:"+key]
	switch n.MDIOCreate {
	case "":
		return
	case "mdiodev":
		if n.MDIONode != "" {
			l.errf(at, "netdev %q: pcs_mdio.node applies to create: fwnode (mdiodev creates the mdio_device at addr on the MAC's own bus)", n.Name)
		}
		if drv, ok := devDrv[n.MAC]; ok && drv.Kind == KindMAC && !ownsBus(drv) {
			l.errf(at, "netdev %q: pcs_mdio create: mdiodev needs the MAC's own MDIO bus, but driver %q registers none (add mdio-register to its probe)", n.Name, drv.Name)
		}
	case "fwnode":
		if n.MDIONode == "" {
			l.errf(at, "netdev %q: pcs_mdio create: fwnode needs node: the mdio_device of the pcs-handle", n.Name)
			return
		}
		for _, d := range sc.Devices {
			if d.Name == n.MDIONode {
				if d.MDIOAddr == nil {
					l.errf(l.refs["netdev-mdionode:"+key], "netdev %q: pcs_mdio.node %q is no mdio_device (give it mdio_addr and a parent that owns the bus)", n.Name, d.Name)
				}
				return
			}
		}
		var names []string
		for _, d := range sc.Devices {
			if d.MDIOAddr != nil {
				names = append(names, d.Name)
			}
		}
		l.errf(l.refs["netdev-mdionode:"+key], "netdev %q: unknown mdio_device %q%s", n.Name, n.MDIONode, DidYouMean(n.MDIONode, names))
	}
}
