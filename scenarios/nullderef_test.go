package scenarios

import (
	"strings"
	"testing"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// TestNullDeref: a MAC driver that registers its netdev before creating its
// phylink lets dev_open run phylink_start(NULL), reported as the kernel's
// NULL pointer dereference under every strategy (the strategies are about
// the PCS; this bug is not); the in-tree order never dereferences NULL.
func TestNullDeref(t *testing.T) {
	for _, tc := range []struct {
		file string
		want bool
	}{
		{"testdata/nullderef/register-before-create.yaml", true},
		{"testdata/nullderef/create-before-register.yaml", false},
	} {
		sc, err := LoadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range pcs.DesignIDs {
			var found *sim.Finding
			var res Result
			for i := range 200 {
				r, err := Execute(sc, st, sim.NewRandom(sim.ExecutionSeed(1, i)), 0)
				if err != nil {
					t.Fatalf("%s/%s seed %d: %v", sc.Name, st, i, err)
				}
				for _, f := range r.Findings {
					if f.Property == "null-deref" {
						found, res = &f, r
					}
				}
				if found != nil {
					break
				}
			}
			if (found != nil) != tc.want {
				t.Fatalf("%s/%s: null-deref found = %v, want %v", sc.Name, st, found != nil, tc.want)
			}
			if found == nil {
				continue
			}
			if res.End != sim.EndOops {
				t.Errorf("%s/%s: execution ended %v, want kernel oops", sc.Name, st, res.End)
			}
			for _, s := range []string{"BUG: kernel NULL pointer dereference, address: 0000000000000000\n", "#PF: supervisor write access in kernel mode\n",
				"RIP: 0010:phylink_start+0x0/0x0\n", " dev_open+0x0/0x0\n"} {
				if !strings.Contains(found.Kernel, s) {
					t.Errorf("%s/%s: report lacks %q:\n%s\n%s", sc.Name, st, s, found.Summary, found.Kernel)
				}
			}
		}
	}
}
