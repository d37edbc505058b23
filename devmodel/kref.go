package devmodel

import (
	"fmt"

	"github.com/pcssim/pcssim/sim"
)

// Kref is struct kref with the holders of each reference recorded, so that
// a put without a get, an underflow and a reference held by a freed holder
// (a leak) can be reported.
type Kref struct {
	// Obj is the object the count protects.
	Obj     *Object
	count   int
	holders []*Object
	// Release runs when the count drops to zero.
	Release func(t *sim.Task)
}

// Init sets the count to 1 held by holder (kref_init).
func (r *Kref) Init(holder *Object) {
	r.count = 1
	r.holders = append(r.holders[:0], holder)
}

// Count returns the current count (kref_read).
func (r *Kref) Count() int { return r.count }

// Get takes a reference for holder (kref_get).
func (k *Kernel) KrefGet(t *sim.Task, r *Kref, holder *Object) {
	if r.count <= 0 {
		k.S.Report(sim.Finding{
			Property: "refcount",
			Summary:  "kref_get on zero refcount of " + r.Obj.Label(),
			Detail:   fmt.Sprintf("get in %s\n", k.Heap.site(t)),
		})
	}
	k.Heap.Access(t, r.Obj, Write)
	r.count++
	r.holders = append(r.holders, holder)
}

// KrefPut drops holder's reference (kref_put) and runs Release at zero.
func (k *Kernel) KrefPut(t *sim.Task, r *Kref, holder *Object) {
	if !k.Heap.Access(t, r.Obj, Write) {
		return
	}
	idx := -1
	for i, h := range r.holders {
		if h == holder {
			idx = i
		}
	}
	if r.count <= 0 || idx < 0 {
		what := "put without a get"
		if r.count <= 0 {
			what = "refcount underflow"
		}
		k.S.Report(sim.Finding{
			Property: "refcount",
			Summary:  fmt.Sprintf("%s on %s", what, r.Obj.Label()),
			Detail:   fmt.Sprintf("put in %s\n", k.Heap.site(t)),
		})
		if r.count <= 0 {
			return
		}
	} else {
		r.holders = append(r.holders[:idx], r.holders[idx+1:]...)
	}
	r.count--
	if r.count == 0 && r.Release != nil {
		r.Release(t)
	}
}

// leakedHolders returns the holders of r that are already freed.
func (r *Kref) leakedHolders() []*Object {
	var out []*Object
	for _, h := range r.holders {
		if h != nil && h.Freed() {
			out = append(out, h)
		}
	}
	return out
}

// TrackKref adds r to the krefs checked for leaks at the end.
func (k *Kernel) TrackKref(r *Kref) { k.krefs = append(k.krefs, r) }

// CheckLeaks reports, at quiescence, references that nothing can drop any
// more: a kref or module reference whose holder has been freed.
func (k *Kernel) CheckLeaks() {
	for _, r := range k.krefs {
		if hs := r.leakedHolders(); len(hs) > 0 && !r.Obj.Freed() {
			k.S.Report(sim.Finding{
				Property: "leak",
				Summary:  fmt.Sprintf("leak of a reference to %s", r.Obj.Label()),
				Detail: fmt.Sprintf("the reference is held by %s, freed in %s\nobject allocated in %s\n",
					hs[0].Label(), *hs[0].Free, r.Obj.Alloc),
			})
			return
		}
	}
	for _, m := range k.Modules {
		for _, ref := range m.refs {
			if ref.holder != nil && ref.holder.Freed() {
				k.S.Report(sim.Finding{
					Property: "leak",
					Summary:  "leak of a reference to module " + m.Name,
					Detail: fmt.Sprintf("the reference is held by %s, freed in %s\n",
						ref.holder.Label(), *ref.holder.Free),
				})
				return
			}
		}
	}
}
