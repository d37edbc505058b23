package phylink

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phy"
	"github.com/pcssim/pcssim/sim"
)

// RecoveryWindow is how long after a PCS binds again a netdev that wants
// link must have it back for no-recovery not to fire.
const RecoveryWindow = 3 * sim.Second

// World ties the PCS environment, the MACs' netdevs and the hardware lanes
// together and checks the netdev-level properties.
type World struct {
	Env     *pcs.Env
	Netdevs []*Netdev
	Lanes   []*pcs.Lane
	// Providers are the devices that provide PCSs.
	Providers []*devmodel.Device
	// Targeted are the devices and modules a fault or script aimed at.
	targeted []*devmodel.Cause
	// phylinks are every phylink created (freed or not), for the checks.
	phylinks []*Phylink
	lastBind map[*devmodel.Device]sim.Time
	// MDIONodes are the firmware child nodes (no PHYs) of each device's
	// MDIO bus.
	MDIONodes map[string][]mdio.Node
	// PHYs is phylib; phyMedia the PHYs' hardware by device name.
	PHYs     *phy.Layer
	phyMedia map[string]*phy.Medium
}

// NewWorld returns an empty world on env.
func NewWorld(env *pcs.Env) *World {
	w := &World{Env: env, lastBind: map[*devmodel.Device]sim.Time{}, MDIONodes: map[string][]mdio.Node{},
		PHYs: phy.New(env.K, env.MDIO), phyMedia: map[string]*phy.Medium{}}
	env.K.Notifiers = append(env.K.Notifiers, func(t *sim.Task, event string, dev *devmodel.Device) {
		switch event {
		case "bound_driver":
			w.lastBind[dev] = env.K.S.Stamp()
		case "unbind_driver":
			w.observeInUse(dev)
		}
	})
	return w
}

// ObsInUse prefixes the observation that a PCS device went away while a
// netdev had link through one of its PCSs: "in use lynx-pcs.0".
const ObsInUse = "in use "

// observeInUse records, as its provider's remove begins, that a PCS device
// is in use: a netdev has carrier through one of its lanes (ground truth:
// this is bookkeeping for the exercise report, not model behaviour).
func (w *World) observeInUse(dev *devmodel.Device) {
	for _, nd := range w.Netdevs {
		if ref, integrated := nd.activeRef(); !integrated && nd.Carrier() && w.providerOf(ref) == dev {
			w.Env.K.S.Observe(ObsInUse + dev.Name)
			return
		}
	}
}

// AddProvider declares a device that provides PCSs. A device created again
// under the same name (an mdio_device registered again by its bus owner)
// replaces the old one and inherits its bind count: for the checks it is
// the same PCS device.
func (w *World) AddProvider(dev *devmodel.Device) {
	for i, p := range w.Providers {
		if p.Name == dev.Name {
			dev.BoundCount = p.BoundCount
			w.Providers[i] = dev
			return
		}
	}
	w.Providers = append(w.Providers, dev)
}

// MACCreated points the netdevs of the MAC device called dev.Name at dev:
// a MAC that is an mdio_device is created anew each time its bus owner
// registers its bus.
func (w *World) MACCreated(dev *devmodel.Device) {
	for _, nd := range w.Netdevs {
		if nd.MACName == dev.Name {
			nd.MAC = dev
		}
	}
}

// Lane returns the hardware lane with the given name, creating it (link
// partner present) on first use.
func (w *World) Lane(name string) *pcs.Lane {
	for _, l := range w.Lanes {
		if l.Name == name {
			return l
		}
	}
	l := &pcs.Lane{Name: name, LinkUp: true}
	w.Lanes = append(w.Lanes, l)
	return l
}

// AddNetdev declares a netdev of a MAC device.
func (w *World) AddNetdev(nd *Netdev) {
	if nd.PCSRef != "" {
		nd.lane = w.Lane(nd.PCSRef)
	}
	for _, x := range nd.Extra {
		x.lane = w.Lane(x.Ref)
	}
	if len(nd.Extra) > 0 {
		nd.usedExtra = make([]bool, len(nd.Extra))
	}
	w.Netdevs = append(w.Netdevs, nd)
}

// Netdev returns the netdev called name, or nil.
func (w *World) Netdev(name string) *Netdev {
	for _, nd := range w.Netdevs {
		if nd.Name == name {
			return nd
		}
	}
	return nil
}

func (w *World) netdevsOf(dev *devmodel.Device) []*Netdev {
	var out []*Netdev
	for _, nd := range w.Netdevs {
		if nd.MAC == dev {
			out = append(out, nd)
		}
	}
	return out
}

// Targeted records that a fault or script aims at c's device or module.
// The list is a set, kept in one order whatever order the faults fired in
// (two independent faults in either order reach the same state at rest).
func (w *World) Targeted(c *devmodel.Cause) {
	i, found := slices.BinarySearchFunc(w.targeted, c, compareCauses)
	if !found {
		w.targeted = slices.Insert(w.targeted, i, c)
	}
}

// compareCauses orders causes by kind, then device and module name.
func compareCauses(a, b *devmodel.Cause) int {
	name := func(c *devmodel.Cause) (string, string) {
		d, m := "", ""
		if c.Device != nil {
			d = c.Device.Name
		}
		if c.Module != nil {
			m = c.Module.Name
		}
		return d, m
	}
	ad, am := name(a)
	bd, bm := name(b)
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(ad, bd), cmp.Compare(am, bm))
}

