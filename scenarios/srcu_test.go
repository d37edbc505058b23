package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// The srcu-wrapper strategy is "net: pcs: Add subsystem" v6 as posted;
// these tests pin the posted code's behaviour that pcssim's worlds in
// testdata/srcu show (docs/fidelity.md lists them as the series' bugs).

// firstFinding runs seeds of file under strategy and returns the first
// finding of property prop, or nil.
func firstFinding(t *testing.T, file, strategy, prop string, seeds int) *sim.Finding {
	t.Helper()
	sc, err := LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i := range seeds {
		r, err := Execute(sc, strategy, sim.NewRandom(sim.ExecutionSeed(1, i)), 0)
		if err != nil {
			t.Fatalf("%s/%s seed %d: %v", sc.Name, strategy, i, err)
		}
		for _, f := range r.Findings {
			if f.Property == prop {
				return &f
			}
		}
	}
	return nil
}

// TestSRCUWrapperPostedBugs: the two use-after-frees of the posted
// pcs_unregister(): its link-down notification goes through the wrapper's
// link_change_priv, which phylink_destroy() left pointing at a freed struct
// phylink; and it leaves the provider's link_change_priv pointing at the
// wrapper it frees, so a PCS interrupt before free_irq() runs
// pcs_change_callback() on freed memory. The reference design
// (phylink-notify) has neither.
func TestSRCUWrapperPostedBugs(t *testing.T) {
	for _, tc := range []struct {
		file, summary, stack string
	}{
		{"testdata/srcu/unregister-after-mac.yaml", `use-after-free of struct phylink "eth0"`,
			"read in phylink_link_changed <- phylink_pcs_change <- pcs_unregister <- lynx_pcs_remove"},
		{"testdata/srcu/irq-after-unregister.yaml", `use-after-free of struct pcs_wrapper "qsgmii-pcs.0:3"`,
			"read in phylink_pcs_change <- pcs_change_callback <- phylink_pcs_change <- qsgmii_pcs_irq_handler"},
	} {
		f := firstFinding(t, tc.file, "srcu-wrapper", "use-after-free", 300)
		if f == nil {
			t.Errorf("%s: srcu-wrapper: no use-after-free in 300 executions", tc.file)
			continue
		}
		if f.Summary != tc.summary || !strings.Contains(f.Detail, tc.stack) {
			t.Errorf("%s: srcu-wrapper found\n%s\n%s\nwant %q with %q", tc.file, f.Summary, f.Detail, tc.summary, tc.stack)
		}
		if f := firstFinding(t, tc.file, "phylink-notify", "use-after-free", 300); f != nil {
			t.Errorf("%s: phylink-notify: %s", tc.file, f.Summary)
		}
	}
}

// TestSRCUWrapperValidateFailsProbe: a MAC bound while its PCS is being
// unbound can get the wrapper from pcs_get() and then -ENODEV from its
// pcs_validate (posted: "if (!wrapped) return -ENODEV;"), which makes
// phylink_validate, phylink_create and the MAC's probe fail: the bind is
// refused with EINVAL and nothing is left half-built.
func TestSRCUWrapperValidateFailsProbe(t *testing.T) {
	sc, err := LoadFile("testdata/srcu/probe-validate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for i := range 300 {
		r, err := Execute(sc, "srcu-wrapper", sim.NewRandom(sim.ExecutionSeed(1, i)), NoRecord)
		if err != nil {
			t.Fatal(err)
		}
		if v := r.Violated(); len(v) > 0 {
			t.Fatalf("seed %d: %v: %s", i, v, r.Findings[0].Detail)
		}
		if slices.Contains(r.Observed, ObsRefused+"bind enetc.0 (EINVAL)") {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("no bind of enetc.0 refused with EINVAL in 300 executions: pcs_validate's -ENODEV does not fail phylink_create")
	}
}
