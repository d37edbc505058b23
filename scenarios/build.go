package scenarios

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phylink"
	"github.com/pcssim/pcssim/sim"
)

// World is a scenario built into a simulated kernel for one execution.
type World struct {
	Sc      *Scenario `state:"-"`
	S       *sim.Sim
	K       *devmodel.Kernel
	Env     *pcs.Env
	W       *phylink.World
	modules map[string]*devmodel.Module
	drivers map[string]*devmodel.Driver
	devices map[string]*devmodel.Device
}

// Build creates the kernel objects of sc on s with the given strategy and
// schedules boot, the scripted events and the injectable faults (with swarm,
// the chooser first picks how many times each fault may fire).
func Build(sc *Scenario, strategy string, s *sim.Sim, swarm bool) (*World, error) {
	st, err := pcs.NewStrategy(strategy, pcs.Options{AutoprobeConsumer: sc.AutoprobeConsumer})
	if err != nil {
		return nil, err
	}
	k := devmodel.New(s)
	k.Version = sc.Kernel
	k.FwDevlink, k.FwPCSHandle = sc.FwDevlink, sc.FwPCSHandle
	env := &pcs.Env{K: k, Registry: &pcs.Registry{}, Strategy: st, MDIO: mdio.New(k)}
	w := &World{Sc: sc, S: s, K: k, Env: env, W: phylink.NewWorld(env),
		modules: map[string]*devmodel.Module{}, drivers: map[string]*devmodel.Driver{}, devices: map[string]*devmodel.Device{}}
	for _, m := range sc.Modules {
		w.modules[m.Name] = k.NewModule(m.Name)
	}
	for _, m := range sc.Modules {
		for _, d := range m.Depends {
			w.modules[m.Name].Deps = append(w.modules[m.Name].Deps, w.modules[d])
		}
	}
	buses := map[string]*devmodel.Bus{"mdio": env.MDIO.BusType}
	for _, d := range sc.Drivers {
		bus := buses[d.Bus]
		if bus == nil {
			bus = k.NewBus(d.Bus)
			buses[d.Bus] = bus
		}
		mod := w.modules[d.Module]
		prefix := funcPrefix(d.Name)
		var drv *devmodel.Driver
		switch d.Kind {
		case KindPCSProvider:
			cfg := pcs.ProviderConfig{Prefix: prefix, Lanes: d.Lanes, Poll: d.Link == "poll", Shutdown: d.Shutdown, DeferAfterRegister: d.DeferAfterRegister}
			drv = env.NewProviderDriver(bus, mod, d.Name, cfg, func(dev *devmodel.Device) []*pcs.Lane {
				out := make([]*pcs.Lane, cfg.Lanes)
				for i := range out {
					out[i] = w.W.Lane(pcs.LaneName(dev.Name, cfg.Lanes, i))
				}
				return out
			})
		case KindPHY:
			drv = w.W.PHYs.NewDriver(bus, mod, d.Name, prefix)
		case KindMDIOController:
			drv = env.MDIO.NewControllerDriver(bus, mod, d.Name, prefix, d.Probe, d.Remove, d.Shutdown, func(dev *devmodel.Device) []mdio.Node {
				return w.W.MDIONodes[dev.Name]
			})
		default:
			drv = w.W.NewMACDriver(bus, mod, d.Name, phylink.MACConfig{Prefix: prefix, Probe: d.Probe, Remove: d.Remove, Shutdown: d.Shutdown, NoPM: d.NoPM})
		}
		drv.SuppressBindAttrs = d.SuppressBindAttrs
		w.drivers[d.Name] = drv
	}
	for _, d := range sc.Devices {
		if d.IRQ {
			w.W.PHYMedium(d.Name).IRQ = true
		}
	}
	env.MDIO.Created = func(d *mdio.Device) {
		switch w.driverKind(d.Dev.DriverName) {
		case KindPCSProvider:
			w.W.AddProvider(d.Dev)
		case KindMAC:
			w.W.MACCreated(d.Dev)
		case KindPHY:
			w.W.PHYs.Create(d, w.W.PHYMedium(d.Dev.Name))
		}
	}
	s.AtNamed(0, "boot", func() { k.Spawn("init", &devmodel.Cause{Kind: "boot"}, w.boot) })
	for _, e := range sc.Events {
		f := newFiring(e.Action, e.Target, false)
		s.AtNamed(e.At, f.name, func() { w.fire(f) })
	}
	for _, f := range sc.Faults {
		fi := newFiring(f.Action, f.Target, true)
		name := fi.name
		n := f.Count
		if swarm {
			n = s.Choose(f.Count+1, "swarm: times "+name+" may fire")
		}
		for range n {
			if s.Chance(f.Probability, name+" may happen") {
				s.Arm(name, f.From, f.Until, func() { w.fire(fi) })
			}
		}
	}
	return w, nil
}

