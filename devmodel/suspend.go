package devmodel

import "github.com/pcssim/pcssim/sim"

// UserTask runs body as a user-space process's system call: it does not
// start while user space is frozen (try_to_freeze at the return to user
// space before it), and freezing waits for it to finish. Simplification:
// a process is frozen only between system calls, never inside one.
func (k *Kernel) UserTask(t *sim.Task, body func()) {
	for k.frozen {
		k.thawed.Wait(t, "refrigerator", nil)
	}
	k.userInFlight++
	defer func() {
		k.userInFlight--
		k.userIdle.WakeAll()
	}()
	body()
}

// SystemSuspend is a suspend to idle and back (pm_suspend →
// enter_state → suspend_devices_and_enter): user space is frozen
// (freeze_processes waits for the system calls in flight), dpm_suspend
// calls each device's ->suspend from the newest (children and link
// consumers first, the order device_shutdown takes), the system sleeps
// for d, dpm_resume calls ->resume in the opposite order, and user space
// is thawed. Kernel work (workqueues, timers, interrupts) keeps running:
// phylink's resolve work is not freezable. Simplification: the noirq and
// late phases are not modelled.
func (k *Kernel) SystemSuspend(t *sim.Task, d sim.Time) {
	t.Enter("pm_suspend")
	defer t.Leave()
	t.Enter("freeze_processes")
	k.frozen = true
	for k.userInFlight > 0 {
		k.userIdle.Wait(t, "freeze_processes", nil)
	}
	t.Leave()
	var order []*Device
	t.Enter("dpm_suspend")
	for {
		dev := k.nextToShutDown()
		if dev == nil {
			break
		}
		dev.shutDown = true // off the list for this walk
		order = append(order, dev)
		if drv := dev.Driver; drv != nil && drv.Suspend != nil {
			dev.Lock.Lock(t)
			drv.Suspend(t, dev)
			dev.Lock.Unlock(t)
		}
	}
	t.Leave()
	for _, dev := range order {
		dev.shutDown = false
	}
	t.Sleep(d)
	t.Enter("dpm_resume")
	for i := len(order) - 1; i >= 0; i-- {
		dev := order[i]
		if drv := dev.Driver; drv != nil && drv.Resume != nil {
			dev.Lock.Lock(t)
			drv.Resume(t, dev)
			dev.Lock.Unlock(t)
		}
	}
	t.Leave()
	t.Enter("thaw_processes")
	k.frozen = false
	k.thawed.WakeAll()
	t.Leave()
}
