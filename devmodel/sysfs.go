package devmodel

import "github.com/pcssim/pcssim/sim"

// UnbindStore is the sysfs write to /sys/bus/<bus>/drivers/<drv>/unbind
// (unbind_store → device_driver_detach). It returns -ENOENT when the driver
// suppresses its bind attributes and -ENODEV when dev is not bound to drv.
func (k *Kernel) UnbindStore(t *sim.Task, drv *Driver, dev *Device) int {
	return k.sysfsWrite(t, "unbind_store", drv, dev, func(d *Device) int {
		if d.Driver != drv {
			return -ENODEV
		}
		k.GetDevice(t, d, nil)
		k.DeviceReleaseDriver(t, d)
		k.PutDevice(t, d, nil)
		return 0
	})
}

// BindStore is the sysfs write to /sys/bus/<bus>/drivers/<drv>/bind
// (bind_store → device_driver_attach).
func (k *Kernel) BindStore(t *sim.Task, drv *Driver, dev *Device) int {
	return k.sysfsWrite(t, "bind_store", drv, dev, func(d *Device) int {
		if !match(drv, d) {
			return -ENODEV
		}
		t.Enter("device_driver_attach")
		defer t.Leave()
		d.Lock.Lock(t)
		defer d.Lock.Unlock(t)
		if d.Driver != nil {
			return -EBUSY
		}
		return k.driverProbeDevice(t, drv, d)
	})
}

// sysfsWrite is what both attribute writes share: the file exists only for
// a registered driver without suppress_bind_attrs (-ENOENT), the written
// name must be a device on the driver's bus (bus_find_device_by_name,
// -ENODEV), and the write holds a kernfs active reference on the attribute
// while store runs, which driver_unregister drains.
func (k *Kernel) sysfsWrite(t *sim.Task, fn string, drv *Driver, dev *Device, store func(d *Device) int) int {
	t.Enter(fn)
	defer t.Leave()
	if drv.SuppressBindAttrs || !drv.registered {
		return -ENOENT
	}
	d := drv.Bus.findDevice(dev.Name)
	if d == nil {
		return -ENODEV
	}
	drv.pin()
	defer drv.unpin()
	return store(d)
}
