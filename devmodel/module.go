package devmodel

import (
	"fmt"

	"github.com/pcssim/pcssim/sim"
)

// ModState is enum module_state.
type ModState uint8

// Module states (MODULE_STATE_*), plus Unloaded for a module not in memory.
const (
	Unloaded ModState = iota
	Coming
	Live
	Going
)

// String returns the state's name as the kernel prints it.
func (s ModState) String() string {
	return [...]string{"unloaded", "COMING", "LIVE", "GOING"}[s]
}

// Module is struct module: a loadable unit that owns drivers and the memory
// of their code and ops tables.
type Module struct {
	Name string
	// Deps are the modules this one uses symbols of (it is on their
	// source_list while loaded).
	Deps    []*Module
	Drivers []*Driver
	State   ModState
	// Core is the module image (code and ops tables); it is freed by
	// free_module, so a call through a stale ops pointer is use-after-unload.
	Core *Object
	// Init and Exit run extra work of module_init/module_exit after the
	// drivers are registered and before they are unregistered.
	Init, Exit func(t *sim.Task)

	refs []modRef
	k    *Kernel
}

type modRef struct {
	by     *Module // module whose code took the reference (nil: built-in)
	holder *Object
}

// NewModule declares a module; it is loaded by Insmod.
func (k *Kernel) NewModule(name string, deps ...*Module) *Module {
	m := &Module{Name: name, Deps: deps, k: k}
	k.Modules = append(k.Modules, m)
	return m
}

// Refcount returns module_refcount(mod).
func (m *Module) Refcount() int { return len(m.refs) }

// users returns the loaded modules that depend on m (mod->source_list).
func (m *Module) users() []*Module {
	var out []*Module
	for _, o := range m.k.Modules {
		if o.State == Unloaded {
			continue
		}
		for _, d := range o.Deps {
			if d == m {
				out = append(out, o)
			}
		}
	}
	return out
}

// TryModuleGet is try_module_get: it fails once the module is GOING or gone.
// by is the module whose code takes the reference; holder the object that
// keeps it. A nil module (built-in code) always succeeds.
func (k *Kernel) TryModuleGet(t *sim.Task, m *Module, by *Module, holder *Object) bool {
	if m == nil {
		return true
	}
	t.Enter("try_module_get")
	defer t.Leave()
	if m.State != Live && m.State != Coming {
		return false
	}
	m.refs = append(m.refs, modRef{by: by, holder: holder})
	return true
}

// ModulePut is module_put.
func (k *Kernel) ModulePut(t *sim.Task, m *Module, holder *Object) {
	if m == nil {
		return
	}
	for i := len(m.refs) - 1; i >= 0; i-- {
		if m.refs[i].holder == holder {
			m.refs = append(m.refs[:i], m.refs[i+1:]...)
			return
		}
	}
	k.S.Report(sim.Finding{
		Property: "refcount",
		Summary:  "module_put without try_module_get on module " + m.Name,
		Detail:   fmt.Sprintf("put in %s\n", k.Heap.site(t)),
	})
}

// Insmod loads m (load_module + do_init_module): the module image is
// allocated, state COMING, its drivers are registered (which probes matching
// devices), then state LIVE. It fails with EEXIST if loaded and ENOENT if a
// dependency is not loaded.
func (k *Kernel) Insmod(t *sim.Task, m *Module) int {
	t.Enter("load_module")
	defer t.Leave()
	if m.State != Unloaded {
		return EEXIST
	}
	for _, d := range m.Deps {
		if d.State != Live {
			return ENOENT
		}
	}
	m.Core = k.Heap.Alloc(t, "module", m.Name)
	m.Core.Module = m
	m.State = Coming
	t.Enter("do_init_module")
	defer t.Leave()
	for _, drv := range m.Drivers {
		k.DriverRegister(t, drv)
	}
	if m.Init != nil {
		m.Init(t)
	}
	m.State = Live
	return 0
}

// Rmmod is the delete_module syscall: EWOULDBLOCK while another module
// depends on m or while its refcount is not zero ("Module X is in use"),
// EBUSY unless LIVE; otherwise state GOING, module_exit (which unregisters
// the drivers, unbinding their devices) and free_module.
// Simplification: the checks and the state change are one atomic step, as
// under module_mutex.
func (k *Kernel) Rmmod(t *sim.Task, m *Module) int {
	t.Enter("delete_module")
	defer t.Leave()
	if m.State == Unloaded {
		return ENOENT
	}
	if len(m.users()) > 0 {
		return EWOULDBLOCK
	}
	if m.State != Live {
		return EBUSY
	}
	t.Enter("try_stop_module")
	if len(m.refs) > 0 {
		t.Leave()
		k.checkSelfPin(t, m)
		return EWOULDBLOCK
	}
	m.State = Going
	t.Leave()
	t.Yield("mod->exit " + m.Name)
	if m.Exit != nil {
		m.Exit(t)
	}
	for i := len(m.Drivers) - 1; i >= 0; i-- {
		k.DriverUnregister(t, m.Drivers[i])
	}
	t.Enter("free_module")
	k.Heap.Kfree(t, m.Core)
	t.Leave()
	m.State = Unloaded
	return 0
}

// checkSelfPin reports rmmod-blocked when every reference that keeps m
// loaded was taken by m's own code: nothing outside the module needs it,
// yet it can never be unloaded.
func (k *Kernel) checkSelfPin(t *sim.Task, m *Module) {
	for _, r := range m.refs {
		if r.by != m {
			return
		}
	}
	holder := "?"
	if h := m.refs[0].holder; h != nil {
		holder = h.Label()
	}
	k.S.Report(sim.Finding{
		Property: "rmmod-blocked",
		Summary:  fmt.Sprintf("module %s pins itself: rmmod fails with EWOULDBLOCK (in use, refcount %d)", m.Name, len(m.refs)),
		Detail: fmt.Sprintf("rmmod in %s\nall %d references were taken by %s's own code, e.g. for %s;\nno other module or user needs it\n",
			k.Heap.site(t), len(m.refs), m.Name, holder),
	})
}
