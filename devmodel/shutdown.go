package devmodel

import "github.com/pcssim/pcssim/sim"

// DeviceShutdown is device_shutdown (drivers/base/core.c), as
// kernel_restart_prepare calls it: wait for probes in flight, block new
// ones (device_block_probing), then walk the devices from the tail of
// devices_kset, each under its parent's and its own device_lock, calling
// its driver's shutdown. Nothing is unbound or freed: devres stays, drivers
// stay bound. The kset order is device_add order with consumers moved
// after their suppliers (device_link_add's device_reorder_to_tail);
// simplification: the model takes the last added device none of whose
// children or managed-link consumers is still to be shut down.
func (k *Kernel) DeviceShutdown(t *sim.Task) {
	t.Enter("device_shutdown")
	defer t.Leave()
	k.waitForDeviceProbe(t)
	k.deferAllProbes = true // device_block_probing
	for {
		d := k.nextToShutDown()
		if d == nil {
			return
		}
		d.shutDown = true
		parent := d.Parent
		if parent != nil {
			k.GetDevice(t, parent, nil)
			parent.Lock.Lock(t)
		}
		k.GetDevice(t, d, nil)
		d.Lock.Lock(t)
		if drv := d.Driver; drv != nil && drv.Shutdown != nil {
			drv.Shutdown(t, d)
		}
		d.Lock.Unlock(t)
		if parent != nil {
			parent.Lock.Unlock(t)
		}
		k.PutDevice(t, d, nil)
		if parent != nil {
			k.PutDevice(t, parent, nil)
		}
	}
}

// nextToShutDown returns the device device_shutdown takes next: the last
// registered one not shut down yet that has no child or consumer left.
func (k *Kernel) nextToShutDown() *Device {
	pending := func(d *Device) bool { return d.registered && !d.shutDown }
	for i := len(k.Devices) - 1; i >= 0; i-- {
		d := k.Devices[i]
		if !pending(d) {
			continue
		}
		blocked := false
		for _, c := range k.Devices {
			if c.Parent == d && pending(c) {
				blocked = true
				break
			}
		}
		for _, l := range k.links {
			if l.Supplier == d && l.managed() && !l.syncStateOnly() && pending(l.Consumer) {
				blocked = true
				break
			}
		}
		if !blocked {
			return d
		}
	}
	return nil
}

// Steps a driver's ->shutdown may take that every driver kind has.
const (
	// ShutdownRemove: the shutdown calls the driver's own remove function
	// (the driver stays bound: devres is not released).
	ShutdownRemove = "remove"
	// ShutdownClearDrvdata is platform_set_drvdata(pdev, NULL) at the end
	// of shutdown; the driver's remove then starts with if (!priv)
	// return; (the DSA drivers' guard since "net: dsa: be compatible with
	// masters which unregister on shutdown").
	ShutdownClearDrvdata = "clear-drvdata"
)

// ShutdownFunc returns the ->shutdown of drv (PREFIX_shutdown) that runs
// steps in order: the common ones here, any other through own.
func ShutdownFunc(drv *Driver, prefix string, steps []string, own func(t *sim.Task, dev *Device, step string)) func(t *sim.Task, dev *Device) {
	if steps == nil {
		return nil
	}
	return func(t *sim.Task, dev *Device) {
		t.Enter(prefix + "_shutdown")
		defer t.Leave()
		if dev.DriverData == nil {
			return // if (!priv) return;
		}
		for _, st := range steps {
			switch st {
			case ShutdownRemove:
				drv.Remove(t, dev)
			case ShutdownClearDrvdata:
				dev.DriverData = nil
			default:
				own(t, dev, st)
			}
		}
	}
}
