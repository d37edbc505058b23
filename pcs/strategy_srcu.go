package pcs

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

func init() {
	RegisterStrategy("srcu-wrapper", func(Options) Strategy { return srcuWrapper{} })
}

// srcuWrapper is "net: pcs: Add subsystem" by Sean Anderson as posted at
// v6 (10 Jun 2025, <20250610233134.3588011-1-sean.anderson@linux.dev>),
// patches 02 ("net: phylink: Support setting PCS link change callbacks")
// and 03 (drivers/net/pcs/core.c), read from the 0-day bot's import of the
// series (intel-lab-lkp/linux 56201bc1) and checked against the v5 e-mail.
// Each step below names the posted function it stands for.
//
// What the posted code does:
//   - pcs_register_full() kzallocs a struct pcs_wrapper (refcount 1, the
//     registration's), takes get_device(dev) for wrapper->dev, points
//     wrapper->wrapped at the PCS, copies pcs->poll, sets the provider's
//     pcs->link_change = pcs_change_callback with link_change_priv =
//     wrapper, and list_adds the wrapper to pcs_wrappers under pcs_lock
//     (a spinlock);
//   - _pcs_get_tail() (pcs_get) only refcount_incs the wrapper under
//     pcs_lock: the consumer holds no device and no module reference;
//     pcs_put() drops it and kfrees the wrapper at zero;
//   - every wrapper op takes the one pcs_srcu shared by all PCSs
//     (guard(srcu)), srcu_dereferences wrapper->wrapped and forwards; with
//     the PCS gone pcs_get_state reports link down, pcs_validate,
//     pcs_enable and pcs_config return -ENODEV and the void ops do nothing;
//   - pcs_unregister() list_dels the wrapper under pcs_lock, put_device()s
//     wrapper->dev, clears wrapper->wrapped, synchronize_srcu()s, calls
//     phylink_pcs_change(&wrapper->pcs, false) for a PCS that does not
//     poll, and drops the registration's reference (kfree at zero). It
//     leaves the provider's pcs->link_change and link_change_priv pointing
//     at the wrapper it may just have freed;
//   - phylink (patch 02) keeps its back pointer in the wrapper's
//     link_change_priv: phylink_major_config() sets it, phylink_destroy()
//     never clears it. No rtnl and no state_mutex anywhere in the core.
//
// A re-registered PCS gets a new wrapper that a MAC holding the old one
// never sees (no-recovery, as the cover letter acknowledges).
//
// Not modelled: fwnode references and matching (lookup is by name), the
// ops phylink's model does not call (pcs_inband_caps, pcs_pre_config,
// pcs_post_config, pcs_pre_init, the EEE ops), pcs_get_by_fwnode_compat.
type srcuWrapper struct{ Base }

func (srcuWrapper) ID() string { return "srcu-wrapper" }
func (srcuWrapper) Doc() string {
	return "refcounted wrapper forwarding under SRCU (Anderson, \"net: pcs: Add subsystem\" v6, June 2025)"
}

// wrapper is struct pcs_wrapper; the *PCS it belongs to is its embedded
// struct phylink_pcs (wrapper->pcs), whose Obj is the whole kzalloc.
type wrapper struct {
	wrapped *PCS // __rcu: read only inside a pcs_srcu read-side section
	refcnt  devmodel.Kref
}

func wrapperOf(w *PCS) *wrapper { return w.Priv.(*wrapper) }

// isWrapper tells wrappers from PCSs a MAC created for itself, which are
// never registered and so never wrapped.
func isWrapper(p *PCS) bool {
	_, ok := p.Priv.(*wrapper)
	return ok
}

// srcuStruct is DEFINE_STATIC_SRCU(pcs_srcu): one SRCU for every wrapper,
// so pcs_unregister() of one PCS waits for readers of all of them ("drivers
// may wait on other drivers' PCSs", as posted). Readers count in the
// current index; synchronize_srcu flips the index and waits for the old
// one to drain, so it waits only for readers that began before it, as SRCU
// does. Simplification: concurrent synchronize_srcu() calls run their
// grace periods one after the other (SRCU may share one).
type srcuStruct struct {
	idx     int
	readers [2]int
	inGP    bool
	wq      sim.WaitQueue
}

// pcsSRCU returns the execution's pcs_srcu.
func pcsSRCU(e *Env) *srcuStruct {
	if e.srcu == nil {
		e.srcu = &srcuStruct{}
	}
	return e.srcu
}

