package phylink

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// The property checks of the phylink world. They read the simulator's
// ground truth (is this object freed? is that device bound?), which model
// code never does.

// ObsTransient prefixes the observation that a netdev reported link up
// without its PCS and the next resolve (or the release) corrected it:
// "transient link-without-pcs eth0".
const ObsTransient = "transient link-without-pcs "

// pcsGone says why phylink's PCS is gone ("" if it is there): none
// selected, its memory freed, or its device unbound. Only in-band
// netdevs (with a PCS) can lose it.
func (pl *Phylink) pcsGone() string {
	if pl.nd.PCSRef == "" {
		return ""
	}
	p := pl.pcsPl
	integrated := pl.nd.Integrated
	if p != nil && len(pl.nd.Extra) > 0 {
		if j := pl.nd.extraNamed(p.Name); j >= 0 {
			integrated = pl.nd.Extra[j].Integrated
		}
	}
	switch {
	case p == nil:
		return "phylink has no PCS"
	case p.Obj.Freed():
		return "its struct phylink_pcs was freed in " + p.Obj.Free.String()
	case !integrated && !p.Dev.Bound():
		return "the PCS device " + p.Dev.Name + " has no driver"
	}
	return ""
}

// judgeLink runs after each resolve and each forced link-down: link up
// without the PCS is a link-without-pcs violation only when it is sticky,
// i.e. the next resolve leaves it so as well (or the execution ends with
// it, see CheckEnd). A resolve that read the PCS state just before a
// release reports link up once, with the resolve that takes it down
// already queued: that transient is counted (ObsTransient), not reported.
func (pl *Phylink) judgeLink(t *sim.Task) {
	why := ""
	if pl.linkUp {
		why = pl.pcsGone()
	}
	s := pl.k().S
	switch {
	case why == "" && pl.suspect != "":
		pl.suspect = ""
		s.Observe(ObsTransient + pl.nd.Name)
	case why != "" && pl.suspect != "":
		s.Report(sim.Finding{
			Property: "link-without-pcs",
			Summary:  fmt.Sprintf("link-without-pcs: %s reports link up while %s", pl.nd.Name, why),
			Detail: fmt.Sprintf("carrier on since %s; phylink_resolve (task %s) at t=%s left it so again\n",
				pl.suspect, t.Name, s.Now()),
		})
	case why != "":
		pl.suspect = "t=" + s.Now().String()
	}
}

// CheckEnd runs the end-of-execution checks, at quiescence or at the
// horizon: pointers that live objects still hold into freed memory
// (pl->pcs, pcs->phylink, the provider-notifier list), which the next
// access turns into a use-after-free, and carrier on without a live,
// bound PCS (a sticky link-without-pcs).
func (w *World) CheckEnd() {
	s := w.Env.K.S
	dangling := func(holder, target *devmodel.Object, field, next string) {
		prop := "use-after-free"
		what := target.Label()
		if target.Module != nil {
			prop, what = "use-after-unload", fmt.Sprintf("%s of module %s", what, target.Module.Name)
		}
		s.Report(sim.Finding{
			Property: prop,
			Summary:  fmt.Sprintf("%s of %s: %s still points at it at the end (dangling pointer)", prop, what, field),
			Detail: fmt.Sprintf("%s (in %s) points at %s\nallocated in %s\nfreed in %s\nnext access: %s\n",
				field, holder.Label(), what, target.Alloc, *target.Free, next),
		})
	}
	for _, pl := range w.phylinks {
		if pl.obj.Freed() {
			continue
		}
		if pl.inst.obj.Freed() {
			// The MAC's private data that held priv->phylink is gone
			// and nothing else can reach pl: kmemleak's unreferenced
			// object (the MAC driver never called phylink_destroy).
			s.Report(sim.Finding{
				Property: "leak",
				Summary:  fmt.Sprintf("leak: %s is unreferenced: the MAC driver freed its netdev without phylink_destroy", pl.obj.Label()),
				Detail:   fmt.Sprintf("allocated in %s\nthe net_device holding it freed in %s\n", pl.obj.Alloc, *pl.inst.obj.Free),
			})
			continue
		}
		if p := pl.pcsPl; p != nil {
			switch {
			case p.Obj.Freed():
				dangling(pl.obj, p.Obj, "pl->pcs of "+pl.nd.Name, "phylink_resolve (pcs_get_state) or ip link set down (phylink_stop: pcs_disable)")
			case p.Ops.Obj != nil && p.Ops.Obj.Freed():
				dangling(pl.obj, p.Ops.Obj, "pl->pcs->ops of "+pl.nd.Name, "any PCS op phylink calls")
			}
		}
		if why := pl.pcsGone(); pl.linkUp && pl.inst.carrier && why != "" {
			since := pl.suspect
			if since == "" {
				since = "before the PCS went (no resolve ran since)"
			}
			s.Report(sim.Finding{
				Property: "link-without-pcs",
				Summary:  fmt.Sprintf("link-without-pcs: %s reports link up while %s", pl.nd.Name, why),
				Detail:   fmt.Sprintf("carrier on since %s, still on when the execution ended (t=%s)\n", since, s.Now()),
			})
		}
	}
	for _, pl := range w.phylinks {
		if in := pl.inst; in.obj.Freed() {
			for _, p := range append([]*pcs.PCS{in.own}, in.xOwn...) {
				if p != nil && !p.Obj.Freed() {
					// kmemleak: the MAC's private data that held the PCS it
					// created is gone (fman's mac_remove never calls
					// memac_free, so no lynx_pcs_destroy).
					s.Report(sim.Finding{
						Property: "leak",
						Summary:  fmt.Sprintf("leak: %s is unreferenced: the MAC driver freed its private data without destroying the PCS it created", p.Obj.Label()),
						Detail:   fmt.Sprintf("allocated in %s\nthe net_device holding it freed in %s\n", p.Obj.Alloc, *in.obj.Free),
					})
				}
			}
		}
	}
	// A dangling pcs->phylink is read on the next link change only when
	// the PCS reports link by interrupt (phylink_pcs_change); a polled
	// PCS's is overwritten before any read (the notify strategies clear it
	// in phylink_destroy, so theirs cannot dangle).
	for _, p := range w.livePCSs() {
		if pl := p.Phylink; pl != nil && !p.Poll && pl.Obj().Freed() {
			dangling(p.Obj, pl.Obj(), "pcs->phylink of "+p.Name, "phylink_pcs_change from the PCS interrupt, or phylink_release_pcs")
		}
	}
	for _, pl := range w.Env.Notified.Entries() {
		if pl.Obj().Freed() {
			dangling(pl.Obj(), pl.Obj(), "the provider-notifier list's entry", "the next PCS registration (pcs_provider_notify)")
		}
	}
}

// livePCSs returns the PCS structures still allocated that someone can
// reach: registered ones (and what lookups return for them), and what each
// current netdev instance holds or created.
func (w *World) livePCSs() []*pcs.PCS {
	var out []*pcs.PCS
	add := func(p *pcs.PCS) {
		if p != nil && !p.Obj.Freed() && !containsPCS(out, p) {
			out = append(out, p)
		}
	}
	for _, p := range w.Env.Registry.All() {
		add(p)
	}
	for _, nd := range w.Netdevs {
		if in := nd.cur; in != nil {
			add(in.handle)
			add(in.own)
			for j := range in.xHandle {
				add(in.xHandle[j])
				add(in.xOwn[j])
			}
		}
	}
	return out
}

func containsPCS(list []*pcs.PCS, p *pcs.PCS) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}
