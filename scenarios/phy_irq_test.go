package scenarios

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// irqPHYWorld is phyWorld in MLO_AN_PHY with an interrupt-driven PHY
// (its node has an interrupt: phydev->irq valid).
func irqPHYWorld() string {
	w := strings.Replace(phyWorld, "PCS ", "", 1)
	return strings.Replace(w, "mdio_addr: 2}", "mdio_addr: 2, irq: true}", 1)
}

// TestPHYInterruptDrivesCarrier: phylink_bringup_phy requests the PHY's
// interrupt; a link partner change runs phy_interrupt, whose
// handle_interrupt triggers the state machine at once (not within
// PHY_STATE_TIME), and the state machine does not poll in between.
func TestPHYInterruptDrivesCarrier(t *testing.T) {
	events := "  - {at: 1500ms, action: link-down, target: phy0}\n  - {at: 3500ms, action: link-up, target: phy0}\n"
	lines := tracedLines(t, irqPHYWorld()+events)
	on, off := matching(lines, "eno0: carrier on"), matching(lines, "eno0: carrier off")
	if len(on) != 2 || len(off) != 1 || !within(off[0], 1.5, 1.51) || !within(on[1], 3.5, 3.51) {
		t.Errorf("interrupt-driven PHY: carrier on at %v, off at %v; want on at boot and at 3.5s, off at 1.5s (no poll delay)", on, off)
	}
	if got := matching(lines, "irq: phy0] start"); len(got) != 2 {
		t.Errorf("phy_interrupt ran at %v, want twice", got)
	}
	// phy_start's run and one per interrupt: no PHY_STATE_TIME polls.
	if got := matching(lines, "phy_state_machine phy0] start"); len(got) != 3 {
		t.Errorf("phy_state_machine ran at %v, want 3 times (phy_start, two interrupts)", got)
	}
	// A polled PHY requests no interrupt: its state machine notices.
	lines = tracedLines(t, strings.Replace(phyWorld, "PCS ", "", 1)+events)
	if got := matching(lines, "irq: phy0] start"); len(got) != 0 {
		t.Errorf("polled PHY: phy_interrupt ran at %v", got)
	}
}

// phyFindings executes world once on kernel v and returns the summaries
// of its findings, one per line.
func phyFindings(t *testing.T, world string, v devmodel.Version) string {
	t.Helper()
	r, err := Execute(loadOn(t, world, v), "phylink-notify", sim.NewRandom(sim.ExecutionSeed(5, 0)), NoRecord)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Summary)
	}
	return strings.Join(out, "\n")
}

// TestPHYInterruptAfterDriverUnbind: phy_remove cancels the state machine,
// sets PHY_DOWN and phydev->drv = NULL, but neither disables the PHY's
// interrupt (phy_disable_interrupts) nor frees it. The next link change
// runs phy_interrupt, which calls phydev->drv->handle_interrupt under
// phydev->lock: a NULL pointer dereference (6.1 and 6.12). Taking the
// port down instead reaches phy_disconnect → phy_free_interrupt →
// phy_disable_interrupts → phy_config_interrupt, which reads
// phydev->drv->config_intr: the same oops. With the port down before the
// unbind the interrupt was freed with the driver still there; a polled
// PHY has none; a driver bound again disabled the PHY's interrupt in
// phy_probe (the link change then goes unnoticed, but nothing oopses).
func TestPHYInterruptAfterDriverUnbind(t *testing.T) {
	unbind := "  - {at: 1s, action: unbind, target: phy0}\n"
	flap := "  - {at: 2s, action: link-down, target: phy0}\n"
	for _, tc := range []struct {
		name, world, events string
		want                []string
		in                  string // the function the oops is in
	}{
		{"link change", irqPHYWorld(), unbind + flap, []string{"null-deref"}, "phy_interrupt"},
		{"ip down", irqPHYWorld(), unbind + "  - {at: 2s, action: ip-down, target: eno0}\n", []string{"use-after-free", "null-deref"}, "phy_config_interrupt"},
		{"down first", irqPHYWorld(), "  - {at: 500ms, action: ip-down, target: eno0}\n" + unbind + flap, nil, ""},
		{"polled", strings.Replace(phyWorld, "PCS ", "", 1), unbind + flap, nil, ""},
		{"bound again", irqPHYWorld(), unbind + "  - {at: 1500ms, action: bind, target: phy0}\n" + flap, nil, ""},
	} {
		for _, v := range []devmodel.Version{devmodel.V6_1, devmodel.V6_12} {
			world := tc.world + tc.events
			if diff := cmp.Diff(tc.want, violatedOn(t, world, v, "phylink-notify", 10)); diff != "" {
				t.Errorf("%s, kernel %s (-want +got):\n%s", tc.name, v, diff)
			}
			if got := phyFindings(t, world, v); tc.in != "" && !strings.Contains(got, "in "+tc.in+" ") {
				t.Errorf("%s, kernel %s: findings %q, want a NULL dereference in %s", tc.name, v, got, tc.in)
			}
		}
	}
}

