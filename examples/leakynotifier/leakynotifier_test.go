package leakynotifier_test

import (
	"strings"
	"testing"

	"github.com/pcssim/pcssim/examples/leakynotifier"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// TestNotifierLeftRegisteredIsUseAfterFree: the leaky variant's next PCS
// registration reads the freed struct phylink; phylink-notify, which
// leaves the list in phylink_destroy, is clean on the same world.
func TestNotifierLeftRegisteredIsUseAfterFree(t *testing.T) {
	sc, err := scenarios.LoadFile("testdata/mac-gone-pcs-back.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		strategy string
		want     string // summary of the first finding, "" for none
	}{
		{leakynotifier.ID, `use-after-free of struct phylink "eth0"`},
		{"phylink-notify", ""},
	} {
		for seed := range uint64(20) {
			r, err := scenarios.Execute(sc, tc.strategy, sim.NewRandom(seed), 0)
			if err != nil {
				t.Fatalf("%s seed %d: %v", tc.strategy, seed, err)
			}
			got := ""
			if len(r.Findings) > 0 {
				got = r.Findings[0].Summary
			}
			if got != tc.want {
				t.Fatalf("%s seed %d: first finding %q, want %q", tc.strategy, seed, got, tc.want)
			}
			if got != "" && !strings.Contains(r.Findings[0].Detail, "pcs_provider_notify") {
				t.Fatalf("%s: the stale read is not in pcs_provider_notify:\n%s", tc.strategy, r.Findings[0].Detail)
			}
		}
	}
}
