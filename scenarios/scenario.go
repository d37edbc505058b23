package scenarios

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// Scenario is a loaded, validated scenario file.
type Scenario struct {
	Name        string
	Description string
	// Strategy is the default lifetime strategy.
	Strategy string
	// Kernel is the kernel version the model follows: the file's kernel:
	// (FileKernel, default 6.12) unless --kernel overrides it (WithKernel).
	Kernel, FileKernel devmodel.Version
	Horizon            sim.Time
	MaxSteps           int
	// AutoprobeConsumer makes the device-link strategy's links
	// DL_FLAG_AUTOPROBE_CONSUMER.
	AutoprobeConsumer bool
	// FwDevlink is the fw_devlink= mode (zero: the kernel's default).
	FwDevlink devmodel.FwDevlink
	// FwPCSHandle makes fw_devlink parse pcs-handle, as the posted
	// fwnode-PCS series do (net-next only).
	FwPCSHandle bool
	Modules     []Module
	Drivers     []Driver
	Devices     []Device
	Netdevs     []Netdev
	Links       []Link
	Events      []Event
	Faults      []Fault
	// Properties to check (all when empty).
	Properties []string
	// Sometimes names situations a campaign must reach at least once, as
	// substrings of "FAULT during TASK" (e.g. "unbind lynx-pcs.0 during
	// kworker: phylink_resolve"); a campaign that never reaches one is
	// vacuous.
	Sometimes []string
	// Unreachable declares exercise conditions (see Conditions) that are
	// never met on purpose, with the reason: the campaign is then not
	// vacuous for their sake.
	Unreachable []Unreachable
	// Expect maps a strategy to the properties it must violate (empty: none).
	Expect map[string][]string
	// ExpectOrder lists Expect's keys in file order.
	ExpectOrder []string
	// Path is where the scenario was loaded from.
	Path string
}

// Module is a loadable module.
type Module struct {
	Name    string
	Depends []string
	// Loaded: insmod at boot (default true).
	Loaded bool
}

// Driver kinds.
const (
	KindMAC         = "mac"
	KindPCSProvider = "pcs-provider"
	// KindMDIOController is an MDIO bus controller's driver: it owns a
	// struct mii_bus named after its device.
	KindMDIOController = "mdio-controller"
	// KindPHY is a PHY driver (struct phy_driver, phylib's phy_probe and
	// phy_remove) on bus mdio, bound to a PHY's mdio_device.
	KindPHY = "phy"
)

// DriverKinds lists the driver kinds.
var DriverKinds = []string{KindMAC, KindPCSProvider, KindMDIOController, KindPHY}

// mdioCreates are the values of a netdev's pcs_mdio.create.
var mdioCreates = []string{pcs.CreateMdiodev, pcs.CreateFwnode}

// Driver is a driver model instance.
type Driver struct {
	Name              string
	Kind              string
	Module            string // "" = built-in
	Bus               string
	Lanes             int    // pcs-provider: PCSs per device
	Link              string // pcs-provider: "poll" or "irq"
	SuppressBindAttrs bool
	Probe, Remove     []string // mac, mdio-controller: step orders
	// Shutdown are the steps of ->shutdown in order (nil: none).
	Shutdown []string
	// DeferAfterRegister (pcs-provider): the first probes of each device
	// that return -EPROBE_DEFER after registering the PCSs.
	DeferAfterRegister int
	// NoPM (mac, pm: false): the driver has no suspend/resume.
	NoPM bool
}

// Device is a device on a bus.
type Device struct {
	Name, Bus, Driver, Parent string
	// Handles are the firmware references of the device's node.
	Handles []Handle
	// MDIOAddr, when set, makes the device an mdio_device at that address
	// on the MDIO bus of its parent (the bus owner), registered when the
	// owner registers its bus (of_mdiobus_register); Driver may then be
	// empty (no driver binds to it, as to a Lynx PCS's mdio_device).
	MDIOAddr *int
	// IRQ (a PHY): its node has an interrupt (phydev->irq valid): phylink
	// requests it when it connects the PHY and the link partner's changes
	// run phy_interrupt instead of the state machine polling.
	IRQ bool
}

