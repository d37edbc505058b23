package phylink

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phy"
	"github.com/pcssim/pcssim/sim"
)

// phylink_disable_state bits.
const (
	disableStopped = 1 << iota
	disableLink    // PHYLINK_DISABLE_LINK: the SFP reports its link down
)

// pcs_state values.
const (
	pcsDown = iota
	pcsStarting
	pcsStarted
)

// Phylink is struct phylink in in-band mode (MLO_AN_INBAND) with a PCS, or
// with a fixed link when the netdev uses no PCS.
type Phylink struct {
	obj   *devmodel.Object
	w     *World
	nd    *Netdev
	inst  *netdevInst
	pcsPl *pcs.PCS // pl->pcs: the PCS in use, a raw pointer
	// avail is what mac_select_pcs() returns (phylink's list of one) for
	// an interface mode that uses the PCS; more are the netdev's extra
	// PCSs (Netdev.Extra), each for its own modes.
	avail *pcs.PCS
	more  []*pcs.PCS
	// iface is pl->link_config.interface.
	iface        string
	stateMutex   *sim.Mutex
	resolve      *devmodel.Work
	linkPoll     *devmodel.Timer
	disableState int
	pcsState     int
	linkUp       bool
	forceMajor   bool
	// majorFailed is major_config_failed: the last major config found no
	// PCS for an in-band link.
	majorFailed bool
	// phydev is pl->phydev (nil: no PHY connected), phyState
	// pl->phy_state.
	phydev   *phy.Device
	phyState phyState
	// suspect (check state, not kernel memory) says why the last resolve
	// left the link up without a PCS, and since when; see judgeLink.
	suspect string `state:"set"`
}

// Obj implements pcs.Phylink; a NULL phylink has no memory (nil).
func (pl *Phylink) Obj() *devmodel.Object {
	if pl == nil {
		return nil
	}
	return pl.obj
}

// Wants implements pcs.Phylink.
func (pl *Phylink) Wants(t *sim.Task, name string) bool {
	pl.k().Heap.Access(t, pl.obj, devmodel.Read) // pl->config's PCS handle
	return pl.nd.PCSRef == name || pl.nd.extraNamed(name) >= 0
}

func (pl *Phylink) k() *devmodel.Kernel { return pl.w.Env.K }

// phylinkCreate is phylink_create: allocate, set up the resolve work and
// poll timer, let the strategy attach, and validate against the selectable
// PCS (phylink_parse_mode → phylink_validate → pcs_validate). A negative
// pcs_validate makes phylink_validate fail, and phylink_create with it
// (kfree(pl), -EINVAL): the MAC's probe fails.
func (w *World) phylinkCreate(t *sim.Task, nd *Netdev, inst *netdevInst, avail *pcs.PCS) (*Phylink, int) {
	t.Enter("phylink_create")
	defer t.Leave()
	k := w.Env.K
	pl := &Phylink{w: w, nd: nd, inst: inst, avail: avail, disableState: disableStopped, iface: nd.Interface}
	pl.obj = k.Heap.Alloc(t, "struct phylink", nd.Name)
	pl.stateMutex = sim.NewMutex("state_mutex(" + nd.Name + ")")
	pl.resolve = k.NewWork("phylink_resolve "+nd.Name, pl.phylinkResolve)
	pl.linkPoll = k.NewTimer("phylink_fixed_poll "+nd.Name, pl.phylinkFixedPoll)
	w.phylinks = append(w.phylinks, pl)
	failed := false
	w.releaseLocked(t, func() {
		if len(nd.Extra) > 0 {
			pl.more = make([]*pcs.PCS, len(nd.Extra))
			for j, x := range nd.Extra {
				name := x.Ref
				if x.Integrated {
					name = ""
				}
				pl.more[j] = w.Env.Strategy.AttachMore(t, w.Env, name, inst.xHandle[j], pl)
			}
		}
		switch {
		case nd.Integrated && avail != nil:
			// The MAC's own PCS, never registered: no name to look up.
			pl.avail = w.Env.Strategy.Attach(t, w.Env, "", avail, pl)
		case avail != nil || nd.PCSRef != "":
			pl.avail = w.Env.Strategy.Attach(t, w.Env, nd.PCSRef, avail, pl)
		}
		check := pl.avail
		if j := nd.extraFor(nd.Interface); j >= 0 {
			check = pl.more[j] // phylink_validate: mac_select_pcs(link_config.interface)
		}
		if check != nil {
			t.Enter("phylink_validate")
			failed = check.Validate(t, k) < 0
			t.Leave()
		}
		if failed {
			// Simplification: what Attach did is undone (phylink_parse_mode
			// runs before anything in phylink_create registers pl).
			w.Env.Strategy.Detach(t, w.Env, pl)
		}
	})
	if failed {
		k.Heap.Kfree(t, pl.obj)
		return nil, -devmodel.EINVAL
	}
	return pl, 0
}

