package sim_test

import (
	"fmt"

	"github.com/pcssim/pcssim/sim"
)

// Two tasks increment a shared counter with a preemption point between the
// read and the write. Bounded exhaustive search (DFS) finds the lost update
// with one preemption, and proves there is none without preemptions.
func ExampleDFS() {
	lost := func(c sim.Chooser) bool {
		s := sim.New(sim.Config{}, c)
		x := 0
		for range 2 {
			s.Spawn("inc", func(t *sim.Task) {
				v := x
				t.Yield("write back")
				x = v + 1
			})
		}
		s.Run()
		return x != 2
	}
	for _, bound := range []int{0, 1} {
		d := sim.NewDFS(bound)
		found := 0
		for d.Next() {
			if lost(d.Chooser()) {
				found++
			}
		}
		fmt.Printf("preemptions <= %d: %d schedules, %d lose an update, exhausted %v\n", bound, d.Runs(), found, d.Exhausted())
	}
	// Output:
	// preemptions <= 0: 2 schedules, 0 lose an update, exhausted true
	// preemptions <= 1: 4 schedules, 2 lose an update, exhausted true
}

// Two tasks take two mutexes in opposite orders. Under the interleaving
// where each holds one, the engine reports a deadlock with lockdep's
// two-column "possible unsafe scenario" table.
func ExampleSim_deadlock() {
	// Replay an interleaving: phylink_stop runs, then phylink_resolve, each
	// takes its first lock, then each waits for the other's.
	s := sim.New(sim.Config{}, sim.NewReplay(sim.Schedule{0, 1, 0, 1}))
	a, b := sim.NewMutex("rtnl_mutex"), sim.NewMutex("state_mutex")
	s.Spawn("phylink_stop", func(t *sim.Task) {
		a.Lock(t)
		b.Lock(t)
	})
	s.Spawn("phylink_resolve", func(t *sim.Task) {
		b.Lock(t)
		a.Lock(t)
	})
	s.Run()
	for _, f := range s.Findings() {
		fmt.Printf("%s: %s\n%s", f.Property, f.Summary, f.Detail)
	}
	// Output:
	// deadlock: deadlock between "phylink_resolve" and "phylink_stop"
	// tasks wait on each other:
	//   [1] phylink_resolve                 [0] phylink_stop
	//   -------------------                 ----------------
	//   lock(state_mutex);
	//                                       lock(rtnl_mutex);
	//   mutex_lock(rtnl_mutex);
	//                                       mutex_lock(state_mutex);
	//
	//  *** DEADLOCK ***
}