// Handle is a firmware reference of a device's node (or of a child node of
// it that is no device) to another device: pcs-handle = <&pcs0>.
type Handle struct {
	Property, To, Node string
}

// Netdev is a network interface of a MAC device.
type Netdev struct {
	Name string
	MAC  string
	// PCS names the PCS reference; with Integrated the MAC creates it.
	PCS        string
	Integrated bool
	// IntegratedModule owns an integrated PCS's ops ("" = the MAC's).
	IntegratedModule string
	// PCSDriver is the function prefix of an integrated PCS's driver code
	// (xpcs: xpcs_create, xpcs_get_state; lynx_pcs: lynx_pcs_create); see
	// IntegratedPrefix for the default.
	PCSDriver string
	// Interface is the phy-mode at probe; PCSInterfaces the modes the
	// MAC's mac_select_pcs returns the PCS for (empty: all).
	Interface     string
	PCSInterfaces []string
	// AltPCS (alt_pcs) is a second PCS of an integrated PCS's MAC, in the
	// same allocation, selected for the modes AltInterfaces; AltDriver
	// names its driver functions.
	AltPCS, AltDriver string
	AltInterfaces     []string
	// Extra (extra_pcs) are further PCSs of the MAC in allocations of
	// their own, each selected for its interfaces (fman memac's sgmii,
	// qsgmii and xfi Lynx PCSs).
	Extra []ExtraPCS
	// MDIOCreate (pcs_mdio.create) makes the integrated PCS one on an MDIO
	// bus: "mdiodev" at MDIOAddr on the MAC's own bus
	// (lynx_pcs_create_mdiodev), "fwnode" on the mdio_device MDIONode
	// (lynx_pcs_create_fwnode).
	MDIOCreate, MDIONode string
	MDIOAddr             int
	// IRQ: the integrated PCS reports link by an interrupt the MAC
	// requests (request-irq / free-irq steps); otherwise it is polled.
	IRQ bool
	// PHY (phy) names the mdio_device of the MAC's phy-handle: the MAC
	// driver connects it in ndo_open and disconnects it in ndo_stop.
	PHY      string
	Required bool
	Up       bool
}

// ExtraPCS is one entry of a netdev's extra_pcs: a PCS the MAC looks up
// (PCS names a provider device's lane) or creates (Integrated, or
// pcs_mdio), which mac_select_pcs returns for Interfaces.
type ExtraPCS struct {
	PCS                  string
	Integrated           bool
	IntegratedModule     string
	PCSDriver            string
	MDIOCreate, MDIONode string
	MDIOAddr             int
	Interfaces           []string
}

// IntegratedPrefix is the function prefix of the netdev's integrated PCS
// driver: pcs_driver if given, else the integrated module's name without a
// "pcs-" prefix (pcs-xpcs: xpcs), else the MAC driver's prefix plus "_pcs".
func (nd Netdev) IntegratedPrefix(macDriverPrefix string) string {
	switch {
	case nd.PCSDriver != "":
		return nd.PCSDriver
	case nd.IntegratedModule != "":
		return funcPrefix(strings.TrimPrefix(nd.IntegratedModule, "pcs-"))
	}
	return macDriverPrefix + "_pcs"
}

// funcPrefix turns a driver or module name into a C identifier prefix
// (lynx-pcs: lynx_pcs).
func funcPrefix(name string) string { return strings.ReplaceAll(name, "-", "_") }

// Unreachable is a condition the scenario never meets on purpose.
type Unreachable struct {
	// Condition is the condition's key, e.g. "link eth1".
	Condition string
	Why       string
}

// Link is a device link declared by the scenario.
type Link struct {
	Consumer, Supplier string
	Flags              []string
}

// Actions of events and faults.
var Actions = []string{"bind", "unbind", "insmod", "rmmod", "remove", "link-up", "link-down", "ip-up", "ip-down", "shutdown", "set-interface", "ethtool", "suspend", "phy-interface"}

