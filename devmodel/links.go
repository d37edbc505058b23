package devmodel

import "github.com/pcssim/pcssim/sim"

// LinkFlags are the DL_FLAG_* bits of device_link_add.
type LinkFlags uint8

// Device link flags. DLInferred, DLSyncStateOnly and DLPMRuntime are what
// fw_devlink adds (FW_DEVLINK_FLAGS_*); the model has no runtime PM, so
// DLPMRuntime changes nothing but the flags shown.
const (
	DLStateless LinkFlags = 1 << iota
	DLAutoremoveConsumer
	DLAutoremoveSupplier
	DLAutoprobeConsumer
	DLInferred
	DLSyncStateOnly
	DLPMRuntime
)

// LinkState is enum device_link_state.
type LinkState uint8

// Device link states (DL_STATE_*).
const (
	DLDormant LinkState = iota
	DLAvailable
	DLConsumerProbe
	DLActive
	DLSupplierUnbind
)

// Link is struct device_link between a consumer and a supplier device.
// Simplification: the references a link holds on both devices are not
// modelled (devices outlive their links in every modelled path).
type Link struct {
	Consumer, Supplier *Device
	Flags              LinkFlags
	State              LinkState
	// Managed is DL_FLAG_MANAGED: the driver core orders probes and
	// unbinds by the link (a stateless add leaves a managed link managed).
	Managed bool
	// refs is link->kref: a stateless add, or a managed add onto an
	// unmanaged link, takes one on an existing link.
	refs int
}

func (l *Link) managed() bool { return l.Managed }

// syncStateOnly reports a managed DL_FLAG_SYNC_STATE_ONLY link: it orders
// sync_state() only, never probe or unbind.
func (l *Link) syncStateOnly() bool { return l.managed() && l.Flags&DLSyncStateOnly != 0 }

// DeviceLinkAdd is device_link_add. AUTOPROBE_CONSUMER cannot be combined
// with AUTOREMOVE_CONSUMER or STATELESS (as in the kernel), nil is returned.
// A second add of the same pair takes a reference on the existing link and
// merges the flags as the kernel does: a non-inferred add clears INFERRED,
// the longer lifetime wins (an add without AUTOREMOVE_* clears them) and a
// link that was SYNC_STATE_ONLY becomes a full one.
func (k *Kernel) DeviceLinkAdd(consumer, supplier *Device, flags LinkFlags) *Link {
	if consumer == supplier || flags&DLAutoprobeConsumer != 0 && flags&(DLAutoremoveConsumer|DLAutoremoveSupplier|DLStateless) != 0 {
		return nil
	}
	if flags&DLSyncStateOnly != 0 && consumer.Driver != nil && !consumer.probing {
		return nil // a bound consumer needs no sync_state ordering
	}
	if flags&DLAutoremoveSupplier != 0 {
		flags &^= DLAutoremoveConsumer
	}
	for _, l := range k.links {
		if l.Consumer != consumer || l.Supplier != supplier {
			continue
		}
		if l.Flags&DLInferred != 0 && flags&DLInferred == 0 {
			l.Flags &^= DLInferred
		}
		l.Flags |= flags & DLPMRuntime
		if flags&DLStateless != 0 {
			l.refs++
			l.Flags |= DLStateless
			return l
		}
		if flags&DLAutoremoveSupplier != 0 {
			if l.Flags&DLAutoremoveConsumer != 0 {
				l.Flags = l.Flags&^DLAutoremoveConsumer | DLAutoremoveSupplier
			}
		} else if flags&DLAutoremoveConsumer == 0 {
			l.Flags &^= DLAutoremoveConsumer | DLAutoremoveSupplier
		}
		if !l.managed() {
			l.refs++
			l.Managed = true
			l.State = initStatus(consumer, supplier)
		}
		if l.Flags&DLSyncStateOnly != 0 && flags&DLSyncStateOnly == 0 {
			l.Flags &^= DLSyncStateOnly
		}
		return l
	}
	l := &Link{Consumer: consumer, Supplier: supplier, Flags: flags, Managed: flags&DLStateless == 0, refs: 1}
	if l.managed() {
		l.State = initStatus(consumer, supplier)
	}
	k.links = append(k.links, l)
	return l
}

