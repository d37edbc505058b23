package sim

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// runRecovering runs s and returns what its Run panicked with (nil: none).
func runRecovering(s *Sim) (p any) {
	defer func() { p = recover() }()
	s.Run()
	return nil
}

// modelBug stands for model code with a bug: it panics in the middle of a
// simulated kernel call chain.
func modelBug(t *Task) {
	t.Enter("phylink_create")
	defer t.Leave()
	t.Yield("pcs lookup")
	t.Enter("pcs_get")
	defer t.Leave()
	var m map[string]int
	m["boom"]++ // assignment to entry in nil map
}

// TestTaskPanicCarriesStacks: a panic in a task reaches Run's caller as a
// *TaskPanic naming the task, its kernel call chain (innermost first) and
// the Go stack of the panicking code, which iter.Pull alone would lose.
func TestTaskPanicCarriesStacks(t *testing.T) {
	s := New(Config{Horizon: 1 << 40, MaxSteps: 1000}, NewRandom(1))
	s.Spawn("idle", func(t *Task) { t.Yield("a"); t.Yield("b") })
	s.Spawn("modprobe mac", modelBug)
	got, ok := runRecovering(s).(*TaskPanic)
	if !ok {
		t.Fatalf("Run panicked with %T, want *TaskPanic", got)
	}
	want := &TaskPanic{Task: "modprobe mac", TaskID: 1, KernelStack: []string{"pcs_get", "phylink_create"}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(TaskPanic{}, "Value", "GoStack")); diff != "" {
		t.Errorf("TaskPanic (-want +got):\n%s", diff)
	}
	if !strings.Contains(got.GoStack, "sim.modelBug") {
		t.Errorf("Go stack lacks the panicking model function:\n%s", got.GoStack)
	}
	if got.Unwrap() == nil || !strings.Contains(got.Error(), "nil map") || !strings.Contains(got.String(), "\n pcs_get\n phylink_create") {
		t.Errorf("value %v, Error %q, String %q", got.Value, got.Error(), got.String())
	}
}

// TestEventPanicCarriesGoStack: a panic in an event callback (no task)
// has the Go stack and no task; a clean run does not panic.
func TestEventPanicCarriesGoStack(t *testing.T) {
	s := New(Config{Horizon: 1 << 40, MaxSteps: 1000}, NewRandom(1))
	s.After(5, func() { panic("timer bug") })
	got, ok := runRecovering(s).(*TaskPanic)
	if !ok {
		t.Fatalf("Run panicked with %T, want *TaskPanic", got)
	}
	if got.Task != "" || got.KernelStack != nil || got.Value != "timer bug" || !strings.Contains(got.GoStack, "TestEventPanicCarriesGoStack") {
		t.Errorf("got %#v", got)
	}
	s = New(Config{Horizon: 1 << 40, MaxSteps: 1000}, NewRandom(1))
	s.Spawn("fine", func(t *Task) { t.Enter("f"); t.Yield("x"); t.Leave() })
	s.After(5, func() {})
	if p := runRecovering(s); p != nil {
		t.Errorf("clean run panicked: %v", p)
	}
}
