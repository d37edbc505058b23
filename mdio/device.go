package mdio

import (
	"fmt"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Device is struct mdio_device: a struct device on mdio_bus_type (Dev, whose
// memory is the mdio_device) at an address of a bus. Bus is mdiodev->bus, a
// raw pointer: a registered mdio_device holds a reference on the bus's
// device (device_add's parent reference) until device_del; holding the
// mdio_device after that does not hold the bus.
type Device struct {
	Dev  *devmodel.Device
	Bus  *Bus
	Addr int
}

// Subsys is the MDIO layer of one execution: mdio_bus_type and every bus
// allocated so far.
type Subsys struct {
	K *devmodel.Kernel
	// BusType is mdio_bus_type; PCS drivers bound to mdio_devices are
	// drivers on it.
	BusType *devmodel.Bus
	Buses   []*Bus
	// Created, when set, is told of every mdio_device created for a
	// firmware node (the builder's bookkeeping of PCS devices).
	Created func(d *Device)
	devices []*Device
}

// Node is a firmware child node of an MDIO bus that is no PHY: of_mdiobus_register
// registers an mdio_device for it, named Name, compatible with Driver ("":
// none, the device stays unbound, as a Lynx PCS's mdio_device does).
type Node struct {
	Addr         int
	Name, Driver string
}

// New returns the MDIO layer of kernel k (mdio_bus_init).
func New(k *devmodel.Kernel) *Subsys {
	return &Subsys{K: k, BusType: k.NewBus("mdio_bus")}
}

// DeviceName is the kernel's name of the mdio_device at addr on bus id
// (MII_BUS_ID_SIZE "%s:%02x").
func DeviceName(busID string, addr int) string { return fmt.Sprintf("%s:%02x", busID, addr) }

// DeviceCreate is mdio_device_create: device_initialize of a new
// mdio_device at addr on b; the caller holds its one reference.
func (s *Subsys) DeviceCreate(t *sim.Task, b *Bus, addr int) *Device {
	return s.deviceCreate(t, b, Node{Addr: addr, Name: DeviceName(b.ID, addr)})
}

// deviceCreate is mdio_device_create for firmware node n.
func (s *Subsys) deviceCreate(t *sim.Task, b *Bus, n Node) *Device {
	t.Enter("mdio_device_create")
	defer t.Leave()
	s.K.Heap.Access(t, b.Obj, devmodel.Read) // dev_set_name(..., bus->id, addr)
	dev := s.K.NewDeviceOf(t, s.BusType, "struct mdio_device", n.Name, nil)
	dev.Via = b.Owner
	dev.DriverName = n.Driver
	if dev.DriverName == "" {
		dev.DriverName = "-" // compatible with no driver
	}
	d := &Device{Dev: dev, Bus: b, Addr: n.Addr}
	s.devices = append(s.devices, d)
	if s.Created != nil && n.Driver != "" {
		s.Created(d)
	}
	return d
}

// DeviceRegister is mdio_device_register: the device is added to the bus's
// mdio_map and to mdio_bus_type (device_add, which may bind a driver).
func (s *Subsys) DeviceRegister(t *sim.Task, d *Device) {
	t.Enter("mdio_device_register")
	defer t.Leave()
	d.Bus.Map[d.Addr] = d
	s.K.KrefGet(t, &d.Bus.Kref, d.Dev.Obj) // device_add: get_device(parent)
	s.K.DeviceAdd(t, d.Dev)
}

// DeviceRemove is mdio_device_remove + mdio_device_free as
// mdiobus_unregister calls them: device_del (unbinding its driver) and the
// registration reference dropped.
func (s *Subsys) DeviceRemove(t *sim.Task, d *Device) {
	t.Enter("mdio_device_remove")
	defer t.Leave()
	s.K.DeviceUnregister(t, d.Dev)
	s.K.KrefPut(t, &d.Bus.Kref, d.Dev.Obj) // device_del: put_device(parent)
}

// Get is mdio_device_get (get_device) for holder.
func (s *Subsys) Get(t *sim.Task, d *Device, holder *devmodel.Object) {
	t.Enter("mdio_device_get")
	defer t.Leave()
	s.K.GetDevice(t, d.Dev, holder)
}

// Put is mdio_device_put (put_device) for holder; the last put frees the
// mdio_device (mdio_device_release).
func (s *Subsys) Put(t *sim.Task, d *Device, holder *devmodel.Object) {
	t.Enter("mdio_device_put")
	defer t.Leave()
	s.K.PutDevice(t, d.Dev, holder)
}

// FindByFwnode is fwnode_mdio_find_device: the registered mdio_device of
// firmware node name with a reference for holder, or nil (the caller
// defers its probe).
func (s *Subsys) FindByFwnode(t *sim.Task, name string, holder *devmodel.Object) *Device {
	t.Enter("fwnode_mdio_find_device")
	defer t.Leave()
	for _, d := range s.devices {
		if d.Dev.Name == name && d.Dev.Registered() {
			s.K.GetDevice(t, d.Dev, holder)
			return d
		}
	}
	return nil
}

// Device returns the struct device of the mdio_device last created for the
// firmware node called name, or nil.
func (s *Subsys) Device(name string) *devmodel.Device {
	for i := len(s.devices) - 1; i >= 0; i-- {
		if d := s.devices[i]; d.Dev.Name == name {
			return d.Dev
		}
	}
	return nil
}

// Of returns the mdio_device whose struct device is dev, or nil.
func (s *Subsys) Of(dev *devmodel.Device) *Device {
	for _, d := range s.devices {
		if d.Dev == dev {
			return d
		}
	}
	return nil
}

// Access is mdiodev_read/mdiodev_write (kind "read" or "write") by the
// driver of d: mdiodev->bus and ->addr are read from the mdio_device, then
// the bus is used. It returns false when freed memory was touched.
func (s *Subsys) Access(t *sim.Task, d *Device, kind string) bool {
	t.Enter("mdiodev_" + kind)
	defer t.Leave()
	if !s.K.Heap.Access(t, d.Dev.Obj, devmodel.Read) {
		return false
	}
	return s.read(t, d.Bus, kind)
}
