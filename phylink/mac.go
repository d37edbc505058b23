package phylink

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
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
	// StepPCSCreate and StepPCSDestroy are lookup-pcs and put-pcs under
	// the names drivers that create their PCS use (lynx_pcs_create_*,
	// xpcs_create_*; lynx_pcs_destroy, xpcs_destroy).
	StepPCSCreate  = "pcs-create"
	StepPCSDestroy = "pcs-destroy"
	// StepMDIORegister allocates and registers the MAC's internal MDIO bus
	// (mdiobus_alloc_size + of_mdiobus_register, as enetc_imdio_create);
	// StepMDIOUnregister unregisters and frees it. The single mdio steps
	// (mdio.Steps: mdiobus-alloc, devm-mdiobus-register, …) may be used
	// instead.
	StepMDIORegister   = "mdio-register"
	StepMDIOUnregister = "mdio-unregister"
	// StepNdoStop: remove calls the driver's own stop function (its
	// ndo_stop: phylink_stop) for every netdev, without rtnl and without
	// dev_close, so the netdev stays IFF_UP (mtk_remove → mtk_stop).
	StepNdoStop      = "ndo-stop"
	defaultPrefixMAC = "mac"
)

// Steps of a MAC driver's ->shutdown besides devmodel's remove and
// clear-drvdata.
const (
	// ShutdownDevClose: under rtnl, netif_device_detach and dev_close of
	// every running netdev (axienet_shutdown; what dsa_switch_shutdown
	// does to the user ports by closing the conduit).
	ShutdownDevClose = "dev-close"
	// ShutdownNdoStop: under rtnl, netif_device_detach and the driver's
	// ndo_stop called directly on every running netdev, which stays
	// IFF_UP (lan743x_pcidev_shutdown).
	ShutdownNdoStop = StepNdoStop
)

// DefaultProbe and DefaultRemove are the in-tree orders.
var (
	DefaultProbe  = []string{StepLookupPCS, StepPhylinkCreate, StepRequestIRQ, StepRegisterNetdev}
	DefaultRemove = []string{StepUnregister, StepFreeIRQ, StepPhylinkDestroy, StepPutPCS}
)

// undo maps a probe step to the remove step that reverses it ("": devres
// does).
var undo = map[string]string{
	StepLookupPCS:         StepPutPCS,
	StepPCSCreate:         StepPCSDestroy,
	StepPhylinkCreate:     StepPhylinkDestroy,
	StepRegisterNetdev:    StepUnregister,
	StepRequestIRQ:        StepFreeIRQ,
	StepMDIORegister:      StepMDIOUnregister,
	mdio.StepAlloc:        mdio.StepFree,
	mdio.StepRegister:     mdio.StepUnregister,
	mdio.StepDevmAlloc:    "",
	mdio.StepDevmRegister: "",
}

// MACSteps lists every step a MAC driver's probe or remove may name.
var MACSteps = append([]string{StepLookupPCS, StepPCSCreate, StepPhylinkCreate, StepRequestIRQ, StepRegisterNetdev,
	StepUnregister, StepFreeIRQ, StepPhylinkDestroy, StepPutPCS, StepPCSDestroy, StepMDIORegister, StepMDIOUnregister}, mdio.Steps...)

// MACConfig parameterises a MAC driver model.
type MACConfig struct {
	// Prefix names the driver's functions, e.g. "enetc".
	Prefix        string
	Probe, Remove []string
	// Shutdown are the steps of ->shutdown (nil: the driver has none).
	Shutdown []string
	// NoPM: the driver has no system sleep PM ops; otherwise its suspend
	// and resume call phylink_suspend and phylink_resume.
	NoPM bool
}

// macPriv is the MAC driver's private data (devm_kzalloc'd in probe).
type macPriv struct {
	obj   *devmodel.Object
	insts []*netdevInst
	// mdio is the MAC's internal MDIO bus (priv->imdio).
	mdio mdio.Owner
	// prefix names the driver's functions.
	prefix string
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
		priv := &macPriv{obj: k.DevmKzalloc(t, dev, "struct "+cfg.Prefix+"_priv", dev.Name), prefix: cfg.Prefix}
		for _, nd := range w.netdevsOf(dev) {
			in := &netdevInst{nd: nd, w: w}
			if len(nd.Extra) > 0 {
				in.xHandle, in.xOwn = make([]*pcs.PCS, len(nd.Extra)), make([]*pcs.PCS, len(nd.Extra))
			}
			in.obj = k.DevmKzalloc(t, dev, "struct net_device", nd.Name)
			priv.insts = append(priv.insts, in)
		}
		dev.DriverData = priv
		for i, step := range cfg.Probe {
			if err := w.macStep(t, dev, priv, step, mod); err != 0 {
				// The failed step may have done part of its work (the
				// netdevs before the one that failed): undo it too.
				for j := i; j >= 0; j-- {
					if u := undo[cfg.Probe[j]]; u != "" {
						w.macStep(t, dev, priv, u, mod)
					}
				}
				return err
			}
		}
		return 0
	}
	drv.Remove = func(t *sim.Task, dev *devmodel.Device) {
		t.Enter(cfg.Prefix + "_remove")
		defer t.Leave()
		priv, _ := dev.DriverData.(*macPriv)
		if priv == nil {
			return // if (!priv) return; after a shutdown that cleared drvdata
		}
		for _, step := range cfg.Remove {
			w.macStep(t, dev, priv, step, mod)
		}
	}
	drv.Shutdown = devmodel.ShutdownFunc(drv, cfg.Prefix, cfg.Shutdown, func(t *sim.Task, dev *devmodel.Device, step string) {
		w.macShutdownStep(t, dev.DriverData.(*macPriv), step)
	})
	if !cfg.NoPM {
		drv.Suspend = func(t *sim.Task, dev *devmodel.Device) { w.macPM(t, dev, cfg.Prefix, true) }
		drv.Resume = func(t *sim.Task, dev *devmodel.Device) { w.macPM(t, dev, cfg.Prefix, false) }
	}
	return drv
}