// initStatus is device_link_init_status.
func initStatus(consumer, supplier *Device) LinkState {
	switch {
	case supplier.Driver == nil:
		return DLDormant
	case consumer.probing:
		return DLConsumerProbe
	case consumer.Driver != nil:
		return DLActive
	}
	return DLAvailable
}

// DeviceLinkDel is device_link_del (device_link_put_kref): a stateless
// link loses a reference and goes with the last; a managed one is dropped
// only while its consumer is not registered (the kernel WARNs otherwise
// and keeps it).
func (k *Kernel) DeviceLinkDel(l *Link) {
	switch {
	case l.Flags&DLStateless != 0:
		k.putLink(l)
	case !l.Consumer.registered:
		k.dropManaged(l)
	}
}

// putLink is kref_put(&link->kref, __device_link_del).
func (k *Kernel) putLink(l *Link) {
	if l.refs--; l.refs <= 0 {
		k.unlink(l)
	}
}

// dropManaged is device_link_drop_managed: the link stops being managed
// and loses the reference its managed state held.
func (k *Kernel) dropManaged(l *Link) {
	l.Managed = false
	k.putLink(l)
}

// unlink is __device_link_del: the link goes whatever its references.
func (k *Kernel) unlink(l *Link) {
	for i, x := range k.links {
		if x == l {
			k.links = append(k.links[:i], k.links[i+1:]...)
			return
		}
	}
}

// Links returns the device links in creation order.
func (k *Kernel) Links() []*Link { return k.links }

// deviceLinksCheckSuppliers is device_links_check_suppliers: a consumer
// whose firmware names a supplier not yet added (a pending fwnode link), or
// whose managed supplier is not bound, defers its probe.
func (k *Kernel) deviceLinksCheckSuppliers(d *Device) bool {
	if k.fwnodeLinksCheckSuppliers(d) {
		return false
	}
	for _, l := range k.links {
		if l.Consumer == d && l.managed() {
			if l.State != DLAvailable && l.State != DLConsumerProbe && !l.syncStateOnly() {
				k.deviceLinksMissingSupplier(d)
				return false
			}
			l.State = DLConsumerProbe
		}
	}
	return true
}

// deviceLinksMissingSupplier is device_links_missing_supplier: the links a
// deferred probe already marked CONSUMER_PROBE go back to AVAILABLE (their
// supplier is bound) or DORMANT.
func (k *Kernel) deviceLinksMissingSupplier(d *Device) {
	for _, l := range k.links {
		if l.Consumer != d || l.State != DLConsumerProbe {
			continue
		}
		if l.Supplier.Driver != nil {
			l.State = DLAvailable
		} else {
			l.State = DLDormant
		}
	}
}

// deviceLinksDriverBound is device_links_driver_bound: the device's
// consumer-side links become ACTIVE, its supplier-side links AVAILABLE and
// AUTOPROBE_CONSUMER consumers are put on the deferred list.
func (k *Kernel) deviceLinksDriverBound(d *Device) {
	k.fwnodeLinksPurgeSuppliers(d)
	for _, l := range append([]*Link(nil), k.links...) {
		if !l.managed() {
			continue
		}
		if l.Consumer == d && l.syncStateOnly() {
			k.dropManaged(l) // sync_state ordering only: done once bound
			continue
		}
		if l.Consumer == d && l.State == DLConsumerProbe {
			l.State = DLActive
		}
		if l.Supplier == d && l.State == DLDormant {
			l.State = DLAvailable
			if l.Flags&DLAutoprobeConsumer != 0 && l.Consumer.Driver == nil && l.Consumer.registered {
				k.driverDeferredProbeAdd(l.Consumer)
			}
		}
	}
}