// releaseLocked runs fn under the strategy's ReleaseLock, if it has one.
func (w *World) releaseLocked(t *sim.Task, fn func()) {
	if m := w.Env.Strategy.ReleaseLock(w.Env); m != nil {
		m.Lock(t)
		defer m.Unlock(t)
	}
	fn()
}

// phylinkDestroy is phylink_destroy: cancel_work_sync(resolve), kfree. It
// neither stops the poll timer nor touches the PCS.
func (pl *Phylink) phylinkDestroy(t *sim.Task) {
	t.Enter("phylink_destroy")
	defer t.Leave()
	pl.k().CancelWorkSync(t, pl.resolve)
	pl.w.releaseLocked(t, func() { pl.w.Env.Strategy.Detach(t, pl.w.Env, pl) })
	pl.k().Heap.Kfree(t, pl.obj)
}

// macSelectPCS is the MAC's mac_select_pcs(config, interface): its PCS
// for a mode that uses it, NULL for any other.
func (pl *Phylink) macSelectPCS(t *sim.Task) *pcs.PCS {
	t.Enter("mac_select_pcs")
	defer t.Leave()
	switch {
	case pl.nd.altFor(pl.iface):
		if pl.avail == nil {
			return nil // the MAC's PCSs were released together
		}
		pl.k().Heap.Access(t, pl.inst.obj, devmodel.Read) // &port->pcs_xlg
		return pl.inst.alt
	case pl.nd.extraFor(pl.iface) >= 0:
		pl.k().Heap.Access(t, pl.inst.obj, devmodel.Read) // memac->xfi_pcs
		return pl.more[pl.nd.extraFor(pl.iface)]
	case !pl.nd.pcsFor(pl.iface):
		return nil
	}
	return pl.avail
}

// phylinkRunResolve is phylink_run_resolve: queue resolve unless disabled.
func (pl *Phylink) phylinkRunResolve(t *sim.Task) {
	if !pl.k().Heap.Access(t, pl.obj, devmodel.Read) {
		return
	}
	if pl.disableState == 0 {
		pl.k().QueueWork(t, pl.resolve)
	}
}

// phylinkStart is phylink_start (rtnl held); pl is the MAC driver's
// pointer, which may be NULL (a netdev opened before phylink_create). The
// initial config runs phylink_major_config under rtnl only: neither 6.1
// nor 6.12 takes state_mutex here (resolve is still disabled). A
// connected PHY is started last (phy_start), after resolve is enabled.
func (pl *Phylink) phylinkStart(t *sim.Task, k *devmodel.Kernel) {
	t.Enter("phylink_start")
	defer t.Leave()
	k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Write)
	pl.inst.setCarrier(t, false)
	pl.pcsState = pcsStarting
	t.Enter("phylink_mac_initial_config")
	pl.phylinkMajorConfig(t)
	t.Leave()
	// pl->pcs_state and phylink_disable_state, after the initial config
	// may have yielded.
	k.Heap.Access(t, pl.obj, devmodel.Write)
	pl.pcsState = pcsStarted
	pl.disableState &^= disableStopped
	pl.phylinkRunResolve(t)
	if d := pl.phydev; d != nil {
		d.Start(t)
	}
}

// phylinkStop is phylink_stop (rtnl held): phy_stop of a connected PHY
// first (6.1 and 6.12: its link down takes state_mutex, so it waits for a
// running resolve, and queues one), then del_timer_sync the poll, set
// STOPPED and flush resolve so the link goes down, then pcs_disable.
func (pl *Phylink) phylinkStop(t *sim.Task, k *devmodel.Kernel) {
	t.Enter("phylink_stop")
	defer t.Leave()
	k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Write)
	if d := pl.phydev; d != nil {
		d.Stop(t)
	}
	k.DelTimerSync(t, pl.linkPoll)
	// phylink_run_resolve_and_disable: pl->phylink_disable_state, written
	// after del_timer_sync yielded (resolve reads it under state_mutex).
	k.Heap.Access(t, pl.obj, devmodel.Write)
	was := pl.disableState
	pl.disableState |= disableStopped
	if was == 0 {
		k.QueueWork(t, pl.resolve)
		k.FlushWork(t, pl.resolve)
	}
	if pl.changes().StopDeletesPollAfterFlush {
		k.DelTimerSync(t, pl.linkPoll)
	}
	k.Heap.Access(t, pl.obj, devmodel.Write) // pl->pcs_state
	pl.pcsState = pcsDown
	if p := pl.pcsPl; p != nil && k.Has(devmodel.FeatPCSEnableDisable) {
		t.Enter("phylink_pcs_disable")
		p.Disable(t, k)
		t.Leave()
	}
}

