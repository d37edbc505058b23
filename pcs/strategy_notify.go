package pcs

import "github.com/pcssim/pcssim/sim"

func init() {
	RegisterStrategy("phylink-notify", func(Options) Strategy { return Notify{StateMutex: true} })
	RegisterStrategy("phylink-notify-racy", func(Options) Strategy { return Notify{} })
}

// Notify is the review's prescription, as in the phylink_release_pcs()
// proposals: the provider's remove tells phylink, under rtnl (and
// state_mutex), that its PCS is going; phylink forces the link down,
// disables the PCS and drops its pointer before the memory goes. A later
// registration is offered to the phylink instances on the notifier list
// (pcs_provider_notify). With StateMutex false (phylink-notify-racy) the
// release holds rtnl only, as earlier versions did, so a resolve already
// running under state_mutex can still use the PCS. It is exported so that
// variants (examples/) can embed it and change one hook.
type Notify struct {
	Base
	StateMutex bool
}

// ID implements Strategy.
func (n Notify) ID() string {
	if n.StateMutex {
		return "phylink-notify"
	}
	return "phylink-notify-racy"
}

// Doc implements Strategy.
func (n Notify) Doc() string {
	if n.StateMutex {
		return "the provider tells phylink (rtnl + state_mutex) before its PCS goes"
	}
	return "like phylink-notify, but the release holds rtnl only"
}

// ReleaseLock: phylink_release_pcs runs under rtnl, so phylink_create and
// phylink_destroy hold rtnl while they look at their PCS.
func (Notify) ReleaseLock(e *Env) *sim.Mutex { return e.K.Rtnl }

// Attach: phylink_create joins the notifier list and takes the PCS from
// the provider list itself (under rtnl), recording pcs->phylink, so a PCS
// released between the MAC's lookup and phylink_create is never used (the
// MAC's pointer may be stale).
//
// A PCS the MAC created itself (name "") is handed to phylink directly, as
// the proposals' MAC drivers do through phylink_config (available_pcs), and
// recorded the same way.
func (n Notify) Attach(t *sim.Task, e *Env, name string, own *PCS, pl Phylink) *PCS {
	e.Notified.Add(t, e.K, pl)
	return n.AttachMore(t, e, name, own, pl)
}

// AttachMore: each further PCS is taken from the provider list (or handed
// over) and recorded the same way; phylink joined the notifier list once,
// in Attach.
func (Notify) AttachMore(t *sim.Task, e *Env, name string, own *PCS, pl Phylink) *PCS {
	p := own
	if name != "" {
		p = e.Registry.find(name)
	}
	if p != nil {
		p.SetPhylink(t, e.K, pl)
	}
	return p
}

// Detach: phylink_destroy leaves the notifier list and takes its PCS off
// its own list (under rtnl), clearing pcs->phylink, so a provider's release
// (which reads pcs->phylink under rtnl) either finishes before the phylink
// is freed or finds none.
func (Notify) Detach(t *sim.Task, e *Env, pl Phylink) {
	e.Notified.Del(t, e.K, pl)
	for _, p := range pl.Listed() {
		if p.ReadPhylink(t, e.K) == pl {
			p.SetPhylink(t, e.K, nil)
		}
	}
}

// Phylink: the reference design forces major configs from resolve, so it
// also closes the window mainline's phylink_stop leaves for them (timer
// deleted before the resolve work is flushed): it deletes link_poll again
// after the flush. Its release leaves pl->pcs NULL in in-band mode, so
// phylink_change_inband_advert checks it.
func (Notify) Phylink() PhylinkChanges {
	return PhylinkChanges{StopDeletesPollAfterFlush: true, InbandAdvertChecksPCS: true}
}

// Unregistering is the documented remove pattern: rtnl_lock();
// phylink_release_pcs(pcs); rtnl_unlock().
func (n Notify) Unregistering(t *sim.Task, e *Env, p *PCS) {
	e.K.Rtnl.Lock(t)
	if pl := p.ReadPhylink(t, e.K); pl != nil {
		pl.ReleasePCS(t, p, n.StateMutex)
	}
	e.K.Rtnl.Unlock(t)
}

// Destroying: the MAC's destroy of its own PCS releases it from phylink
// first (rtnl_lock(); phylink_release_pcs(pcs); rtnl_unlock()), as the
// proposals' xpcs_destroy/lynx_pcs_destroy do. After phylink_destroy
// pcs->phylink is NULL and this does nothing.
func (n Notify) Destroying(t *sim.Task, e *Env, p *PCS) { n.Unregistering(t, e, p) }

// Registered walks the notifier list under rtnl and offers the new PCS to
// every phylink that wants it.
func (Notify) Registered(t *sim.Task, e *Env, p *PCS) *PCS {
	t.Enter("pcs_provider_notify")
	defer t.Leave()
	e.K.Rtnl.Lock(t)
	defer e.K.Rtnl.Unlock(t)
	e.Notified.Each(t, e.K, func(pl Phylink) {
		if pl.Wants(t, p.Name) {
			pl.PCSAvailable(t, p)
		}
	})
	return p
}