// deviceLinksBusy is device_links_busy: a supplier with a consumer that is
// bound or probing must have that consumer unbound first. Every other
// managed consumer link moves to SUPPLIER_UNBIND, so no consumer can start
// probing while the supplier goes away.
func (k *Kernel) deviceLinksBusy(d *Device) bool {
	for _, l := range k.links {
		if l.Supplier != d || !l.managed() {
			continue
		}
		if l.State == DLActive || l.State == DLConsumerProbe {
			return true
		}
		l.State = DLSupplierUnbind
	}
	return false
}

// deviceLinksUnbindConsumers is device_links_unbind_consumers: a consumer
// still probing is waited for (wait_for_device_probe), every managed link
// moves to SUPPLIER_UNBIND and each bound consumer is unbound (the whole
// device, all its functions); the scan restarts after every wait or unbind.
// A SYNC_STATE_ONLY link is skipped, but its consumer still probing is
// waited for too (the kernel spins in __device_release_driver's busy loop
// until that probe ends).
func (k *Kernel) deviceLinksUnbindConsumers(t *sim.Task, d *Device) {
	t.Enter("device_links_unbind_consumers")
	defer t.Leave()
start:
	for _, l := range k.links {
		if l.Supplier != d || !l.managed() {
			continue
		}
		status := l.State
		if l.syncStateOnly() && status != DLConsumerProbe {
			continue
		}
		if status == DLConsumerProbe {
			k.waitForDeviceProbe(t)
			goto start
		}
		l.State = DLSupplierUnbind
		if status == DLActive {
			c := l.Consumer
			k.GetDevice(t, c, nil)
			k.deviceReleaseDriverInternal(t, c, nil)
			k.PutDevice(t, c, nil)
			goto start
		}
	}
}

// waitForDeviceProbe is wait_for_device_probe: it returns once no probe is
// in flight (probe_count == 0). With none in flight it still yields, so a
// caller that loops on a link no probe will move (the kernel would spin)
// runs into the step budget instead of hanging the simulator.
func (k *Kernel) waitForDeviceProbe(t *sim.Task) {
	t.Enter("wait_for_device_probe")
	defer t.Leave()
	if k.probeCount == 0 {
		t.Yield("wait_for_device_probe")
		return
	}
	for k.probeCount > 0 {
		k.probeDone.Wait(t, "wait_for_device_probe", nil)
	}
}

// deviceLinksDriverCleanup is device_links_driver_cleanup (supplier side)
// together with __device_links_no_driver (consumer side) after an unbind.
func (k *Kernel) deviceLinksDriverCleanup(d *Device) {
	for _, l := range append([]*Link(nil), k.links...) {
		if !l.managed() {
			continue
		}
		if l.Supplier == d {
			if l.Flags&DLAutoremoveSupplier != 0 && l.State == DLSupplierUnbind {
				k.dropManaged(l)
				continue
			}
			l.State = DLDormant
		}
	}
	k.deviceLinksNoDriver(d)
}

// deviceLinksNoDriver is device_links_no_driver: consumer-side links of a
// device that lost (or never got) its driver.
func (k *Kernel) deviceLinksNoDriver(d *Device) {
	for _, l := range append([]*Link(nil), k.links...) {
		if l.Consumer != d || !l.managed() {
			continue
		}
		if l.Flags&DLAutoremoveConsumer != 0 {
			k.dropManaged(l)
			continue
		}
		if l.Supplier.Driver != nil && l.State != DLSupplierUnbind {
			l.State = DLAvailable
		} else {
			l.State = DLDormant
		}
	}
}

// deviceLinksPurge is device_links_purge, called by device_del.
func (k *Kernel) deviceLinksPurge(d *Device) {
	for _, l := range append([]*Link(nil), k.links...) {
		if l.Consumer == d || l.Supplier == d {
			k.unlink(l)
		}
	}
}
