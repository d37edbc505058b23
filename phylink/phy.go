package phylink

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/phy"
	"github.com/pcssim/pcssim/sim"
)

// phyState is the part of pl->phy_state the model uses: the PHY's link and
// interface as phylink_phy_change last recorded them.
type phyState struct {
	link  bool
	iface string
}

// phyMode reports whether the netdev's phylink is in MLO_AN_PHY mode (a
// PHY and no PCS). Simplification: a netdev with a PCS is in-band
// (managed = "in-band-status"), with or without a PHY.
func (nd *Netdev) phyMode() bool { return nd.PHY != "" && nd.PCSRef == "" }

// PHYMedium returns the hardware of the PHY called name (link partner
// present, the interface of its phy-mode), creating it on first use.
func (w *World) PHYMedium(name string) *phy.Medium {
	if m := w.phyMedia[name]; m != nil {
		return m
	}
	m := &phy.Medium{LinkUp: true}
	w.phyMedia[name] = m
	return m
}

// phylinkOfPHYConnect is phylink_of_phy_connect (rtnl held), as ENETC's
// ndo_open calls it before phylink_start: no PHY for an in-band 802.3z
// link; the PHY of the phy-handle (-ENODEV when it is not registered),
// phy_attach_direct, then phylink_bringup_phy: phydev->phylink and
// phy_link_change set, under phydev->lock and state_mutex pl->phydev and
// pl->phy_state.interface, then phy_request_interrupt for a PHY with an
// interrupt.
func (in *netdevInst) phylinkOfPHYConnect(t *sim.Task, k *devmodel.Kernel) int {
	if in.nd.PHY == "" {
		return 0 // the driver connects no PHY
	}
	t.Enter("phylink_of_phy_connect")
	defer t.Leave()
	pl := in.pl
	if !k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Read) {
		return -devmodel.ENODEV
	}
	ndOwner := in.ndOwner()
	if pl.nd.PCSRef != "" && (pl.iface == "1000base-x" || pl.iface == "2500base-x") {
		return 0 // MLO_AN_INBAND && phy_interface_mode_is_8023z
	}
	d := pl.w.PHYs.Find(pl.nd.PHY)
	if d == nil {
		return -devmodel.ENODEV // of_phy_find_device
	}
	if err := d.AttachDirect(t, pl.inst.obj, ndOwner); err != 0 {
		return err
	}
	t.Enter("phylink_bringup_phy")
	defer t.Leave()
	d.LinkChange = func(t *sim.Task, up bool) { pl.phylinkPHYChange(t, d, up) }
	if d.Interface == "" {
		d.Interface = pl.iface
	}
	d.Lock.Lock(t)
	pl.stateMutex.Lock(t)
	k.Heap.Access(t, pl.obj, devmodel.Write)
	pl.phydev = d
	pl.phyState = phyState{iface: d.Interface}
	pl.stateMutex.Unlock(t)
	d.Lock.Unlock(t)
	if d.IRQ { // phy_interrupt_is_valid
		d.RequestInterrupt(t)
	}
	return 0
}

// phylinkDisconnectPHY is phylink_disconnect_phy (rtnl held): under
// phydev->lock and state_mutex pl->phydev = NULL, flush_work(resolve),
// then phy_disconnect.
func (pl *Phylink) phylinkDisconnectPHY(t *sim.Task, k *devmodel.Kernel, ndOwner *devmodel.Module) {
	if pl == nil || pl.nd.PHY == "" {
		return
	}
	t.Enter("phylink_disconnect_phy")
	defer t.Leave()
	if !k.Heap.Access(t, pl.obj, devmodel.Read) {
		return
	}
	d := pl.phydev
	if d == nil {
		return
	}
	d.Lock.Lock(t)
	pl.stateMutex.Lock(t)
	k.Heap.Access(t, pl.obj, devmodel.Write)
	pl.phydev = nil
	pl.stateMutex.Unlock(t)
	d.Lock.Unlock(t)
	k.FlushWork(t, pl.resolve)
	d.Disconnect(t, ndOwner)
}

// phylinkPHYChange is phylink_phy_change, the PHY's phy_link_change
// (phydev->lock held by the state machine or phy_stop): under state_mutex
// record the PHY's link and interface in pl->phy_state, then
// phylink_run_resolve. Simplification: pl->link_failed is not modelled
// (with the PHY's link down the resolve takes the link down anyway).
func (pl *Phylink) phylinkPHYChange(t *sim.Task, d *phy.Device, up bool) {
	t.Enter("phylink_phy_change")
	defer t.Leave()
	k := pl.k()
	pl.stateMutex.Lock(t)
	if k.Heap.Access(t, pl.obj, devmodel.Write) {
		pl.phyState = phyState{link: up, iface: d.Interface}
	}
	pl.stateMutex.Unlock(t)
	pl.phylinkRunResolve(t)
}

// ndOwner is dev->dev.parent->driver->owner: the module of the MAC's
// driver (nil: built-in or unbound).
func (in *netdevInst) ndOwner() *devmodel.Module {
	if mac := in.nd.MAC; mac != nil && mac.Driver != nil {
		return mac.Driver.Module
	}
	return nil
}

// SetPHYLink changes the link partner of the PHY called name (the polled
// state machine notices it within PHY_STATE_TIME, an interrupt-driven
// PHY raises its interrupt); it reports whether the state changed.
func (w *World) SetPHYLink(name string, up bool) bool {
	m := w.PHYMedium(name)
	changed := m.LinkUp != up
	m.LinkUp = up
	if changed {
		w.PHYs.RaiseInterrupt(m)
	}
	return changed
}

// SetPHYInterface makes the PHY called name use interface mode iface
// towards the MAC (a rate-matching or interface-switching PHY after its
// link partner renegotiated at another speed); it reports whether the
// mode changed.
func (w *World) SetPHYInterface(name, iface string) bool {
	m := w.PHYMedium(name)
	changed := m.Interface != iface
	m.Interface = iface
	if changed {
		w.PHYs.RaiseInterrupt(m) // the renegotiated link's interrupt
	}
	return changed
}
