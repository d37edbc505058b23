package pcs

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/sim"
)

// Lane is the hardware behind one PCS: whether the link partner is there.
// It is not kernel memory and survives unbind.
type Lane struct {
	Name   string
	LinkUp bool
	// IRQ, when set, is the PCS interrupt handler run on a link change.
	IRQ func(t *sim.Task)
	// inFlight counts raised handlers not finished yet (synchronize_irq
	// waits for them).
	inFlight int
	done     sim.WaitQueue
}

// RaiseIRQ delivers the lane's interrupt: the handler runs as its own task.
func (e *Env) RaiseIRQ(l *Lane) {
	irq := l.IRQ
	if irq == nil {
		return
	}
	l.inFlight++
	e.K.Spawn("irq: "+l.Name, nil, func(t *sim.Task) {
		defer func() {
			l.inFlight--
			l.done.WakeAll()
		}()
		irq(t)
	})
}

// FreeIRQ is free_irq: no new handler starts, running ones are waited for
// (synchronize_irq).
func FreeIRQ(t *sim.Task, l *Lane) {
	t.Enter("free_irq")
	defer t.Leave()
	l.IRQ = nil
	for l.inFlight > 0 {
		l.done.Wait(t, "synchronize_irq("+l.Name+")", nil)
	}
}

// Ops is struct phylink_pcs_ops. Obj is the memory the table lives in (the
// owning module's image; nil for built-in code).
type Ops struct {
	Obj *devmodel.Object
	// Owner is ops->owner, the module try_module_get pins.
	Owner    *devmodel.Module
	GetState func(t *sim.Task, p *PCS) bool
	// Validate returns 0 or -errno; phylink_validate fails (-EINVAL) on
	// a negative result, and with it phylink_create.
	Validate  func(t *sim.Task, p *PCS) int
	Enable    func(t *sim.Task, p *PCS)
	Disable   func(t *sim.Task, p *PCS)
	Config    func(t *sim.Task, p *PCS)
	AnRestart func(t *sim.Task, p *PCS)
	LinkUp    func(t *sim.Task, p *PCS)
}

// Phylink is what a PCS sees of the phylink instance using it
// (pcs->phylink). The phylink package implements it.
type Phylink interface {
	// Obj is the struct phylink memory.
	Obj() *devmodel.Object
	// PCSChange is phylink_pcs_change(pcs, up), from the PCS interrupt.
	PCSChange(t *sim.Task, p *PCS, up bool)
	// ReleasePCS is phylink_release_pcs(pcs): force the link down, disable
	// the PCS and forget it. With stateMutex false only rtnl is held (the
	// racy early version of the proposal).
	ReleasePCS(t *sim.Task, p *PCS, stateMutex bool)
	// PCSAvailable tells phylink a PCS it wants has been registered again.
	PCSAvailable(t *sim.Task, p *PCS)
	// Wants reports whether this phylink uses PCSs named name (it reads
	// the phylink's configuration).
	Wants(t *sim.Task, name string) bool
	// Listed returns the PCSs on phylink's list (those mac_select_pcs may
	// return), first the netdev's own; callers hold the lock the strategy
	// needs.
	Listed() []*PCS
}

// PCS is struct phylink_pcs.
type PCS struct {
	// Obj is the memory holding struct phylink_pcs (the provider's private
	// structure it is embedded in).
	Obj  *devmodel.Object
	Name string
	Ops  *Ops
	Poll bool
	// Dev is the device providing the PCS (pcs->dev in the 2022 RFC).
	Dev *devmodel.Device
	// Phylink is pcs->phylink (nil when unused).
	Phylink Phylink
	Lane    *Lane
	// MDIO is the mdio_device the PCS's registers are reached through
	// (lynx->mdio, xpcs->mdiodev), nil for a memory-mapped PCS.
	MDIO *mdio.Device
	// Priv is strategy-private state (e.g. the wrapped PCS of a wrapper).
	Priv any
}

