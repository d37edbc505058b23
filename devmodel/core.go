package devmodel

import (
	"github.com/pcssim/pcssim/sim"
)

// Bus is struct bus_type: devices and drivers that match by name.
type Bus struct {
	Name    string
	Devices []*Device
	Drivers []*Driver
}

// Driver is struct device_driver with its probe and remove callbacks.
type Driver struct {
	Name   string
	Bus    *Bus
	Module *Module
	// Probe returns 0 or a negative errno (e.g. -EPROBE_DEFER).
	Probe func(t *sim.Task, dev *Device) int
	// Remove cannot fail; its result is ignored by the driver core.
	Remove func(t *sim.Task, dev *Device)
	// Shutdown is ->shutdown (nil: none), called by device_shutdown.
	Shutdown func(t *sim.Task, dev *Device)
	// Suspend and Resume are the driver's system sleep PM ops (nil:
	// none), called by SystemSuspend.
	Suspend, Resume func(t *sim.Task, dev *Device)
	// SuppressBindAttrs hides the sysfs bind/unbind files.
	SuppressBindAttrs bool

	registered bool
	// users counts bus_for_each_drv walks holding this driver's klist node
	// and sysfs bind/unbind writes in progress (kernfs active references);
	// usersDone wakes driver_unregister waiting for them to drain.
	users     int
	usersDone sim.WaitQueue
	// bound is drv->p->klist_devices, in bind order.
	bound []*Device
}

// Device is struct device.
type Device struct {
	Name string
	// DriverName names the driver that matches the device (empty: match by
	// name prefix, "lynx-pcs.0" → "lynx-pcs").
	DriverName string
	Bus        *Bus
	// Parent is dev->parent; removing a parent removes its children first.
	Parent *Device
	// Via is the device whose driver created and registers this one (an
	// mdio_device's bus owner, whose remove unregisters it): checks use
	// it to tell what an unbind takes away; the core ignores it.
	Via *Device
	// Driver is dev->driver (nil when unbound).
	Driver *Driver
	// DriverData is dev_get_drvdata().
	DriverData any
	// Obj is the memory of struct device, freed by release() at the last
	// put_device.
	Obj  *Object
	Kref Kref
	// Lock is device_lock().
	Lock *sim.Mutex

	// Handles are the firmware references of the device's node and its
	// child nodes (fw_devlink infers device links from them).
	Handles []Handle

	registered  bool
	linksParsed bool
	// dead is dev->p->dead, set by device_del: the device is going away
	// and will not be probed or removed again.
	dead    bool
	probing bool
	// shutDown: device_shutdown has taken it off devices_kset.
	shutDown bool
	devres   []devresNode
	// BoundCount counts successful binds (for recovery checks).
	BoundCount int
	// ProbeCount counts the driver's probe calls (really_probe reaching
	// ->probe); it stands for the hardware or resources a driver waits
	// for, not kernel memory.
	ProbeCount int
}

// pin and unpin bracket a use of drv that driver_unregister must wait for.
func (drv *Driver) pin() { drv.users++ }

func (drv *Driver) unpin() {
	drv.users--
	drv.usersDone.WakeAll()
}

// NewBus declares a bus.
func (k *Kernel) NewBus(name string) *Bus {
	b := &Bus{Name: name}
	k.Buses = append(k.Buses, b)
	return b
}

// NewDriver declares a driver of module m (nil: built-in) on bus b.
func (k *Kernel) NewDriver(b *Bus, m *Module, name string) *Driver {
	d := &Driver{Name: name, Bus: b, Module: m}
	if m != nil {
		m.Drivers = append(m.Drivers, d)
	}
	return d
}

// NewDevice allocates and initialises a device (device_initialize); the
// caller adds it with DeviceAdd. The initial reference is held by the bus.
func (k *Kernel) NewDevice(t *sim.Task, b *Bus, name string, parent *Device) *Device {
	return k.NewDeviceOf(t, b, "struct device", name, parent)
}

