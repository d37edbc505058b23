package pcs

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// ProviderConfig parameterises a PCS provider driver model.
type ProviderConfig struct {
	// Prefix names the driver's functions, e.g. "lynx_pcs".
	Prefix string
	// Lanes is the number of PCSs one device provides (4 for QSGMII).
	Lanes int
	// Poll reports link by polling (pcs->poll); otherwise by interrupt.
	Poll bool
	// Shutdown are the steps of ->shutdown (devmodel.ShutdownRemove,
	// devmodel.ShutdownClearDrvdata; nil: none).
	Shutdown []string
	// DeferAfterRegister is how many of a device's first probes return
	// -EPROBE_DEFER after registering its PCSs (a resource it needs next,
	// such as its SerDes PHY, is not there yet); the error path
	// unregisters them and devres frees them.
	DeferAfterRegister int
}

// LaneName is the reference name of lane i of a provider device: the device
// name for a single-lane provider, "dev:i" otherwise.
func LaneName(dev string, lanes, i int) string {
	if lanes <= 1 {
		return dev
	}
	return fmt.Sprintf("%s:%d", dev, i)
}

// newOps builds the phylink_pcs_ops of a provider whose code lives in mod
// (nil: built-in); the table is part of the module image loaded now.
func newOps(e *Env, prefix string, mod *devmodel.Module) *Ops {
	priv := func(name string) func(t *sim.Task, p *PCS) {
		fn := prefix + "_" + name
		return func(t *sim.Task, p *PCS) {
			t.Enter(fn)
			if e.K.Heap.Access(t, p.Obj, devmodel.Write) && p.MDIO != nil { // the driver's private data
				e.MDIO.Access(t, p.MDIO, "write") // the PCS's registers
			}
			t.Leave()
		}
	}
	getState := prefix + "_get_state"
	validate := priv("validate")
	ops := &Ops{
		Owner: mod,
		GetState: func(t *sim.Task, p *PCS) bool {
			t.Enter(getState)
			defer t.Leave()
			if e.K.Heap.Access(t, p.Obj, devmodel.Read) && p.MDIO != nil {
				e.MDIO.Access(t, p.MDIO, "read") // lynx->mdio: BMSR
			}
			return p.Lane.LinkUp
		},
		Validate: func(t *sim.Task, p *PCS) int {
			validate(t, p)
			return 0
		},
		Enable:    priv("enable"),
		Disable:   priv("disable"),
		Config:    priv("config"),
		AnRestart: priv("an_restart"),
		LinkUp:    priv("link_up"),
	}
	if mod != nil {
		ops.Obj = mod.Core
	}
	return ops
}

// NewProviderDriver is a standalone PCS driver (Lynx-like on an MDIO bus,
// or a QSGMII block serving several MACs): probe devm-allocates one struct
// phylink_pcs per lane, requests the PCS interrupt unless polled, and
// registers each PCS; remove unregisters them; devres frees the memory.
func (e *Env) NewProviderDriver(bus *devmodel.Bus, mod *devmodel.Module, name string, cfg ProviderConfig, lanes func(dev *devmodel.Device) []*Lane) *devmodel.Driver {
	drv := e.K.NewDriver(bus, mod, name)
	drv.Probe = func(t *sim.Task, dev *devmodel.Device) int {
		t.Enter(cfg.Prefix + "_probe")
		defer t.Leave()
		ops := newOps(e, cfg.Prefix, mod)
		var list []*PCS
		for i, lane := range lanes(dev) {
			p := &PCS{Name: LaneName(dev.Name, cfg.Lanes, i), Ops: ops, Poll: cfg.Poll, Dev: dev, Lane: lane}
			if e.MDIO != nil {
				p.MDIO = e.MDIO.Of(dev) // a PCS driver bound to an mdio_device
			}
			p.Obj = e.K.DevmKzalloc(t, dev, "struct phylink_pcs", p.Name)
			if !cfg.Poll {
				e.requestIRQ(t, dev, cfg.Prefix, p)
			}
			e.Register(t, p)
			list = append(list, p)
		}
		if dev.ProbeCount <= cfg.DeferAfterRegister {
			t.Yield("devm_of_phy_get")
			for i := len(list) - 1; i >= 0; i-- { // err_unregister:
				e.Unregister(t, list[i])
			}
			return -devmodel.EPROBE_DEFER
		}
		dev.DriverData = list
		return 0
	}
	drv.Remove = func(t *sim.Task, dev *devmodel.Device) {
		t.Enter(cfg.Prefix + "_remove")
		defer t.Leave()
		list, _ := dev.DriverData.([]*PCS)
		for i := len(list) - 1; i >= 0; i-- { // none after a shutdown that cleared drvdata
			e.Unregister(t, list[i])
		}
	}
	drv.Shutdown = devmodel.ShutdownFunc(drv, cfg.Prefix, cfg.Shutdown, nil)
	return drv
}

