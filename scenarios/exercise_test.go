package scenarios

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phylink"
	"github.com/pcssim/pcssim/sim"
)

// exercise runs n random executions of sc under st and returns the rows.
func exercise(t *testing.T, sc *Scenario, st string, n int) []ExerciseRow {
	t.Helper()
	x := NewExercise(sc)
	for i := range n {
		r, err := Execute(sc, st, sim.NewRandom(sim.ExecutionSeed(7, i)), NoRecord)
		if err != nil {
			t.Fatalf("%s/%s execution %d: %v", sc.Name, st, i, err)
		}
		x.Add(&r)
	}
	return x.Rows()
}

func unmetKeys(rows []ExerciseRow) []string {
	var out []string
	for _, r := range Unmet(rows) {
		out = append(out, r.Key)
	}
	return out
}

// TestShippedWorldsAreExercised: under every strategy every netdev of every
// shipped scenario that wants link gets carrier through its PCS, and every
// fault fires, in some execution (or the scenario declares why not): over
// 100 random executions in the long tier (testtier), 50 by default.
func TestShippedWorldsAreExercised(t *testing.T) {
	t.Parallel()
	n := testtier.Pick(t, 30, 50, 100)
	for _, name := range Shipped() {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range pcs.DesignIDs {
			if u := unmetKeys(exercise(t, sc, st, n)); len(u) > 0 {
				t.Errorf("%s/%s: VACUOUS over %d executions: never %s", name, st, n, strings.Join(u, ", "))
			}
		}
	}
}

// lynxWorld is a Lynx PCS and a MAC with one netdev; the PCS module is
// loaded at boot or not, and the PCS is unbound once.
func lynxWorld(t *testing.T, loaded, declare bool) *Scenario {
	t.Helper()
	y := `name: lynx
horizon: 3s
modules:
  - {name: pcs-lynx, loaded: ` + map[bool]string{true: "true", false: "false"}[loaded] + `}
  - {name: enetc}
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, link: poll}
  - {name: enetc, kind: mac, module: enetc}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: enetc.0, driver: enetc}
netdevs:
  - {name: eth0, mac: enetc.0, pcs: lynx-pcs.0, up: true}
faults:
  - {action: unbind, target: lynx-pcs.0, window: [1s, 2s]}
  - {action: rmmod, target: enetc, window: [500ms, 2s]}
`
	if declare {
		y += "unreachable:\n  - {condition: link eth0, why: the PCS driver is not loaded in this test}\n"
	}
	sc, err := Load("lynx.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestExerciseVacuous(t *testing.T) {
	// The PCS driver never loads: the MAC defers its probe forever, eth0
	// never links, and the unbind is refused (ENOENT: the driver is not
	// registered, so its unbind file does not exist).
	rows := exercise(t, lynxWorld(t, false, false), "phylink-notify", 50)
	if diff := cmp.Diff([]string{"link eth0"}, unmetKeys(rows)); diff != "" {
		t.Fatalf("unmet (-want +got):\n%s", diff)
	}
	if got := rows[1].Outcomes; len(got) != 1 || got[0].What != "refused (ENOENT)" || got[0].Executions != 50 {
		t.Fatalf("unbind outcomes %+v; want refused (ENOENT) in all 50", got)
	}
	// Declared unreachable: not vacuous, and the row says why.
	rows = exercise(t, lynxWorld(t, false, true), "phylink-notify", 50)
	if u := unmetKeys(rows); len(u) != 0 || rows[0].Unreachable == "" {
		t.Fatalf("declared condition still unmet: %v (%+v)", u, rows[0])
	}
}

func TestExerciseMet(t *testing.T) {
	rows := exercise(t, lynxWorld(t, true, false), "module-ref", 50)
	if u := unmetKeys(rows); len(u) != 0 {
		t.Fatalf("unmet %v in a world that links", u)
	}
	want := map[string]string{
		"link eth0":               "",
		"fired unbind lynx-pcs.0": "took effect",
		"fired rmmod enetc":       "took effect",
		"in use lynx-pcs.0":       "",
	}
	for _, r := range rows {
		if strings.HasPrefix(r.Key, phylink.ObsTransient) {
			continue // reported when it happens (here: the MAC's rmmod takes the link down)
		}
		w, ok := want[r.Key]
		if !ok || r.Executions == 0 {
			t.Errorf("row %+v: unexpected or never met", r)
			continue
		}
		if w != "" && (len(r.Outcomes) == 0 || r.Outcomes[0].What != w) {
			t.Errorf("row %s: outcomes %+v, want %s first", r.Key, r.Outcomes, w)
		}
	}
}

func TestAddExercise(t *testing.T) {
	a := []ExerciseRow{{Condition: Condition{Key: "fired rmmod x"}, Executions: 2, Outcomes: []FaultOutcome{{"took effect", 1}}}}
	b := []ExerciseRow{{Condition: Condition{Key: "fired rmmod x"}, Executions: 3, Outcomes: []FaultOutcome{{"took effect", 2}, {"refused (EWOULDBLOCK)", 1}}}}
	got := AddExercise(a, b)
	want := []ExerciseRow{{Condition: Condition{Key: "fired rmmod x"}, Executions: 5, Outcomes: []FaultOutcome{{"took effect", 3}, {"refused (EWOULDBLOCK)", 1}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	if a[0].Executions != 2 || a[0].Outcomes[0].Executions != 1 {
		t.Fatalf("AddExercise changed its input: %+v", a)
	}
}

// TestExerciseEdges: a fault aimed at a netdev before boot declared it is
// refused (ENODEV), not a crash; carrier through a freed PCS does not count
// as the netdev getting link.
func TestExerciseEdges(t *testing.T) {
	y := `name: edges
horizon: 2s
modules:
  - {name: pcs-lynx}
  - {name: enetc}
drivers:
  - {name: lynx-pcs, kind: pcs-provider, module: pcs-lynx, link: poll}
  - {name: enetc, kind: mac, module: enetc}
devices:
  - {name: lynx-pcs.0, driver: lynx-pcs}
  - {name: enetc.0, driver: enetc}
netdevs:
  - {name: eth0, mac: enetc.0, pcs: lynx-pcs.0}
faults:
  - {action: ip-down, target: eth0, window: [0s, 0s]}
  - {action: unbind, target: lynx-pcs.0, window: [100ms, 100ms]}
  - {action: ip-up, target: eth0, window: [200ms, 200ms]}
`
	sc, err := Load("edges.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	rows := exercise(t, sc, "none", 20)
	for _, r := range rows {
		switch r.Key {
		case "fired ip-down eth0":
			if r.Executions != 20 || len(r.Outcomes) == 0 || r.Outcomes[0].What != "refused (ENODEV)" {
				t.Errorf("early ip-down: %+v, want refused (ENODEV) in all 20", r)
			}
		case "link eth0":
			if r.Executions != 0 {
				t.Errorf("eth0 counted as linked through a freed PCS in %d executions", r.Executions)
			}
		}
	}
}