// boot creates and adds the devices, loads the modules (as udev would) and
// registers built-in drivers, then adds the declared device links.
func (w *World) boot(t *sim.Task) {
	t.Enter("kernel_init")
	defer t.Leave()
	sc := w.Sc
	for _, d := range sc.Drivers {
		if d.Module == "" {
			w.K.DriverRegister(t, w.drivers[d.Name])
		}
	}
	nMDIO := 0
	for _, d := range sc.Devices {
		if d.MDIOAddr != nil {
			nMDIO++
		}
	}
	for len(w.devices) < len(sc.Devices)-nMDIO {
		for _, d := range sc.Devices {
			if w.devices[d.Name] != nil || d.MDIOAddr != nil || (d.Parent != "" && w.devices[d.Parent] == nil) {
				continue
			}
			drv := w.drivers[d.Driver]
			dev := w.K.NewDevice(t, drv.Bus, d.Name, w.devices[d.Parent])
			dev.DriverName = d.Driver
			w.devices[d.Name] = dev
			if w.driverKind(d.Driver) == KindPCSProvider {
				w.W.AddProvider(dev)
			}
		}
	}
	for _, d := range sc.Devices {
		if d.MDIOAddr != nil {
			w.W.MDIONodes[d.Parent] = append(w.W.MDIONodes[d.Parent], mdio.Node{Addr: *d.MDIOAddr, Name: d.Name, Driver: d.Driver})
		}
	}
	for _, nd := range sc.Netdevs {
		var imod *devmodel.Module
		if nd.IntegratedModule != "" {
			imod = w.modules[nd.IntegratedModule]
		}
		var prefix string
		altPrefix := nd.AltDriver
		if altPrefix == "" && nd.AltPCS != "" {
			altPrefix = funcPrefix(w.Sc.device(nd.MAC).Driver) + "_alt_pcs"
		}
		if nd.Integrated {
			prefix = nd.IntegratedPrefix(funcPrefix(w.Sc.device(nd.MAC).Driver))
		}
		var extra []*phylink.ExtraPCS
		for _, x := range nd.Extra {
			xp := &phylink.ExtraPCS{Ref: x.PCS, Integrated: x.Integrated, Module: w.modules[x.IntegratedModule], Prefix: x.PCSDriver,
				MDIOCreate: x.MDIOCreate, MDIOAddr: x.MDIOAddr, MDIONode: x.MDIONode, Interfaces: x.Interfaces}
			if xp.Prefix == "" && x.Integrated {
				xp.Prefix = Netdev{IntegratedModule: x.IntegratedModule}.IntegratedPrefix(funcPrefix(w.Sc.device(nd.MAC).Driver))
			}
			extra = append(extra, xp)
		}
		w.W.AddNetdev(&phylink.Netdev{Name: nd.Name, MAC: w.devices[nd.MAC], MACName: nd.MAC, PCSRef: nd.PCS, Integrated: nd.Integrated,
			IntegratedModule: imod, PCSPrefix: prefix, IRQ: nd.IRQ, Required: nd.Required, WantUp: nd.Up,
			MDIOCreate: nd.MDIOCreate, MDIOAddr: nd.MDIOAddr, MDIONode: nd.MDIONode, Interface: nd.Interface, PCSInterfaces: nd.PCSInterfaces,
			AltRef: nd.AltPCS, AltPrefix: altPrefix, AltInterfaces: nd.AltInterfaces, Extra: extra, PHY: nd.PHY})
	}
	for _, lk := range sc.Links {
		var flags devmodel.LinkFlags
		for _, f := range lk.Flags {
			flags |= map[string]devmodel.LinkFlags{"stateless": devmodel.DLStateless, "autoremove-consumer": devmodel.DLAutoremoveConsumer,
				"autoremove-supplier": devmodel.DLAutoremoveSupplier, "autoprobe-consumer": devmodel.DLAutoprobeConsumer}[f]
		}
		w.K.DeviceLinkAdd(w.devices[lk.Consumer], w.devices[lk.Supplier], flags)
	}
	for _, d := range sc.Devices {
		dev := w.devices[d.Name]
		for _, h := range d.Handles {
			dev.Handles = append(dev.Handles, devmodel.Handle{Property: h.Property, Node: h.Node, Supplier: w.devices[h.To]})
		}
	}
	for _, d := range sc.Devices {
		if d.MDIOAddr == nil {
			w.K.DeviceAdd(t, w.devices[d.Name])
		}
	}
	for _, m := range sc.Modules {
		if m.Loaded {
			w.K.Insmod(t, w.modules[m.Name])
		}
	}
}

