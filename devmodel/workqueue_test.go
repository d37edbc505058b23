package devmodel

import (
	"strings"
	"testing"

	"github.com/pcssim/pcssim/sim"
)

// cancelUnderLock runs a work item that takes lock, and a task that calls
// cancel_work_sync on it, with or without holding lock, over many
// interleavings; it returns the findings of every execution that had any.
func cancelUnderLock(t *testing.T, holdLock bool) []sim.Finding {
	t.Helper()
	var all []sim.Finding
	for seed := range uint64(200) {
		s := sim.New(sim.Config{}, sim.NewRandom(seed))
		k := New(s)
		lock := sim.NewMutex("state_mutex")
		w := k.NewWork("resolve", func(t *sim.Task) {
			lock.Lock(t)
			t.Yield("work body")
			lock.Unlock(t)
		})
		s.Spawn("queue", func(t *sim.Task) { k.QueueWork(t, w) })
		s.Spawn("stop", func(t *sim.Task) {
			t.Yield("before stop")
			if holdLock {
				lock.Lock(t)
			}
			k.CancelWorkSync(t, w)
			if holdLock {
				lock.Unlock(t)
			}
		})
		s.Run()
		all = append(all, s.Findings()...)
	}
	return all
}

func TestCancelWorkSyncUnderWorkLockDeadlocks(t *testing.T) {
	f := cancelUnderLock(t, true)
	if len(f) == 0 {
		t.Fatal("cancel_work_sync under the work's own mutex: no deadlock in 200 seeds")
	}
	for _, x := range f {
		if x.Property != "deadlock" {
			t.Fatalf("unexpected %s: %s", x.Property, x.Summary)
		}
	}
	for _, want := range []string{"state_mutex", "cancel_work_sync(resolve)"} {
		if !strings.Contains(f[0].Detail, want) {
			t.Errorf("deadlock report lacks %q:\n%s", want, f[0].Detail)
		}
	}
}

func TestCancelWorkSyncOutsideLockIsClean(t *testing.T) {
	if f := cancelUnderLock(t, false); len(f) != 0 {
		t.Fatalf("cancel_work_sync outside the lock reported %s: %s", f[0].Property, f[0].Summary)
	}
}
