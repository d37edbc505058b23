package scenarios

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// phyWorld is an ENETC-like port with a PHY on an external MDIO bus, the
// PHY driver a module of its own (PCS replaced by the netdev's PCS keys:
// none for MLO_AN_PHY), followed by the start of its events list.
const phyWorld = `
name: phy
horizon: 6s
modules: [{name: mdio-mod}, {name: realtek}, {name: pcs-lynx}, {name: enetc-mod, depends: [pcs-lynx]}]
drivers:
  - {name: emdio-drv, kind: mdio-controller, module: mdio-mod, bus: pci, probe: [mdiobus-alloc, mdiobus-register], remove: [mdiobus-unregister, mdiobus-free]}
  - {name: rtl8221b, kind: phy, module: realtek, bus: mdio}
  - {name: enetc, kind: mac, module: enetc-mod, bus: pci,
     probe: [mdio-register, pcs-create, phylink-create, request-irq, register-netdev],
     remove: [unregister-netdev, phylink-destroy, pcs-destroy, mdio-unregister, free-irq]}
devices:
  - {name: emdio, bus: pci, driver: emdio-drv}
  - {name: phy0, driver: rtl8221b, parent: emdio, mdio_addr: 2}
  - {name: pf0, bus: pci, driver: enetc}
netdevs:
  - {name: eno0, mac: pf0, PCS interface: sgmii, phy: phy0, up: true}
events:
`

// inband puts a Lynx PCS on the MAC's internal bus (in-band with a PHY).
const inband = `pcs: pcs0, pcs_mdio: {create: mdiodev, addr: 0}, pcs_driver: lynx_pcs, integrated_module: pcs-lynx,`

// tracedLines executes world once under phylink-notify with a trace and
// returns the rendered trace lines.
func tracedLines(t *testing.T, world string) []string {
	t.Helper()
	sc, err := Load("world.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Execute(sc, "phylink-notify", sim.NewRandom(sim.ExecutionSeed(3, 0)), Trace)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) > 0 {
		t.Fatalf("unexpected %s", r.Findings[0].Summary)
	}
	return strings.Split(sim.RenderTrace(r.Trace), "\n")
}

// matching returns the lines containing every one of subs.
func matching(lines []string, subs ...string) []string {
	var out []string
	for _, l := range lines {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(l, s)
		}
		if ok {
			out = append(out, strings.Join(strings.Fields(l)[1:2], ""))
		}
	}
	return out
}

// TestPHYLinkDrivesCarrier: in MLO_AN_PHY the carrier follows the polled
// PHY (phy_state_machine → phylink_phy_change → resolve) within
// PHY_STATE_TIME; with a steady PHY it goes on once and stays.
func TestPHYLinkDrivesCarrier(t *testing.T) {
	for _, tc := range []struct {
		events string
		want   []string // times of the carrier changes
	}{
		{"  - {at: 5s, action: ip-up, target: eno0}\n", nil},
		{"  - {at: 1500ms, action: link-down, target: phy0}\n  - {at: 3500ms, action: link-up, target: phy0}\n", nil},
	} {
		world := strings.Replace(phyWorld, "PCS ", "", 1) + tc.events
		lines := tracedLines(t, world)
		on, off := matching(lines, "eno0: carrier on"), matching(lines, "eno0: carrier off")
		if !strings.Contains(tc.events, "link-down") {
			if len(on) != 1 || len(off) != 0 {
				t.Errorf("steady PHY: carrier on at %v, off at %v; want on once, never off", on, off)
			}
			continue
		}
		// on at boot, off within a poll of 1.5s, on within a poll of 3.5s.
		if len(on) != 2 || len(off) != 1 || !within(off[0], 1.5, 2.5) || !within(on[1], 3.5, 4.5) {
			t.Errorf("flapping PHY: carrier on at %v, off at %v; want on at boot and in [3.5s, 4.5s], off in [1.5s, 2.5s]", on, off)
		}
	}
}

// within reports whether the trace time ts ("1.000020s") lies in [lo, hi].
func within(ts string, lo, hi float64) bool {
	var f float64
	for i, part := range strings.SplitN(strings.TrimSuffix(ts, "s"), ".", 2) {
		v := 0.0
		for _, c := range part {
			v = v*10 + float64(c-'0')
		}
		if i == 1 {
			for range part {
				v /= 10
			}
		}
		f += v
	}
	return f >= lo && f <= hi
}