// device returns the device called name: a device of the scenario, or the
// mdio_device its bus owner registered for it last (nil before then).
func (w *World) device(name string) *devmodel.Device {
	if d := w.devices[name]; d != nil {
		return d
	}
	return w.Env.MDIO.Device(name)
}

func (w *World) driverKind(name string) string {
	for _, d := range w.Sc.Drivers {
		if d.Name == name {
			return d.Kind
		}
	}
	return ""
}

// firing is an event's or fault's action on its target, with the names
// and observation keys its executions use, made once when the world is
// built (faults fire in every execution).
type firing struct {
	action, target string
	fault          bool
	// name is "ACTION TARGET"; fired, effect and unchanged its
	// observation keys; task the name of the task it starts.
	name, fired, effect, unchanged, task string
}

func newFiring(action, target string, fault bool) *firing {
	name := action + " " + target
	f := &firing{action: action, target: target, fault: fault, name: name,
		fired: ObsFired + name, effect: ObsEffect + name, unchanged: ObsUnchanged + name}
	switch action {
	case "unbind", "bind":
		f.task = "sysfs " + name
	case "remove":
		f.task = "hot-unplug " + target
	case "insmod", "rmmod":
		f.task = name
	case "ip-up", "ip-down":
		f.task = "ip link set " + target + " " + strings.TrimPrefix(action, "ip-")
	}
	return f
}

// changed is the outcome of a hardware change: 0, or noChange when the
// hardware already was in that state.
func changed(did bool) int {
	if did {
		return 0
	}
	return noChange
}

// outcome observes how a fault turned out: taken effect, unchanged, or
// refused with the errno the kernel returns (events are not observed).
func (w *World) outcome(f *firing, errno int) {
	if !f.fault {
		return
	}
	switch {
	case errno == 0:
		w.K.S.Observe(f.effect)
	case errno == noChange:
		w.K.S.Observe(f.unchanged)
	default:
		w.K.S.Observe(ObsRefused + f.name + " (" + devmodel.ErrnoName(max(errno, -errno)) + ")")
	}
}

