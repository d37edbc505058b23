package phylink

import (
	"slices"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// Netdev is a network interface as the user knows it (eth0): it survives
// re-probes of its MAC device, each of which registers a new instance.
type Netdev struct {
	Name string
	// MAC is the device whose driver registers the netdev (nil until a
	// MAC that is an mdio_device is created), MACName its name.
	MAC     *devmodel.Device
	MACName string
	// PCSRef names the PCS the MAC looks up ("" = no PCS: fixed link/PHY).
	PCSRef string
	// Integrated: the MAC creates the PCS itself (XPCS-like).
	Integrated bool
	// IntegratedModule owns the integrated PCS's ops (nil: the MAC's module).
	IntegratedModule *devmodel.Module
	// PCSPrefix names the integrated PCS driver's functions in reports
	// (xpcs: xpcs_create, xpcs_get_state).
	PCSPrefix string
	// Interface is the PHY interface mode at probe (phy-mode), "" when the
	// model need not know it; PCSInterfaces are the modes for which the
	// MAC's mac_select_pcs returns its PCS (empty: every mode), NULL for
	// any other.
	Interface     string
	PCSInterfaces []string
	// AltRef names a second PCS of the MAC, embedded with its own PCS
	// (created and freed with it), that mac_select_pcs returns for the
	// modes AltInterfaces; AltPrefix names its driver functions.
	AltRef, AltPrefix string
	AltInterfaces     []string
	// Extra are further PCSs of the MAC in allocations of their own, each
	// selected for its interfaces (fman memac: xfi, qsgmii, sgmii).
	Extra []*ExtraPCS
	// MDIOCreate is how the MAC creates its PCS on an MDIO bus
	// (pcs.CreateMdiodev at MDIOAddr on the MAC's own bus, pcs.CreateFwnode
	// from the mdio_device registered for firmware node MDIONode); "" for a
	// PCS on no MDIO bus.
	MDIOCreate string
	MDIOAddr   int
	MDIONode   string
	// IRQ: the integrated PCS reports link by an interrupt the MAC requests
	// (request-irq / free-irq steps); otherwise phylink polls it.
	IRQ bool
	// PHY names the PHY device of the MAC's phy-handle ("": none). The
	// MAC driver connects it in ndo_open (phylink_of_phy_connect before
	// phylink_start) and disconnects it in ndo_stop (phylink_stop, then
	// phylink_disconnect_phy), as ENETC does.
	PHY string
	// Required marks a netdev that must not go away (e.g. nfs root).
	Required bool
	// WantUp is the user's intent: the last `ip link set` was up. Managed
	// netdevs are brought up again whenever they are registered.
	WantUp bool

	cur     *netdevInst
	obsLink string `state:"-"`
	everUp  bool
	lane    *pcs.Lane
	// usedExtra records, per extra PCS, that phylink selected it once
	// (bookkeeping for the collateral check).
	usedExtra []bool
}

// netdevInst is one struct net_device registered by one probe of the MAC.
type netdevInst struct {
	nd         *Netdev
	w          *World
	obj        *devmodel.Object
	registered bool
	up         bool
	carrier    bool
	pl         *Phylink
	handle     *pcs.PCS   // what pcs_get returned
	own        *pcs.PCS   // the PCS the MAC created itself
	alt        *pcs.PCS   // the second PCS embedded with own
	xHandle    []*pcs.PCS // per extra PCS: what pcs_get returned
	xOwn       []*pcs.PCS // per extra PCS: what the MAC created
	iface      string     // the interface mac_config set up (port->phy_interface)
	irq        bool       // the MAC's request_irq for own is in place
}

// Unchanged is what an action returns when its target already was in the
// state it asks for (not an errno).
const Unchanged = 1 << 30

// ObsLink prefixes the observation (sim.Sim.Observe) that a netdev got
// carrier: "link eth0".
const ObsLink = "link "

func (nd *Netdev) linkKey() string {
	if nd.obsLink == "" {
		nd.obsLink = ObsLink + nd.Name
	}
	return nd.obsLink
}

// pcsFor reports whether mac_select_pcs returns the netdev's PCS for
// interface mode iface.
func (nd *Netdev) pcsFor(iface string) bool {
	return (len(nd.PCSInterfaces) == 0 && !nd.altFor(iface) && nd.extraFor(iface) < 0) || slices.Contains(nd.PCSInterfaces, iface)
}

// altFor reports whether mac_select_pcs returns the second PCS for iface.
func (nd *Netdev) altFor(iface string) bool {
	return nd.AltRef != "" && slices.Contains(nd.AltInterfaces, iface)
}

// Carrier reports whether the netdev currently has link.
func (nd *Netdev) Carrier() bool { return nd.cur != nil && nd.cur.carrier }

// Registered reports whether the netdev currently exists.
func (nd *Netdev) Registered() bool { return nd.cur != nil && nd.cur.registered }

// setCarrier is netif_carrier_on/off.
func (in *netdevInst) setCarrier(t *sim.Task, on bool) {
	in.w.Env.K.Heap.Access(t, in.obj, devmodel.Write)
	if in.carrier == on {
		return
	}
	in.carrier = on
	s := in.w.Env.K.S
	if s.Tracing() {
		state := "off"
		if on {
			state = "on"
		}
		s.Note(in.nd.Name + ": carrier " + state)
	}
	if on {
		in.nd.everUp = true
	} else {
		in.w.checkCollateral(t, in.nd, "loses its link")
	}
}

// registerNetdev is register_netdev; a managed netdev the user wants up is
// brought up at once by the network manager (a separate task).
func (w *World) registerNetdev(t *sim.Task, in *netdevInst) {
	t.Enter("register_netdev")
	defer t.Leave()
	k := w.Env.K
	k.Rtnl.Lock(t)
	in.registered = true
	in.nd.cur = in
	k.Rtnl.Unlock(t)
	if in.nd.WantUp {
		w.Env.K.Spawn("NetworkManager: ip link set "+in.nd.Name+" up", nil, func(t *sim.Task) {
			w.Env.K.UserTask(t, func() { w.IPLinkSet(t, in.nd, true) })
		})
	}
}

// unregisterNetdev is unregister_netdev: dev_close (→ ndo_stop →
// phylink_stop) if up, then the netdev disappears.
func (w *World) unregisterNetdev(t *sim.Task, in *netdevInst) {
	t.Enter("unregister_netdev")
	defer t.Leave()
	k := w.Env.K
	k.Rtnl.Lock(t)
	if in.up {
		w.devClose(t, in)
	}
	in.registered = false
	if in.nd.cur == in {
		in.nd.cur = nil
	}
	k.Rtnl.Unlock(t)
	w.checkCollateral(t, in.nd, "disappears")
}

// IPLinkSet is `ip link set NAME up|down` (dev_change_flags under rtnl).
// It returns 0, -ENODEV when the netdev does not exist (iproute2's "Cannot
// find device"), or Unchanged when it was already in that state.
func (w *World) IPLinkSet(t *sim.Task, nd *Netdev, up bool) int {
	t.Enter("dev_change_flags")
	defer t.Leave()
	k := w.Env.K
	k.Rtnl.Lock(t)
	defer k.Rtnl.Unlock(t)
	nd.WantUp = up
	in := nd.cur
	switch {
	case in == nil || !in.registered:
		return -devmodel.ENODEV
	case in.up == up:
		return Unchanged
	}
	if up {
		t.Enter("dev_open")
		defer t.Leave()
		k.Heap.Access(t, in.obj, devmodel.Write)
		// ndo_open: phylink_of_phy_connect, phylink_start(priv->phylink)
		if err := in.phylinkOfPHYConnect(t, k); err != 0 {
			return err
		}
		in.up = true
		in.pl.phylinkStart(t, k)
		return 0
	}
	w.devClose(t, in)
	return 0
}

// ndoStop is the MAC driver's stop function (PREFIX_stop) called directly,
// not through dev_close: phylink_stop(priv->phylink), carrier off; the
// netdev keeps IFF_UP, so a later dev_close stops it again.
func (w *World) ndoStop(t *sim.Task, in *netdevInst, prefix string) {
	t.Enter(prefix + "_stop")
	defer t.Leave()
	in.pl.phylinkStop(t, w.Env.K)
	in.pl.phylinkDisconnectPHY(t, w.Env.K, in.ndOwner())
	in.setCarrier(t, false)
}

// devClose is __dev_close → ndo_stop → phylink_stop (rtnl held).
func (w *World) devClose(t *sim.Task, in *netdevInst) {
	t.Enter("dev_close")
	defer t.Leave()
	w.Env.K.Heap.Access(t, in.obj, devmodel.Write)
	in.up = false
	in.pl.phylinkStop(t, w.Env.K) // ndo_stop: phylink_stop(priv->phylink)
	in.pl.phylinkDisconnectPHY(t, w.Env.K, in.ndOwner())
	in.setCarrier(t, false)
}

// SetInterface is the SFP module in the netdev's cage replaced by one of
// interface mode iface, as the SFP state machine reports it to phylink,
// each event under rtnl: link down (phylink_sfp_link_down: disable LINK,
// run resolve and flush it), module removed, new module inserted
// (phylink_sfp_module_insert → phylink_sfp_config_optical →
// phylink_sfp_set_config: the mode is recorded and, unless phylink is
// stopped, phylink_mac_initial_config → phylink_major_config runs, under
// rtnl only in 6.1 and 6.12), link up (phylink_sfp_link_up: enable LINK,
// run resolve). It returns -ENODEV when the netdev has no phylink (no SFP
// upstream) and Unchanged when the mode is the same.
func (w *World) SetInterface(t *sim.Task, nd *Netdev, iface string) int {
	k := w.Env.K
	sfpEvent := func(fn string, body func(pl *Phylink) int) int {
		t.Enter(fn)
		defer t.Leave()
		k.Rtnl.Lock(t)
		defer k.Rtnl.Unlock(t)
		in := nd.cur
		if in == nil || !in.registered || in.pl == nil {
			return -devmodel.ENODEV
		}
		if !k.Heap.Deref(t, in.pl.Obj(), "struct phylink", devmodel.Write) {
			return -devmodel.ENODEV
		}
		return body(in.pl)
	}
	if err := sfpEvent("phylink_sfp_link_down", func(pl *Phylink) int {
		if pl.iface == iface {
			return Unchanged
		}
		was := pl.disableState
		pl.disableState |= disableLink
		if was == 0 {
			k.QueueWork(t, pl.resolve)
			k.FlushWork(t, pl.resolve)
		}
		return 0
	}); err != 0 {
		return err
	}
	t.Yield("sfp: module swap")
	if err := sfpEvent("phylink_sfp_module_insert", func(pl *Phylink) int {
		t.Enter("phylink_sfp_set_config")
		defer t.Leave()
		pl.iface = iface
		if pl.disableState&disableStopped == 0 {
			t.Enter("phylink_mac_initial_config")
			pl.phylinkMajorConfig(t)
			t.Leave()
		}
		return 0
	}); err != 0 {
		return err
	}
	t.Yield("sfp: module init")
	return sfpEvent("phylink_sfp_link_up", func(pl *Phylink) int {
		pl.disableState &^= disableLink
		pl.phylinkRunResolve(t)
		return 0
	})
}