// SetLink changes a lane's link partner state and raises its interrupt; it
// reports whether the state changed.
func (w *World) SetLink(lane *pcs.Lane, up bool) bool {
	changed := lane.LinkUp != up
	lane.LinkUp = up
	w.Env.RaiseIRQ(lane)
	return changed
}

// covers reports whether cause c is aimed at dev (directly, or through
// the module of its driver, or either of these for an ancestor).
func covers(c *devmodel.Cause, dev *devmodel.Device) bool {
	for d := dev; d != nil; d = up(d) {
		if c.Device == d {
			return true
		}
		// A module's removal unbinds its drivers' devices, and with
		// them their children and the devices on their buses (an
		// MDIO controller's module takes its PCSs and PHYs away).
		if c.Module != nil && slices.ContainsFunc(c.Module.Drivers, func(drv *devmodel.Driver) bool { return devmodel.Match(drv, d) }) {
			return true
		}
	}
	return false
}

// up is the device whose removal takes d away: its parent, or the owner
// of the bus it sits on (an mdio_device).
func up(d *devmodel.Device) *devmodel.Device {
	if d.Parent != nil {
		return d.Parent
	}
	return d.Via
}

// departing returns the PCS provider devices a cause takes away.
func (w *World) departing(c *devmodel.Cause) []*devmodel.Device {
	if c.Kind != "unbind" && c.Kind != "rmmod" && c.Kind != "remove" {
		return nil
	}
	var out []*devmodel.Device
	for _, p := range w.Providers {
		if covers(c, p) {
			out = append(out, p)
		}
	}
	return out
}

// checkCollateral reports collateral-teardown when a PCS departure takes
// down a netdev that never used the departing PCS (and whose own MAC was
// not the target).
func (w *World) checkCollateral(t *sim.Task, nd *Netdev, what string) {
	c := devmodel.CauseOf(t)
	if c == nil || covers(c, nd.MAC) {
		return
	}
	gone := w.departing(c)
	if len(gone) == 0 {
		return
	}
	for _, g := range gone {
		if w.providerOf(nd.PCSRef) == g {
			return // its own PCS, whether or not it got it yet
		}
		for _, x := range nd.Extra {
			if w.providerOf(x.Ref) == g && nd.ownsRef(x.Ref) {
				return // a further PCS of its MAC that it used
			}
		}
	}
	role := ""
	if nd.Required {
		role = " (required: e.g. the root filesystem is mounted over it)"
	}
	w.Env.K.S.Report(sim.Finding{
		Property: "collateral-teardown",
		Summary:  fmt.Sprintf("collateral-teardown: %s %s when PCS device %s goes", nd.Name, what, gone[0].Name),
		Detail: fmt.Sprintf("%s%s never used %s; it %s in %s (task %s) at t=%s\n",
			nd.Name, role, gone[0].Name, what, strings.Join(t.Stack(), " <- "), t.Name, w.Env.K.S.Now()),
	})
}

// CheckRecovery reports no-recovery at the end of an execution: a netdev
// that had link, still wants it and whose PCS device was bound again long
// enough ago (or the world is quiescent: nothing will change any more), has
// no link — unless its own MAC was a target.
func (w *World) CheckRecovery(quiescent bool) {
	now := w.Env.K.S.Now()
	for _, nd := range w.Netdevs {
		ref, integrated := nd.activeRef()
		lane := nd.lane
		if j := nd.extraNamed(ref); j >= 0 {
			lane = nd.Extra[j].lane
		}
		if !nd.everUp || !nd.WantUp || ref == "" || integrated || !lane.LinkUp || nd.Carrier() {
			continue
		}
		prov := w.providerOf(ref)
		if prov == nil || !prov.Bound() || prov.BoundCount < 2 || (!quiescent && now-w.lastBind[prov] < RecoveryWindow) {
			continue
		}
		if w.macTargeted(nd.MAC) {
			continue
		}
		state := "has no link"
		if !nd.Registered() {
			state = "does not exist (its MAC device " + nd.MAC.Name + " is unbound)"
		}
		w.Env.K.S.Report(sim.Finding{
			Property: "no-recovery",
			Summary:  fmt.Sprintf("no-recovery: %s %s although PCS device %s is bound again", nd.Name, state, prov.Name),
			Detail: fmt.Sprintf("%s was bound again at t=%s; at t=%s %s still %s\n",
				prov.Name, w.lastBind[prov], now, nd.Name, state),
		})
		return
	}
}

func (w *World) macTargeted(mac *devmodel.Device) bool {
	for _, c := range w.targeted {
		if c.Kind != "bind" && c.Kind != "insmod" && covers(c, mac) {
			return true
		}
	}
	return false
}

// providerOf returns the device providing the PCS named ref.
func (w *World) providerOf(ref string) *devmodel.Device {
	for _, p := range w.Providers {
		if p.Name == ref || (len(ref) > len(p.Name) && ref[:len(p.Name)] == p.Name && ref[len(p.Name)] == ':') {
			return p
		}
	}
	return nil
}