// TestPHYInterruptInband: in-band with an interrupt-driven PHY, an
// interface switch is seen at once (the renegotiated link's interrupt),
// so resolve's major config follows it without a poll delay.
func TestPHYInterruptInband(t *testing.T) {
	w := strings.Replace(phyWorld, "PCS ", inband+" ", 1)
	w = strings.Replace(w, "mdio_addr: 2}", "mdio_addr: 2, irq: true}", 1)
	got := matching(tracedLines(t, w+"  - {at: 1s, action: phy-interface, target: \"phy0:2500base-x\"}\n"), "phylink_resolve", "pcs_config")
	if len(got) == 0 || !within(got[0], 1, 1.01) {
		t.Errorf("resolve's pcs_config at %v; want the first at 1s", got)
	}
}

// TestPHYInterruptGenphyPolls: brought up again after its driver was
// unbound (the port down first, so the interrupt was freed), the PHY gets
// genphy, which has no config_intr/handle_interrupt: phy_attach_direct
// sets PHY_POLL and the state machine polls (a link change is seen
// within PHY_STATE_TIME, by no interrupt).
func TestPHYInterruptGenphyPolls(t *testing.T) {
	events := "  - {at: 500ms, action: ip-down, target: eno0}\n  - {at: 1s, action: unbind, target: phy0}\n" +
		"  - {at: 1500ms, action: ip-up, target: eno0}\n  - {at: 2s, action: link-down, target: phy0}\n"
	lines := tracedLines(t, irqPHYWorld()+events)
	if got := matching(lines, "irq: phy0] start"); len(got) != 0 {
		t.Errorf("genphy: phy_interrupt ran at %v", got)
	}
	off := matching(lines, "eno0: carrier off")
	if len(off) != 2 || !within(off[1], 2, 3) {
		t.Errorf("carrier off at %v; want at ip link set down and within a poll of 2s", off)
	}
}

// TestPHYInterruptOneshot: a second link change while the handler thread
// has not finished does not start a second thread (IRQF_ONESHOT: the
// thread runs again); the PHY ends with the partner's last state.
func TestPHYInterruptOneshot(t *testing.T) {
	events := "  - {at: 1500ms, action: link-down, target: phy0}\n  - {at: 1500ms, action: link-up, target: phy0}\n  - {at: 2s, action: link-down, target: phy0}\n"
	lines := tracedLines(t, irqPHYWorld()+events)
	if got := matching(lines, "irq: phy0] start"); len(got) != 2 || !within(got[0], 1.5, 1.51) || !within(got[1], 2, 2.01) {
		t.Errorf("handler threads started at %v; want one at 1.5s, one at 2s", got)
	}
	if off := matching(lines, "eno0: carrier off"); len(off) == 0 || !within(off[len(off)-1], 2, 2.01) {
		t.Errorf("carrier off at %v; want off at 2s", off)
	}
}
