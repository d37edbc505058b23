package deadflag

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// ID is the strategy's identifier on the command line and in scenarios.
const ID = "dead-flag"

func init() {
	pcs.RegisterStrategy(ID, func(pcs.Options) pcs.Strategy { return &strategy{handles: map[string]*pcs.PCS{}} })
}

// strategy keeps one handle per PCS name for the execution (the PCS core's
// list, keyed by fwnode). A new strategy value is made for every execution.
type strategy struct {
	pcs.Base
	handles map[string]*pcs.PCS
}

func (*strategy) ID() string { return ID }
func (*strategy) Doc() string {
	return "core-owned refcounted handle with a dead flag checked under a mutex by every op (example)"
}

// handle is struct pcs_handle, owned by the PCS core (kzalloc'd, never devm).
type handle struct {
	lock   *sim.Mutex
	dead   bool
	pcs    *pcs.PCS // the provider's PCS while registered
	refcnt devmodel.Kref
}

func handleOf(h *pcs.PCS) *handle { return h.Priv.(*handle) }

// Registered is pcs_register: find or create the handle for p's name and
// point it at p, under the handle's mutex.
func (s *strategy) Registered(t *sim.Task, e *pcs.Env, p *pcs.PCS) *pcs.PCS {
	t.Enter("pcs_register")
	defer t.Leave()
	hp, ok := s.handles[p.Name]
	if !ok {
		h := &handle{lock: sim.NewMutex("pcs_handle(" + p.Name + ")")}
		hp = &pcs.PCS{Name: p.Name, Poll: p.Poll, Dev: p.Dev, Lane: p.Lane, Priv: h}
		hp.Obj = e.K.Heap.Alloc(t, "struct pcs_handle", p.Name)
		h.refcnt.Obj = hp.Obj
		h.refcnt.Init(nil)
		// The last put takes the handle off the core's list before freeing
		// it, so a later pcs_register() of the name creates a new one.
		h.refcnt.Release = func(t *sim.Task) {
			delete(s.handles, p.Name)
			e.K.Heap.Kfree(t, hp.Obj)
		}
		e.K.TrackKref(&h.refcnt)
		hp.Ops = handleOps(e)
		s.handles[p.Name] = hp
	} else {
		e.K.KrefGet(t, &handleOf(hp).refcnt, nil) // the registry's reference
	}
	h := handleOf(hp)
	h.lock.Lock(t)
	e.K.Heap.Access(t, hp.Obj, devmodel.Write)
	h.pcs, h.dead = p, false
	h.lock.Unlock(t)
	p.Phylink = forward{hp} // the provider's link changes reach the handle's phylink
	// A revived handle: the phylink using it must configure the new
	// hardware (a major config: pcs_enable, pcs_config) and resolve again.
	if pl := hp.ReadPhylink(t, e.K); ok && pl != nil {
		pl.PCSAvailable(t, hp)
	}
	return hp
}

// Unregistering is pcs_unregister, from the provider's remove(): mark the
// handle dead under its mutex (waiting for any op in flight), report link
// down, drop the registry's reference.
func (s *strategy) Unregistering(t *sim.Task, e *pcs.Env, p *pcs.PCS) {
	t.Enter("pcs_unregister_handle")
	defer t.Leave()
	hp := s.handles[p.Name]
	h := handleOf(hp)
	h.lock.Lock(t)
	e.K.Heap.Access(t, hp.Obj, devmodel.Write)
	h.dead, h.pcs = true, nil
	h.lock.Unlock(t)
	p.Phylink = nil
	if pl := hp.ReadPhylink(t, e.K); pl != nil && !hp.Poll {
		pl.PCSChange(t, hp, false)
	}
	e.K.KrefPut(t, &h.refcnt, nil)
}

// Get is pcs_get: a reference on the handle (not on the provider).
func (*strategy) Get(t *sim.Task, e *pcs.Env, mac *devmodel.Device, holder *devmodel.Object, hp *pcs.PCS) (*pcs.PCS, int) {
	if _, ok := hp.Priv.(*handle); ok {
		e.K.KrefGet(t, &handleOf(hp).refcnt, holder)
	}
	return hp, 0
}

// Put is pcs_put.
func (*strategy) Put(t *sim.Task, e *pcs.Env, mac *devmodel.Device, holder *devmodel.Object, hp *pcs.PCS) {
	if _, ok := hp.Priv.(*handle); ok {
		e.K.KrefPut(t, &handleOf(hp).refcnt, holder)
	}
}

// handleOps are the handle's phylink_pcs_ops: each checks the dead flag and
// forwards under the handle's mutex.
func handleOps(e *pcs.Env) *pcs.Ops {
	under := func(t *sim.Task, hp *pcs.PCS, fn func(p *pcs.PCS)) {
		h := handleOf(hp)
		h.lock.Lock(t)
		e.K.Heap.Access(t, hp.Obj, devmodel.Read)
		if !h.dead {
			fn(h.pcs)
		}
		h.lock.Unlock(t)
	}
	op := func(call func(p *pcs.PCS, t *sim.Task, k *devmodel.Kernel)) func(*sim.Task, *pcs.PCS) {
		return func(t *sim.Task, hp *pcs.PCS) { under(t, hp, func(p *pcs.PCS) { call(p, t, e.K) }) }
	}
	return &pcs.Ops{
		GetState: func(t *sim.Task, hp *pcs.PCS) bool {
			link := false // a dead handle reports link down
			under(t, hp, func(p *pcs.PCS) { link = p.GetState(t, e.K) })
			return link
		},
		// A dead handle validates nothing and fails nothing (0).
		Validate: func(t *sim.Task, hp *pcs.PCS) int {
			ret := 0
			under(t, hp, func(p *pcs.PCS) { ret = p.Validate(t, e.K) })
			return ret
		},
		Enable:    op((*pcs.PCS).Enable),
		Disable:   op((*pcs.PCS).Disable),
		Config:    op((*pcs.PCS).Config),
		AnRestart: op((*pcs.PCS).AnRestart),
		LinkUp:    op((*pcs.PCS).LinkUp),
	}
}

// forward routes the provider's phylink_pcs_change() to whatever phylink
// uses the handle.
type forward struct{ hp *pcs.PCS }

func (f forward) Obj() *devmodel.Object { return f.hp.Obj }
func (f forward) PCSChange(t *sim.Task, p *pcs.PCS, up bool) {
	if pl := f.hp.Phylink; pl != nil {
		pl.PCSChange(t, f.hp, up)
	}
}
func (forward) ReleasePCS(*sim.Task, *pcs.PCS, bool) {}
func (forward) PCSAvailable(*sim.Task, *pcs.PCS)     {}
func (forward) Wants(*sim.Task, string) bool         { return false }
func (forward) Listed() []*pcs.PCS                   { return nil }