// Env is what providers, strategies and phylink share in one execution.
type Env struct {
	K        *devmodel.Kernel
	Registry *Registry
	Strategy Strategy
	// Notified is the list of phylink instances that notifier-style
	// strategies tell about PCS registrations (phylink_create adds,
	// phylink_destroy removes, through the strategy).
	Notified PhylinkList
	// MDIO is the MDIO layer (nil: the world has no MDIO bus).
	MDIO *mdio.Subsys
	// srcu is the srcu-wrapper series' pcs_srcu (nil until first used).
	srcu *srcuStruct
}

func (p *PCS) access(t *sim.Task, k *devmodel.Kernel) bool {
	ok := k.Heap.Access(t, p.Obj, devmodel.Read) // pcs->ops
	if p.Ops.Obj != nil {
		ok = k.Heap.Access(t, p.Ops.Obj, devmodel.Call) && ok
	}
	return ok
}

// call invokes one op the way phylink's wrappers do: read pcs->ops, then
// call through the table. fn may be nil (optional op).
func (p *PCS) call(t *sim.Task, k *devmodel.Kernel, name string, fn func(t *sim.Task, p *PCS)) {
	t.Yield(name)
	p.access(t, k)
	if fn != nil {
		fn(t, p)
	}
}

// GetState calls pcs_get_state and returns the link state it reports.
func (p *PCS) GetState(t *sim.Task, k *devmodel.Kernel) bool {
	t.Yield("pcs_get_state")
	p.access(t, k)
	return p.Ops.GetState(t, p)
}

// Validate calls pcs_validate (optional) and returns its result (0 when
// the PCS has none).
func (p *PCS) Validate(t *sim.Task, k *devmodel.Kernel) int {
	t.Yield("pcs_validate")
	p.access(t, k)
	if p.Ops.Validate == nil {
		return 0
	}
	return p.Ops.Validate(t, p)
}

// Enable calls pcs_enable.
func (p *PCS) Enable(t *sim.Task, k *devmodel.Kernel) { p.call(t, k, "pcs_enable", p.Ops.Enable) }

// Disable calls pcs_disable.
func (p *PCS) Disable(t *sim.Task, k *devmodel.Kernel) { p.call(t, k, "pcs_disable", p.Ops.Disable) }

// Config calls pcs_config.
func (p *PCS) Config(t *sim.Task, k *devmodel.Kernel) { p.call(t, k, "pcs_config", p.Ops.Config) }

// AnRestart calls pcs_an_restart.
func (p *PCS) AnRestart(t *sim.Task, k *devmodel.Kernel) {
	p.call(t, k, "pcs_an_restart", p.Ops.AnRestart)
}

// LinkUp calls pcs_link_up.
func (p *PCS) LinkUp(t *sim.Task, k *devmodel.Kernel) { p.call(t, k, "pcs_link_up", p.Ops.LinkUp) }

// Obj0 returns the PCS's memory, nil for a NULL PCS (for pointer checks).
func (p *PCS) Obj0() *devmodel.Object {
	if p == nil {
		return nil
	}
	return p.Obj
}

// ReadPoll reads pcs->poll.
func (p *PCS) ReadPoll(t *sim.Task, k *devmodel.Kernel) bool {
	k.Heap.Access(t, p.Obj, devmodel.Read)
	return p.Poll
}

// ReadPhylink reads pcs->phylink.
func (p *PCS) ReadPhylink(t *sim.Task, k *devmodel.Kernel) Phylink {
	k.Heap.Access(t, p.Obj, devmodel.Read)
	return p.Phylink
}

// SetPhylink writes pcs->phylink.
func (p *PCS) SetPhylink(t *sim.Task, k *devmodel.Kernel, pl Phylink) {
	k.Heap.Access(t, p.Obj, devmodel.Write)
	p.Phylink = pl
}
