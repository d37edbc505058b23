package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// irqBeforeCreate is a MAC that creates its own interrupt-driven PCS and
// requests the interrupt before phylink_create; the link flaps during
// probe. On 6.1 the handler reports the change with
// phylink_mac_change(priv->phylink), NULL until phylink_create: the kernel
// oopses. From 6.4 it calls phylink_pcs_change(pcs), which does nothing
// while pcs->phylink is NULL.
const irqBeforeCreate = `name: irq-before-create
horizon: 2s
modules:
  - {name: stmmac}
drivers:
  - {name: stmmac-plat, kind: mac, module: stmmac, probe: [lookup-pcs, request-irq, phylink-create, register-netdev]}
devices:
  - {name: stmmac-plat.0, driver: stmmac-plat}
netdevs:
  - {name: eth0, mac: stmmac-plat.0, pcs: xpcs.0, integrated: true, pcs_driver: xpcs, irq: true, up: true}
faults:
  - {action: link-down, target: xpcs.0, window: [0s, 50ms]}
  - {action: link-up, target: xpcs.0, window: [100ms, 200ms]}
`

// loadOn loads world for kernel v.
func loadOn(t *testing.T, world string, v devmodel.Version) *Scenario {
	t.Helper()
	sc, err := Load("world.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.WithKernel(v); err != nil {
		t.Fatal(err)
	}
	return sc
}

// violatedOn runs n random executions of world on kernel v under st and
// returns the violated properties in AllProperties order.
func violatedOn(t *testing.T, world string, v devmodel.Version, st string, n int) []string {
	t.Helper()
	sc := loadOn(t, world, v)
	got := map[string]bool{}
	for i := range n {
		r, err := Execute(sc, st, sim.NewRandom(sim.ExecutionSeed(11, i)), NoRecord)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Violated() {
			got[p] = true
		}
	}
	return inPropertyOrder(got)
}

func TestVersionsDiffer(t *testing.T) {
	for _, st := range []string{"none", "phylink-notify"} {
		want := map[devmodel.Version][]string{
			devmodel.V6_1:     {"null-deref"},
			devmodel.V6_12:    nil,
			devmodel.VNetNext: nil,
		}
		for v, w := range want {
			if diff := cmp.Diff(w, violatedOn(t, irqBeforeCreate, v, st, 300)); diff != "" {
				t.Errorf("%s on %s (-want +got):\n%s", st, v, diff)
			}
		}
	}
}

func TestKernelCannotExpressWorld(t *testing.T) {
	sc, err := Open("qsgmii-shared")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.WithKernel(devmodel.V6_1); err == nil || !strings.Contains(err.Error(), "phylink_pcs_change") {
		t.Fatalf("qsgmii-shared (interrupt-driven PCS provider) on 6.1: err %v", err)
	}
	if _, err := sc.WithKernel(devmodel.VNetNext); err != nil {
		t.Fatalf("qsgmii-shared on net-next: %v", err)
	}
	y := strings.Replace(irqUnbindOnce, "horizon: 3s", "horizon: 3s\nkernel: 6.1", 1)
	_, err = Load("k.yaml", []byte(y))
	if err == nil || !strings.Contains(err.Error(), "k.yaml:8:") || !strings.Contains(err.Error(), "kernel 6.1") {
		t.Fatalf("kernel: 6.1 with link: irq: err %v, want a positioned error", err)
	}
}

// TestEveryShippedWorldOnEveryKernel: the shipped worlds run on each kernel
// they can be written for, and the features tables agree with the versions.
func TestEveryShippedWorldOnEveryKernel(t *testing.T) {
	for _, name := range Shipped() {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range devmodel.VersionNames {
			v := devmodel.Version(i + 1)
			sck, err := sc.WithKernel(v)
			if err != nil {
				if v == devmodel.V6_1 && slices.ContainsFunc(sc.Drivers, func(d Driver) bool { return d.Link == "irq" }) {
					continue
				}
				if sc.FwPCSHandle && !v.Has(devmodel.FeatFwnodePCSBase) {
					continue // the posted series' pcs-handle parsing: net-next only
				}
				t.Fatalf("%s on %s: %v", name, v, err)
			}
			for _, st := range pcs.DesignIDs {
				if _, err := Execute(sck, st, sim.NewRandom(1), 0); err != nil {
					t.Fatalf("%s/%s on %s: %v", name, st, v, err)
				}
			}
		}
	}
	if devmodel.V6_1.Has(devmodel.FeatPCSBackPointer) || !devmodel.V6_12.Has(devmodel.FeatPCSBackPointer) ||
		devmodel.V6_12.Has(devmodel.FeatSelectPCSRemoves) || !devmodel.VNetNext.Has(devmodel.FeatSelectPCSRemoves) {
		t.Fatal("feature table disagrees with the versions")
	}
}
