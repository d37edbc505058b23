package phylink

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// Steps of a MAC driver's probe and remove. Their order is a parameter so a
// real driver's ordering, right or wrong, can be written down.
const (
	StepLookupPCS      = "lookup-pcs"
	StepPhylinkCreate  = "phylink-create"
	StepRegisterNetdev = "register-netdev"
	StepUnregister     = "unregister-netdev"
	StepPhylinkDestroy = "phylink-destroy"
	StepPutPCS         = "put-pcs"
	StepRequestIRQ     = "request-irq"
	StepFreeIRQ        = "free-irq"
	defaultPrefixMAC   = "mac"
)

// DefaultProbe and DefaultRemove are the in-tree orders.
var (
	DefaultProbe  = []string{StepLookupPCS, StepPhylinkCreate, StepRequestIRQ, StepRegisterNetdev}
	DefaultRemove = []string{StepUnregister, StepFreeIRQ, StepPhylinkDestroy, StepPutPCS}
)

// undo maps a probe step to the remove step that reverses it.
var undo = map[string]string{
	StepLookupPCS:      StepPutPCS,
	StepPhylinkCreate:  StepPhylinkDestroy,
	StepRegisterNetdev: StepUnregister,
	StepRequestIRQ:     StepFreeIRQ,
}

// MACConfig parameterises a MAC driver model.
type MACConfig struct {
	// Prefix names the driver's functions, e.g. "enetc".
	Prefix        string
	Probe, Remove []string
}

// macPriv is the MAC driver's private data (devm_kzalloc'd in probe).
type macPriv struct {
	obj   *devmodel.Object
	insts []*netdevInst
}

// NewMACDriver is a MAC driver: probe runs cfg.Probe steps for every netdev
// of the device, remove runs cfg.Remove; a failed probe undoes what it did.
func (w *World) NewMACDriver(bus *devmodel.Bus, mod *devmodel.Module, name string, cfg MACConfig) *devmodel.Driver {
	if cfg.Prefix == "" {
		cfg.Prefix = defaultPrefixMAC
	}
	if cfg.Probe == nil {
		cfg.Probe = DefaultProbe
	}
	if cfg.Remove == nil {
		cfg.Remove = DefaultRemove
	}
	k := w.Env.K
	drv := k.NewDriver(bus, mod, name)
	drv.Probe = func(t *sim.Task, dev *devmodel.Device) int {
		t.Enter(cfg.Prefix + "_probe")
		defer t.Leave()
		priv := &macPriv{obj: k.DevmKzalloc(t, dev, "struct "+cfg.Prefix+"_priv", dev.Name)}
		for _, nd := range w.netdevsOf(dev) {
			in := &netdevInst{nd: nd, w: w}
			in.obj = k.DevmKzalloc(t, dev, "struct net_device", nd.Name)
			priv.insts = append(priv.insts, in)
		}
		dev.DriverData = priv
		for i, step := range cfg.Probe {
			if err := w.macStep(t, dev, priv, step, mod); err != 0 {
				// The failed step may have done part of its work (the
				// netdevs before the one that failed): undo it too.
				for j := i; j >= 0; j-- {
					w.macStep(t, dev, priv, undo[cfg.Probe[j]], mod)
				}
				return err
			}
		}
		return 0
	}
	drv.Remove = func(t *sim.Task, dev *devmodel.Device) {
		t.Enter(cfg.Prefix + "_remove")
		defer t.Leave()
		priv := dev.DriverData.(*macPriv)
		for _, step := range cfg.Remove {
			w.macStep(t, dev, priv, step, mod)
		}
	}
	return drv
}

// macStep runs one named step for every netdev of the device.
func (w *World) macStep(t *sim.Task, dev *devmodel.Device, priv *macPriv, step string, mod *devmodel.Module) int {
	env := w.Env
	for _, in := range priv.insts {
		nd := in.nd
		switch step {
		case StepLookupPCS:
			switch {
			case nd.Integrated:
				owner := nd.IntegratedModule
				if owner == nil {
					owner = mod
				}
				in.own = env.CreateIntegrated(t, dev, nd.PCSRef, nd.intPrefix(), owner, !nd.IRQ, nd.lane)
				h, err := env.Strategy.Get(t, env, dev, priv.obj, in.own)
				if err != 0 {
					env.DestroyIntegrated(t, in.own, nd.intPrefix())
					in.own = nil
					return err
				}
				in.handle = h
			case nd.PCSRef != "":
				h, err := env.Lookup(t, dev, priv.obj, nd.PCSRef)
				if err != 0 {
					return err
				}
				in.handle = h
			}
		case StepRequestIRQ:
			if nd.IRQ && in.own != nil && !in.irq {
				env.RequestIRQ(t, in.own, nd.intPrefix(), func() pcs.Phylink { return in.pl })
				in.irq = true
			}
		case StepFreeIRQ:
			if in.irq {
				pcs.FreeIRQ(t, nd.lane)
				in.irq = false
			}
		case StepPhylinkCreate:
			pl, err := w.phylinkCreate(t, nd, in, in.handle)
			if err != 0 {
				return err
			}
			in.pl = pl
		case StepRegisterNetdev:
			w.registerNetdev(t, in)
		case StepUnregister:
			if in.registered {
				w.unregisterNetdev(t, in)
			}
		case StepPhylinkDestroy:
			if in.pl != nil {
				// priv->phylink is not cleared (as in most drivers): a
				// later use is a use-after-free of struct phylink.
				in.pl.phylinkDestroy(t)
			}
		case StepPutPCS:
			if in.handle != nil {
				env.Strategy.Put(t, env, dev, priv.obj, in.handle)
				in.handle = nil
			}
			if in.own != nil {
				env.DestroyIntegrated(t, in.own, nd.intPrefix())
				in.own = nil
			}
		default:
			panic(fmt.Sprintf("phylink: unknown MAC step %q", step))
		}
	}
	return 0
}

// intPrefix is the function prefix of the netdev's integrated PCS driver.
func (nd *Netdev) intPrefix() string {
	if nd.PCSPrefix == "" {
		return "xpcs"
	}
	return nd.PCSPrefix
}
