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
