package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type cpLeaf struct {
	n    int
	name string
}

type cpRoot struct {
	leaf   *cpLeaf
	leaves []*cpLeaf
	vals   []int
	byName map[string]*cpLeaf
	since  map[*cpLeaf]Time
	other  map[int]string
	iface  any
	fn     func() int
}

// TestCheckpointRestoresInPlace: after arbitrary changes to a graph
// (fields, slices grown and rewritten, maps of every shape, interfaces),
// Restore puts back what every object held, in the same objects.
func TestCheckpointRestoresInPlace(t *testing.T) {
	a, b := &cpLeaf{1, "a"}, &cpLeaf{2, "b"}
	r := &cpRoot{leaf: a, leaves: []*cpLeaf{a, b}, vals: make([]int, 2, 8),
		byName: map[string]*cpLeaf{"a": a}, since: map[*cpLeaf]Time{a: 5}, other: map[int]string{1: "x"},
		iface: b, fn: func() int { return a.n }}
	snapshot := func() []any {
		return []any{*r.leaf, *r.leaves[0], *r.leaves[1], len(r.leaves), append([]int(nil), r.vals...),
			len(r.byName), r.byName["a"], len(r.since), r.since[a], len(r.other), r.other[1], r.iface, r.fn()}
	}
	want := snapshot()
	c, err := SaveGraph(r)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		c2 := &cpLeaf{3, "c"}
		a.n, a.name, b.n = 10+round, "changed", 20
		r.leaves = append(r.leaves, c2)
		r.leaves[0] = c2
		r.vals = append(r.vals, 7)
		r.vals[0] = 9
		r.byName["c"] = c2
		r.byName["a"] = b
		delete(r.since, a)
		r.since[b] = 9
		r.other[2] = "y"
		r.iface = c2
		r.leaf = c2
		c.Restore()
		if r.leaf != a || r.leaves[0] != a || r.iface != any(b) || r.byName["a"] != a {
			t.Fatalf("round %d: pointers not restored to the same objects", round)
		}
		if d := cmp.Diff(want, snapshot(), cmp.AllowUnexported(cpLeaf{})); d != "" {
			t.Fatalf("round %d: restored graph differs (-saved +restored):\n%s", round, d)
		}
	}
}

// TestCheckpointRefusesChannels: a channel in the graph is an error.
func TestCheckpointRefusesChannels(t *testing.T) {
	if _, err := SaveGraph(&struct{ c chan int }{make(chan int)}); err == nil {
		t.Error("a graph with a channel was saved")
	}
}
