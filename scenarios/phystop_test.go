package scenarios

import (
	"strings"
	"testing"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// inMajorConfig reports whether the trace lines show `ip link set eth0
// down` injected while eth0's resolve is inside phylink_major_config
// (after its pcs_get_state, before its pcs_an_restart, with pcs_config in
// between), and whether that ip-down's phy_stop then waited for the
// resolve's state_mutex: its mutex_lock(state_mutex) step comes before
// the resolve's pcs_an_restart, and its del_timer_sync of the poll after.
func inMajorConfig(lines []string) (inside, waited bool) {
	resolve := ""  // the task whose pcs_get_state came last
	injected := -1 // line of the ip-down injected after it
	for i, l := range lines {
		switch {
		case strings.Contains(l, "kworker: phylink_resolve eth0] pcs_get_state"):
			resolve, injected = l[strings.Index(l, "["):strings.Index(l, "]")], -1
		case strings.Contains(l, "inject ip-down eth0") && resolve != "":
			injected = i
		case injected >= 0 && strings.Contains(l, resolve+"] pcs_an_restart"):
			config := false
			for _, m := range lines[injected:i] {
				config = config || strings.Contains(m, resolve+"] pcs_config")
			}
			if !config {
				injected = -1
				continue
			}
			inside = true
			for _, m := range lines[injected:i] {
				waited = waited || strings.Contains(m, "ip link set eth0 down] mutex_lock(state_mutex(eth0))")
			}
			return inside, waited
		}
	}
	return false, false
}

// TestPHYStopWaitsForMajorConfig: in phy-stop-slow-mac-config, pct reaches
// `ip link set eth0 down` while the resolve that follows the PHY's
// interface change is inside phylink_major_config, and there phy_stop's
// link down waits for the resolve's state_mutex; every such execution is
// clean (kernelcheck forces that interleaving on 6.1 and 6.12).
func TestPHYStopWaitsForMajorConfig(t *testing.T) {
	shipped, err := Open("phy-stop-slow-mac-config")
	if err != nil {
		t.Fatal(err)
	}
	for _, kernel := range []devmodel.Version{devmodel.V6_1, devmodel.V6_12} {
		sc, err := shipped.WithKernel(kernel)
		if err != nil {
			t.Fatal(err)
		}
		found, waited := 0, 0
		for i := 0; i < 300; i++ {
			r, err := Execute(sc, "none", sim.NewPCT(sim.ExecutionSeed(1, i), 3, 100), Trace)
			if err != nil {
				t.Fatal(err)
			}
			in, w := inMajorConfig(strings.Split(sim.RenderTrace(r.Trace), "\n"))
			if !in {
				continue
			}
			found++
			if w {
				waited++
			}
			if len(r.Findings) > 0 {
				t.Errorf("kernel %s execution %d: %s", kernel, i, r.Findings[0].Summary)
			}
		}
		t.Logf("kernel %s: ip-down inside the major config in %d of 300 executions, phy_stop waiting in %d", kernel, found, waited)
		if waited == 0 {
			t.Errorf("kernel %s: no execution where phy_stop waits for a resolve inside phylink_major_config", kernel)
		}
	}
}