// readLock is srcu_read_lock: it returns the index to unlock.
func (s *srcuStruct) readLock() int {
	s.readers[s.idx]++
	return s.idx
}

// readUnlock is srcu_read_unlock.
func (s *srcuStruct) readUnlock(idx int) {
	s.readers[idx]--
	if s.readers[idx] == 0 {
		s.wq.WakeAll()
	}
}

// synchronize is synchronize_srcu(&pcs_srcu): it sleeps until every reader
// that was inside a read-side section when it began has left.
func (s *srcuStruct) synchronize(t *sim.Task) {
	t.Enter("synchronize_srcu")
	defer t.Leave()
	for s.inGP {
		s.wq.Wait(t, "synchronize_srcu(&pcs_srcu)", nil)
	}
	s.inGP = true
	old := s.idx
	s.idx ^= 1
	for s.readers[old] > 0 {
		s.wq.Wait(t, "synchronize_srcu(&pcs_srcu)", nil)
	}
	s.inGP = false
	s.wq.WakeAll()
}

// Registered is pcs_register_full().
func (srcuWrapper) Registered(t *sim.Task, e *Env, p *PCS) *PCS {
	t.Enter("pcs_register_full")
	defer t.Leave()
	w := &wrapper{wrapped: p} // RCU_INIT_POINTER(wrapper->wrapped, pcs)
	wp := &PCS{Name: p.Name, Dev: p.Dev, Lane: p.Lane, Priv: w}
	wp.Obj = e.K.Heap.Alloc(t, "struct pcs_wrapper", p.Name) // kzalloc
	w.refcnt.Obj = wp.Obj
	w.refcnt.Init(nil) // refcount_set(&wrapper->refcnt, 1): the registration's
	w.refcnt.Release = func(t *sim.Task) { e.K.Heap.Kfree(t, wp.Obj) }
	e.K.TrackKref(&w.refcnt)
	e.K.GetDevice(t, p.Dev, wp.Obj) // wrapper->dev = get_device(dev)
	wp.Ops = wrapperOps(e)          // wrapper->pcs.ops = &pcs_ops
	wp.Poll = p.ReadPoll(t, e.K)    // wrapper->pcs.poll = pcs->poll
	// pcs->link_change = pcs_change_callback; pcs->link_change_priv =
	// wrapper. (list_add under pcs_lock: Env.Register, with no preemption
	// point in between.)
	p.SetPhylink(t, e.K, changeCallback{wp, e.K})
	return wp
}

// changeCallback is the provider PCS's link_change/link_change_priv as
// pcs_register_full() sets them: pcs_change_callback(wrapper, up), which
// calls phylink_pcs_change(&wrapper->pcs, up), reading the wrapper's
// memory (freed once the last reference is gone).
type changeCallback struct {
	w *PCS
	k *devmodel.Kernel
}

func (c changeCallback) Obj() *devmodel.Object { return c.w.Obj }
func (c changeCallback) PCSChange(t *sim.Task, p *PCS, up bool) {
	t.Enter("pcs_change_callback")
	defer t.Leave()
	PCSChange(t, c.k, c.w, up)
}
func (c changeCallback) ReleasePCS(t *sim.Task, p *PCS, stateMutex bool) {}
func (c changeCallback) PCSAvailable(t *sim.Task, p *PCS)                {}
func (c changeCallback) Wants(t *sim.Task, name string) bool             { return false }
func (c changeCallback) Listed() []*PCS                                  { return nil }

