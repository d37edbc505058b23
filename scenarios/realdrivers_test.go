package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// dpaa2World is a DPAA2 MAC whose Lynx PCS sits on an MDIO bus owned by
// the xgmac_mdio driver (devm alloc, of_mdiobus_register, no .remove),
// found by pcs-handle with lynx_pcs_create_fwnode; CTRL is the controller
// driver's extra keys.
const dpaa2World = `
name: dpaa2
modules: [{name: xgmac-mdio}, {name: pcs-lynx}, {name: fsl-dpaa2-eth, depends: [pcs-lynx]}]
drivers:
  - {name: fsl-mdio, kind: mdio-controller, module: xgmac-mdio, probe: [devm-mdiobus-alloc, mdiobus-register] CTRL}
  - {name: dpaa2-mac, kind: mac, module: fsl-dpaa2-eth, bus: fsl-mc}
devices:
  - {name: mdio1, driver: fsl-mdio}
  - {name: pcs1, parent: mdio1, mdio_addr: 0}
  - {name: dpmac1, bus: fsl-mc, driver: dpaa2-mac}
netdevs:
  - {name: eth0, mac: dpmac1, pcs: pcs1, pcs_mdio: {create: fwnode, node: pcs1}, pcs_driver: lynx_pcs, up: true}
faults:
  - {action: unbind, target: mdio1, window: [1s, 3s]}
`

