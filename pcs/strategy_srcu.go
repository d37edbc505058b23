package pcs

import (
	"pcssim/devmodel"
	"pcssim/sim"
)

func init() {
	RegisterStrategy("srcu-wrapper", func(Options) Strategy { return srcuWrapper{} })
}

// srcuWrapper is the 2025 "net: pcs: Add subsystem" proposal: phylink only
// sees a refcounted struct pcs_wrapper whose ops forward to the wrapped PCS
// under SRCU, or report link down once it is gone. pcs_unregister clears the
// pointer, synchronize_srcu()s, reports link down and drops its reference.
// A re-registered PCS gets a new wrapper: a MAC holding the old one never
// sees it.
type srcuWrapper struct{ Base }

func (srcuWrapper) ID() string { return "srcu-wrapper" }
func (srcuWrapper) Doc() string {
	return "refcounted wrapper forwarding under SRCU (2025 \"net: pcs: Add subsystem\")"
}

// wrapper is struct pcs_wrapper.
type wrapper struct {
	wrapped *PCS // srcu-protected
	readers int  // SRCU read-side critical sections in flight
	sync    sim.WaitQueue
	refcnt  devmodel.Kref
}

func wrapperOf(w *PCS) *wrapper { return w.Priv.(*wrapper) }

// isWrapper tells wrappers from PCSs a MAC created for itself, which are
// never registered and so never wrapped.
func isWrapper(p *PCS) bool {
	_, ok := p.Priv.(*wrapper)
	return ok
}

// Registered is pcs_register: kzalloc the wrapper, refcount 1 (the
// registry's), wrapped = pcs.
func (srcuWrapper) Registered(t *sim.Task, e *Env, p *PCS) *PCS {
	w := &wrapper{wrapped: p}
	wp := &PCS{Name: p.Name, Poll: p.Poll, Dev: p.Dev, Lane: p.Lane, Priv: w}
	wp.Obj = e.K.Heap.Alloc(t, "struct pcs_wrapper", p.Name)
	w.refcnt.Obj = wp.Obj
	w.refcnt.Init(nil)
	w.refcnt.Release = func(t *sim.Task) {
		t.Enter("pcs_destroy")
		e.K.Heap.Kfree(t, wp.Obj)
		t.Leave()
	}
	e.K.TrackKref(&w.refcnt)
	wp.Ops = wrapperOps(e)
	// pcs->link_change = pcs_change_callback: the provider's link changes
	// are reported against the wrapper.
	p.SetPhylink(t, e.K, forwardChange{wp, e.K})
	return wp
}

// forwardChange routes phylink_pcs_change() of the wrapped PCS to the
// wrapper's phylink (pcs_change_callback), reading the wrapper's memory.
type forwardChange struct {
	w *PCS
	k *devmodel.Kernel
}

func (f forwardChange) Obj() *devmodel.Object { return f.w.Obj }
func (f forwardChange) PCSChange(t *sim.Task, p *PCS, up bool) {
	if pl := f.w.ReadPhylink(t, f.k); pl != nil {
		pl.PCSChange(t, f.w, up)
	}
}
func (f forwardChange) ReleasePCS(t *sim.Task, p *PCS, stateMutex bool) {}
func (f forwardChange) PCSAvailable(t *sim.Task, p *PCS)                {}
func (f forwardChange) Wants(t *sim.Task, name string) bool             { return false }
func (f forwardChange) ListedPCS() *PCS                                 { return nil }

// wrapperOps returns the wrapper's phylink_pcs_ops (built-in pcs core).
func wrapperOps(e *Env) *Ops {
	fwd := func(name string, op func(*Ops) func(*sim.Task, *PCS)) func(*sim.Task, *PCS) {
		fn := "pcs_wrapper_" + name
		return func(t *sim.Task, wp *PCS) {
			t.Enter(fn)
			defer t.Leave()
			w := wrapperOf(wp)
			if p := srcuEnter(t, e, wp); p != nil {
				if f := op(p.Ops); f != nil {
					p.access(t, e.K)
					f(t, p)
				}
			}
			srcuExit(w)
		}
	}
	return &Ops{
		GetState: func(t *sim.Task, wp *PCS) bool {
			t.Enter("pcs_wrapper_get_state")
			defer t.Leave()
			w := wrapperOf(wp)
			link := false // state->link = 0 once the PCS is gone
			if p := srcuEnter(t, e, wp); p != nil {
				link = p.GetState(t, e.K)
			}
			srcuExit(w)
			return link
		},
		Validate:  fwd("validate", func(o *Ops) func(*sim.Task, *PCS) { return o.Validate }),
		Enable:    fwd("enable", func(o *Ops) func(*sim.Task, *PCS) { return o.Enable }),
		Disable:   fwd("disable", func(o *Ops) func(*sim.Task, *PCS) { return o.Disable }),
		Config:    fwd("config", func(o *Ops) func(*sim.Task, *PCS) { return o.Config }),
		AnRestart: fwd("an_restart", func(o *Ops) func(*sim.Task, *PCS) { return o.AnRestart }),
		LinkUp:    fwd("link_up", func(o *Ops) func(*sim.Task, *PCS) { return o.LinkUp }),
	}
}

// srcuEnter is srcu_read_lock + srcu_dereference(wrapper->wrapped).
func srcuEnter(t *sim.Task, e *Env, wp *PCS) *PCS {
	w := wrapperOf(wp)
	e.K.Heap.Access(t, wp.Obj, devmodel.Read)
	w.readers++
	t.Yield("srcu_dereference(wrapped)")
	return w.wrapped
}

// srcuExit is srcu_read_unlock.
func srcuExit(w *wrapper) {
	w.readers--
	if w.readers == 0 {
		w.sync.WakeAll()
	}
}

// Unregistering is pcs_unregister: clear wrapped, synchronize_srcu, report
// link down (non-polled PCSs), drop the registry's reference.
func (srcuWrapper) Unregistering(t *sim.Task, e *Env, p *PCS) {
	wp := p.ReadPhylink(t, e.K).(forwardChange).w
	w := wrapperOf(wp)
	e.K.Heap.Access(t, wp.Obj, devmodel.Write)
	w.wrapped = nil
	p.SetPhylink(t, e.K, nil)
	t.Enter("synchronize_srcu")
	for w.readers > 0 {
		w.sync.Wait(t, "synchronize_srcu", nil)
	}
	t.Leave()
	if pl := wp.ReadPhylink(t, e.K); !wp.Poll && pl != nil {
		pl.PCSChange(t, wp, false)
	}
	e.K.KrefPut(t, &w.refcnt, nil)
}

// Get is _pcs_get_tail: refcount_inc + get_device(wrapper->dev).
func (srcuWrapper) Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, wp *PCS) (*PCS, int) {
	if isWrapper(wp) {
		e.K.KrefGet(t, &wrapperOf(wp).refcnt, holder)
	}
	e.K.GetDevice(t, wp.Dev, holder)
	return wp, 0
}

// Put is pcs_put: put_device + refcount drop.
func (srcuWrapper) Put(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, wp *PCS) {
	e.K.PutDevice(t, wp.Dev, holder)
	if isWrapper(wp) {
		e.K.KrefPut(t, &wrapperOf(wp).refcnt, holder)
	}
}
