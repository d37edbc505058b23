package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phylink"
	"github.com/pcssim/pcssim/sim"
)

// genWorld draws a random valid world: 1–4 MAC devices with 1–3 netdevs
// each, 0–4 PCS devices of every provider kind (Lynx-like polled or
// interrupt-driven, some on the bus of an MDIO controller, QSGMII-like
// shared), integrated PCSs (some on the MAC's own MDIO bus, as a DSA
// switch's), netdevs without a PCS (some required), interface modes, a
// random grouping of drivers into modules, shutdown methods, and a random
// mix of faults of every action. With the MDIO controller, PHYs (a PHY
// driver in a module of its own; polled or interrupt-driven) on its bus
// that enetc netdevs connect.
// Every driver's order is the in-tree one.
func genWorld(t *rapid.T) *Scenario {
	sc := &Scenario{Name: "generated", Horizon: 4 * sim.Second, MaxSteps: 200_000}
	nMods := rapid.IntRange(1, 3).Draw(t, "modules")
	for i := range nMods {
		sc.Modules = append(sc.Modules, Module{Name: fmt.Sprintf("mod%d", i), Loaded: true})
	}
	module := func(label string) string {
		if i := rapid.IntRange(-1, nMods-1).Draw(t, label); i >= 0 {
			return sc.Modules[i].Name
		}
		return "" // built-in
	}
	shutdown := func(label string, steps ...string) []string {
		if rapid.Bool().Draw(t, label) {
			return steps
		}
		return nil
	}
	sc.Drivers = []Driver{
		{Name: "lynx-pcs", Kind: KindPCSProvider, Module: module("lynx module"), Bus: "mdio", Lanes: 1,
			Link: rapid.SampledFrom([]string{"poll", "irq"}).Draw(t, "lynx link")},
		{Name: "qsgmii-pcs", Kind: KindPCSProvider, Module: module("qsgmii module"), Bus: "mdio", Lanes: 4, Link: "irq"},
		{Name: "fsl-mdio", Kind: KindMDIOController, Module: module("mdio module"), Bus: "platform", Lanes: 1, Link: "poll",
			Shutdown: shutdown("mdio shutdown", devmodel.ShutdownClearDrvdata)},
		{Name: "enetc", Kind: KindMAC, Module: module("enetc module"), Bus: "pci", Lanes: 1, Link: "poll",
			Shutdown: shutdown("enetc shutdown", phylink.ShutdownDevClose)},
		{Name: "memac", Kind: KindMAC, Module: module("memac module"), Bus: "platform", Lanes: 1, Link: "poll"},
		{Name: "felix", Kind: KindMAC, Module: module("felix module"), Bus: "pci", Lanes: 1, Link: "poll",
			Probe:    []string{phylink.StepMDIORegister, phylink.StepPCSCreate, phylink.StepPhylinkCreate, phylink.StepRequestIRQ, phylink.StepRegisterNetdev},
			Remove:   []string{phylink.StepUnregister, phylink.StepFreeIRQ, phylink.StepPhylinkDestroy, phylink.StepPCSDestroy, phylink.StepMDIOUnregister},
			Shutdown: shutdown("felix shutdown", phylink.ShutdownDevClose, devmodel.ShutdownClearDrvdata)},
	}
	var phys []string
	if rapid.Bool().Draw(t, "mdio controller") {
		sc.Devices = append(sc.Devices, Device{Name: "fsl-mdio.0", Driver: "fsl-mdio"})
		for i := range rapid.IntRange(0, 2).Draw(t, "phys") {
			if len(phys) == 0 {
				sc.Modules = append(sc.Modules, Module{Name: phyModule, Loaded: true})
				sc.Drivers = append(sc.Drivers, Driver{Name: "at803x", Kind: KindPHY, Module: phyModule, Bus: "mdio", Lanes: 1, Link: "poll"})
			}
			addr := 16 + i
			name := fmt.Sprintf("phy%d", i)
			irq := rapid.Bool().Draw(t, "phy interrupt")
			sc.Devices = append(sc.Devices, Device{Name: name, Driver: "at803x", Parent: "fsl-mdio.0", MDIOAddr: &addr, IRQ: irq})
			phys = append(phys, name)
		}
	}
	var lanes []string
	for i := range rapid.IntRange(0, 4).Draw(t, "pcs devices") {
		if rapid.Bool().Draw(t, "qsgmii") {
			name := fmt.Sprintf("qsgmii-pcs.%d", i)
			sc.Devices = append(sc.Devices, Device{Name: name, Driver: "qsgmii-pcs"})
			for l := range 4 {
				lanes = append(lanes, fmt.Sprintf("%s:%d", name, l))
			}
		} else {
			name := fmt.Sprintf("lynx-pcs.%d", i)
			d := Device{Name: name, Driver: "lynx-pcs"}
			if len(sc.Devices) > 0 && sc.Devices[0].Driver == "fsl-mdio" && rapid.Bool().Draw(t, "on the mdio bus") {
				d.Parent, d.MDIOAddr = "fsl-mdio.0", &i
			}
			sc.Devices = append(sc.Devices, d)
			lanes = append(lanes, name)
		}
	}
	modes := []string{"sgmii", "1000base-x", "2500base-x"}
	var macs []string
	for i := range rapid.IntRange(1, 4).Draw(t, "mac devices") {
		drv := rapid.SampledFrom([]string{"enetc", "memac", "felix"}).Draw(t, "mac driver")
		name := fmt.Sprintf("%s.%d", drv, i)
		sc.Devices = append(sc.Devices, Device{Name: name, Driver: drv})
		macs = append(macs, name)
		for j := range rapid.IntRange(1, 3).Draw(t, "netdevs") {
			nd := Netdev{Name: fmt.Sprintf("eth%d%d", i, j), MAC: name, Up: rapid.Bool().Draw(t, "up")}
			switch rapid.IntRange(0, 2).Draw(t, "pcs kind") {
			case 0:
				if len(lanes) > 0 { // each lane serves one netdev
					k := rapid.IntRange(0, len(lanes)-1).Draw(t, "lane")
					nd.PCS = lanes[k]
					lanes = slices.Delete(lanes, k, k+1)
				}
			case 1:
				nd.PCS, nd.Integrated = fmt.Sprintf("xpcs.%d%d", i, j), true
				if drv == "felix" { // lynx_pcs_create_mdiodev on the switch's own bus
					nd.MDIOCreate, nd.MDIOAddr, nd.PCSDriver = pcs.CreateMdiodev, j, "lynx_pcs"
				} else {
					nd.IRQ = rapid.Bool().Draw(t, "irq")
					if rapid.Bool().Draw(t, "second pcs") { // mvpp2's XLG beside its GMAC
						nd.AltPCS, nd.AltInterfaces = fmt.Sprintf("xlg.%d%d", i, j), []string{"10gbase-r"}
					}
				}
			}
			if nd.PCS != "" && nd.AltPCS == "" && rapid.Bool().Draw(t, "extra pcs") { // fman memac's xfi beside its sgmii
				x := ExtraPCS{Interfaces: []string{"10gbase-r"}}
				switch {
				case !nd.Integrated && len(lanes) > 0:
					k := rapid.IntRange(0, len(lanes)-1).Draw(t, "extra lane")
					x.PCS = lanes[k]
					lanes = slices.Delete(lanes, k, k+1)
				case drv == "felix":
					x.PCS, x.Integrated, x.MDIOCreate, x.MDIOAddr, x.PCSDriver = fmt.Sprintf("xfi.%d%d", i, j), true, pcs.CreateMdiodev, 8+j, "lynx_pcs"
				default:
					x.PCS, x.Integrated = fmt.Sprintf("xfi.%d%d", i, j), true
				}
				if x.PCS != "" {
					nd.Extra = append(nd.Extra, x)
				}
			}
			if nd.PCS != "" && rapid.Bool().Draw(t, "interface") {
				nd.Interface = rapid.SampledFrom(modes).Draw(t, "mode")
				nd.PCSInterfaces = modes
			}
			if drv == "enetc" && len(phys) > 0 && rapid.Bool().Draw(t, "phy") {
				k := rapid.IntRange(0, len(phys)-1).Draw(t, "which phy")
				nd.PHY = phys[k]
				phys = slices.Delete(phys, k, k+1)
			}
			nd.Required = nd.PCS == "" && rapid.Bool().Draw(t, "required")
			sc.Netdevs = append(sc.Netdevs, nd)
		}
	}
	var devNames, hotplug []string
	for _, d := range sc.Devices {
		devNames = append(devNames, d.Name)
		if d.MDIOAddr == nil {
			hotplug = append(hotplug, d.Name)
		}
	}
	for range rapid.IntRange(0, 5).Draw(t, "faults") {
		f := Fault{Action: rapid.SampledFrom(Actions).Draw(t, "action"), Count: rapid.IntRange(1, 2).Draw(t, "count"),
			Probability: rapid.SampledFrom([]float64{1, 0.5, 0.25}).Draw(t, "probability")}
		netdev := func() string { return rapid.SampledFrom(sc.Netdevs).Draw(t, "netdev").Name }
		switch f.Action {
		case "bind", "unbind":
			f.Target = rapid.SampledFrom(devNames).Draw(t, "device")
		case "remove": // hot-unplug: not of an mdio_device
			f.Target = rapid.SampledFrom(hotplug).Draw(t, "device")
		case "insmod", "rmmod":
			f.Target = rapid.SampledFrom(sc.Modules).Draw(t, "module").Name
		case "link-up", "link-down":
			var all []string
			for _, d := range sc.Devices {
				switch d.Driver {
				case "lynx-pcs":
					all = append(all, d.Name)
				case "qsgmii-pcs":
					all = append(all, d.Name+":0", d.Name+":3")
				}
			}
			for _, nd := range sc.Netdevs {
				if nd.Integrated {
					all = append(all, nd.PCS)
				}
				for _, x := range nd.Extra {
					if x.Integrated {
						all = append(all, x.PCS)
					}
				}
			}
			all = append(all, phyNames(sc)...)
			if len(all) == 0 {
				continue
			}
			f.Target = rapid.SampledFrom(all).Draw(t, "lane")
		case "shutdown":
			f.Target, f.Count = ShutdownTarget, 1
		case "suspend":
			f.Target = ShutdownTarget
		case "set-interface":
			f.Target = netdev() + ":" + rapid.SampledFrom(append(modes, "10gbase-r")).Draw(t, "new mode")
		case "ethtool":
			f.Target = netdev() + ":" + rapid.SampledFrom(phylink.EthtoolOps).Draw(t, "ethtool op")
		case "phy-interface":
			if len(phyNames(sc)) == 0 {
				continue
			}
			f.Target = rapid.SampledFrom(phyNames(sc)).Draw(t, "phy") + ":" + rapid.SampledFrom(modes).Draw(t, "phy mode")
		default:
			f.Target = netdev()
		}
		from := sim.Time(rapid.IntRange(1, 30).Draw(t, "from")) * 100 * sim.Millisecond
		f.From, f.Until = from, from+sim.Time(rapid.IntRange(1, 10).Draw(t, "length"))*100*sim.Millisecond
		sc.Faults = append(sc.Faults, f)
	}
	return sc
}

