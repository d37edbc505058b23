package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/phylink"
	"github.com/pcssim/pcssim/sim"
)

// irqUnbindOnce: an interrupt-driven PCS is unbound once while eth0 has
// link through it, and nothing else happens: nothing ever touches the
// PCS again, so only the end-of-execution checks can see what is left.
const irqUnbindOnce = `name: irq-unbind-once
horizon: 3s
modules:
  - {name: pcs-lynx}
  - {name: enetc}
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, link: irq}
  - {name: enetc, kind: mac, module: enetc}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: enetc.0, driver: enetc}
netdevs:
  - {name: eth0, mac: enetc.0, pcs: lynx-pcs.0, up: true}
events:
  - {at: 1s, action: unbind, target: lynx-pcs.0}
`

func TestEndChecks(t *testing.T) {
	// The same world where the MAC goes instead: phylink_destroy leaves
	// pcs->phylink pointing at the freed phylink (mainline does not clear
	// it), which the PCS's next interrupt reads.
	macUnbindOnce := strings.Replace(irqUnbindOnce, "target: lynx-pcs.0}", "target: enetc.0}", 1)
	for _, tc := range []struct {
		world, strategy string
		want            []string // summaries' beginnings, in order
	}{
		{irqUnbindOnce, "none", []string{
			`use-after-free of struct phylink_pcs "lynx-pcs.0": pl->pcs of eth0 still points at it at the end`,
			"link-without-pcs: eth0 reports link up while its struct phylink_pcs was freed",
		}},
		{irqUnbindOnce, "phylink-notify", nil},
		{macUnbindOnce, "none", []string{
			`use-after-free of struct phylink "eth0": pcs->phylink of lynx-pcs.0 still points at it at the end`,
		}},
		{macUnbindOnce, "phylink-notify", nil},
	} {
		sc, err := Load("world.yaml", []byte(tc.world))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Execute(sc, tc.strategy, sim.NewRandom(1), 0)
		if err != nil {
			t.Fatal(err)
		}
		if r.End != sim.EndQuiescent {
			t.Fatalf("%s: end %v, want quiescent", tc.strategy, r.End)
		}
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.Summary)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: findings %q, want %d", tc.strategy, got, len(tc.want))
		}
		for i, w := range tc.want {
			if !strings.HasPrefix(got[i], w) {
				t.Errorf("%s: finding %d is %q, want %q...", tc.strategy, i, got[i], w)
			}
		}
	}
}

// TestLinkWithoutPCSStickyOrTransient: a link left up without its PCS by
// two resolves in a row is a violation (none, the PCS freed under a polled
// link); one corrected by the resolve already queued is counted only
// (srcu-wrapper on the shared QSGMII block).
func TestLinkWithoutPCSStickyOrTransient(t *testing.T) {
	sc, err := Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Execute(sc, "none", sim.NewRandom(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(r.Findings, func(f sim.Finding) bool { return f.Property == "link-without-pcs" })
	if i < 0 || !strings.Contains(r.Findings[i].Detail, "left it so again") {
		t.Fatalf("none: no sticky link-without-pcs from the next resolve: %+v", r.Findings)
	}

	sc, err = Open("qsgmii-shared")
	if err != nil {
		t.Fatal(err)
	}
	transients := 0
	for seed := range 2000 {
		r, err := Execute(sc, "srcu-wrapper", sim.NewRandom(sim.ExecutionSeed(3, seed)), NoRecord)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(r.Observed, func(o string) bool { return strings.HasPrefix(o, phylink.ObsTransient) }) {
			continue
		}
		transients++
		if v := r.Violated(); slices.Contains(v, "link-without-pcs") {
			t.Fatalf("seed %d: a corrected transient reported as %v", seed, v)
		}
	}
	if transients == 0 {
		t.Fatal("srcu-wrapper on qsgmii-shared: no transient link-without-pcs in 2000 executions")
	}
}