// fire starts the task (or hardware change) of an event or fault. A fault
// is observed as fired, then as taking effect or refused (with the errno
// the kernel returns), for the campaign's exercise report.
func (w *World) fire(f *firing) {
	k := w.K
	action, target := f.action, f.target
	if f.fault {
		k.S.Observe(f.fired)
	}
	c := &devmodel.Cause{Kind: action}
	dev, mod := w.device(target), w.modules[target]
	c.Device, c.Module = dev, mod
	w.W.Targeted(c)
	switch action {
	case "unbind", "bind":
		if dev == nil {
			w.outcome(f, -devmodel.ENODEV) // boot has not created it yet
			return
		}
		drv := w.drivers[dev.DriverName]
		w.userSpawn(f.task, c, func(t *sim.Task) {
			if action == "unbind" {
				w.outcome(f, k.UnbindStore(t, drv, dev))
			} else {
				w.outcome(f, k.BindStore(t, drv, dev))
			}
		})
	case "remove":
		if dev == nil {
			w.outcome(f, -devmodel.ENODEV)
			return
		}
		k.Spawn(f.task, c, func(t *sim.Task) {
			if !dev.Registered() {
				w.outcome(f, noChange)
				return
			}
			k.DeviceUnregister(t, dev)
			w.outcome(f, 0)
		})
	case "insmod":
		w.userSpawn(f.task, c, func(t *sim.Task) { w.outcome(f, k.Insmod(t, mod)) })
	case "rmmod":
		w.userSpawn(f.task, c, func(t *sim.Task) {
			err := k.Rmmod(t, mod)
			if err != 0 {
				k.S.Note(fmt.Sprintf("rmmod: ERROR: Module %s is in use (%s)", target, devmodel.ErrnoName(err)))
			}
			w.outcome(f, err)
		})
	case "ethtool":
		name, op, _ := strings.Cut(target, ":")
		nd := w.W.Netdev(name)
		if nd == nil {
			w.outcome(f, -devmodel.ENODEV)
			return
		}
		w.userSpawn("ethtool "+op+" "+name, c, func(t *sim.Task) { w.outcome(f, w.W.Ethtool(t, nd, op)) })
	case "set-interface":
		name, mode, _ := strings.Cut(target, ":")
		nd := w.W.Netdev(name)
		if nd == nil {
			w.outcome(f, -devmodel.ENODEV)
			return
		}
		k.Spawn("sfp: module insert "+name+" "+mode, c, func(t *sim.Task) {
			w.outcome(f, w.W.SetInterface(t, nd, mode))
		})
	case "suspend":
		// echo mem > /sys/power/state: suspend and resume the system.
		k.Spawn("systemd-sleep suspend", c, func(t *sim.Task) {
			k.SystemSuspend(t, SuspendTime)
			w.outcome(f, 0)
		})
	case "shutdown":
		// reboot(2) → kernel_restart → kernel_restart_prepare →
		// device_shutdown, then the machine restarts.
		k.Spawn("reboot", c, func(t *sim.Task) {
			t.Enter("kernel_restart")
			k.DeviceShutdown(t)
			t.Leave()
			w.outcome(f, 0)
			k.S.Restart()
		})
	case "phy-interface":
		name, mode, _ := strings.Cut(target, ":")
		w.outcome(f, changed(w.W.SetPHYInterface(name, mode)))
	case "link-up", "link-down":
		if d := w.Sc.device(target); d != nil && w.driverKind(d.Driver) == KindPHY {
			w.outcome(f, changed(w.W.SetPHYLink(target, action == "link-up")))
			return
		}
		if w.W.SetLink(w.W.Lane(target), action == "link-up") {
			w.outcome(f, 0)
		} else {
			w.outcome(f, noChange)
		}
	case "ip-up", "ip-down":
		nd := w.W.Netdev(target)
		if nd == nil {
			w.outcome(f, -devmodel.ENODEV) // boot has not declared it yet: "Cannot find device"
			return
		}
		w.userSpawn(f.task, c, func(t *sim.Task) {
			w.outcome(f, w.W.IPLinkSet(t, nd, action == "ip-up"))
		})
	}
}

// SuspendTime is how long a suspend action sleeps between dpm_suspend and
// dpm_resume.
const SuspendTime = 100 * sim.Millisecond

// userSpawn starts a user-space process's system call (UserTask: not
// while user space is frozen).
func (w *World) userSpawn(name string, c *devmodel.Cause, body func(t *sim.Task)) {
	w.K.Spawn(name, c, func(t *sim.Task) { w.K.UserTask(t, func() { body(t) }) })
}

// noChange is the outcome of a fault that found its target already in the
// state it asks for.
const noChange = phylink.Unchanged

// Observation key prefixes (sim.Sim.Observe) of the exercise report.
const (
	ObsFired     = "fired "
	ObsEffect    = "effect "
	ObsRefused   = "refused "
	ObsUnchanged = "unchanged "
)