// phyModule is the generated PHY driver's module.
const phyModule = "phy-mod"

// phyNames are the PHY devices of a generated world.
func phyNames(sc *Scenario) []string {
	var out []string
	for _, d := range sc.Devices {
		if d.Driver == "at803x" {
			out = append(out, d.Name)
		}
	}
	return out
}

// allowed is what each strategy's design lets it violate: a property, or
// the start of a finding's summary where only some objects may be hit.
// Anything else is a model bug or a wrong prediction; deadlock, refcount
// and leak are never allowed.
var allowed = map[string][]string{
	"none":        {"use-after-free", "use-after-unload", "link-without-pcs", "no-recovery"},
	"device-ref":  {"use-after-free", "use-after-unload", "link-without-pcs", "no-recovery"},
	"module-ref":  {"use-after-free", "rmmod-blocked", "link-without-pcs", "no-recovery"},
	"device-link": {"use-after-free", "use-after-unload", "collateral-teardown", "link-without-pcs", "no-recovery"},
	// "net: pcs: Add subsystem" v6 as posted: the wrapper outlives the
	// MAC, and its link_change_priv still points at a destroyed phylink
	// when pcs_unregister reports link down (or the PCS interrupt fires);
	// pcs_unregister leaves the provider's link_change_priv pointing at
	// the wrapper it may free, which an interrupt before free_irq uses.
	// It never lets freed PCS memory be used.
	"srcu-wrapper": {`use-after-free of struct phylink "`, `use-after-free of struct pcs_wrapper "`,
		"link-without-pcs", "no-recovery"},
	"phylink-notify":      nil,
	"phylink-notify-racy": {"use-after-free", "use-after-unload", "link-without-pcs"},
	// fwnode_pcs_get takes no reference (a PCS freed between the MAC's
	// lookup and phylink_create is used), and a forced major config that
	// phylink_stop flushes re-arms the poll timer phylink_destroy leaves.
	// Its release leaves pl->pcs NULL, which ethtool -A dereferences on
	// 6.12 (the series was written for net-next, which does not).
	"phylink-release-pcs": {"use-after-free", "use-after-unload", "link-without-pcs", "null-deref: kernel NULL pointer dereference in phylink_change_inband_advert"},
}