// macPM is the MAC driver's suspend (PREFIX_suspend: netif_device_detach,
// phylink_suspend(pl, false) = phylink_stop) or resume (PREFIX_resume:
// phylink_resume = phylink_start, netif_device_attach) of every running
// netdev, under rtnl.
func (w *World) macPM(t *sim.Task, dev *devmodel.Device, prefix string, suspend bool) {
	priv, _ := dev.DriverData.(*macPriv)
	if priv == nil {
		return
	}
	fn, pfn := "_resume", "phylink_resume"
	if suspend {
		fn, pfn = "_suspend", "phylink_suspend"
	}
	t.Enter(prefix + fn)
	defer t.Leave()
	k := w.Env.K
	w.forRunning(t, priv, func(in *netdevInst) {
		t.Enter(pfn)
		if suspend {
			in.pl.phylinkStop(t, k)
			in.setCarrier(t, false)
		} else {
			in.pl.phylinkStart(t, k)
		}
		t.Leave()
	})
}

// forRunning runs fn, under rtnl, for every registered netdev of the MAC
// that is up (netif_running).
func (w *World) forRunning(t *sim.Task, priv *macPriv, fn func(in *netdevInst)) {
	k := w.Env.K
	k.Rtnl.Lock(t)
	defer k.Rtnl.Unlock(t)
	for _, in := range priv.insts {
		if in.registered && in.up {
			fn(in)
		}
	}
}

// macShutdownStep runs one MAC-specific shutdown step under rtnl.
func (w *World) macShutdownStep(t *sim.Task, priv *macPriv, step string) {
	k := w.Env.K
	w.forRunning(t, priv, func(in *netdevInst) {
		t.Enter("netif_device_detach")
		k.Heap.Access(t, in.obj, devmodel.Write)
		t.Leave()
		switch step {
		case ShutdownDevClose:
			w.devClose(t, in)
		case ShutdownNdoStop:
			w.ndoStop(t, in, priv.prefix)
		default:
			panic(fmt.Sprintf("phylink: unknown MAC shutdown step %q", step))
		}
	})
}

// macStep runs one named step: a bus step once for the device, any other
// for every netdev of the device.
func (w *World) macStep(t *sim.Task, dev *devmodel.Device, priv *macPriv, step string, mod *devmodel.Module) int {
	env := w.Env
	switch step {
	case StepMDIORegister:
		t.Enter(priv.prefix + "_mdio_register")
		env.MDIO.Step(t, &priv.mdio, dev, mod, mdio.StepAlloc, w.MDIONodes[dev.Name])
		env.MDIO.Step(t, &priv.mdio, dev, mod, mdio.StepRegister, w.MDIONodes[dev.Name])
		t.Leave()
		return 0
	case StepMDIOUnregister:
		if priv.mdio.Bus != nil {
			t.Enter(priv.prefix + "_mdio_unregister")
			env.MDIO.Step(t, &priv.mdio, dev, mod, mdio.StepUnregister, nil)
			env.MDIO.Step(t, &priv.mdio, dev, mod, mdio.StepFree, nil)
			t.Leave()
		}
		return 0
	case mdio.StepAlloc, mdio.StepDevmAlloc, mdio.StepRegister, mdio.StepDevmRegister, mdio.StepUnregister, mdio.StepFree:
		if priv.mdio.Bus != nil || step == mdio.StepAlloc || step == mdio.StepDevmAlloc {
			env.MDIO.Step(t, &priv.mdio, dev, mod, step, w.MDIONodes[dev.Name])
		}
		return 0
	case StepNdoStop:
		for _, in := range priv.insts {
			w.ndoStop(t, in, priv.prefix)
		}
		return 0
	case StepPCSCreate:
		step = StepLookupPCS
	case StepPCSDestroy:
		step = StepPutPCS
	}
	for _, in := range priv.insts {
		nd := in.nd
		switch step {
		case StepLookupPCS:
			own, h, err := w.getPCS(t, dev, priv, mod, nd.firstSpec())
			if err != 0 {
				return err
			}
			in.own, in.handle = own, h
			if own != nil && nd.AltRef != "" {
				in.alt = env.EmbeddedPCS(own, nd.AltRef, nd.AltPrefix)
			}
			for j, x := range nd.Extra {
				if in.xOwn[j], in.xHandle[j], err = w.getPCS(t, dev, priv, mod, x.spec()); err != 0 {
					return err
				}
			}
		case StepRequestIRQ:
			if nd.IRQ && in.own != nil && !in.irq {
				var pick func(t *sim.Task) *pcs.PCS
				if in.alt != nil {
					pick = func(t *sim.Task) *pcs.PCS {
						env.K.Heap.Access(t, in.obj, devmodel.Read) // port->phy_interface
						if nd.altFor(in.iface) {
							return in.alt
						}
						return in.own
					}
				}
				env.RequestIRQ(t, in.own, nd.intPrefix(), func() pcs.Phylink { return in.pl }, pick)
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
			// The second PCS goes with own's memory: no destroy of its own
			// (mvpp2, macb: the PCSs are freed with the netdev).
			in.alt = nil
			w.putPCS(t, dev, priv, &in.handle, &in.own, nd.intPrefix())
			for j, x := range nd.Extra {
				w.putPCS(t, dev, priv, &in.xHandle[j], &in.xOwn[j], x.spec().prefix)
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
