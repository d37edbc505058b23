package pcs

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Registry is the list of registered PCSs that MAC drivers look up by
// reference name (the 2022 RFC's pcs_devices list under pcs_mutex).
type Registry struct {
	entries []regEntry
}

// regEntry pairs a provider's PCS with what lookups return for it (the PCS
// itself, or a strategy's wrapper).
type regEntry struct {
	real, visible *PCS
}

// Register is pcs_register: p becomes visible under its name and the
// strategy's registration hook runs.
func (e *Env) Register(t *sim.Task, p *PCS) {
	t.Enter("pcs_register")
	defer t.Leave()
	v := e.Strategy.Registered(t, e, p)
	e.Registry.entries = append(e.Registry.entries, regEntry{real: p, visible: v})
}

// Unregister is pcs_unregister, called from the provider's remove() while
// the PCS memory is still valid.
func (e *Env) Unregister(t *sim.Task, p *PCS) {
	t.Enter("pcs_unregister")
	defer t.Leave()
	e.Registry.remove(p)
	e.Strategy.Unregistering(t, e, p)
}

func (r *Registry) remove(p *PCS) {
	for i, x := range r.entries {
		if x.real == p {
			r.entries = append(r.entries[:i], r.entries[i+1:]...)
			return
		}
	}
}

// find is pcs_find: the visible PCS registered as name, or nil.
func (r *Registry) find(name string) *PCS {
	for _, x := range r.entries {
		if x.real.Name == name {
			return x.visible
		}
	}
	return nil
}

// Lookup is pcs_find + pcs_get: it returns the PCS registered as name,
// through the strategy's Get, or -EPROBE_DEFER when none is registered
// (nil and 0 where the strategy skips a missing PCS).
func (e *Env) Lookup(t *sim.Task, mac *devmodel.Device, holder *devmodel.Object, name string) (*PCS, int) {
	t.Enter("pcs_get")
	defer t.Leave()
	if p := e.Registry.find(name); p != nil {
		return e.Strategy.Get(t, e, mac, holder, p)
	}
	if e.Strategy.Phylink().MissingPCSSkipped {
		return nil, 0
	}
	return nil, -devmodel.EPROBE_DEFER
}

// All returns the registered PCSs and what lookups return for them (a
// strategy's wrapper), in registration order: for checks.
func (r *Registry) All() []*PCS {
	var out []*PCS
	for _, x := range r.entries {
		out = append(out, x.real)
		if x.visible != x.real {
			out = append(out, x.visible)
		}
	}
	return out
}
