package devmodel

import (
	"fmt"
	"strings"
)

// FwDevlink is the fw_devlink= kernel parameter (fw_devlink_setup): which
// device links the driver core infers from firmware references.
type FwDevlink uint8

// fw_devlink modes. The zero value is the kernel version's default.
const (
	FwDevlinkDefault FwDevlink = iota
	// FwDevlinkOff infers no links.
	FwDevlinkOff
	// FwDevlinkPermissive infers SYNC_STATE_ONLY links: sync_state()
	// ordering, no probe ordering, no unbinding.
	FwDevlinkPermissive
	// FwDevlinkOn infers managed links (FW_DEVLINK_FLAGS_ON: INFERRED |
	// AUTOPROBE_CONSUMER): the consumer probes only after its suppliers
	// and is unbound before any of them.
	FwDevlinkOn
	// FwDevlinkRPM is on plus DL_FLAG_PM_RUNTIME.
	FwDevlinkRPM
)

// FwDevlinkNames are the modes' names as fw_devlink= takes them.
var FwDevlinkNames = []string{"off", "permissive", "on", "rpm"}

// ParseFwDevlink returns the mode called name.
func ParseFwDevlink(name string) (FwDevlink, error) {
	for i, n := range FwDevlinkNames {
		if n == name {
			return FwDevlink(i + 1), nil
		}
	}
	return 0, fmt.Errorf("unknown fw_devlink mode %q (known: %s)", name, strings.Join(FwDevlinkNames, ", "))
}

// String returns the mode's name ("" for the version default).
func (m FwDevlink) String() string {
	if m == FwDevlinkDefault {
		return ""
	}
	return FwDevlinkNames[m-1]
}

// FwDevlinkMode returns the mode the kernel runs with: the one asked for,
// else the version's default (static u32 fw_devlink_flags: FLAGS_ON in 6.1,
// FLAGS_RPM since v6.8).
func (k *Kernel) FwDevlinkMode() FwDevlink {
	switch {
	case k.FwDevlink != FwDevlinkDefault:
		return k.FwDevlink
	case k.Has(FeatFwDevlinkRPM):
		return FwDevlinkRPM
	}
	return FwDevlinkOn
}

// fwDevlinkFlags is fw_devlink_get_flags for a link of the device's own
// node; links of its child nodes that are no device are proxies with
// FW_DEVLINK_FLAGS_PERMISSIVE.
func (k *Kernel) fwDevlinkFlags() LinkFlags {
	switch k.FwDevlinkMode() {
	case FwDevlinkPermissive:
		return DLInferred | DLSyncStateOnly
	case FwDevlinkRPM:
		return DLInferred | DLAutoprobeConsumer | DLPMRuntime
	}
	return DLInferred | DLAutoprobeConsumer
}

// Handle is a firmware reference (a devicetree phandle property) from a
// consumer's node to a supplier device's node: pcs-handle = <&pcs0>.
type Handle struct {
	// Property is the property's name (pcs-handle, phys, clocks, ...).
	Property string
	// Node is the child node of the consumer's node that holds the
	// property ("" = the consumer's own node), e.g. ethernet-port@0: a
	// child that never becomes a device gets proxy links only.
	Node     string
	Supplier *Device
}

// HandleProperty says which kernels' of_supplier_bindings (drivers/of/
// property.c) parse a firmware reference.
type HandleProperty struct {
	Name string
	// Parsed: every modelled version parses it. Otherwise Option names the
	// posted patch that adds it (Kernel.FwPCSHandle), or the property is
	// never parsed.
	Parsed bool
	Option string
	Doc    string
}

// HandleProperties are the firmware references a scenario can write.
var HandleProperties = []HandleProperty{
	{"pcs-handle", false, "fw_devlink_pcs_handle",
		"a MAC's PCS; of_supplier_bindings parses it only with the posted fwnode-PCS series (Marangi RFC v8 08/12 \"of: property: fw_devlink: Add support for pcs-handle\"; Anderson's v6 carries the same): net-next with fw_devlink_pcs_handle"},
	{"phy-handle", false, "", "a MAC's PHY; not in of_supplier_bindings of 6.1, 6.12 or net-next: no link"},
	{"phys", true, "", "a generic PHY (SerDes) provider: parse_phys"},
	{"interrupts", true, "", "the interrupt controller (parse_interrupts): a PCS's interrupt parent"},
	{"clocks", true, "", "a clock provider: parse_clocks"},
	{"resets", true, "", "a reset controller: parse_resets"},
	{"power-domains", true, "", "a power domain provider: parse_power_domains"},
}

// HandlePropertyNames lists HandleProperties' names.
func HandlePropertyNames() []string {
	out := make([]string, len(HandleProperties))
	for i, p := range HandleProperties {
		out[i] = p.Name
	}
	return out
}

