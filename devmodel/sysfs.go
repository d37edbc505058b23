package devmodel

import "pcssim/sim"

// UnbindStore is the sysfs write to /sys/bus/<bus>/drivers/<drv>/unbind
// (unbind_store → device_driver_detach). It returns -ENOENT when the driver
// suppresses its bind attributes and -ENODEV when dev is not bound to drv.
func (k *Kernel) UnbindStore(t *sim.Task, drv *Driver, dev *Device) int {
	t.Enter("unbind_store")
	defer t.Leave()
	d, err := sysfsDevice(drv, dev)
	if err != 0 {
		return err
	}
	drv.pin()
	defer drv.unpin()
	if d.Driver != drv {
		return -ENODEV
	}
	k.GetDevice(t, d, nil)
	k.DeviceReleaseDriver(t, d)
	k.PutDevice(t, d, nil)
	return 0
}

// BindStore is the sysfs write to /sys/bus/<bus>/drivers/<drv>/bind
// (bind_store → device_driver_attach).
func (k *Kernel) BindStore(t *sim.Task, drv *Driver, dev *Device) int {
	t.Enter("bind_store")
	defer t.Leave()
	d, err := sysfsDevice(drv, dev)
	if err != 0 {
		return err
	}
	drv.pin()
	defer drv.unpin()
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
}

// sysfsDevice is what both attribute writes do first: the file exists only
// for a registered driver without suppress_bind_attrs (-ENOENT), and the
// written name must be a device on the driver's bus
// (bus_find_device_by_name, -ENODEV).
func sysfsDevice(drv *Driver, dev *Device) (*Device, int) {
	if drv.SuppressBindAttrs || !drv.registered {
		return nil, -ENOENT
	}
	d := drv.Bus.findDevice(dev.Name)
	if d == nil {
		return nil, -ENODEV
	}
	return d, 0
}