// phylinkMajorConfig is phylink_major_config (state_mutex held, or rtnl in
// phylink_start's initial config): select the
// PCS; on a change stop polling, disable the old one and switch pcs->phylink
// and pl->pcs; then enable/config/an_restart and start polling.
func (pl *Phylink) phylinkMajorConfig(t *sim.Task) {
	t.Enter("phylink_major_config")
	defer t.Leave()
	k := pl.k()
	p := pl.macSelectPCS(t)
	pl.majorFailed = p == nil && ((pl.nd.PCSRef != "" && pl.nd.pcsFor(pl.iface)) || pl.nd.extraFor(pl.iface) >= 0)
	changed := p != nil && p != pl.pcsPl // a NULL result keeps the old PCS
	if k.Has(devmodel.FeatSelectPCSRemoves) {
		changed = p != pl.pcsPl
	}
	if changed {
		k.DelTimer(pl.linkPoll) // phylink_pcs_poll_stop
		if old := pl.pcsPl; old != nil && k.Has(devmodel.FeatPCSEnableDisable) {
			old.Disable(t, k)
		}
		if k.Has(devmodel.FeatPCSBackPointer) {
			if old := pl.pcsPl; old != nil {
				old.SetPhylink(t, k, nil)
			}
			if p != nil {
				p.SetPhylink(t, k, pl)
			}
		}
		pl.pcsPl = p
		if j := pl.nd.extraFor(pl.iface); j >= 0 && p != nil {
			pl.nd.usedExtra[j] = true // bookkeeping (collateral check)
		}
	}
	pl.inst.iface = pl.iface // mac_config: port->phy_interface = state->interface
	p = pl.pcsPl
	if p == nil {
		return
	}
	if k.Has(devmodel.FeatPCSEnableDisable) && (pl.pcsState == pcsStarting || changed) {
		p.Enable(t, k)
	}
	p.Config(t, k)
	p.AnRestart(t, k)
	if p.ReadPoll(t, k) { // phylink_pcs_poll_start
		k.ModTimer(pl.linkPoll, sim.Second)
	}
}

// phylinkFixedPoll is phylink_fixed_poll, the 1 s link_poll timer: re-arm,
// then queue resolve.
func (pl *Phylink) phylinkFixedPoll(t *sim.Task) {
	t.Enter("phylink_fixed_poll")
	defer t.Leave()
	pl.k().ModTimer(pl.linkPoll, sim.Second)
	pl.phylinkRunResolve(t)
}

// phylinkResolve is the resolve work (phylink_resolve), under state_mutex
// and without rtnl: in in-band mode it reads the PCS state, then brings the
// link up (pcs_link_up, mac_link_up, carrier on) or down.
func (pl *Phylink) phylinkResolve(t *sim.Task) {
	t.Enter("phylink_resolve")
	defer t.Leave()
	k := pl.k()
	pl.stateMutex.Lock(t)
	defer pl.stateMutex.Unlock(t)
	if !k.Heap.Access(t, pl.obj, devmodel.Read) {
		return
	}
	link := false
	if pl.forceMajor && (pl.disableState == 0 || pl.changes().ForceMajorWhileStopped) {
		pl.forceMajor = false
		pl.phylinkMajorConfig(t)
	}
	macConfig, retrigger, iface := false, false, pl.iface
	if pl.disableState == 0 {
		switch {
		case pl.nd.phyMode(): // MLO_AN_PHY: link_state = pl->phy_state
			link, iface = pl.phyState.link, pl.phyState.iface
			macConfig = link
		case pl.nd.PCSRef == "":
			link = true // fixed link: no PCS involved
		case pl.pcsPl != nil:
			p := pl.pcsPl
			t.Enter("phylink_mac_pcs_get_state")
			link = p.GetState(t, k)
			t.Leave()
		}
		if pl.nd.PCSRef != "" && pl.phydev != nil {
			// In-band with a PHY: the link is the union of both, and
			// only a PHY with link configures the MAC, in its interface.
			link = link && pl.phyState.link
			if pl.phyState.link {
				if pl.iface != pl.phyState.iface {
					retrigger, link = true, false
				}
				iface, macConfig = pl.phyState.iface, true
			}
		}
	}
	if macConfig && iface != pl.iface {
		// The interface has changed: force the link down, reconfigure.
		if pl.linkUp {
			pl.phylinkLinkDown(t)
		}
		pl.iface = iface // pl->link_config.interface (set after, read by mac_select_pcs)
		pl.phylinkMajorConfig(t)
	}
	if !link && retrigger {
		defer k.QueueWork(t, pl.resolve) // after the link change below, under state_mutex
	}
	defer pl.judgeLink(t)
	if link == pl.linkUp {
		return
	}
	if link {
		t.Enter("phylink_link_up")
		if p := pl.pcsPl; p != nil {
			p.LinkUp(t, k)
		}
		pl.linkUp = true
		pl.inst.setCarrier(t, true)
		t.Leave()
		if pl.pcsGone() == "" {
			// Bookkeeping (ground truth): link through a live, bound PCS.
			k.S.Observe(pl.nd.linkKey())
		}
		return
	}
	pl.phylinkLinkDown(t)
}