// genLoadedWorld generates a world and loads it from its YAML (so that
// it is what a user's file would be), returning it and the YAML.
func genLoadedWorld(rt *rapid.T) (*Scenario, []byte) {
	data, err := Marshal(genWorld(rt))
	if err != nil {
		rt.Fatal(err)
	}
	loaded, err := Load("generated.yaml", data)
	if err != nil {
		rt.Fatalf("generated world does not load:\n%v\n%s", err, data)
	}
	return loaded, data
}

// phylibHoles are phylib's own lifetime holes, which no PCS strategy
// touches (docs/fidelity.md "PHYs"): a PHY whose driver goes (unbind,
// rmmod, or its MDIO bus unregistered) while attached keeps the driver
// module's reference phy_detach then skips; the mii_bus freed under an
// attached PHY is read by phy_detach (bus->owner); an interrupt-driven
// PHY's interrupt stays requested after phy_remove cleared phydev->drv,
// and phy_interrupt (a link change) or phy_free_interrupt (the port going
// down) dereferences it; phy_remove frees the PHY's LED triggers but
// leaves phydev->last_triggered pointing into them, and the next link
// down (phy_stop) uses them (seen on the real 6.1 and 6.12, kernelcheck).
var phylibHoles = []string{"leak of a reference to module " + phyModule, `use-after-free of struct mii_bus "`, `use-after-free of struct phy_led_trigger "`,
	"null-deref: kernel NULL pointer dereference in phy_interrupt ", "null-deref: kernel NULL pointer dereference in phy_config_interrupt "}

