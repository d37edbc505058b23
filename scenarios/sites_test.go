package scenarios

import (
	"os"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// TestIntegratedPCSSites: the use-after-free of a PCS the MAC created names
// the functions of that PCS's driver (xpcs_create for the XPCS of the
// shipped world; lynx_pcs_create once the netdev says its PCS is a Lynx),
// not a fixed name.
func TestIntegratedPCSSites(t *testing.T) {
	data, err := os.ReadFile("xpcs-irq-order.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lynx := strings.Replace(string(data), "integrated_module: pcs-xpcs,", "integrated_module: pcs-xpcs, pcs_driver: lynx_pcs,", 1)
	for _, tc := range []struct{ yaml, prefix, other string }{
		{string(data), "xpcs", "lynx_pcs"},
		{lynx, "lynx_pcs", "xpcs_"},
	} {
		sc, err := Load("x.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		var detail string
		for seed := range 500 {
			r, err := Execute(sc, "none", sim.NewRandom(sim.ExecutionSeed(5, seed)), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Findings) > 0 && r.Findings[0].Property == "use-after-free" {
				detail = r.Findings[0].Detail
				break
			}
		}
		for _, want := range []string{tc.prefix + "_irq_handler", tc.prefix + "_create", tc.prefix + "_destroy"} {
			if !strings.Contains(detail, want) {
				t.Errorf("pcs_driver %s: report lacks %s:\n%s", tc.prefix, want, detail)
			}
		}
		if strings.Contains(detail, tc.other) {
			t.Errorf("pcs_driver %s: report names %s:\n%s", tc.prefix, tc.other, detail)
		}
	}
}
