package phy

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/sim"
)

// State is enum phy_state.
type State int

// PHY states (PHY_*).
const (
	Down State = iota
	Ready
	Halted
	Error
	Up
	Running
	NoLink
)

// String returns the kernel's name of the state (phy_state_to_str).
func (s State) String() string {
	return [...]string{"DOWN", "READY", "HALTED", "ERROR", "UP", "RUNNING", "NOLINK"}[s]
}

// StateTime is PHY_STATE_TIME: the polling interval of the state machine.
const StateTime = sim.Second

// Medium is the PHY's hardware: whether a link partner is there and the
// interface mode the PHY uses towards the MAC (for a rate-matching or
// interface-switching PHY it may change: SGMII <-> 2500base-x).
type Medium struct {
	LinkUp    bool
	Interface string
	// IRQ: the PHY's interrupt pin is wired (its node has interrupts:
	// phydev->irq is valid when the phy_device is created).
	IRQ bool
	// IntrEnabled is the PHY's interrupt enable register, as the driver's
	// config_intr last wrote it (phy_remove leaves it as it is).
	IntrEnabled bool

	line irqLine
}

// Device is struct phy_device. Its memory is the mdio_device's (Mdio.Dev.Obj;
// the phy_device embeds it). Simplification: a PHY node's mdio_device
// stands for the phy_device (of_mdiobus_register_phy → phy_device_register
// is not distinguished from of_mdiobus_register_device).
type Device struct {
	Mdio *mdio.Device
	// Lock is phydev->lock.
	Lock  *sim.Mutex
	State State
	// Link and Interface are phydev->link and phydev->interface as the
	// last phy_read_status left them.
	Link      bool
	Interface string
	// Drv is phydev->drv (nil: no driver bound, phy_remove cleared it).
	Drv *devmodel.Driver
	// Attached is phydev->attached_dev's memory (nil: not attached).
	Attached *devmodel.Object
	// LinkChange is phydev->phy_link_change (phylink_phy_change).
	LinkChange func(t *sim.Task, up bool)
	Medium     *Medium
	// IRQ: phydev->irq is a valid interrupt (false: PHY_POLL, the state
	// machine polls).
	IRQ bool

	// reported is the interface the last phy_link_up told phylink of.
	reported string
	// ledTriggers is phydev->phy_led_triggers (and led_link_trigger): nil
	// when not registered; lastTriggered is phydev->last_triggered, the
	// allocation it points into (nil: NULL).
	ledTriggers, lastTriggered *devmodel.Object

	l          *Layer
	prefix     string          // the bound PHY driver's function prefix
	stateQueue *devmodel.Work  // state_queue's work
	stateTimer *devmodel.Timer // state_queue's timer (a delayed_work)
}

// Layer is phylib in one execution: every phy_device created so far.
type Layer struct {
	K    *devmodel.Kernel
	MDIO *mdio.Subsys
	// Devices are the phy_devices in creation order.
	Devices []*Device
	// genphy is genphy_driver (built in), which phy_attach_direct binds to
	// a PHY without a driver.
	genphy *devmodel.Driver
}

// New returns phylib on kernel k and its MDIO layer.
func New(k *devmodel.Kernel, m *mdio.Subsys) *Layer {
	l := &Layer{K: k, MDIO: m}
	l.genphy = l.NewDriver(m.BusType, nil, "Generic PHY", "genphy")
	return l
}

// Create is phy_device_create for the mdio_device md with hardware m; the
// state machine work is set up (INIT_DELAYED_WORK(&dev->state_queue,
// phy_state_machine)), state PHY_DOWN.
func (l *Layer) Create(md *mdio.Device, m *Medium) *Device {
	d := &Device{Mdio: md, Lock: sim.NewMutex("phydev->lock(" + md.Dev.Name + ")"), State: Down, Medium: m, IRQ: m.IRQ, l: l}
	d.stateQueue = l.K.NewWork("phy_state_machine "+md.Dev.Name, d.phyStateMachine)
	d.stateTimer = l.K.NewTimer("phy_state_machine delay "+md.Dev.Name, func(t *sim.Task) { l.K.QueueWork(t, d.stateQueue) })
	l.Devices = append(l.Devices, d)
	return d
}

// Of returns the phy_device whose struct device is dev, or nil.
func (l *Layer) Of(dev *devmodel.Device) *Device {
	for i := len(l.Devices) - 1; i >= 0; i-- {
		if l.Devices[i].Mdio.Dev == dev {
			return l.Devices[i]
		}
	}
	return nil
}

// Find is of_phy_find_device for the firmware node called name: the last
// registered phy_device created for it, or nil. Simplification: the
// reference of_phy_find_device takes and phylink_of_phy_connect drops
// after phy_attach_direct is not modelled (it nets out).
func (l *Layer) Find(name string) *Device {
	for i := len(l.Devices) - 1; i >= 0; i-- {
		if d := l.Devices[i]; d.Mdio.Dev.Name == name && d.Mdio.Dev.Registered() {
			return d
		}
	}
	return nil
}

func (d *Device) obj() *devmodel.Object { return d.Mdio.Dev.Obj }

// write records a write of phy_device fields; false if its memory is freed.
func (d *Device) write(t *sim.Task) bool { return d.l.K.Heap.Access(t, d.obj(), devmodel.Write) }

// NewDriver is a PHY driver (struct phy_driver, phy_driver_register) on the
// MDIO bus type, of module mod: probe is phy_probe, remove phy_remove.
func (l *Layer) NewDriver(bus *devmodel.Bus, mod *devmodel.Module, name, prefix string) *devmodel.Driver {
	drv := l.K.NewDriver(bus, mod, name)
	drv.Probe = func(t *sim.Task, dev *devmodel.Device) int {
		t.Enter("phy_probe")
		defer t.Leave()
		d := l.Of(dev)
		if d == nil {
			return -devmodel.ENODEV
		}
		d.Lock.Lock(t)
		defer d.Lock.Unlock(t)
		d.write(t)
		d.Drv = drv
		d.prefix = prefix
		if !d.supportsIRQ() {
			d.IRQ = false // phydev->irq = PHY_POLL
		}
		t.Enter(prefix + "_probe")
		t.Leave()
		if d.IRQ {
			// phy_disable_interrupts (for a PHY without an interrupt line
			// the model skips it: nothing observes it).
			t.Enter("phy_disable_interrupts")
			d.configInterrupt(t, false)
			t.Leave()
		}
		d.State = Ready
		d.ledTriggersRegister(t)
		return 0
	}
	drv.Remove = func(t *sim.Task, dev *devmodel.Device) {
		if d := l.Of(dev); d != nil {
			d.phyRemove(t, prefix)
		}
	}
	return drv
}

// phyRemove is phy_remove (6.1 and 6.12): cancel_delayed_work_sync of the
// state machine, the LED triggers unregistered and freed, state PHY_DOWN
// (without phydev->lock), the driver's remove, phydev->drv = NULL. It does
// not detach the PHY from its MAC nor tell phylink: an attached PHY stays
// attached, its last link state stays in pl->phy_state and phydev->link,
// and phydev->last_triggered points into the freed triggers.
func (d *Device) phyRemove(t *sim.Task, prefix string) {
	t.Enter("phy_remove")
	defer t.Leave()
	d.cancelStateMachineSync(t)
	d.ledTriggersUnregister(t)
	d.write(t)
	d.State = Down
	t.Enter(prefix + "_remove")
	t.Leave()
	d.Drv = nil
}
