package devmodel

import "pcssim/sim"

// LinkFlags are the DL_FLAG_* bits of device_link_add.
type LinkFlags uint8

// Device link flags.
const (
	DLStateless LinkFlags = 1 << iota
	DLAutoremoveConsumer
	DLAutoremoveSupplier
	DLAutoprobeConsumer
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
type Link struct {
	Consumer, Supplier *Device
	Flags              LinkFlags
	State              LinkState
}

func (l *Link) managed() bool { return l.Flags&DLStateless == 0 }

// DeviceLinkAdd is device_link_add. AUTOPROBE_CONSUMER cannot be combined
// with AUTOREMOVE_CONSUMER or STATELESS (as in the kernel), nil is returned.
func (k *Kernel) DeviceLinkAdd(consumer, supplier *Device, flags LinkFlags) *Link {
	if flags&DLAutoprobeConsumer != 0 && flags&(DLAutoremoveConsumer|DLStateless) != 0 {
		return nil
	}
	for _, l := range k.links {
		if l.Consumer == consumer && l.Supplier == supplier {
			return l
		}
	}
	l := &Link{Consumer: consumer, Supplier: supplier, Flags: flags}
	if l.managed() {
		switch {
		case supplier.Driver == nil:
			l.State = DLDormant
		case consumer.probing:
			l.State = DLConsumerProbe
		case consumer.Driver != nil:
			l.State = DLActive
		default:
			l.State = DLAvailable
		}
	}
	k.links = append(k.links, l)
	return l
}

// DeviceLinkDel is device_link_del.
func (k *Kernel) DeviceLinkDel(l *Link) {
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
// whose managed supplier is not bound defers its probe.
func (k *Kernel) deviceLinksCheckSuppliers(d *Device) bool {
	for _, l := range k.links {
		if l.Consumer == d && l.managed() {
			if l.State != DLAvailable && l.State != DLConsumerProbe {
				return false
			}
			l.State = DLConsumerProbe
		}
	}
	return true
}

// deviceLinksDriverBound is device_links_driver_bound: the device's
// consumer-side links become ACTIVE, its supplier-side links AVAILABLE and
// AUTOPROBE_CONSUMER consumers are put on the deferred list.
func (k *Kernel) deviceLinksDriverBound(d *Device) {
	for _, l := range k.links {
		if !l.managed() {
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
func (k *Kernel) deviceLinksUnbindConsumers(t *sim.Task, d *Device) {
	t.Enter("device_links_unbind_consumers")
	defer t.Leave()
start:
	for _, l := range k.links {
		if l.Supplier != d || !l.managed() {
			continue
		}
		status := l.State
		if status == DLConsumerProbe {
			t.Enter("wait_for_device_probe")
			k.probeDone.Wait(t, "wait_for_device_probe", nil)
			t.Leave()
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

// deviceLinksDriverCleanup is device_links_driver_cleanup (supplier side)
// together with __device_links_no_driver (consumer side) after an unbind.
func (k *Kernel) deviceLinksDriverCleanup(d *Device) {
	for _, l := range append([]*Link(nil), k.links...) {
		if !l.managed() {
			continue
		}
		if l.Supplier == d {
			if l.Flags&DLAutoremoveSupplier != 0 && l.State == DLSupplierUnbind {
				k.DeviceLinkDel(l)
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
			k.DeviceLinkDel(l)
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
			k.DeviceLinkDel(l)
		}
	}
}