// TestMDIOBusOwnerUnbind: unbinding the driver that owns the MDIO bus of a
// PCS in use frees the bus or its registers under the PCS, whatever the
// lifetime strategy (none of them knows the bus); a controller whose
// bind attributes are suppressed cannot be unbound.
func TestMDIOBusOwnerUnbind(t *testing.T) {
	for _, tc := range []struct {
		ctrl string
		want []string
	}{
		// No .remove: mdiobus_free of a registered bus WARNs; the bus
		// lives on (its mdio_devices hold it) but its registers are
		// unmapped: the next PCS read faults.
		{"", []string{"use-after-free", "refcount"}},
		// A .remove that unregisters and frees: the bus itself is freed.
		{", remove: [mdiobus-unregister, mdiobus-free]", []string{"use-after-free"}},
		{", suppress_bind_attrs: true", nil},
	} {
		world := strings.Replace(dpaa2World, " CTRL", tc.ctrl, 1)
		for _, st := range []string{"none", "phylink-notify", "phylink-release-pcs"} {
			got := violatedOn(t, world, devmodel.V6_12, st, 30)
			want := inPropertyOrder(setOf(tc.want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("controller%q under %s (-want +got):\n%s", tc.ctrl, st, diff)
			}
		}
	}
}

// setOf returns the set of names.
func setOf(names []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// mtkWorld is mtk_eth_soc's remove (6.12): the driver calls its stop
// function on every netdev, destroys its PCSs, then unregisters the
// netdevs (REMOVE replaced by the order under test).
const mtkWorld = `
name: mtk
modules: [{name: pcs-mtk-lynxi}, {name: mtk-eth, depends: [pcs-mtk-lynxi]}]
drivers:
  - {name: mtk-soc-eth, kind: mac, module: mtk-eth, probe: [pcs-create, phylink-create, request-irq, register-netdev], remove: REMOVE SHUTDOWN}
devices:
  - {name: eth-soc, driver: mtk-soc-eth}
netdevs:
  - {name: eth0, mac: eth-soc, pcs: sgmii0, integrated: true, integrated_module: pcs-mtk-lynxi, pcs_driver: mtk_pcs_lynxi, up: true}
faults:
  - {action: ACTION, target: TARGET, window: [1s, 3s]}
`

// TestRemoveCallsStopDirectly: a remove that stops the netdev itself and
// destroys the PCS before unregister_netdev lets dev_close run
// phylink_stop → pcs_disable on the freed PCS, and one without
// phylink_destroy leaks struct phylink; stopping, unregistering and
// destroying in the in-tree order is clean. A shutdown that runs that
// remove does the same; device_shutdown itself frees nothing, and the
// restart ends the execution without end-of-execution checks.
func TestRemoveCallsStopDirectly(t *testing.T) {
	buggy := "[ndo-stop, pcs-destroy, unregister-netdev, free-irq]"
	fixed := "[ndo-stop, unregister-netdev, free-irq, phylink-destroy, pcs-destroy]"
	for _, tc := range []struct {
		remove, shutdown, action, target string
		want                             []string
	}{
		{buggy, "", "unbind", "eth-soc", []string{"use-after-free", "leak"}},
		{fixed, "", "unbind", "eth-soc", nil},
		{buggy, ", shutdown: [remove]", "shutdown", "system", []string{"use-after-free"}},
		{buggy, ", shutdown: [dev-close, clear-drvdata]", "shutdown", "system", nil},
		{buggy, "", "shutdown", "system", nil},
	} {
		r := strings.NewReplacer("REMOVE", tc.remove, " SHUTDOWN", tc.shutdown, "ACTION", tc.action, "TARGET", tc.target)
		got := violatedOn(t, r.Replace(mtkWorld), devmodel.V6_12, "none", 30)
		if diff := cmp.Diff(inPropertyOrder(setOf(tc.want)), got); diff != "" {
			t.Errorf("remove %s%s, %s (-want +got):\n%s", tc.remove, tc.shutdown, tc.action, diff)
		}
	}
}

// TestShutdownEndsTheExecution: the reboot ends the execution as a restart
// after device_shutdown, with nothing reported.
func TestShutdownEndsTheExecution(t *testing.T) {
	world := strings.NewReplacer("REMOVE", "[unregister-netdev, free-irq, phylink-destroy, pcs-destroy]",
		" SHUTDOWN", ", shutdown: [dev-close, clear-drvdata]", "ACTION", "shutdown", "TARGET", "system").Replace(mtkWorld)
	sc, err := Load("world.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Execute(sc, "none", sim.NewRandom(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.End != sim.EndRestart {
		t.Fatalf("execution ended %v, want machine restarted", r.End)
	}
	if len(r.Findings) != 0 {
		t.Errorf("findings after a clean shutdown: %v", r.Findings[0].Summary)
	}
	if !slices.Contains(r.Observed, ObsEffect+"shutdown system") {
		t.Errorf("the shutdown fault did not take effect: %q", r.Observed)
	}
}

// ifaceWorld swaps eth0's SFP for a 10gbase-r module, for which the MAC
// selects no PCS, then unbinds the PCS.
const ifaceWorld = `
name: iface
modules: [{name: pcs-lynx}, {name: mac-mod}]
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, bus: mdio}
  - {name: mac, kind: mac, module: mac-mod}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: mac0, driver: mac}
netdevs:
  - {name: eth0, mac: mac0, pcs: lynx-pcs.0, interface: sgmii, pcs_interfaces: [sgmii, 1000base-x], up: true}
events:
  - {at: 1s, action: set-interface, target: "eth0:10gbase-r"}
  - {at: 2s, action: unbind, target: lynx-pcs.0}
`

// TestInterfaceChangeDropsPCS: before 6.13 a NULL from mac_select_pcs keeps
// the old PCS in pl->pcs, so the bare pointer is used after the unbind
// (and, the freed PCS's last state being link up, the link stays up);
// from 6.13 (net-next) phylink lets go of it at the interface change.
func TestInterfaceChangeDropsPCS(t *testing.T) {
	for _, tc := range []struct {
		v    devmodel.Version
		want []string
	}{
		{devmodel.V6_12, []string{"use-after-free", "link-without-pcs"}},
		{devmodel.V6_1, []string{"use-after-free", "link-without-pcs"}},
		{devmodel.VNetNext, nil},
	} {
		got := violatedOn(t, ifaceWorld, tc.v, "none", 30)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("kernel %s (-want +got):\n%s", tc.v, diff)
		}
	}
}

// irqLynxWorld is one MAC using an interrupt-driven Lynx PCS (no poll
// timer), up, followed by the start of its events list.
const irqLynxWorld = `
name: irq-lynx
modules: [{name: pcs-lynx}, {name: mac-mod}]
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, bus: mdio, link: irq}
  - {name: mac, kind: mac, module: mac-mod}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: mac0, driver: mac}
netdevs:
  - {name: eth0, mac: mac0, pcs: lynx-pcs.0, up: true}
events:
`

// ethtoolWorld unbinds an interrupt-driven PCS in use (no poll timer: the
// next user is ethtool) and runs ethtool on the netdev afterwards.
const ethtoolWorld = irqLynxWorld + `  - {at: 1s, action: unbind, target: lynx-pcs.0}
  - {at: 1500ms, action: ethtool, target: "eth0:OP"}
`

// TestEthtoolReadsPCS: ethtool reaches pl->pcs under rtnl: with a bare
// pointer it is a use-after-free in the ethtool path; a strategy that
// releases the PCS from phylink under rtnl leaves ethtool nothing to
// touch.
func TestEthtoolReadsPCS(t *testing.T) {
	for _, op := range []string{"get", "nway-reset"} {
		world := strings.Replace(ethtoolWorld, "OP", op, 1)
		sc, err := Load("world.yaml", []byte(world))
		if err != nil {
			t.Fatal(err)
		}
		f := (*sim.Finding)(nil)
		for i := range 20 {
			r, err := Execute(sc, "none", sim.NewRandom(sim.ExecutionSeed(3, i)), 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range r.Findings {
				if x.Property == "use-after-free" && strings.Contains(x.Kernel, "dev_ethtool") {
					f = &x
				}
			}
		}
		if f == nil {
			t.Errorf("ethtool %s after the unbind: no use-after-free in dev_ethtool under none", op)
		}
		if got := violatedOn(t, world, devmodel.V6_12, "phylink-release-pcs", 20); len(got) != 0 {
			t.Errorf("ethtool %s under phylink-release-pcs: %v", op, got)
		}
	}
}

// deferWorld: a PCS provider whose first probe defers after registering
// its PCS (its SerDes PHY driver, a stand-in here, is loaded later),
// loaded while the MAC driver is.
const deferWorld = `
name: defer
modules: [{name: pcs-lynx, loaded: false}, {name: mac-mod, loaded: false}, {name: phy-lynx-28g, loaded: false}]
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, bus: mdio, defer_after_register: 1}
  - {name: mac, kind: mac, module: mac-mod}
  - {name: lynx-28g, kind: mdio-controller, module: phy-lynx-28g}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: mac0, driver: mac}
  - {name: serdes0, driver: lynx-28g}
netdevs:
  - {name: eth0, mac: mac0, pcs: lynx-pcs.0, up: true}
faults:
  - {action: insmod, target: pcs-lynx, window: [0s, 10ms]}
  - {action: insmod, target: mac-mod, window: [0s, 10ms]}
events:
  - {at: 500ms, action: insmod, target: phy-lynx-28g}
`

// TestProviderDefersAfterRegister: a MAC that looks the PCS up between
// the provider's registration and its failed probe keeps a pointer devres
// frees; a strategy that tells phylink of the unregistration does not.
func TestProviderDefersAfterRegister(t *testing.T) {
	if got := violatedOn(t, deferWorld, devmodel.V6_12, "none", 200); !slices.Contains(got, "use-after-free") {
		t.Errorf("under none: %v, want a use-after-free", got)
	}
	if got := violatedOn(t, deferWorld, devmodel.V6_12, "phylink-notify", 200); len(got) != 0 {
		t.Errorf("under phylink-notify: %v, want none", got)
	}
}

// laneWorld: a two-lane QSGMII PCS device serving eth0 (lane 0) of MAC A,
// whose eth1 uses no PCS, and eth2 (lane 1) of MAC B.
const laneWorld = `
name: lanes
modules: [{name: pcs-qsgmii}, {name: mac-mod}]
drivers:
  - {name: qsgmii-pcs, kind: pcs-provider, module: pcs-qsgmii, bus: mdio, lanes: 2}
  - {name: mac, kind: mac, module: mac-mod}
devices:
  - {name: qs, driver: qsgmii-pcs}
  - {name: maca, driver: mac}
  - {name: macb, driver: mac}
netdevs:
  - {name: eth0, mac: maca, pcs: "qs:0", up: true}
  - {name: eth1, mac: maca, up: true}
  - {name: eth2, mac: macb, pcs: "qs:1", up: true}
events:
  - {at: 1s, action: unbind, target: qs}
`

// TestCollateralPerLane: when a multi-lane PCS device goes, every netdev
// on one of its lanes loses its own PCS (no collateral damage), whichever
// MAC it is on; a netdev that uses none of its lanes but shares a MAC with
// one that does is torn down with it under device links (collateral), and
// nothing is under phylink-notify.
func TestCollateralPerLane(t *testing.T) {
	sc, err := Load("world.yaml", []byte(laneWorld))
	if err != nil {
		t.Fatal(err)
	}
	victims := map[string]bool{}
	for i := range 20 {
		r, err := Execute(sc, "device-link", sim.NewRandom(sim.ExecutionSeed(5, i)), NoRecord)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Findings {
			if f.Property == "collateral-teardown" {
				victims[strings.Fields(strings.TrimPrefix(f.Summary, "collateral-teardown: "))[0]] = true
			}
		}
	}
	if diff := cmp.Diff(map[string]bool{"eth1": true}, victims); diff != "" {
		t.Errorf("collateral victims under device-link (-want +got):\n%s", diff)
	}
	if got := violatedOn(t, laneWorld, devmodel.V6_12, "phylink-notify", 20); slices.Contains(got, "collateral-teardown") {
		t.Errorf("phylink-notify: %v", got)
	}
}

// suspendWorld suspends the machine while the PCS device is hot-unplugged
// (a kernel event the freezer does not stop) and link flaps.
const suspendWorld = irqLynxWorld + `  - {at: 1s, action: suspend, target: system}
  - {at: 1050ms, action: ACTION, target: TARGET}
`

// TestSuspendResume: resume restarts phylink (phylink_resume →
// phylink_start → the initial major config): on a PCS hot-unplugged while
// the system slept it is a use-after-free in the resume path with a bare
// pointer, and nothing with phylink told; a link flap during the sleep is
// clean and the link comes back.
func TestSuspendResume(t *testing.T) {
	unplug := strings.NewReplacer("ACTION", "remove", "TARGET", "lynx-pcs.0").Replace(suspendWorld)
	sc, err := Load("world.yaml", []byte(unplug))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Execute(sc, "none", sim.NewRandom(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Kernel, "phylink_resume") {
		t.Errorf("hot-unplug during suspend under none: want a use-after-free in phylink_resume, got %v", r.Findings)
	}
	if got := violatedOn(t, unplug, devmodel.V6_12, "phylink-notify", 20); len(got) != 0 {
		t.Errorf("hot-unplug during suspend under phylink-notify: %v", got)
	}
	flap := strings.NewReplacer("ACTION", "link-down", "TARGET", "lynx-pcs.0").Replace(suspendWorld)
	flap += "  - {at: 1080ms, action: link-up, target: lynx-pcs.0}\n"
	sc, err = Load("world.yaml", []byte(flap))
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"none", "phylink-notify"} {
		r, err := Execute(sc, st, sim.NewRandom(2), Trace)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) != 0 {
			t.Errorf("link flap during suspend under %s: %s", st, r.Findings[0].Summary)
		}
		var last sim.Step
		for _, x := range r.Trace {
			if x.Task < 0 && strings.HasPrefix(x.Label, "eth0: carrier ") {
				last = x
			}
		}
		if last.Label != "eth0: carrier on" || last.At < sc.Events[0].At+SuspendTime {
			t.Errorf("under %s eth0's last carrier change: %q at %s, want on after the resume", st, last.Label, last.At)
		}
	}
}
