package mdio

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Steps of an MDIO bus owner's probe and remove (an MDIO controller driver,
// or a MAC or switch driver with an internal bus), in the order the driver
// runs them.
const (
	StepAlloc         = "mdiobus-alloc"         // mdiobus_alloc_size
	StepDevmAlloc     = "devm-mdiobus-alloc"    // devm_mdiobus_alloc_size
	StepRegister      = "mdiobus-register"      // of_mdiobus_register
	StepDevmRegister  = "devm-mdiobus-register" // devm_of_mdiobus_register
	StepUnregister    = "mdiobus-unregister"    // mdiobus_unregister
	StepFree          = "mdiobus-free"          // mdiobus_free
	defaultCtrlPrefix = "mdio"
)

// Steps lists every bus owner step.
var Steps = []string{StepAlloc, StepDevmAlloc, StepRegister, StepDevmRegister, StepUnregister, StepFree}

// DefaultControllerProbe and DefaultControllerRemove are what most MDIO
// controller drivers do (e.g. drivers/net/ethernet/freescale/xgmac_mdio.c):
// everything devm, remove has nothing left to do.
var (
	DefaultControllerProbe  = []string{StepDevmAlloc, StepDevmRegister}
	DefaultControllerRemove = []string{}
)

// Owner is what a bus owner's driver keeps of its bus (priv->mii_bus).
type Owner struct {
	Bus *Bus
}

// Step runs one bus owner step for owner device dev whose driver code is in
// module mod, with the bus's firmware child nodes.
func (s *Subsys) Step(t *sim.Task, o *Owner, dev *devmodel.Device, mod *devmodel.Module, step string, nodes []Node) {
	switch step {
	case StepAlloc:
		o.Bus = s.Alloc(t, dev, mod, dev.Name, nodes)
	case StepDevmAlloc:
		o.Bus = s.DevmAlloc(t, dev, mod, dev.Name, nodes)
	case StepRegister:
		s.Register(t, o.Bus)
	case StepDevmRegister:
		s.DevmRegister(t, o.Bus)
	case StepUnregister:
		s.Unregister(t, o.Bus)
	case StepFree:
		s.Free(t, o.Bus)
	default:
		panic(fmt.Sprintf("mdio: unknown step %q", step))
	}
}

// NewControllerDriver is an MDIO controller platform driver: probe runs the
// probe steps (allocating and registering the bus named after the device,
// with the child nodes nodes returns), remove the remove steps, shutdown
// the common shutdown steps (devmodel.ShutdownFunc).
func (s *Subsys) NewControllerDriver(bus *devmodel.Bus, mod *devmodel.Module, name, prefix string, probe, remove, shutdown []string, nodes func(dev *devmodel.Device) []Node) *devmodel.Driver {
	if prefix == "" {
		prefix = defaultCtrlPrefix
	}
	if probe == nil {
		probe = DefaultControllerProbe
	}
	if remove == nil {
		remove = DefaultControllerRemove
	}
	k := s.K
	drv := k.NewDriver(bus, mod, name)
	drv.Probe = func(t *sim.Task, dev *devmodel.Device) int {
		t.Enter(prefix + "_probe")
		defer t.Leave()
		o := &Owner{}
		dev.DriverData = o
		for _, st := range probe {
			s.Step(t, o, dev, mod, st, nodes(dev))
		}
		return 0
	}
	drv.Remove = func(t *sim.Task, dev *devmodel.Device) {
		t.Enter(prefix + "_remove")
		defer t.Leave()
		o, _ := dev.DriverData.(*Owner)
		if o == nil {
			return // if (!priv) return; after a shutdown that cleared drvdata
		}
		for _, st := range remove {
			s.Step(t, o, dev, mod, st, nodes(dev))
		}
	}
	drv.Shutdown = devmodel.ShutdownFunc(drv, prefix, shutdown, nil)
	return drv
}
