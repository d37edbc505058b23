package pcs

import (
	"slices"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// PhylinkList is a kernel list of struct phylink (a list_head in each
// phylink, the head in the PCS core): the phylink instances a provider
// notifies when a PCS registers. Walking it reads each entry's memory, so
// an entry left on the list after its phylink was freed is a
// use-after-free of struct phylink, as in the kernel.
type PhylinkList struct {
	entries []Phylink
	// Chain, if set, makes the list a blocking notifier chain: Add
	// (register), Del (unregister) and Each (call_chain) hold its rwsem.
	// Simplification: the rwsem is a mutex (two walks do not overlap).
	// Without it the callers' lock (rtnl) protects the list.
	Chain *sim.Mutex
}

// Add is list_add(&pl->node, list) (blocking_notifier_chain_register): it
// writes pl.
func (l *PhylinkList) Add(t *sim.Task, k *devmodel.Kernel, pl Phylink) {
	defer l.lock(t)()
	k.Heap.Access(t, pl.Obj(), devmodel.Write)
	l.entries = append(l.entries, pl)
}

// Del is list_del(&pl->node) (blocking_notifier_chain_unregister, which
// waits for running walks): it writes pl.
func (l *PhylinkList) Del(t *sim.Task, k *devmodel.Kernel, pl Phylink) {
	defer l.lock(t)()
	k.Heap.Access(t, pl.Obj(), devmodel.Write)
	if i := slices.Index(l.entries, pl); i >= 0 {
		l.entries = slices.Delete(l.entries, i, i+1)
	}
}

// Each is list_for_each_entry (blocking_notifier_call_chain): fn sees every
// entry in list order, after the walk has read its node (checked through
// the heap). The list must not change during the walk except through fn's
// own entry.
func (l *PhylinkList) Each(t *sim.Task, k *devmodel.Kernel, fn func(pl Phylink)) {
	defer l.lock(t)()
	for _, pl := range slices.Clone(l.entries) {
		k.Heap.Access(t, pl.Obj(), devmodel.Read) // pl->node.next
		fn(pl)
	}
}

// lock takes the chain's rwsem, if any, and returns its release.
func (l *PhylinkList) lock(t *sim.Task) func() {
	if l.Chain == nil {
		return func() {}
	}
	l.Chain.Lock(t)
	return func() { l.Chain.Unlock(t) }
}

// Entries returns the list's entries without reading them (for checks,
// which judge them by ground truth; model code walks the list with Each).
func (l *PhylinkList) Entries() []Phylink { return l.entries }
