package scenarios

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/devmodel"
)

// fwNfsroot is RMK's nfs-root world with the MAC's firmware naming its PCS;
// mode, option and node vary per case.
func fwNfsroot(kernel, mode string, pcsHandle bool, node string) string {
	w := "name: fw-nfsroot\nhorizon: 6s\nkernel: " + kernel + "\n"
	if mode != "" {
		w += "fw_devlink: " + mode + "\n"
	}
	if pcsHandle {
		w += "fw_devlink_pcs_handle: true\n"
	}
	h := "{property: pcs-handle, to: lynx-pcs.0}"
	if node != "" {
		h = "{property: pcs-handle, to: lynx-pcs.0, node: " + node + "}"
	}
	return w + `modules: [{name: pcs-lynx}, {name: mvpp2}]
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, bus: mdio}
  - {name: mvpp2, kind: mac, module: mvpp2}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: mvpp2.0, driver: mvpp2, handles: [` + h + `]}
netdevs:
  - {name: eth0, mac: mvpp2.0, pcs: lynx-pcs.0, up: true}
  - {name: eth1, mac: mvpp2.0, required: true, up: true}
faults:
  - {action: unbind, target: lynx-pcs.0, window: [500ms, 3s]}
`
}

// TestFwDevlinkVerdicts: only a pcs-handle fw_devlink parses, in the MAC's
// own node, with managed links (on, rpm) makes the PCS's unbind tear the
// whole MAC down, under the reference design as under none; every other
// combination leaves rmk-2022-nfsroot's verdicts.
func TestFwDevlinkVerdicts(t *testing.T) {
	plain := map[string][]string{"none": {"use-after-free", "link-without-pcs"}, "phylink-notify": nil}
	teardown := map[string][]string{"none": {"collateral-teardown"}, "phylink-notify": {"collateral-teardown"}}
	cases := []struct {
		name  string
		world string
		want  map[string][]string
	}{
		{"6.12: pcs-handle not parsed", fwNfsroot("6.12", "", false, ""), plain},
		{"net-next without the series' parsing", fwNfsroot("net-next", "", false, ""), plain},
		{"net-next, series, on", fwNfsroot("net-next", "on", true, ""), teardown},
		{"net-next, series, rpm (default)", fwNfsroot("net-next", "", true, ""), teardown},
		{"net-next, series, permissive", fwNfsroot("net-next", "permissive", true, ""), plain},
		{"net-next, series, off", fwNfsroot("net-next", "off", true, ""), plain},
		{"net-next, series, handle in a port node", fwNfsroot("net-next", "rpm", true, "ethernet-port@0"), plain},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := devmodel.VNetNext
			if strings.Contains(c.world, "kernel: 6.12") {
				v = devmodel.V6_12
			}
			got := map[string][]string{}
			for st := range c.want {
				got[st] = violatedOn(t, c.world, v, st, 200)
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestFwDevlinkLoadErrors(t *testing.T) {
	cases := []struct{ world, want string }{
		{fwNfsroot("6.12", "", true, ""), "fw_devlink_pcs_handle: the posted fwnode-PCS series add pcs-handle to of_supplier_bindings on net-next only"},
		{fwNfsroot("6.12", "strict", false, ""), `unknown fw_devlink mode "strict"`},
		{strings.Replace(fwNfsroot("6.12", "", false, ""), "property: pcs-handle", "property: pcs-handel", 1), `unknown firmware reference "pcs-handel" (did you mean "pcs-handle"?)`},
		{strings.Replace(fwNfsroot("6.12", "", false, ""), "to: lynx-pcs.0}]", "to: mvpp2.0}]", 1), `device "mvpp2.0" refers to itself`},
		{strings.Replace(fwNfsroot("6.12", "", false, ""), "{name: lynx-pcs.0, driver: lynx-pcs}", "{name: lynx-pcs.0, driver: lynx-pcs, handles: [{property: clocks, to: mvpp2.0}]}", 1), "firmware reference cycle"},
	}
	for _, c := range cases {
		_, err := Load("fw.yaml", []byte(c.world))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load: %v, want an error containing %q", err, c.want)
		}
	}
}