// parses reports whether of_supplier_bindings parses property prop.
func (k *Kernel) parses(prop string) bool {
	for _, p := range HandleProperties {
		if p.Name == prop {
			return p.Parsed || p.Name == "pcs-handle" && k.FwPCSHandle
		}
	}
	return false
}

// fwnodeLink is struct fwnode_link: a parsed firmware reference not yet
// turned into a device link (its supplier device is not added yet), or one
// a child node keeps for the device it may become.
type fwnodeLink struct {
	consumer *Device
	node     string
	supplier *Device
	// cycle is FWLINK_FLAG_CYCLE: the supplier is a descendant of the
	// consumer (__fw_devlink_relax_cycles through the supplier's parent),
	// so its link is permissive and never defers the consumer.
	cycle bool
}

// fwnodeLinkAdd is __fwnode_link_add: a second reference between the same
// nodes is ignored (no reference counting).
func (k *Kernel) fwnodeLinkAdd(fl *fwnodeLink) {
	for _, x := range k.fwnodeLinks {
		if x.consumer == fl.consumer && x.node == fl.node && x.supplier == fl.supplier {
			return
		}
	}
	k.fwnodeLinks = append(k.fwnodeLinks, fl)
}

// descendantOf reports whether d is below a in the device tree.
func (d *Device) descendantOf(a *Device) bool {
	for p := d.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// fwDevlinkLinkDevice is fw_devlink_link_device, called by device_add: the
// device's firmware subtree is parsed into fwnode links
// (fw_devlink_parse_fwtree, of_link_to_suppliers), then device links are
// made to the consumers that were waiting for this device
// (__fw_devlink_link_to_consumers) and from this device to suppliers that
// exist (__fw_devlink_link_to_suppliers). A link of the device's own node
// gets fw_devlink's flags and its fwnode link goes; a child node's gets a
// SYNC_STATE_ONLY proxy and its fwnode link stays.
// Simplifications: cycles only through a supplier below its consumer
// (the loader rejects cycles of handles), no
// deferred_probe_timeout relaxation (fw_devlink_drivers_done: every
// modelled supplier has a driver), sync_state() itself is not modelled.
func (k *Kernel) fwDevlinkLinkDevice(d *Device) {
	if k.FwDevlinkMode() == FwDevlinkOff {
		return
	}
	if !d.linksParsed {
		d.linksParsed = true
		for _, h := range d.Handles {
			if k.parses(h.Property) {
				k.fwnodeLinkAdd(&fwnodeLink{consumer: d, node: h.Node, supplier: h.Supplier,
					cycle: h.Supplier.descendantOf(d)})
			}
		}
	}
	for _, fl := range append([]*fwnodeLink(nil), k.fwnodeLinks...) {
		switch {
		case fl.supplier == d && fl.consumer.registered:
			k.fwDevlinkCreate(fl)
		case fl.consumer == d && fl.supplier.registered:
			k.fwDevlinkCreate(fl)
		}
	}
}

// fwDevlinkCreate is fw_devlink_create_devlink for an fwnode link whose
// two devices exist.
func (k *Kernel) fwDevlinkCreate(fl *fwnodeLink) {
	flags := k.fwDevlinkFlags()
	if fl.node != "" || fl.cycle {
		flags = DLInferred | DLSyncStateOnly
	}
	k.DeviceLinkAdd(fl.consumer, fl.supplier, flags)
	if fl.node == "" {
		k.dropFwnodeLink(fl)
	}
}

func (k *Kernel) dropFwnodeLink(fl *fwnodeLink) {
	for i, x := range k.fwnodeLinks {
		if x == fl {
			k.fwnodeLinks = append(k.fwnodeLinks[:i], k.fwnodeLinks[i+1:]...)
			return
		}
	}
}

// fwnodeLinksCheckSuppliers is fwnode_links_check_suppliers: the device's
// own node still names a supplier whose device was never added (never in
// permissive mode, never through a cycle link).
func (k *Kernel) fwnodeLinksCheckSuppliers(d *Device) bool {
	if k.FwDevlinkMode() == FwDevlinkPermissive {
		return false
	}
	for _, fl := range k.fwnodeLinks {
		if fl.consumer == d && fl.node == "" && !fl.cycle {
			return true
		}
	}
	return false
}

// fwnodeLinksPurgeSuppliers is fwnode_links_purge_suppliers, called when a
// device binds: the fwnode links of its own node go.
func (k *Kernel) fwnodeLinksPurgeSuppliers(d *Device) {
	for _, fl := range append([]*fwnodeLink(nil), k.fwnodeLinks...) {
		if fl.consumer == d && fl.node == "" {
			k.dropFwnodeLink(fl)
		}
	}
}