// phylinkLinkDown is phylink_link_down: carrier off.
func (pl *Phylink) phylinkLinkDown(t *sim.Task) {
	t.Enter("phylink_link_down")
	pl.linkUp = false
	pl.inst.setCarrier(t, false)
	t.Leave()
}

// PCSChange implements pcs.Phylink: phylink_link_changed(pl, up, "pcs").
func (pl *Phylink) PCSChange(t *sim.Task, p *pcs.PCS, up bool) {
	t.Enter("phylink_link_changed")
	defer t.Leave()
	pl.phylinkRunResolve(t)
}

// ReleasePCS implements pcs.Phylink: phylink_release_pcs(pcs) (rtnl held).
// Under state_mutex (unless racy): force the link down, pcs_disable, stop
// polling, pl->pcs = NULL, then re-resolve. A posted series may take the
// link down even when it is not up and leave the poll timer running (see
// pcs.PhylinkChanges). Simplification: the list removal and pcs->phylink
// = NULL come before state_mutex (the series takes it first; rtnl is held
// either way).
func (pl *Phylink) ReleasePCS(t *sim.Task, p *pcs.PCS, stateMutex bool) {
	t.Enter("phylink_release_pcs")
	defer t.Leave()
	k := pl.k()
	if !k.Heap.Access(t, pl.obj, devmodel.Write) {
		return
	}
	p.SetPhylink(t, k, nil)
	if pl.avail == p {
		pl.avail = nil
	}
	for j := range pl.more {
		if pl.more[j] == p {
			pl.more[j] = nil
		}
	}
	if pl.pcsPl != p {
		return
	}
	if stateMutex {
		pl.stateMutex.Lock(t)
	}
	ch := pl.changes()
	if pl.linkUp || ch.ReleaseAlwaysLinkDown {
		t.Enter("phylink_link_down")
		pl.linkUp = false
		pl.inst.setCarrier(t, false)
		t.Leave()
		pl.judgeLink(t)
	}
	t.Enter("phylink_pcs_disable")
	p.Disable(t, k)
	t.Leave()
	if !ch.ReleaseLeavesPollTimer {
		k.DelTimer(pl.linkPoll)
	}
	pl.pcsPl = nil
	pl.forceMajor = true
	if stateMutex {
		pl.stateMutex.Unlock(t)
	}
	pl.phylinkRunResolve(t)
}

// changes returns what the strategy's posted series changes in phylink.
func (pl *Phylink) changes() pcs.PhylinkChanges { return pl.w.Env.Strategy.Phylink() }

// Listed implements pcs.Phylink: the first PCS, then the extra ones.
func (pl *Phylink) Listed() []*pcs.PCS {
	var out []*pcs.PCS
	for _, p := range append([]*pcs.PCS{pl.avail}, pl.more...) {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// PCSAvailable implements pcs.Phylink: a wanted PCS registered again is
// added to phylink's list and a major config is forced.
func (pl *Phylink) PCSAvailable(t *sim.Task, p *pcs.PCS) {
	t.Enter("phylink_pcs_notifier")
	defer t.Leave()
	k := pl.k()
	pl.stateMutex.Lock(t)
	if k.Heap.Access(t, pl.obj, devmodel.Write) {
		if j := pl.nd.extraNamed(p.Name); j >= 0 {
			pl.more[j] = p
		} else {
			pl.avail = p
		}
		p.SetPhylink(t, k, pl)
		if !pl.changes().NotifyForcesOnlyAfterFailure || pl.majorFailed {
			pl.forceMajor = true
		}
	}
	pl.stateMutex.Unlock(t)
	pl.phylinkRunResolve(t)
}
