package sim

import "testing"

// lostUpdate runs two tasks that each read a shared counter, yield, and
// write it back plus one; only a preemption between read and write loses an
// update.
func lostUpdate(c Chooser) bool {
	s := New(Config{}, c)
	x := 0
	for range 2 {
		s.Spawn("inc", func(t *Task) {
			v := x
			t.Yield("write")
			x = v + 1
		})
	}
	s.Run()
	return x != 2
}

func TestDFSBoundDecidesWhatIsFound(t *testing.T) {
	for _, tc := range []struct {
		bound int
		found bool
	}{{0, false}, {1, true}, {2, true}} {
		d := NewDFS(tc.bound)
		found := false
		for d.Next() {
			found = found || lostUpdate(d.Chooser())
		}
		if !d.Exhausted() || found != tc.found {
			t.Errorf("bound %d: exhausted %v after %d runs, lost update found %v, want %v",
				tc.bound, d.Exhausted(), d.Runs(), found, tc.found)
		}
	}
}

func TestDFSRunsEachScheduleOnce(t *testing.T) {
	// Three tasks of two steps each, no bound that matters: DFS must run
	// every distinct interleaving exactly once (6!/(2!2!2!) = 90).
	d := NewDFS(100)
	seen := map[string]bool{}
	for d.Next() {
		s := New(Config{}, d.Chooser())
		var order []byte
		for i := range 3 {
			s.Spawn("t", func(t *Task) {
				order = append(order, byte('a'+i))
				t.Yield("second")
				order = append(order, byte('a'+i))
			})
		}
		s.Run()
		if seen[string(order)] {
			t.Fatalf("interleaving %s run twice", order)
		}
		seen[string(order)] = true
	}
	if len(seen) != 90 {
		t.Fatalf("%d interleavings, want 90", len(seen))
	}
}

// TestDFSSymmetryReduction: two interchangeable faults (same name and
// window) are explored once; the reported unreduced count equals the run
// count of the same search with the faults made distinguishable, and the
// bug is found either way.
func TestDFSSymmetryReduction(t *testing.T) {
	search := func(names [2]string) (runs, unreduced int, found bool) {
		d := NewDFS(2)
		for d.Next() {
			s := New(Config{}, d.Chooser())
			x := 0
			s.Spawn("reader", func(t *Task) {
				v := x
				t.Yield("use")
				t.Yield("use again")
				if v != x {
					found = true
				}
			})
			for _, n := range names {
				s.Arm(n, 0, Second, func() { s.Spawn("writer", func(t *Task) { x++ }) })
			}
			s.Run()
		}
		return d.Runs(), d.Unreduced(), found
	}
	full, fullUnreduced, found1 := search([2]string{"unbind a", "unbind b"})
	runs, unreduced, found2 := search([2]string{"unbind", "unbind"})
	if full != fullUnreduced {
		t.Fatalf("without twins: %d runs but %d unreduced", full, fullUnreduced)
	}
	if runs >= full || unreduced != full {
		t.Fatalf("with twins: %d runs, %d unreduced; want fewer runs than %d and unreduced = %d", runs, unreduced, full, full)
	}
	if !found1 || !found2 {
		t.Fatalf("bug found without reduction %v, with %v", found1, found2)
	}
}

// interleave runs three tasks of two steps each under c; each step
// touches a resource named by res(task). It returns the order of steps.
func interleave(c Chooser, res func(i int) string) string {
	s := New(Config{}, c)
	var order []byte
	for i := range 3 {
		s.Spawn("t", func(t *Task) {
			t.s.Footprint("obj", res(i), true)
			order = append(order, byte('a'+i))
			t.Yield("second")
			t.s.Footprint("obj", res(i), true)
			order = append(order, byte('a'+i))
		})
	}
	s.Run()
	return string(order)
}

// TestDFSSleepSets: with partial-order reduction, tasks whose steps touch
// different resources are not run in every order (all orders are
// equivalent), tasks that write one resource are (90 interleavings), and
// the lost update of a shared counter is still found with one
// preemption and not without.
func TestDFSSleepSets(t *testing.T) {
	runs := func(res func(i int) string) (int, int) {
		d := NewDFS(100)
		d.Reduce = true
		seen := map[string]bool{}
		for d.Next() {
			seen[interleave(d.Chooser(), res)] = true
		}
		return d.Runs(), len(seen)
	}
	if n, distinct := runs(func(i int) string { return string(rune('x' + i)) }); n >= 90 || distinct != n {
		t.Errorf("independent tasks: %d executions (%d distinct), want fewer than 90", n, distinct)
	}
	if n, distinct := runs(func(int) string { return "shared" }); n != 90 || distinct != 90 {
		t.Errorf("dependent tasks: %d executions (%d distinct), want all 90", n, distinct)
	}
	for _, tc := range []struct {
		bound int
		found bool
	}{{0, false}, {1, true}, {2, true}} {
		d := NewDFS(tc.bound)
		d.Reduce = true
		found := false
		for d.Next() {
			s := New(Config{}, d.Chooser())
			x := 0
			for range 2 {
				s.Spawn("inc", func(t *Task) {
					t.s.Footprint("counter", "x", false)
					v := x
					t.Yield("write")
					t.s.Footprint("counter", "x", true)
					x = v + 1
				})
			}
			s.Run()
			found = found || x != 2
		}
		if !d.Exhausted() || found != tc.found {
			t.Errorf("bound %d: lost update found %v, want %v", tc.bound, found, tc.found)
		}
	}
}
