package sim

import "testing"

type hNode struct {
	Name  string
	N     int
	Next  *hNode
	Peers []*hNode
	Tags  map[string]int
	Refs  map[*hNode]bool
	Site  string `state:"-"`
	Freed *int   `state:"set"`
	Fn    func()
	Any   any
}

func keyOfValue(v any) (StateKey, bool) {
	h := NewStateHash()
	h.Value(v)
	return h.Sum()
}

// graph builds a ring of two nodes with maps; mutate changes one thing.
func graph(mutate func(a, b *hNode)) *hNode {
	a := &hNode{Name: "a", N: 1, Tags: map[string]int{}}
	b := &hNode{Name: "b", N: 2, Tags: map[string]int{}}
	a.Next, b.Next = b, a
	a.Peers = []*hNode{b}
	for i, k := range []string{"x", "y", "z", "w"} {
		a.Tags[k] = i
	}
	for _, k := range []string{"w", "z", "y", "x"} { // other insertion order
		b.Tags[k] = len(k)
	}
	a.Refs = map[*hNode]bool{a: true, b: false}
	a.Fn = func() {}
	if mutate != nil {
		mutate(a, b)
	}
	return a
}

func TestStateHashEqualShapesHashAlike(t *testing.T) {
	k1, ok1 := keyOfValue(graph(nil))
	k2, ok2 := keyOfValue(graph(nil))
	if !ok1 || !ok2 || k1 != k2 {
		t.Fatalf("two builds of one graph: %v %v (%v %v)", k1, k2, ok1, ok2)
	}
	same := func(a, b *hNode) { a.Site, b.Site = "elsewhere", "t=5" }
	if k, _ := keyOfValue(graph(same)); k != k1 {
		t.Errorf("a state:\"-\" field changed the key")
	}
	freedA := func(a, b *hNode) { n := 7; a.Freed = &n }
	freedB := func(a, b *hNode) { n := 9; a.Freed = &n }
	ka, _ := keyOfValue(graph(freedA))
	kb, _ := keyOfValue(graph(freedB))
	if ka != kb || ka == k1 {
		t.Errorf("a state:\"set\" field: set twice %v %v, unset %v", ka, kb, k1)
	}
}

func TestStateHashTellsStatesApart(t *testing.T) {
	base, _ := keyOfValue(graph(nil))
	for name, m := range map[string]func(a, b *hNode){
		"int":         func(a, b *hNode) { b.N = 3 },
		"string":      func(a, b *hNode) { b.Name = "c" },
		"aliasing":    func(a, b *hNode) { a.Peers = []*hNode{{Name: "b", N: 2, Next: a, Tags: b.Tags}} },
		"map value":   func(a, b *hNode) { a.Tags["x"] = 9 },
		"map key":     func(a, b *hNode) { delete(a.Tags, "x"); a.Tags["v"] = 0 },
		"pointer key": func(a, b *hNode) { a.Refs[a], a.Refs[b] = false, true },
		"nil slice":   func(a, b *hNode) { a.Peers = nil },
		"empty slice": func(a, b *hNode) { a.Peers = []*hNode{} },
		"func":        func(a, b *hNode) { a.Fn = nil },
		"interface":   func(a, b *hNode) { a.Any = 1 },
		"iface type":  func(a, b *hNode) { a.Any = int64(0) },
	} {
		k, ok := keyOfValue(graph(m))
		if !ok || k == base {
			t.Errorf("%s: key unchanged (%v) or unhashable (%v)", name, k == base, !ok)
		}
	}
}

func TestStateHashUnhashable(t *testing.T) {
	if _, ok := keyOfValue(graph(func(a, b *hNode) { a.Any = make(chan int) })); ok {
		t.Error("a channel was hashed")
	}
	stranger := &hNode{Name: "not in the graph"}
	if _, ok := keyOfValue(graph(func(a, b *hNode) { a.Refs[stranger] = true })); ok {
		t.Error("a map keyed by a pointer met nowhere else was hashed")
	}
}

// phases: two tasks each update their own counter (every interleaving
// ends in the same state), then a named event starts a lost-update race.
func phases(c Chooser, cached, named bool) (lost bool) {
	s := New(Config{}, c)
	var st struct{ A, B, X int }
	if cached {
		s.SetFingerprint(func(h *StateHash) { h.Value(&st) })
	}
	for _, p := range []*int{&st.A, &st.B} {
		s.Spawn("setup", func(t *Task) {
			*p++
			t.Yield("again")
			*p++
		})
	}
	race := func() {
		for range 2 {
			s.Spawn("inc", func(t *Task) {
				v := st.X
				t.Yield("write")
				st.X = v + 1
			})
		}
	}
	if named {
		s.AtNamed(Millisecond, "race", race)
	} else {
		s.At(Millisecond, race) // pending at rest: the state is unhashable
	}
	s.Run()
	return st.X != 2
}

func TestDFSStateCaching(t *testing.T) {
	search := func(cached, named bool) (d *DFS, found bool) {
		d = NewDFS(2)
		d.NoCache = !cached
		for d.Next() {
			found = phases(d.Chooser(), cached, named) || found
		}
		return d, found
	}
	plain, found1 := search(false, true)
	cached, found2 := search(true, true)
	revisits, skipped := cached.Pruned()
	if !found1 || !found2 {
		t.Fatalf("lost update found without caching %v, with %v", found1, found2)
	}
	if cached.Unreduced() != plain.Runs() || plain.Unreduced() != plain.Runs() {
		t.Fatalf("covered %d schedules with caching, %d without (%d runs)", cached.Unreduced(), plain.Unreduced(), plain.Runs())
	}
	if cached.Runs() >= plain.Runs() || revisits == 0 || cached.Runs()+skipped != plain.Runs() {
		t.Fatalf("with caching %d runs (%d revisits, %d skipped), without %d", cached.Runs(), revisits, skipped, plain.Runs())
	}
}

func TestDFSStateCachingNeedsNamedEvents(t *testing.T) {
	d := NewDFS(2)
	for d.Next() {
		phases(d.Chooser(), true, false)
	}
	// Every task-free point with something still to happen has the event
	// pending; the end of each execution is not a point worth caching.
	if revisits, _ := d.Pruned(); revisits != 0 || d.States() != 0 || d.Unhashable() == 0 {
		t.Fatalf("with an unnamed event pending: %d revisits, %d states, %d unhashable points", revisits, d.States(), d.Unhashable())
	}
}
