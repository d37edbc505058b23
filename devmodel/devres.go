package devmodel

import "github.com/pcssim/pcssim/sim"

// devresNode is one devres entry: managed memory or a managed action.
type devresNode struct {
	obj    *Object
	name   string
	action func(t *sim.Task)
}

// DevmKzalloc is devm_kzalloc: memory freed when the driver unbinds (after
// remove()) or when probe fails.
func (k *Kernel) DevmKzalloc(t *sim.Task, d *Device, typ, name string) *Object {
	t.Enter("devm_kzalloc")
	o := k.Heap.Alloc(t, typ, name)
	t.Leave()
	d.devres = append(d.devres, devresNode{obj: o})
	return o
}

// DevmIoremap is devm_ioremap: a register window of d, unmapped when its
// driver unbinds. An access after that is a page fault (Heap.Access).
func (k *Kernel) DevmIoremap(t *sim.Task, d *Device, name string) *Object {
	t.Enter("devm_ioremap")
	o := k.Heap.Alloc(t, IomemType, name)
	t.Leave()
	d.devres = append(d.devres, devresNode{obj: o})
	return o
}

// IomemType is the heap type of a register window (ioremap): freeing it
// is iounmap, and an access after that faults rather than being a KASAN
// report.
const IomemType = "iomem"

// DevmAddAction is devm_add_action: fn runs at devres release, LIFO with
// the device's other devres entries.
func (k *Kernel) DevmAddAction(t *sim.Task, d *Device, name string, fn func(t *sim.Task)) {
	d.devres = append(d.devres, devresNode{name: name, action: fn})
}

// DevresCount returns the number of devres entries of d.
func (d *Device) DevresCount() int { return len(d.devres) }

// devresReleaseAll is devres_release_all → release_nodes: entries are
// released in reverse order of registration.
func (k *Kernel) devresReleaseAll(t *sim.Task, d *Device) {
	t.Enter("devres_release_all")
	defer t.Leave()
	nodes := d.devres
	d.devres = nil
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		if n.obj != nil {
			k.Heap.Kfree(t, n.obj)
			continue
		}
		t.Enter(n.name)
		n.action(t)
		t.Leave()
	}
}
