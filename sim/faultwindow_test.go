package sim

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// idleTwoFaults is an idle world (no task, no event) with two faults whose
// windows overlap; each fault records its name and firing time.
func idleTwoFaults(c Chooser, lapse bool) (*Sim, *[]string) {
	s := New(Config{Horizon: 5 * Second, FaultsMayLapse: lapse}, c)
	var fired []string
	s.Arm("unbind pcs", 500*Millisecond, 3*Second, func() { fired = append(fired, "unbind@"+s.Now().String()) })
	s.Arm("rmmod mac", Second, 2*Second, func() { fired = append(fired, "rmmod@"+s.Now().String()) })
	return s, &fired
}

func TestIdleWorldFiresEveryFaultInBothOrders(t *testing.T) {
	orders := map[string]int{}
	for seed := range uint64(64) {
		s, fired := idleTwoFaults(NewRandom(seed), false)
		if end := s.Run(); end != EndQuiescent {
			t.Fatalf("seed %d: end %v", seed, end)
		}
		if len(*fired) != 2 {
			t.Fatalf("seed %d: fired %v; want both faults (the world was idle, not over)", seed, *fired)
		}
		orders[(*fired)[0][:5]]++
	}
	if orders["unbin"] == 0 || orders["rmmod"] == 0 {
		t.Fatalf("first fault over 64 seeds: %v; want both orders", orders)
	}
}

func TestDFSEnumeratesBothFaultOrders(t *testing.T) {
	d := NewDFS(0)
	var got []string
	for d.Next() {
		s, fired := idleTwoFaults(d.Chooser(), false)
		s.Run()
		got = append(got, strings.Join(*fired, " "))
	}
	slices.Sort(got)
	want := []string{
		"rmmod@1.000000s unbind@1.000000s",
		"unbind@0.500000s rmmod@1.000000s",
	}
	if diff := cmp.Diff(want, got); diff != "" || !d.Exhausted() {
		t.Fatalf("dfs schedules (-want +got):\n%s", diff)
	}
}

func TestFaultsMayLapseWhenScripted(t *testing.T) {
	// A scripted execution that always lets time advance fires nothing.
	s, fired := idleTwoFaults(advancer{}, true)
	s.Run()
	if len(*fired) != 0 {
		t.Fatalf("fired %v with FaultsMayLapse and a chooser that always advances", *fired)
	}
	// Without FaultsMayLapse that chooser has no "advance" to pick.
	s, fired = idleTwoFaults(advancer{}, false)
	s.Run()
	if len(*fired) != 2 {
		t.Fatalf("fired %v; want both faults", *fired)
	}
}

// advancer picks "advance time" whenever it is offered, else a task,
// else the first fault.
type advancer struct{}

func (advancer) Choose(n int, label string) int { return 0 }
func (advancer) Pick(cands []Candidate, step int) int {
	for i, c := range cands {
		if c.ID == AdvanceID {
			return i
		}
	}
	for i, c := range cands {
		if c.Label != "" {
			return i
		}
	}
	return 0
}

func TestBusyWorldFiresFaultBeforeItsWindowCloses(t *testing.T) {
	// A task that runs past the whole window: a chooser that always prefers
	// the task must still see the fault fire, inside its window.
	s := New(Config{Horizon: Second, StepCost: Millisecond}, advancer{})
	var at Time = -1
	s.Spawn("busy", func(t *Task) {
		for range 100 {
			t.Yield("spin")
		}
	})
	s.Arm("unbind pcs", 10*Millisecond, 20*Millisecond, func() { at = s.Now() })
	s.Run()
	if at < 10*Millisecond || at > 20*Millisecond {
		t.Fatalf("fault fired at %v; want within [10ms, 20ms]", at)
	}
}

func TestEventsAndFaultsInterleave(t *testing.T) {
	// A timer event inside the window: the fault may fire before or after
	// it, never later than its window.
	seen := map[bool]bool{}
	for seed := range uint64(32) {
		s := New(Config{Horizon: 5 * Second}, NewRandom(seed))
		var tick, fault Time = -1, -1
		s.At(Second, func() { tick = s.Now() })
		s.Arm("unbind pcs", 500*Millisecond, 1500*Millisecond, func() { fault = s.Now() })
		s.Run()
		if fault < 0 || fault > 1500*Millisecond || tick != Second {
			t.Fatalf("seed %d: fault at %v, tick at %v", seed, fault, tick)
		}
		seen[fault < tick] = true
	}
	if !seen[true] || !seen[false] {
		t.Fatalf("fault before/after the timer: %v; want both", seen)
	}
}

func TestFaultAtTheHorizonRunsItsTask(t *testing.T) {
	// A fault whose window opens at the horizon fires and its task runs:
	// the end of time is not the end of a window.
	s := New(Config{Horizon: 3 * Second}, NewRandom(1))
	ran := false
	s.Arm("unbind pcs", 3*Second, 4*Second, func() {
		s.Spawn("sysfs unbind", func(t *Task) {
			t.Yield("remove")
			ran = true
		})
	})
	if end := s.Run(); !ran || end != EndQuiescent {
		t.Fatalf("end %v, task ran %v; want the task to run", end, ran)
	}
}

func TestFiringAFaultNeverSkipsAnotherWindow(t *testing.T) {
	// Disjoint windows in an idle world: firing the later fault first
	// would jump time past the earlier window; it is not offered until the
	// earlier one has fired.
	for seed := range uint64(32) {
		s := New(Config{Horizon: 2 * Second}, NewRandom(seed))
		var fired []string
		s.Arm("unbind", 100*Millisecond, 100*Millisecond, func() { fired = append(fired, "unbind") })
		s.Arm("ip-up", 200*Millisecond, 200*Millisecond, func() { fired = append(fired, "ip-up") })
		s.Run()
		if diff := cmp.Diff([]string{"unbind", "ip-up"}, fired); diff != "" {
			t.Fatalf("seed %d: fired (-want +got):\n%s", seed, diff)
		}
	}
}