// requestIRQ is devm_request_irq for the PCS link interrupt: the handler
// reads the PCS and calls phylink_pcs_change(). free_irq runs at devres
// release, after waiting for running handlers.
func (e *Env) requestIRQ(t *sim.Task, dev *devmodel.Device, prefix string, p *PCS) {
	lane := p.Lane
	lane.IRQ = e.irqHandler(p, prefix, nil, nil)
	e.K.DevmAddAction(t, dev, "devm_irq_release", func(t *sim.Task) { FreeIRQ(t, lane) })
}

// irqHandler is the PCS interrupt handler (PREFIX_irq_handler): it reads the
// PCS and reports the lane's link state to phylink: phylink_pcs_change(pcs)
// where the kernel has it (FeatPCSBackPointer), else, for a PCS its MAC
// created, the MAC's phylink_mac_change(priv->phylink) (mac returns the
// MAC's pointer, which may be NULL or stale).
func (e *Env) irqHandler(p0 *PCS, prefix string, mac func() Phylink, pick func(t *sim.Task) *PCS) func(t *sim.Task) {
	fn := prefix + "_irq_handler"
	return func(t *sim.Task) {
		t.Enter(fn)
		defer t.Leave()
		p := p0
		if pick != nil {
			p = pick(t)
		}
		e.K.Heap.Access(t, p.Obj, devmodel.Read)
		if mac == nil || e.K.Has(devmodel.FeatPCSBackPointer) {
			PCSChange(t, e.K, p, p.Lane.LinkUp)
			return
		}
		macChange(t, e.K, mac(), p, p.Lane.LinkUp)
	}
}

// macChange is phylink_mac_change(pl, up), the MAC's way to report a link
// change before PCSs could (FeatPCSBackPointer): pl is dereferenced.
func macChange(t *sim.Task, k *devmodel.Kernel, pl Phylink, p *PCS, up bool) {
	t.Enter("phylink_mac_change")
	defer t.Leave()
	k.Heap.Deref(t, pl.Obj(), "struct phylink", devmodel.Write) // pl->mac_link_dropped
	pl.PCSChange(t, p, up)
}

// PCSChange is phylink_pcs_change(pcs, up): read pcs->phylink and, if set,
// let that phylink re-resolve.
func PCSChange(t *sim.Task, k *devmodel.Kernel, p *PCS, up bool) {
	t.Enter("phylink_pcs_change")
	defer t.Leave()
	if pl := p.ReadPhylink(t, k); pl != nil {
		pl.PCSChange(t, p, up)
	}
}

// CreateIntegrated is xpcs_create-style: a MAC driver allocates a PCS for
// itself (kzalloc, not devm) with ops from module mod; the MAC destroys it
// with DestroyIntegrated.
func (e *Env) CreateIntegrated(t *sim.Task, mac *devmodel.Device, name, prefix string, mod *devmodel.Module, poll bool, lane *Lane) *PCS {
	t.Enter(prefix + "_create")
	defer t.Leave()
	p := &PCS{Name: name, Ops: newOps(e, prefix, mod), Poll: poll, Dev: mac, Lane: lane}
	p.Obj = e.K.Heap.Alloc(t, "struct phylink_pcs", name)
	return p
}

// EmbeddedPCS is a second struct phylink_pcs in the same allocation as
// p, with ops of its own driver functions (mvpp2's pcs_xlg beside its
// pcs_gmac, macb's USX PCS beside its SGMII one): it lives and dies with
// p, which DestroyIntegrated frees.
func (e *Env) EmbeddedPCS(p *PCS, name, prefix string) *PCS {
	return &PCS{Obj: p.Obj, Name: name, Ops: newOps(e, prefix, p.Ops.Owner), Poll: p.Poll, Dev: p.Dev, Lane: p.Lane, MDIO: p.MDIO}
}

// RequestIRQ is the MAC's request_irq() for the interrupt of a PCS it
// created: the handler reads the PCS and reports the link change to
// phylink. The MAC frees it with FreeIRQ, which must come before the PCS
// is destroyed.
//
// mac returns the MAC's phylink pointer (priv->phylink), which the handler
// uses on kernels without phylink_pcs_change().
//
// pick, if not nil, chooses per interrupt which of the MAC's PCSs reports
// (mvpp2_isr_handle_link: pcs_xlg or pcs_gmac by the port's interface).
func (e *Env) RequestIRQ(t *sim.Task, p *PCS, prefix string, mac func() Phylink, pick func(t *sim.Task) *PCS) {
	t.Enter("request_irq")
	defer t.Leave()
	p.Lane.IRQ = e.irqHandler(p, prefix, mac, pick)
}

// DestroyIntegrated is xpcs_destroy: free the PCS the MAC created.
func (e *Env) DestroyIntegrated(t *sim.Task, p *PCS, prefix string) {
	t.Enter(prefix + "_destroy")
	defer t.Leave()
	e.Strategy.Destroying(t, e, p)
	if p.MDIO != nil && e.K.Heap.Access(t, p.Obj, devmodel.Read) {
		e.MDIO.Put(t, p.MDIO, p.Obj) // mdio_device_put(lynx->mdio)
	}
	e.K.Heap.Kfree(t, p.Obj)
}
