package devmodel

import (
	"github.com/pcssim/pcssim/sim"
)

// Work is struct work_struct on a workqueue. An instance runs in its own
// worker task; the same work never runs concurrently with itself (queued
// while running, it runs again afterwards), as in the kernel.
type Work struct {
	Name    string
	fn      func(t *sim.Task)
	pending bool
	running *sim.Task
	idle    sim.WaitQueue
	k       *Kernel
	label   string
}

// NewWork is INIT_WORK.
func (k *Kernel) NewWork(name string, fn func(t *sim.Task)) *Work {
	return &Work{Name: name, fn: fn, k: k, label: "kworker: " + name}
}

// Holder implements sim.Holder: the worker running the work.
func (w *Work) Holder() *sim.Task { return w.running }

// Pending reports whether the work is queued and not yet started.
func (w *Work) Pending() bool { return w.pending }

// Running reports whether an instance is executing.
func (w *Work) Running() bool { return w.running != nil }

// QueueWork is queue_work: false if the work was already pending.
func (k *Kernel) QueueWork(t *sim.Task, w *Work) bool {
	k.S.Footprint("work", w.Name, true) // pending, running (dfs reduction)
	if w.pending {
		return false
	}
	w.pending = true
	if w.running == nil {
		k.S.Spawn(w.label, func(t *sim.Task) {
			for {
				k.S.Footprint("work", w.Name, true) // pending, shared with queue_work
				if !w.pending {
					break
				}
				w.pending = false
				w.running = t
				w.fn(t)
				w.running = nil
			}
			w.idle.WakeAll()
		})
	}
	return true
}

// FlushWork is flush_work: wait until the work is neither pending nor
// running. Simplification: it waits for idleness, not for one instance.
func (k *Kernel) FlushWork(t *sim.Task, w *Work) bool {
	t.Enter("flush_work")
	defer t.Leave()
	t.Yield("flush_work(" + w.Name + ")")
	k.S.Footprint("work", w.Name, false)
	waited := false
	for w.pending || w.running != nil {
		if w.running == t {
			panic("devmodel: flush_work from the work itself")
		}
		waited = true
		w.idle.WaitTracked(t, "flush_work("+w.Name+")", w)
	}
	return waited
}

// CancelWorkSync is cancel_work_sync: a pending instance is cancelled and a
// running one waited for. It returns whether the work was pending.
func (k *Kernel) CancelWorkSync(t *sim.Task, w *Work) bool {
	t.Enter("cancel_work_sync")
	defer t.Leave()
	t.Yield("cancel_work_sync(" + w.Name + ")")
	k.S.Footprint("work", w.Name, true)
	was := w.pending
	w.pending = false
	for w.running != nil {
		w.idle.WaitTracked(t, "cancel_work_sync("+w.Name+")", w)
	}
	return was
}

// Timer is struct timer_list. Its callback runs as a task (softirq
// context) when it expires.
type Timer struct {
	Name    string
	fn      func(t *sim.Task)
	pending bool
	expires sim.Time
	running *sim.Task
	idle    sim.WaitQueue
	k       *Kernel
	label   string
}

// NewTimer is timer_setup.
func (k *Kernel) NewTimer(name string, fn func(t *sim.Task)) *Timer {
	return &Timer{Name: name, fn: fn, k: k, label: "timer: " + name}
}

// Holder implements sim.Holder.
func (tm *Timer) Holder() *sim.Task { return tm.running }

// Pending is timer_pending.
func (tm *Timer) Pending() bool { return tm.pending }

// ModTimer is mod_timer: (re)arm the timer to expire after d.
func (k *Kernel) ModTimer(tm *Timer, d sim.Time) {
	at := k.S.Now() + d
	tm.expires, tm.pending = at, true
	// An event of an earlier arming finds the timer deleted or expiring
	// at another time and does nothing.
	k.S.AtNamed(at, tm.label, func() {
		if !tm.pending || tm.expires != at {
			return
		}
		tm.pending = false
		// The callback counts as running from expiry on, so del_timer_sync
		// waits for it even before its task got the CPU.
		tm.running = k.S.Spawn(tm.label, func(t *sim.Task) {
			tm.fn(t)
			k.S.Footprint("timer", tm.Name, true)
			tm.running = nil
			tm.idle.WakeAll()
		})
	})
}

// DelTimer is del_timer: deactivate without waiting for a running callback.
func (k *Kernel) DelTimer(tm *Timer) bool {
	k.S.Footprint("timer", tm.Name, true)
	was := tm.pending
	tm.pending = false
	return was
}

// DelTimerSync is del_timer_sync (timer_delete_sync since the rename, see
// FeatTimerDeleteNames): deactivate and wait for a running callback,
// deleting again after it (try_to_del_timer_sync in a loop), so a callback
// that re-arms itself stays dead.
func (k *Kernel) DelTimerSync(t *sim.Task, tm *Timer) bool {
	fn := "del_timer_sync"
	if k.Has(FeatTimerDeleteNames) {
		fn = "timer_delete_sync"
	}
	t.Enter(fn)
	defer t.Leave()
	k.S.Footprint("timer", tm.Name, true)
	was := k.DelTimer(tm)
	for tm.running != nil && tm.running != t {
		tm.idle.WaitTracked(t, fn+"("+tm.Name+")", tm)
		was = k.DelTimer(tm) || was
	}
	return was
}
