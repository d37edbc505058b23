package pcs

import "github.com/pcssim/pcssim/sim"

func init() {
	RegisterStrategy("phylink-release-pcs", func(Options) Strategy { return releasePCS{Notify{StateMutex: true}} })
}

// releasePCS is "net: pcs: Introduce support for fwnode PCS" by Christian
// Marangi as posted at its newest revision, RFC v8 (18 Jun 2026,
// <20260618125752.1223-1-ansuelsmth@gmail.com>), patches 02
// (internal PCS handling), 03 (phylink_release_pcs()) and 05 (late PCS
// provider attach), on the net-next base it names (force_major_config from
// "net: phylink: introduce helpers for replaying link callbacks").
//
// What differs from the reference design (Notify):
//   - the MAC's PCS comes from fwnode_pcs_get(), which takes no reference;
//     a provider not registered yet is skipped (-ENODEV), not deferred;
//   - phylink_create() puts the MAC's PCSs on pl->pcs_list and sets
//     pcs->phylink with no lock, and registers the provider notifier at its
//     very end, also with no lock (a provider registering in between is
//     missed);
//   - phylink_release_pcs() (rtnl, then state_mutex) always calls
//     phylink_link_down() for the active PCS, disables it, sets
//     force_major_config and pl->pcs = NULL, and leaves the poll timer;
//   - pcs_provider_notify() (rtnl, then state_mutex) list_adds the PCS,
//     sets pcs->phylink and forces a major config only if the last one
//     failed;
//   - phylink_resolve() runs a forced major config even while phylink is
//     stopped, whose phylink_pcs_poll_start() can re-arm link_poll after
//     phylink_stop()'s timer_delete_sync(); phylink_destroy() (notifier
//     unregistered, cancel_work_sync, list entries unlinked with no lock)
//     never deletes the timer.
//
// Not modelled: supported_interfaces refresh, the PHYLINK_DEV
// old_link_state, a PCS on several phylink lists (one PCS per netdev in
// every shipped world).
type releasePCS struct{ Notify }

func (releasePCS) ID() string { return "phylink-release-pcs" }
func (releasePCS) Doc() string {
	return "phylink_release_pcs() + provider notifier as posted (Marangi, RFC v8, June 2026)"
}

// ReleaseLock: phylink_create and phylink_destroy take no lock around the
// PCS list.
func (releasePCS) ReleaseLock(e *Env) *sim.Mutex { return nil }

// Attach: phylink_fill_available_pcs() takes what the MAC's
// fwnode_pcs_get() returned (possibly freed since: no reference) and sets
// pcs->phylink; the notifier is registered at the end of phylink_create.
func (releasePCS) Attach(t *sim.Task, e *Env, name string, p *PCS, pl Phylink) *PCS {
	if p != nil {
		p.SetPhylink(t, e.K, pl)
	}
	t.Yield("register_fwnode_pcs_notifier")
	notifyChain(e).Add(t, e.K, pl)
	return p
}

// AttachMore: phylink_fill_available_pcs() puts each further PCS on
// pl->pcs_list and sets its pcs->phylink (the notifier is registered once,
// at the end, in Attach).
func (releasePCS) AttachMore(t *sim.Task, e *Env, name string, p *PCS, pl Phylink) *PCS {
	if p != nil {
		p.SetPhylink(t, e.K, pl)
	}
	return p
}

// notifyChain is fwnode_pcs_notify_list, a blocking notifier chain.
func notifyChain(e *Env) *PhylinkList {
	if e.Notified.Chain == nil {
		e.Notified.Chain = sim.NewMutex("fwnode_pcs_notify_list.rwsem")
	}
	return &e.Notified
}

// Registered is fwnode_pcs_add_provider: blocking_notifier_call_chain, and
// in each phylink's pcs_provider_notify rtnl, then state_mutex.
func (releasePCS) Registered(t *sim.Task, e *Env, p *PCS) *PCS {
	t.Enter("fwnode_pcs_add_provider")
	defer t.Leave()
	notifyChain(e).Each(t, e.K, func(pl Phylink) {
		t.Enter("pcs_provider_notify")
		defer t.Leave()
		e.K.Rtnl.Lock(t)
		defer e.K.Rtnl.Unlock(t)
		if pl.Wants(t, p.Name) {
			pl.PCSAvailable(t, p)
		}
	})
	return p
}

// Detach: phylink_destroy unregisters the notifier, then (after
// cancel_work_sync in the series; before it here) unlinks its list with no
// lock: pcs->phylink = NULL.
func (releasePCS) Detach(t *sim.Task, e *Env, pl Phylink) {
	notifyChain(e).Del(t, e.K, pl)
	for _, p := range pl.Listed() {
		p.SetPhylink(t, e.K, nil)
	}
}

// Phylink: the series' changes to phylink.
func (releasePCS) Phylink() PhylinkChanges {
	return PhylinkChanges{ForceMajorWhileStopped: true, ReleaseLeavesPollTimer: true, ReleaseAlwaysLinkDown: true,
		NotifyForcesOnlyAfterFailure: true, MissingPCSSkipped: true}
}