// PHYModes are the phy_interface_t names (phy_modes()) a netdev's
// interface may have.
var PHYModes = []string{"internal", "mii", "gmii", "rgmii", "rgmii-id", "trgmii", "sgmii", "qsgmii", "1000base-x",
	"2500base-x", "5gbase-r", "10gbase-r", "10gbase-kr", "usxgmii", "xaui", "rxaui"}

// ShutdownTarget is the one target of the shutdown and suspend actions:
// the machine.
const ShutdownTarget = "system"

// Event is a scripted action at a virtual time.
type Event struct {
	At     sim.Time
	Action string
	Target string
}

// Fault is an injectable action: up to Count times, at moments the
// explorer chooses within [From, Until].
type Fault struct {
	Action      string
	Target      string
	From, Until sim.Time
	Count       int
	// Probability that each of the Count occurrences may happen at all
	// (default 1); the explorer decides, so replays reproduce it.
	Probability float64
}

// AllProperties are the property identifiers of DESIGN.md.
var AllProperties = []string{"use-after-free", "use-after-unload", "refcount", "leak", "rmmod-blocked",
	"collateral-teardown", "link-without-pcs", "no-recovery", "deadlock", "null-deref"}

// PropertyDocs explains each property in one line.
var PropertyDocs = map[string]string{
	"use-after-free":      "a freed object (above all struct phylink_pcs) is read, written or called through",
	"use-after-unload":    "code or ops of an unloaded module run or are referenced",
	"refcount":            "a kref underflows, an object is freed twice, a put has no get",
	"leak":                "at quiescence an object or reference remains that nothing can free",
	"rmmod-blocked":       "a module that no other module or user needs cannot be unloaded",
	"collateral-teardown": "a netdev that never used the departing PCS loses its link or disappears",
	"link-without-pcs":    "phylink reports link up while its PCS is gone",
	"no-recovery":         "after the PCS is bound again, a netdev that wants link never gets it back",
	"deadlock":            "tasks wait on each other forever",
	"null-deref":          "a NULL pointer is dereferenced (no phylink yet, no PCS selected, a cleared back pointer): the kernel oopses",
}

// WithKernel returns a copy of sc that follows kernel version v, or an
// error when the world cannot be written on that kernel (see
// kernelProblems).
func (sc *Scenario) WithKernel(v devmodel.Version) (*Scenario, error) {
	c := *sc
	c.Kernel = v
	if ps := c.kernelProblems(); len(ps) > 0 {
		le := &LoadError{}
		for _, p := range ps {
			le.Problems = append(le.Problems, Problem{File: sc.Path, Msg: fmt.Sprintf("kernel %s: %s", v, p.msg)})
		}
		return nil, le
	}
	return &c, nil
}

// kernelProblem is something the scenario uses that its kernel version
// does not have; ref locates it in the file.
type kernelProblem struct{ ref, msg string }

// kernelProblems lists what sc uses that sc.Kernel lacks: a PCS provider
// that reports link by interrupt needs phylink_pcs_change().
func (sc *Scenario) kernelProblems() []kernelProblem {
	var out []kernelProblem
	if sc.FwPCSHandle && !sc.Kernel.Has(devmodel.FeatFwnodePCSBase) {
		out = append(out, kernelProblem{"fw_devlink_pcs_handle",
			"fw_devlink_pcs_handle: the posted fwnode-PCS series add pcs-handle to of_supplier_bindings on net-next only (kernel: net-next)"})
	}
	if !sc.Kernel.Has(devmodel.FeatPCSBackPointer) {
		for _, d := range sc.Drivers {
			if d.Kind == KindPCSProvider && d.Link == "irq" {
				out = append(out, kernelProblem{"driver:" + d.Name, fmt.Sprintf(
					"driver %q: a PCS provider cannot report link by interrupt before phylink_pcs_change() (%s, %s): use link: poll",
					d.Name, devmodel.FeatureTable[devmodel.FeatPCSBackPointer].Since, devmodel.FeatureTable[devmodel.FeatPCSBackPointer].Commit)})
			}
		}
	}
	return out
}
