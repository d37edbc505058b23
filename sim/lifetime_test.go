package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// uafTrace is a hand-made trace: task 0 allocates object 1 under a lock,
// task 1 frees it, task 2 reads it (a use after free) and frees it again.
func uafTrace() []Step {
	return []Step{
		{N: 1, At: 0, Task: 0, TaskName: "init", Label: "start", Marks: []Mark{{Kind: MarkLock, Name: "rtnl_mutex"}, {Kind: MarkAlloc, Obj: 1, Name: `struct x "x0"`}}},
		{N: 2, At: 1, Task: 0, TaskName: "init", Label: "use", Marks: []Mark{{Kind: MarkRead, Obj: 1}, {Kind: MarkLock, Name: "device_lock"}, {Kind: MarkUnlock, Name: "rtnl_mutex"}}},
		{N: 2, At: 1, Task: -1, Label: "inject unbind"},
		{N: 3, At: 2, Task: 1, TaskName: "unbind", Label: "remove", Marks: []Mark{{Kind: MarkFree, Obj: 1}}},
		{N: 4, At: 3, Task: 2, TaskName: "kworker", Label: "get_state", Marks: []Mark{{Kind: MarkRead, Obj: 1}}},
		{N: 5, At: 4, Task: 2, TaskName: "kworker", Label: "again", Marks: []Mark{{Kind: MarkFree, Obj: 1}}},
	}
}

func TestLifetimes(t *testing.T) {
	want := []Lifetime{{Obj: 1, Name: `struct x "x0"`, Alloc: 0, Free: 3, Accesses: []int{1, 4}}}
	if diff := cmp.Diff(want, Lifetimes(uafTrace())); diff != "" {
		t.Errorf("lifetimes (-want +got):\n%s", diff)
	}
}

func TestLockSpans(t *testing.T) {
	want := []LockSpan{
		{Task: 0, Lock: "rtnl_mutex", From: 0, To: 1, Depth: 0},
		{Task: 0, Lock: "device_lock", From: 1, To: -1, Depth: 1},
	}
	if diff := cmp.Diff(want, LockSpans(uafTrace())); diff != "" {
		t.Errorf("lock spans (-want +got):\n%s", diff)
	}
}

// TestCulprit: the step that reads the freed object and the one that
// frees it again misuse it; the steps before the free do not.
func TestCulprit(t *testing.T) {
	tr := uafTrace()
	type got struct {
		Obj  int
		Kind MarkKind
		OK   bool
	}
	for entry, want := range map[int]got{0: {}, 1: {}, 3: {}, 4: {1, MarkRead, true}, 5: {1, MarkFree, true}, -1: {}, 9: {}} {
		obj, kind, ok := Culprit(tr, entry)
		if diff := cmp.Diff(want, got{obj, kind, ok}); diff != "" {
			t.Errorf("entry %d (-want +got):\n%s", entry, diff)
		}
	}
}

// TestFindingEntry: a finding made in a step is found at that step's
// entry; one made after the last step (an end-of-execution check, at a
// later time) at none.
func TestFindingEntry(t *testing.T) {
	tr := uafTrace()
	for _, tc := range []struct {
		f    Finding
		want int
	}{
		{Finding{Step: 4, At: 3}, 4},
		{Finding{Step: 2, At: 1}, 1},
		{Finding{Step: 5, At: 5}, -1},
		{Finding{Step: 7, At: 9}, -1},
	} {
		if got := FindingEntry(tr, tc.f); got != tc.want {
			t.Errorf("FindingEntry(step %d, t=%d) = %d, want %d", tc.f.Step, tc.f.At, got, tc.want)
		}
	}
}

func TestFindingTitle(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{Summary: "x", Kernel: "=====\nBUG: KASAN: slab-use-after-free in f+0x0/0x0\nRead of size 8\n"}, "BUG: KASAN: slab-use-after-free in f+0x0/0x0"},
		{Finding{Summary: "leak: struct x"}, "BUG: pcssim: leak: struct x"},
	} {
		if got := tc.f.Title(); got != tc.want {
			t.Errorf("Title() = %q, want %q", got, tc.want)
		}
	}
}