// NewDeviceOf is NewDevice for a struct device embedded in a structure of
// C type typ (struct mdio_device): typ names the memory in reports.
func (k *Kernel) NewDeviceOf(t *sim.Task, b *Bus, typ, name string, parent *Device) *Device {
	d := &Device{Name: name, Bus: b, Parent: parent, Lock: sim.NewMutex("device_lock(" + name + ")")}
	d.Obj = k.Heap.Alloc(t, typ, name)
	d.Kref.Obj = d.Obj
	d.Kref.Init(nil)
	d.Kref.Release = func(t *sim.Task) {
		t.Enter("device_release")
		k.Heap.Kfree(t, d.Obj)
		t.Leave()
	}
	k.Devices = append(k.Devices, d)
	k.TrackKref(&d.Kref)
	return d
}

// Registered reports whether the device is added (device_add, not yet
// device_del).
func (d *Device) Registered() bool { return d.registered }

// Bound reports whether a driver is bound.
func (d *Device) Bound() bool { return d.Driver != nil }

// GetDevice is get_device: it keeps struct device's memory, nothing else.
func (k *Kernel) GetDevice(t *sim.Task, d *Device, holder *Object) {
	t.Enter("get_device")
	k.KrefGet(t, &d.Kref, holder)
	t.Leave()
}

// PutDevice is put_device.
func (k *Kernel) PutDevice(t *sim.Task, d *Device, holder *Object) {
	t.Enter("put_device")
	k.KrefPut(t, &d.Kref, holder)
	t.Leave()
}

// DeviceAdd is device_add: the device appears on its bus, fw_devlink links
// it to its firmware suppliers and consumers (fw_devlink_link_device), and
// it is probed against the bus's drivers (bus_probe_device).
func (k *Kernel) DeviceAdd(t *sim.Task, d *Device) {
	t.Enter("device_add")
	defer t.Leave()
	d.registered = true
	d.Bus.Devices = append(d.Bus.Devices, d)
	k.fwDevlinkLinkDevice(d)
	k.busProbeDevice(t, d)
}

// DeviceUnregister is device_unregister for hot-unplug: children are removed
// first (as a bus driver's remove does), then device_del marks the device
// dead under device_lock (kill_device, so a probe in flight finishes first
// and none starts after), takes it off the deferred list, unbinds the driver
// (bus_remove_device → device_release_driver), purges device links,
// releases leftover devres and drops the bus's reference. The memory lives
// until the last put.
// Simplification: a second removal of the same device (the kernel's caller
// does it once) stops at kill_device.
func (k *Kernel) DeviceUnregister(t *sim.Task, d *Device) {
	if !d.registered {
		return
	}
	t.Enter("device_unregister")
	defer t.Leave()
	for i := len(k.Devices) - 1; i >= 0; i-- {
		if c := k.Devices[i]; c.Parent == d && c.registered {
			k.DeviceUnregister(t, c)
		}
	}
	t.Enter("device_del")
	defer t.Leave()
	d.Lock.Lock(t)
	wasDead := d.dead
	d.dead = true
	d.Lock.Unlock(t)
	if wasDead {
		return
	}
	t.Enter("bus_remove_device")
	for i, x := range d.Bus.Devices {
		if x == d {
			d.Bus.Devices = append(d.Bus.Devices[:i], d.Bus.Devices[i+1:]...)
			break
		}
	}
	k.DeviceReleaseDriver(t, d)
	t.Leave()
	d.registered = false
	k.driverDeferredProbeDel(d)
	k.deviceLinksPurge(d)
	k.devresReleaseAll(t, d)
	k.PutDevice(t, d, nil)
}

// findDevice is bus_find_device_by_name.
func (b *Bus) findDevice(name string) *Device {
	for _, d := range b.Devices {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// Match reports whether drv matches d.
func Match(drv *Driver, d *Device) bool { return match(drv, d) }

// match is driver_match_device; the model matches by name prefix: a device
// "lynx-pcs.0" matches driver "lynx-pcs" (as platform_match falls back to
// the device name).
func match(drv *Driver, d *Device) bool {
	if d.DriverName != "" {
		return d.DriverName == drv.Name
	}
	n := drv.Name
	return d.Name == n || (len(d.Name) > len(n) && d.Name[:len(n)] == n && d.Name[len(n)] == '.')
}
