package scenarios

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pcssim/pcssim/devmodel"
)

// memacWorld is a MAC with two registered Lynx PCSs in separate
// allocations, looked up at probe as fman memac's are: xfi (its first, for
// 10gbase-r) and sgmii (extra_pcs, for sgmii and 1000base-x); EVENTS is
// the events list.
const memacWorld = `
name: memac-two-pcs
horizon: 5s
modules: [{name: pcs-lynx}, {name: fman}]
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, bus: mdio, link: poll}
  - {name: memac, kind: mac, module: fman}
devices:
  - {name: lynx-xfi, driver: lynx-pcs}
  - {name: lynx-sgmii, driver: lynx-pcs}
  - {name: memac.9, driver: memac}
netdevs:
  - {name: eth0, mac: memac.9, pcs: lynx-xfi, pcs_interfaces: [10gbase-r], interface: 10gbase-r,
     extra_pcs: [{pcs: lynx-sgmii, interfaces: [sgmii, 1000base-x]}], up: true}
events:
EVENTS`

func memacEvents(events ...string) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString("  - " + e + "\n")
	}
	return strings.Replace(memacWorld, "EVENTS", b.String(), 1)
}

// TestExtraPCSSwapAfterUnbind: an SFP swap 10gbase-r → 1000base-x makes
// mac_select_pcs return the sgmii PCS. Its provider unbound before the
// swap: with a bare pointer the major config writes pcs->phylink of the
// freed PCS and the link comes up on it; the reference design released it
// from phylink's list at the unbind, so the swap finds none (6.12 keeps
// xfi, net-next drops the PCS) and nothing is touched. Under device-link
// the unbind takes the whole MAC away, which never used that PCS.
func TestExtraPCSSwapAfterUnbind(t *testing.T) {
	world := memacEvents(`{at: 1s, action: unbind, target: lynx-sgmii}`, `{at: 2s, action: set-interface, target: "eth0:1000base-x"}`)
	for _, tc := range []struct {
		st   string
		v    devmodel.Version
		want []string
	}{
		{"none", devmodel.V6_12, []string{"use-after-free", "link-without-pcs"}},
		{"none", devmodel.VNetNext, []string{"use-after-free", "link-without-pcs"}},
		{"phylink-notify", devmodel.V6_12, nil},
		{"phylink-notify", devmodel.VNetNext, nil},
		{"phylink-release-pcs", devmodel.VNetNext, nil},
		{"device-link", devmodel.V6_12, []string{"collateral-teardown"}},
	} {
		if diff := cmp.Diff(tc.want, violatedOn(t, world, tc.v, tc.st, 20)); diff != "" {
			t.Errorf("%s on %s (-want +got):\n%s", tc.st, tc.v, diff)
		}
	}
}

// TestExtraPCSUnusedUnbind: the provider of a PCS the link does not use
// goes: no violation of the active link under any pointer-keeping
// strategy; under device-link it is collateral (the MAC goes with it)
// unless the netdev used that PCS before (swapped to 1000base-x and back).
func TestExtraPCSUnusedUnbind(t *testing.T) {
	unused := memacEvents(`{at: 3s, action: unbind, target: lynx-sgmii}`)
	used := memacEvents(`{at: 1s, action: set-interface, target: "eth0:1000base-x"}`,
		`{at: 2s, action: set-interface, target: "eth0:10gbase-r"}`, `{at: 3s, action: unbind, target: lynx-sgmii}`)
	for _, tc := range []struct {
		name, world, st string
		want            []string
	}{
		{"unused/none", unused, "none", nil},
		{"unused/phylink-notify", unused, "phylink-notify", nil},
		{"unused/device-link", unused, "device-link", []string{"collateral-teardown"}},
		{"used/none", used, "none", nil},
		{"used/device-link", used, "device-link", nil},
	} {
		if diff := cmp.Diff(tc.want, violatedOn(t, tc.world, devmodel.V6_12, tc.st, 20)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestExtraPCSSelectedByInterface: after the swap to 1000base-x the link
// runs on the sgmii PCS, so unbinding the xfi provider then is harmless
// even with a bare pointer; without the swap it is the use-after-free of
// the PCS in use.
func TestExtraPCSSelectedByInterface(t *testing.T) {
	swapped := memacEvents(`{at: 1s, action: set-interface, target: "eth0:1000base-x"}`, `{at: 2s, action: unbind, target: lynx-xfi}`)
	kept := memacEvents(`{at: 2s, action: unbind, target: lynx-xfi}`)
	if got := violatedOn(t, swapped, devmodel.V6_12, "none", 20); got != nil {
		t.Errorf("xfi unbound after the swap to sgmii: %v, want none", got)
	}
	want := []string{"use-after-free", "link-without-pcs"}
	if diff := cmp.Diff(want, violatedOn(t, kept, devmodel.V6_12, "none", 20)); diff != "" {
		t.Errorf("xfi unbound in use (-want +got):\n%s", diff)
	}
}