// shutdownRemoveHole reports whether f is the MAC driver's own hole that
// no PCS strategy touches: a driver whose shutdown clears its drvdata (the
// DSA pattern, felix_pci_shutdown) and whose remove then returns early
// (`if (!priv) return;`) leaves its netdevs registered when a sysfs unbind
// runs after the shutdown (user space still runs during device_shutdown),
// while devres frees the netdev memory the model's MACs allocate with devm
// (devm_alloc_etherdev): the next `ip link set up` writes freed memory.
func shutdownRemoveHole(sc *Scenario, f sim.Finding) bool {
	if !strings.HasPrefix(f.Summary, `use-after-free of struct net_device "`) || !strings.Contains(f.Detail, "freed in devres_release_all") {
		return false
	}
	shutdown, unbind := false, false
	for _, x := range sc.Faults {
		shutdown = shutdown || x.Action == "shutdown"
		unbind = unbind || x.Action == "unbind" || x.Action == "rmmod"
	}
	clears := slices.ContainsFunc(sc.Drivers, func(d Driver) bool { return slices.Contains(d.Shutdown, devmodel.ShutdownClearDrvdata) })
	return shutdown && unbind && clears
}

// TestGeneratedWorlds: for random worlds, the safe strategy never violates
// anything, each other strategy only what its design predicts, nothing
// panics, and every execution ends within its budgets (20 executions per
// strategy and explorer in the long tier, testtier; 10 by default).
func TestGeneratedWorlds(t *testing.T) {
	t.Parallel()
	execs := testtier.Pick(t, 5, 10, 20) // per strategy and explorer
	rapid.Check(t, func(rt *rapid.T) {
		loaded, data := genLoadedWorld(rt)
		for _, st := range pcs.DesignIDs {
			for _, name := range []string{"random", "pct"} {
				ex, _ := NewExplorer(name, loaded, st, 3)
				for i := range execs {
					r, err := Execute(loaded, st, ex.New(sim.ExecutionSeed(1, i)), NoRecord)
					var crash *CrashError
					if errors.As(err, &crash) {
						rt.Fatalf("%s/%s execution %d: simulator crash: %v\n%s\n%s", st, name, i, crash.Panic, crash.GoStack, data)
					}
					if r.End == sim.EndBudget {
						rt.Fatalf("%s/%s execution %d ran out of its step budget\n%s", st, name, i, data)
					}
					for _, f := range r.Findings {
						if shutdownRemoveHole(loaded, f) {
							continue
						}
						if !slices.ContainsFunc(slices.Concat(allowed[st], phylibHoles), func(a string) bool {
							return a == f.Property || strings.HasPrefix(f.Summary, a)
						}) {
							rt.Fatalf("%s/%s execution %d violates %s, which its design does not predict:\n%s\n%s\nworld:\n%s",
								st, name, i, f.Property, f.Summary, f.Detail, data)
						}
					}
				}
			}
		}
	})
}

// TestMarshalRoundTrip: generated worlds and every shipped scenario survive
// Marshal and Load unchanged.
func TestMarshalRoundTrip(t *testing.T) {
	roundTrip := func(t interface{ Fatalf(string, ...any) }, sc *Scenario) {
		data, err := Marshal(sc)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := Load(sc.Path, data)
		if err != nil {
			t.Fatalf("reload:\n%v\n%s", err, data)
		}
		if diff := cmp.Diff(sc, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip changed the scenario (-before +after):\n%s\n%s", diff, data)
		}
	}
	for _, name := range Shipped() {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, sc)
	}
	rapid.Check(t, func(rt *rapid.T) {
		sc, _ := genLoadedWorld(rt)
		roundTrip(rt, sc)
	})
}
