package devmodel

import (
	"github.com/pcssim/pcssim/sim"
)

// DriverRegister is driver_register → bus_add_driver → driver_attach: every
// unbound matching device is probed.
func (k *Kernel) DriverRegister(t *sim.Task, drv *Driver) {
	t.Enter("driver_register")
	defer t.Leave()
	drv.registered = true
	drv.Bus.Drivers = append(drv.Bus.Drivers, drv)
	t.Enter("driver_attach")
	defer t.Leave()
	for _, d := range append([]*Device(nil), drv.Bus.Devices...) {
		if match(drv, d) && d.registered {
			d.Lock.Lock(t)
			if d.Driver == nil {
				k.driverProbeDevice(t, drv, d)
			}
			d.Lock.Unlock(t)
		}
	}
}

// DriverUnregister is driver_unregister → bus_remove_driver → driver_detach:
// bound devices are unbound in reverse bind order.
func (k *Kernel) DriverUnregister(t *sim.Task, drv *Driver) {
	t.Enter("driver_unregister")
	defer t.Leave()
	for i, x := range drv.Bus.Drivers {
		if x == drv {
			drv.Bus.Drivers = append(drv.Bus.Drivers[:i], drv.Bus.Drivers[i+1:]...)
			break
		}
	}
	drv.registered = false
	// remove_bind_files drains sysfs bind/unbind writers (kernfs_drain) and
	// klist_remove waits until no bus iterator (a __device_attach probing
	// with this driver) holds the node, so a device bound meanwhile is on
	// the klist and detached below.
	t.Enter("bus_remove_driver")
	for drv.users > 0 {
		drv.usersDone.Wait(t, "bus_remove_driver("+drv.Name+")", nil)
	}
	t.Leave()
	t.Enter("driver_detach")
	defer t.Leave()
	for len(drv.bound) > 0 {
		d := drv.bound[len(drv.bound)-1]
		k.GetDevice(t, d, nil)
		k.deviceReleaseDriverInternal(t, d, drv)
		k.PutDevice(t, d, nil)
	}
}

// busProbeDevice is bus_probe_device → device_initial_probe →
// __device_attach: under device_lock, the first matching driver probes.
func (k *Kernel) busProbeDevice(t *sim.Task, d *Device) {
	t.Enter("__device_attach")
	defer t.Leave()
	d.Lock.Lock(t)
	defer d.Lock.Unlock(t)
	if d.Driver != nil || !d.registered || d.dead {
		return
	}
	for _, drv := range d.Bus.Drivers {
		if match(drv, d) {
			drv.pin()
			k.driverProbeDevice(t, drv, d)
			drv.unpin()
			return
		}
	}
}

// driverProbeDevice is driver_probe_device → really_probe, called with
// device_lock held. It returns 0 on bind or a negative errno.
func (k *Kernel) driverProbeDevice(t *sim.Task, drv *Driver, d *Device) int {
	t.Enter("really_probe")
	defer t.Leave()
	// __driver_probe_device: a device being deleted is not probed.
	if d.dead || !d.registered {
		return -ENODEV
	}
	if d.Driver != nil {
		return -EBUSY
	}
	trigger := k.deferredTriggerCount
	if k.deferAllProbes {
		k.driverDeferredProbeAdd(d)
		return -EPROBE_DEFER
	}
	if !k.deviceLinksCheckSuppliers(d) {
		k.probeDeferred(t, d, trigger)
		return -EPROBE_DEFER
	}
	d.Driver = drv
	d.probing = true
	k.probeCount++
	t.Yield("probe " + d.Name)
	d.ProbeCount++
	ret := drv.Probe(t, d)
	d.probing = false
	k.probeCount--
	defer k.probeDone.WakeAll()
	if ret != 0 {
		// probe_failed: driver_sysfs_remove, BUS_NOTIFY_DRIVER_NOT_BOUND,
		// device_links_no_driver, device_unbind_cleanup.
		k.notify(t, "driver_not_bound", d)
		k.deviceLinksNoDriver(d)
		k.devresReleaseAll(t, d)
		d.Driver = nil
		d.DriverData = nil
		if ret == -EPROBE_DEFER {
			k.probeDeferred(t, d, trigger)
		}
		return ret
	}
	k.driverBound(t, d)
	return 0
}

// driverBound is driver_bound: the device joins the driver's klist, links
// become active, and every deferred device is retried.
func (k *Kernel) driverBound(t *sim.Task, d *Device) {
	t.Enter("driver_bound")
	defer t.Leave()
	d.Driver.bound = append(d.Driver.bound, d)
	d.BoundCount++
	k.deviceLinksDriverBound(d)
	k.driverDeferredProbeDel(d)
	k.driverDeferredProbeTrigger(t)
	k.notify(t, "bound_driver", d)
}

// DeviceReleaseDriver is device_release_driver (also device_driver_detach).
func (k *Kernel) DeviceReleaseDriver(t *sim.Task, d *Device) {
	k.deviceReleaseDriverInternal(t, d, nil)
}

