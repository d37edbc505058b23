package devmodel

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/sim"
)

// Site is where something happened: the simulated call chain (innermost
// first), the task and the virtual time.
type Site struct {
	Stack []string
	Task  string
	// TaskID is the task's number (the PID reports print).
	TaskID int
	At     sim.Time
}

// String renders a site as KASAN does, e.g.
// "lynx_pcs_get_state <- phylink_resolve (task kworker) at t=1.000300s".
func (s Site) String() string {
	chain := strings.Join(s.Stack, " <- ")
	if chain == "" {
		chain = "<event>"
	}
	return fmt.Sprintf("%s (task %s) at t=%s", chain, s.Task, s.At)
}

// Object is one allocation on the model heap: a kernel structure such as
// struct phylink_pcs, struct device or a module's ops table.
type Object struct {
	// ID numbers allocations in order (report-only: KASAN-style
	// addresses, trace marks); equivalent schedules may allocate in
	// another order, so it is not part of the state.
	ID   int `state:"-"`
	Type string
	Name string
	// Module is set for memory that belongs to a module image (code, ops
	// tables): it is freed when the module is unloaded.
	Module *Module
	Alloc  Site  `state:"-"`
	Free   *Site `state:"set"`
}

// Freed reports whether o has been freed.
func (o *Object) Freed() bool { return o.Free != nil }

// Label names the object in reports: `struct phylink_pcs "lynx-pcs.0"`.
func (o *Object) Label() string { return fmt.Sprintf("%s %q", o.Type, o.Name) }

// Heap is the model's memory: every model object is allocated and freed
// here and every access goes through it. A freed object is never reused
// within an execution, so every stale access is detected.
type Heap struct {
	k      *Kernel
	nextID int
	live   int
}

// Access kinds.
const (
	Read  = "read"
	Write = "write"
	Call  = "call"
)

func (h *Heap) site(t *sim.Task) Site { return siteOf(h.k.S, t) }

// Alloc allocates an object (kmalloc/kzalloc) from the running task.
func (h *Heap) Alloc(t *sim.Task, typ, name string) *Object {
	h.nextID++
	h.live++
	o := &Object{ID: h.nextID, Type: typ, Name: name, Alloc: h.site(t)}
	if h.k.S.Tracing() {
		h.k.S.Mark(sim.Mark{Kind: sim.MarkAlloc, Obj: o.ID, Name: o.Label()})
	}
	return o
}

// accessMark is the trace mark of an access of kind.
func accessMark(kind string) sim.MarkKind {
	switch kind {
	case Write:
		return sim.MarkWrite
	case Call:
		return sim.MarkCall
	}
	return sim.MarkRead
}

// Kfree frees o (kfree). Freeing it twice is a refcount finding.
func (h *Heap) Kfree(t *sim.Task, o *Object) {
	if h.k.S.Tracing() {
		h.k.S.Mark(sim.Mark{Kind: sim.MarkFree, Obj: o.ID})
	}
	if o.Free != nil {
		here := h.site(t)
		h.k.S.Report(sim.Finding{
			Property: "refcount",
			Summary:  "double free of " + o.Label(),
			Detail: fmt.Sprintf("freed again in %s\nallocated in %s\nfirst freed in %s\n",
				here, o.Alloc, *o.Free),
			Kernel: kasanReport("double-free", o, "", here),
		})
		return
	}
	s := h.site(t)
	o.Free = &s
	h.live--
	h.k.S.Touch(o.Name)
	h.k.S.Footprint(o.Type, o.Name, true)
}

// Live returns the number of allocated, not yet freed objects.
func (h *Heap) Live() int { return h.live }

// Access checks an access of kind (Read, Write, Call) to o by the running
// task and reports use-after-free (use-after-unload for module memory) with
// the access, allocation and free sites. It returns false if o was freed.
//
// A nil o is a NULL pointer dereference: it is reported as null-deref and
// the task oopses (Deref); Access does not return.
func (h *Heap) Access(t *sim.Task, o *Object, kind string) bool {
	if o == nil {
		h.Deref(t, nil, "", kind)
	}
	h.k.S.Touch(o.Name)
	if h.k.S.Tracing() {
		h.k.S.Mark(sim.Mark{Kind: accessMark(kind), Obj: o.ID})
	}
	h.k.S.Footprint(o.Type, o.Name, kind == Write)
	if o.Free == nil {
		return true
	}
	here := h.site(t)
	prop, what := "use-after-free", o.Label()
	var kernel string
	if o.Module != nil {
		prop = "use-after-unload"
		what = fmt.Sprintf("%s of module %s", what, o.Module.Name)
		kernel = pageFaultOops(o.addr(), kind, here, fmt.Sprintf("(pcssim: %s was unmapped when module %s was unloaded at t=%s; frames have no code offsets)\n", o.Label(), o.Module.Name, o.Free.At))
	} else if o.Type == IomemType {
		kernel = pageFaultOops(o.addr(), kind, here, fmt.Sprintf("(pcssim: the register window %q was iounmap'ed at t=%s; frames have no code offsets)\n", o.Name, o.Free.At))
	} else {
		access := "Read"
		if kind == Write {
			access = "Write"
		}
		kernel = kasanReport("slab-use-after-free", o, access, here)
	}
	h.k.S.Report(sim.Finding{
		Property: prop,
		Summary:  prop + " of " + what,
		Detail: fmt.Sprintf("%s in %s\nallocated in %s\nfreed in %s\n",
			kind, here, o.Alloc, *o.Free),
		Kernel: kernel,
	})
	return false
}

// Deref checks a pointer of C type typ (e.g. "struct phylink") before an
// access of kind through it: NULL is reported as the kernel reports it
// ("BUG: kernel NULL pointer dereference"), with the model's call chain,
// and the task oopses (it dies holding its locks; the execution stops).
// A non-NULL pointer is checked like Access.
func (h *Heap) Deref(t *sim.Task, o *Object, typ, kind string) bool {
	if o != nil {
		return h.Access(t, o, kind)
	}
	if t == nil {
		panic("devmodel: NULL pointer dereferenced outside a task (model bug)")
	}
	fn := t.Func()
	if fn == "" {
		fn = "?"
	}
	what := "a NULL pointer"
	if typ != "" {
		what = "a NULL " + typ + " *"
	}
	h.k.S.Report(sim.Finding{
		Property: "null-deref",
		Summary:  fmt.Sprintf("null-deref: kernel NULL pointer dereference in %s (%s of %s)", fn, kind, what),
		Kernel:   pageFaultOops(0, kind, h.site(t), "(pcssim: the task dies holding its locks; the execution ends here; frames have no code offsets)\n"),
	})
	t.Oops()
	return false
}

// pfCode is the page fault error code the Oops line prints (x86: bit 1
// write, bit 4 instruction fetch).
func pfCode(kind string) int {
	switch kind {
	case Write:
		return 0x2
	case Call:
		return 0x10
	}
	return 0
}

// accessWord is the #PF line's access kind.
func accessWord(kind string) string {
	switch kind {
	case Write:
		return "write"
	case Call:
		return "instruction fetch"
	}
	return "read"
}
