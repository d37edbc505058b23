package phylink

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Ethtool operations a scenario can run on a netdev (`ethtool eth0`,
// `ethtool -r eth0`): each is dev_ethtool under rtnl calling the MAC
// driver's ethtool_ops, which hand over to phylink with priv->phylink.
const (
	EthtoolGet       = "get"        // get_link_ksettings → phylink_ethtool_ksettings_get
	EthtoolNwayReset = "nway-reset" // nway_reset → phylink_ethtool_nway_reset
	EthtoolPause     = "pause"      // set_pauseparam → phylink_ethtool_set_pauseparam
)

// EthtoolOps lists the ethtool operations.
var EthtoolOps = []string{EthtoolGet, EthtoolNwayReset, EthtoolPause}

// Ethtool runs ethtool operation op on nd under rtnl, not state_mutex: in
// in-band mode both read pl->pcs and call into it (pcs_get_state;
// pcs_an_restart for an 802.3z mode). It returns -ENODEV when the netdev
// does not exist. pl is the MAC driver's pointer, which may be NULL.
func (w *World) Ethtool(t *sim.Task, nd *Netdev, op string) int {
	t.Enter("dev_ethtool")
	defer t.Leave()
	k := w.Env.K
	k.Rtnl.Lock(t)
	defer k.Rtnl.Unlock(t)
	in := nd.cur
	if in == nil || !in.registered {
		return -devmodel.ENODEV
	}
	pl := in.pl
	switch op {
	case EthtoolGet:
		t.Enter("phylink_ethtool_ksettings_get")
		defer t.Leave()
		if !k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Read) {
			return 0
		}
		if p := pl.pcsPl; p != nil && nd.PCSRef != "" { // MLO_AN_INBAND
			t.Enter("phylink_mac_pcs_get_state")
			p.GetState(t, k)
			t.Leave()
		}
	case EthtoolNwayReset:
		t.Enter("phylink_ethtool_nway_reset")
		defer t.Leave()
		if !k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Read) {
			return 0
		}
		if p := pl.pcsPl; p != nil && nd.PCSRef != "" && is8023z(pl.iface) {
			t.Enter("phylink_pcs_an_restart")
			p.AnRestart(t, k)
			t.Leave()
		}
	case EthtoolPause:
		return pl.setPauseparam(t)
	}
	return 0
}

// setPauseparam is phylink_ethtool_set_pauseparam (rtnl held) changing the
// pause advertisement: under state_mutex, unless phylink is stopped,
// phylink_change_inband_advert reads pl->pcs->neg_mode (no NULL check;
// not on net-next) and calls pcs_config; then resolve runs. A fixed link has no pause
// settings (-EOPNOTSUPP).
func (pl *Phylink) setPauseparam(t *sim.Task) int {
	t.Enter("phylink_ethtool_set_pauseparam")
	defer t.Leave()
	k := pl.k()
	if !k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Read) {
		return 0
	}
	if pl.nd.PCSRef == "" {
		return -devmodel.EOPNOTSUPP
	}
	pl.stateMutex.Lock(t)
	if pl.disableState&disableStopped == 0 {
		t.Enter("phylink_change_inband_advert")
		p := pl.pcsPl
		if !k.Has(devmodel.FeatNoPCSNegMode) && !pl.changes().InbandAdvertChecksPCS {
			// if (pl->pcs->neg_mode): unchecked
			k.Heap.Deref(t, p.Obj0(), "struct phylink_pcs", devmodel.Read)
		}
		if p != nil { // phylink_pcs_config: if (!pcs) return 0;
			t.Enter("phylink_pcs_config")
			p.Config(t, k)
			t.Leave()
		}
		t.Leave()
	}
	pl.stateMutex.Unlock(t)
	pl.phylinkRunResolve(t)
	return 0
}

// is8023z is phy_interface_mode_is_8023z; a netdev whose mode the scenario
// does not give is taken to be 1000base-x.
func is8023z(iface string) bool {
	return iface == "" || iface == "1000base-x" || iface == "2500base-x"
}