// deviceReleaseDriverInternal is device_release_driver_internal: under
// device_lock, unbind if bound (to drv, when drv is not nil).
func (k *Kernel) deviceReleaseDriverInternal(t *sim.Task, d *Device, drv *Driver) {
	t.Enter("device_release_driver")
	defer t.Leave()
	d.Lock.Lock(t)
	if d.Driver != nil && (drv == nil || drv == d.Driver) {
		k.deviceReleaseDriverLocked(t, d)
	}
	d.Lock.Unlock(t)
}

// deviceReleaseDriverLocked is __device_release_driver, in the kernel's
// order: managed-link consumers are unbound first (device_lock dropped
// meanwhile, dev->driver re-checked), BUS_NOTIFY_UNBIND_DRIVER, remove(),
// device_links_driver_cleanup, devres_release_all (LIFO), dev->driver =
// NULL, klist removal, BUS_NOTIFY_UNBOUND_DRIVER.
func (k *Kernel) deviceReleaseDriverLocked(t *sim.Task, d *Device) {
	t.Enter("__device_release_driver")
	defer t.Leave()
	drv := d.Driver
	for k.deviceLinksBusy(d) {
		d.Lock.Unlock(t)
		k.deviceLinksUnbindConsumers(t, d)
		d.Lock.Lock(t)
		if d.Driver != drv {
			return
		}
	}
	k.notify(t, "unbind_driver", d)
	t.Yield("remove " + d.Name)
	if drv.Remove != nil {
		t.Enter("device_remove")
		drv.Remove(t, d)
		t.Leave()
	}
	k.deviceLinksDriverCleanup(d)
	t.Enter("device_unbind_cleanup")
	k.devresReleaseAll(t, d)
	d.Driver = nil
	d.DriverData = nil
	t.Leave()
	for i, x := range drv.bound {
		if x == d {
			drv.bound = append(drv.bound[:i], drv.bound[i+1:]...)
			break
		}
	}
	k.notify(t, "unbound_driver", d)
}

// probeDeferred is what driver_probe_device does on -EPROBE_DEFER: the
// device goes on the pending list, and if a trigger happened while it
// probed (a supplier bound meanwhile), the trigger is repeated so the device
// is not forgotten.
func (k *Kernel) probeDeferred(t *sim.Task, d *Device, trigger int) {
	k.driverDeferredProbeAdd(d)
	if trigger != k.deferredTriggerCount {
		k.driverDeferredProbeTrigger(t)
	}
}

// driverDeferredProbeAdd is driver_deferred_probe_add.
// Simplification: a device already killed by device_del is not added (the
// kernel would add it and skip it later; its device link still pins it).
func (k *Kernel) driverDeferredProbeAdd(d *Device) {
	if d.dead {
		return
	}
	for _, x := range k.deferredPending {
		if x == d {
			return
		}
	}
	k.deferredPending = append(k.deferredPending, d)
}

// driverDeferredProbeDel is driver_deferred_probe_del.
func (k *Kernel) driverDeferredProbeDel(d *Device) {
	for _, l := range []*[]*Device{&k.deferredPending, &k.deferredActive} {
		for i, x := range *l {
			if x == d {
				*l = append((*l)[:i], (*l)[i+1:]...)
				break
			}
		}
	}
}

// Deferred reports whether d waits on the deferred-probe lists.
func (k *Kernel) Deferred(d *Device) bool {
	for _, l := range [][]*Device{k.deferredPending, k.deferredActive} {
		for _, x := range l {
			if x == d {
				return true
			}
		}
	}
	return false
}

// driverDeferredProbeTrigger is driver_deferred_probe_trigger: the pending
// list moves to the active list and deferred_probe_work is queued.
func (k *Kernel) driverDeferredProbeTrigger(t *sim.Task) {
	k.deferredTriggerCount++
	// Simplification: with nothing pending the (idle) work is not queued.
	if len(k.deferredPending) == 0 {
		return
	}
	k.deferredActive = append(k.deferredActive, k.deferredPending...)
	k.deferredPending = k.deferredPending[:0]
	k.QueueWork(t, k.deferredWork)
}

// deferredProbeWorkFunc is deferred_probe_work_func: each active device is
// probed again in list order.
func (k *Kernel) deferredProbeWorkFunc(t *sim.Task) {
	t.Enter("deferred_probe_work_func")
	defer t.Leave()
	for len(k.deferredActive) > 0 {
		d := k.deferredActive[0]
		k.deferredActive = k.deferredActive[1:]
		k.GetDevice(t, d, nil)
		k.busProbeDevice(t, d)
		k.PutDevice(t, d, nil)
	}
}

// DeviceBindDriver is device_bind_driver for a device whose driver the
// caller probed itself (phy_attach_direct binding genphy): dev->driver =
// drv and driver_bound, without device_lock (the caller holds rtnl).
func (k *Kernel) DeviceBindDriver(t *sim.Task, d *Device, drv *Driver) {
	t.Enter("device_bind_driver")
	defer t.Leave()
	d.Driver = drv
	k.driverBound(t, d)
}
