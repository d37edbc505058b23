package phy

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// queueStateMachine is phy_queue_state_machine: mod_delayed_work of
// state_queue (a zero delay queues the work at once).
func (d *Device) queueStateMachine(t *sim.Task, delay sim.Time) {
	k := d.l.K
	if delay == 0 {
		k.DelTimer(d.stateTimer)
		k.QueueWork(t, d.stateQueue)
		return
	}
	if !d.stateQueue.Pending() {
		k.ModTimer(d.stateTimer, delay)
	}
}

// TriggerMachine is phy_trigger_machine (and phy_mac_interrupt): run the
// state machine now.
func (d *Device) TriggerMachine(t *sim.Task) {
	t.Enter("phy_trigger_machine")
	defer t.Leave()
	d.queueStateMachine(t, 0)
}

// cancelStateMachineSync is cancel_delayed_work_sync(&phydev->state_queue).
func (d *Device) cancelStateMachineSync(t *sim.Task) {
	t.Enter("cancel_delayed_work_sync")
	defer t.Leave()
	k := d.l.K
	k.DelTimerSync(t, d.stateTimer)
	k.CancelWorkSync(t, d.stateQueue)
}

// isStarted is phy_is_started: state >= PHY_UP.
func (d *Device) isStarted() bool { return d.State >= Up }

// phyStateMachine is phy_state_machine, the state_queue work: the state
// machine under phydev->lock.
func (d *Device) phyStateMachine(t *sim.Task) {
	t.Enter("phy_state_machine")
	defer t.Leave()
	d.Lock.Lock(t)
	d.stateMachine(t)
	d.Lock.Unlock(t)
}

// stateMachine is _phy_state_machine (phydev->lock held): PHY_UP starts
// aneg, NOLINK/RUNNING read the link (phy_check_link_status), HALTED and
// ERROR take a link down; a started polled PHY re-queues itself in
// PHY_STATE_TIME (an interrupt-driven one runs on phy_trigger_machine). A driver error (-EIO once phy_remove cleared
// phydev->drv) is phy_error_precise: WARN, PHY_ERROR, trigger.
// Simplification: aneg completes at once (_phy_start_aneg →
// phy_check_link_status), suspend is not modelled.
func (d *Device) stateMachine(t *sim.Task) {
	t.Enter("_phy_state_machine")
	defer t.Leave()
	if !d.write(t) {
		return
	}
	err := 0
	switch d.State {
	case Up:
		t.Enter("_phy_start_aneg")
		if d.Drv == nil {
			err = -devmodel.EIO
		} else {
			err = d.checkLinkStatus(t)
		}
		t.Leave()
	case NoLink, Running:
		err = d.checkLinkStatus(t)
	case Halted, Error:
		if d.Link {
			d.Link = false
			d.linkDown(t)
		}
	}
	if err < 0 {
		t.Enter("phy_error_precise")
		d.l.K.S.Note("WARNING: phy_error_precise: " + d.Mdio.Dev.Name + " returned " + devmodel.ErrnoName(-err))
		d.State = Error // phy_process_error
		d.queueStateMachine(t, 0)
		t.Leave()
		return
	}
	if d.polling() && d.isStarted() { // an interrupt-driven PHY waits for phy_interrupt
		d.queueStateMachine(t, StateTime)
	}
}

// checkLinkStatus is phy_check_link_status: phy_read_status (-EIO without
// a driver; an MDIO read otherwise), then RUNNING with phy_link_up or
// NOLINK with phy_link_down when the link changed.
func (d *Device) checkLinkStatus(t *sim.Task) int {
	t.Enter("phy_check_link_status")
	defer t.Leave()
	t.Enter("phy_read_status")
	if d.Drv == nil {
		t.Leave()
		return -devmodel.EIO
	}
	if !d.l.MDIO.Access(t, d.Mdio, "read") {
		t.Leave()
		return -devmodel.EIO
	}
	d.Link = d.Medium.LinkUp
	if d.Medium.Interface != "" {
		d.Interface = d.Medium.Interface
	}
	t.Leave()
	switch {
	case d.Link && d.State != Running:
		d.State = Running
		d.linkUp(t)
	case !d.Link && d.State != NoLink:
		d.State = NoLink
		d.linkDown(t)
	case d.Link && d.LinkChange != nil:
		// Simplification: an interface change with the link up is
		// reported as a link change (a rate-matching PHY renegotiates).
		if d.reported != d.Interface {
			d.linkUp(t)
		}
	}
	return 0
}

// linkUp is phy_link_up: phydev->phy_link_change(phydev, true), then
// phy_led_trigger_change_speed.
func (d *Device) linkUp(t *sim.Task) {
	t.Enter("phy_link_up")
	defer t.Leave()
	d.reported = d.Interface
	if d.LinkChange != nil {
		d.LinkChange(t, true)
	}
	d.ledChangeSpeed(t)
}

// linkDown is phy_link_down: phydev->phy_link_change(phydev, false), then
// phy_led_trigger_change_speed.
func (d *Device) linkDown(t *sim.Task) {
	t.Enter("phy_link_down")
	defer t.Leave()
	if d.LinkChange != nil {
		d.LinkChange(t, false)
	}
	d.ledChangeSpeed(t)
}

// Start is phy_start: under phydev->lock, from READY or HALTED (otherwise
// WARN and nothing), state PHY_UP and the state machine triggered.
func (d *Device) Start(t *sim.Task) {
	t.Enter("phy_start")
	defer t.Leave()
	d.Lock.Lock(t)
	defer d.Lock.Unlock(t)
	d.write(t)
	if d.State != Ready && d.State != Halted {
		d.l.K.S.Note("WARNING: phy_start: " + d.Mdio.Dev.Name + " called from state " + d.State.String())
		return
	}
	d.State = Up
	d.queueStateMachine(t, 0) // phy_start_machine
}

// Stop is phy_stop: under phydev->lock, state PHY_HALTED and the state
// machine run once (its link down reaches phylink_phy_change, which takes
// state_mutex: the lock order phydev->lock → state_mutex), then
// phy_stop_machine. Called from a state that is not started (but for DOWN
// and ERROR) it WARNs and does nothing.
func (d *Device) Stop(t *sim.Task) {
	t.Enter("phy_stop")
	defer t.Leave()
	d.l.K.Heap.Access(t, d.obj(), devmodel.Read)
	if !d.isStarted() && d.State != Down && d.State != Error {
		d.l.K.S.Note("WARNING: phy_stop: " + d.Mdio.Dev.Name + " called from state " + d.State.String())
		return
	}
	d.Lock.Lock(t)
	d.write(t)
	d.State = Halted
	d.stateMachine(t)
	d.Lock.Unlock(t)
	d.stopMachine(t)
}

// stopMachine is phy_stop_machine: cancel_delayed_work_sync, then under
// phydev->lock a started PHY goes back to PHY_UP.
func (d *Device) stopMachine(t *sim.Task) {
	t.Enter("phy_stop_machine")
	defer t.Leave()
	d.cancelStateMachineSync(t)
	d.Lock.Lock(t)
	if d.isStarted() {
		d.write(t)
		d.State = Up
	}
	d.Lock.Unlock(t)
}