// TestInbandMajorConfigNeedsPHYLink: in-band with a PHY, a PHY interface
// change makes resolve run a major config (pcs_config in
// phylink_resolve) only once the PHY has link: with the PHY's link down
// over the change, none runs until the link returns.
func TestInbandMajorConfigNeedsPHYLink(t *testing.T) {
	base := strings.Replace(phyWorld, "PCS ", inband+" ", 1)
	for _, tc := range []struct {
		name, events string
		lo, hi       float64 // where the first resolve pcs_config must be
	}{
		{"link up", "  - {at: 1s, action: phy-interface, target: \"phy0:2500base-x\"}\n", 1, 2.1},
		{"link down", "  - {at: 500ms, action: link-down, target: phy0}\n  - {at: 1s, action: phy-interface, target: \"phy0:2500base-x\"}\n  - {at: 3s, action: link-up, target: phy0}\n", 3, 4.1},
	} {
		got := matching(tracedLines(t, base+tc.events), "phylink_resolve", "pcs_config")
		if len(got) == 0 || !within(got[0], tc.lo, tc.hi) {
			t.Errorf("%s: resolve's pcs_config at %v; want the first in [%gs, %gs]", tc.name, got, tc.lo, tc.hi)
		}
	}
}

// TestPHYDriverUnbindLeaksModuleRef: phy_detach puts the PHY driver's
// module only if the PHY still has a driver; unbinding the PHY driver
// under a running port leaks the reference phy_attach_direct took (the
// net_device that held it is freed with the MAC). Unbound with the link
// up, phy_stop's link down also turns off the LED trigger of the last
// speed, which phy_remove freed (use-after-free, as Debian's 6.1 and 6.12
// oops in kernelcheck); unbound after the link went down, no trigger is
// on. Bound again before the port goes down, the put balances it and
// phy_stop (PHY_READY) does nothing; never unbound, nothing leaks.
func TestPHYDriverUnbindLeaksModuleRef(t *testing.T) {
	world := strings.Replace(phyWorld, "PCS ", "", 1)
	down := "  - {at: 3s, action: ip-down, target: eno0}\n  - {at: 4s, action: unbind, target: pf0}\n"
	for _, tc := range []struct {
		name, events string
		want         []string
	}{
		{"unbound", "  - {at: 1s, action: unbind, target: phy0}\n" + down, []string{"use-after-free", "leak"}},
		{"unbound without link", "  - {at: 500ms, action: link-down, target: phy0}\n  - {at: 2s, action: unbind, target: phy0}\n" + down, []string{"leak"}},
		{"bound again", "  - {at: 1s, action: unbind, target: phy0}\n  - {at: 2s, action: bind, target: phy0}\n" + down, nil},
		{"never unbound", down, nil},
	} {
		for _, v := range []devmodel.Version{devmodel.V6_1, devmodel.V6_12} {
			got := violatedOn(t, world+tc.events, v, "phylink-notify", 10)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s, kernel %s (-want +got):\n%s", tc.name, v, diff)
			}
		}
	}
}

// TestPHYModuleHeldWhileAttached: the PHY driver's module cannot be
// removed while a port has the PHY attached (rmmod: EWOULDBLOCK), and
// can once the port is down (phy_detach put it).
func TestPHYModuleHeldWhileAttached(t *testing.T) {
	world := strings.Replace(phyWorld, "PCS ", "", 1)
	for _, tc := range []struct {
		events string
		want   string
	}{
		{"  - {at: 1s, action: rmmod, target: realtek}\n", "rmmod: ERROR: Module realtek is in use"},
		{"  - {at: 1s, action: ip-down, target: eno0}\n  - {at: 2s, action: rmmod, target: realtek}\n", ""},
	} {
		lines := tracedLines(t, world+tc.events)
		got := matching(lines, "Module realtek is in use")
		if (tc.want != "") != (len(got) > 0) {
			t.Errorf("events %q: rmmod refused at %v, want refused: %v", tc.events, got, tc.want != "")
		}
	}
}
