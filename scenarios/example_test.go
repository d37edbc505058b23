package scenarios

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// Example_verdictMatrix prints the verdict matrix of the canonical worlds:
// for each world and lifetime strategy, the properties violated over 300
// random and 300 pct executions. Every cell comes from running the model.
func Example_verdictMatrix() {
	short := map[string]string{"use-after-free": "uaf", "use-after-unload": "unload", "refcount": "refcount",
		"leak": "leak", "rmmod-blocked": "rmmod-blocked", "collateral-teardown": "collateral",
		"link-without-pcs": "link-without-pcs", "no-recovery": "no-recovery", "deadlock": "deadlock"}
	for _, world := range []string{"rmk-2022-unbind", "rmk-2022-rmmod", "rmk-2022-self-pin", "rmk-2022-nfsroot",
		"pcs-rebind", "racy-release"} {
		sc, _ := Open(world)
		fmt.Println(world)
		for _, st := range pcs.DesignIDs {
			got := map[string]bool{}
			for _, name := range []string{"random", "pct"} {
				ex, _ := NewExplorer(name, sc, st, 3)
				for i := range 300 {
					r, _ := Execute(sc, st, ex.New(sim.ExecutionSeed(1, i)), NoRecord)
					for _, p := range r.Violated() {
						got[p] = true
					}
				}
			}
			var cells []string
			for _, p := range AllProperties {
				if got[p] {
					cells = append(cells, short[p])
				}
			}
			if len(cells) == 0 {
				cells = []string{"-"}
			}
			fmt.Printf("  %-20s %s\n", st, strings.Join(cells, ", "))
		}
	}
	// Output:
	// rmk-2022-unbind
	//   none                 uaf, link-without-pcs
	//   device-ref           uaf, link-without-pcs
	//   module-ref           uaf, link-without-pcs
	//   device-link          -
	//   srcu-wrapper         -
	//   phylink-notify       -
	//   phylink-notify-racy  uaf
	//   phylink-release-pcs  -
	// rmk-2022-rmmod
	//   none                 uaf, unload, link-without-pcs
	//   device-ref           uaf, unload, link-without-pcs
	//   module-ref           -
	//   device-link          -
	//   srcu-wrapper         -
	//   phylink-notify       -
	//   phylink-notify-racy  uaf, unload
	//   phylink-release-pcs  -
	// rmk-2022-self-pin
	//   none                 -
	//   device-ref           -
	//   module-ref           rmmod-blocked
	//   device-link          -
	//   srcu-wrapper         -
	//   phylink-notify       -
	//   phylink-notify-racy  -
	//   phylink-release-pcs  -
	// rmk-2022-nfsroot
	//   none                 uaf, link-without-pcs
	//   device-ref           uaf, link-without-pcs
	//   module-ref           uaf, link-without-pcs
	//   device-link          collateral
	//   srcu-wrapper         -
	//   phylink-notify       -
	//   phylink-notify-racy  uaf
	//   phylink-release-pcs  -
	// pcs-rebind
	//   none                 uaf, link-without-pcs
	//   device-ref           uaf, link-without-pcs
	//   module-ref           uaf, link-without-pcs
	//   device-link          no-recovery
	//   srcu-wrapper         no-recovery
	//   phylink-notify       -
	//   phylink-notify-racy  uaf
	//   phylink-release-pcs  -
	// racy-release
	//   none                 uaf, link-without-pcs
	//   device-ref           uaf, link-without-pcs
	//   module-ref           uaf, link-without-pcs
	//   device-link          -
	//   srcu-wrapper         -
	//   phylink-notify       -
	//   phylink-notify-racy  uaf
	//   phylink-release-pcs  -
}

// Load reports every problem of a file at once, with positions and
// did-you-mean hints.
func ExampleLoad() {
	_, err := Load("board.yaml", []byte(`name: board
drivers:
  - {name: lynx-pcs, kind: pcs-provider, modle: pcs-lynx}
devices:
  - {name: lynx-pcs.0, driver: lynx_pcs}
horizon: 3
`))
	fmt.Println(err)
	// Output:
	// board.yaml:3:42: driver: unknown key "modle" (did you mean "module"?)
	// board.yaml:5:32: unknown driver "lynx_pcs" (did you mean "lynx-pcs"?)
	// board.yaml:6:10: horizon: bad duration "3": want a number and a unit (s, ms, us, ns)
}

// Execute runs one execution; the same chooser seed gives the same
// execution, and its schedule replays it.
func ExampleExecute() {
	sc, _ := Open("rmk-2022-unbind")
	r, _ := Execute(sc, "module-ref", sim.NewRandom(sim.ExecutionSeed(1, 0)), 0)
	fmt.Println(r.Violated())
	again, _ := Execute(sc, "module-ref", sim.NewReplay(r.Schedule), 0)
	fmt.Println(again.Findings[0].Summary)
	// Output:
	// [use-after-free link-without-pcs]
	// use-after-free of struct phylink_pcs "lynx-pcs.0"
}