// wrapperOps returns pcs_ops, the wrapper's phylink_pcs_ops (core.c is
// built in: CONFIG_PCS is a bool). Each op is the posted static function
// of the same name: pcs_to_wrapper() (its WARN_ON reads wrapper->pcs.ops),
// guard(srcu)(&pcs_srcu), srcu_dereference(wrapper->wrapped), then the
// wrapped PCS's op or the op's answer for a PCS that is gone.
func wrapperOps(e *Env) *Ops {
	// under runs body inside a pcs_srcu read-side section with what
	// srcu_dereference(wrapper->wrapped) returned (nil: gone).
	under := func(t *sim.Task, fn string, wp *PCS, body func(wrapped *PCS)) {
		t.Enter(fn)
		defer t.Leave()
		e.K.Heap.Access(t, wp.Obj, devmodel.Read) // pcs_to_wrapper: pcs->ops
		s := pcsSRCU(e)
		idx := s.readLock()
		defer s.readUnlock(idx)
		t.Yield("srcu_dereference(wrapped)")
		e.K.Heap.Access(t, wp.Obj, devmodel.Read)
		body(wrapperOf(wp).wrapped)
	}
	// void ops: "if (wrapped && wrapped->ops->op) wrapped->ops->op(...)";
	// pcs_enable and pcs_config return -ENODEV for a PCS that is gone,
	// which phylink_major_config ignores (pcs_config's only logs).
	fwd := func(fn string, call func(p *PCS, t *sim.Task, k *devmodel.Kernel)) func(*sim.Task, *PCS) {
		return func(t *sim.Task, wp *PCS) {
			under(t, fn, wp, func(wrapped *PCS) {
				if wrapped != nil {
					call(wrapped, t, e.K)
				}
			})
		}
	}
	return &Ops{
		// pcs_get_state: "if (wrapped) ...pcs_get_state(...); else
		// state->link = 0;"
		GetState: func(t *sim.Task, wp *PCS) bool {
			link := false
			under(t, "pcs_get_state", wp, func(wrapped *PCS) {
				if wrapped != nil {
					link = wrapped.GetState(t, e.K)
				}
			})
			return link
		},
		// pcs_validate: "if (!wrapped) return -ENODEV; if
		// (!wrapped->ops->pcs_validate) return 0;" else its result.
		// phylink_validate turns -ENODEV into -EINVAL, and
		// phylink_create fails.
		Validate: func(t *sim.Task, wp *PCS) int {
			ret := -devmodel.ENODEV
			under(t, "pcs_validate", wp, func(wrapped *PCS) {
				if wrapped != nil {
					ret = wrapped.Validate(t, e.K)
				}
			})
			return ret
		},
		Enable:    fwd("pcs_enable", (*PCS).Enable),
		Disable:   fwd("pcs_disable", (*PCS).Disable),
		Config:    fwd("pcs_config", (*PCS).Config),
		AnRestart: fwd("pcs_an_restart", (*PCS).AnRestart),
		LinkUp:    fwd("pcs_link_up", (*PCS).LinkUp),
	}
}

// Unregistering is pcs_unregister(), after Env.Unregister's list_del
// under pcs_lock. Simplification: the wrapper is found through the
// provider's pcs->link_change_priv (the posted code walks pcs_wrappers
// under pcs_lock comparing wrapper->wrapped; the same wrapper, no
// preemption point).
func (srcuWrapper) Unregistering(t *sim.Task, e *Env, p *PCS) {
	cb, ok := p.ReadPhylink(t, e.K).(changeCallback)
	if !ok {
		return // WARN: "trying to unregister an already-unregistered PCS"
	}
	wp := cb.w
	w := wrapperOf(wp)
	e.K.Heap.Access(t, wp.Obj, devmodel.Read)
	e.K.PutDevice(t, wp.Dev, wp.Obj)           // put_device(wrapper->dev)
	e.K.Heap.Access(t, wp.Obj, devmodel.Write) // rcu_replace_pointer(wrapped, NULL)
	w.wrapped = nil
	pcsSRCU(e).synchronize(t)
	// "if (!wrapper->pcs.poll) phylink_pcs_change(&wrapper->pcs, false);"
	// reads the wrapper's link_change_priv, which phylink_destroy() left
	// pointing at a freed struct phylink if the MAC went first.
	if !wp.ReadPoll(t, e.K) {
		PCSChange(t, e.K, wp, false)
	}
	// refcount_dec_and_test(&wrapper->refcnt) -> kfree(wrapper). The
	// provider's pcs->link_change_priv still points at the wrapper.
	e.K.KrefPut(t, &w.refcnt, nil)
}

// Get is _pcs_get_tail(): refcount_inc(&wrapper->refcnt) under pcs_lock,
// nothing else. A PCS the MAC created itself is not registered and the
// series' MAC drivers never pcs_get() it.
func (srcuWrapper) Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, wp *PCS) (*PCS, int) {
	if isWrapper(wp) {
		t.Enter("_pcs_get_tail")
		e.K.KrefGet(t, &wrapperOf(wp).refcnt, holder)
		t.Leave()
	}
	return wp, 0
}

// Put is pcs_put(): pcs_to_wrapper(), refcount_dec_and_test, kfree.
func (srcuWrapper) Put(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, wp *PCS) {
	if isWrapper(wp) {
		t.Enter("pcs_put")
		e.K.Heap.Access(t, wp.Obj, devmodel.Read) // pcs_to_wrapper: pcs->ops
		e.K.KrefPut(t, &wrapperOf(wp).refcnt, holder)
		t.Leave()
	}
}
