package phy

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// irqLine is the PHY's interrupt line as the IRQ core sees it: the
// threaded handler request_threaded_irq registered (nil: none) and the
// handler thread's state. It is not phy_device memory: a handler left
// requested outlives phy_remove and the phy_device itself.
type irqLine struct {
	name    string // phydev_name: the irq thread is "irq: NAME"
	handler func(t *sim.Task)
	// running: the handler thread runs; rerun: the line fired again
	// meanwhile (IRQF_ONESHOT keeps it masked until the thread ends,
	// then the still-pending interrupt wakes the thread once more).
	running, rerun bool
	done           sim.WaitQueue
}

// polling is phy_polling_mode: phydev->irq == PHY_POLL (cable tests are
// not modelled).
func (d *Device) polling() bool { return !d.IRQ }

// supportsIRQ is phy_drv_supports_irq(phydev->drv): config_intr and
// handle_interrupt set. Simplification: every modelled PHY driver has
// both but genphy, which has neither.
func (d *Device) supportsIRQ() bool { return d.Drv != nil && d.Drv != d.l.genphy }

// configInterrupt is phy_config_interrupt: phydev->interrupts, then
// phydev->drv->config_intr, which writes the PHY's interrupt enable (the
// hardware keeps it until the next write). phydev->drv is read without a
// NULL check: after phy_remove it oopses.
func (d *Device) configInterrupt(t *sim.Task, enable bool) {
	t.Enter("phy_config_interrupt")
	defer t.Leave()
	k := d.l.K
	if !d.write(t) {
		return
	}
	if d.Drv == nil {
		k.Heap.Deref(t, nil, "struct phy_driver", devmodel.Read) // phydev->drv->config_intr
		return
	}
	if d.Drv == d.l.genphy {
		return // genphy has no config_intr
	}
	t.Enter(d.prefix + "_config_intr")
	defer t.Leave()
	if d.l.MDIO.Access(t, d.Mdio, "write") {
		d.Medium.IntrEnabled = enable
	}
}

// RequestInterrupt is phy_request_interrupt (phylink_bringup_phy and
// phy_connect_direct call it for a PHY with a valid interrupt):
// request_threaded_irq(phy_interrupt, IRQF_ONESHOT | IRQF_SHARED), then
// phy_enable_interrupts. Simplification: request_threaded_irq and
// config_intr succeed (their failure falls back to PHY_POLL).
func (d *Device) RequestInterrupt(t *sim.Task) {
	t.Enter("phy_request_interrupt")
	defer t.Leave()
	t.Enter("request_threaded_irq")
	line := &d.Medium.line
	line.name = d.Mdio.Dev.Name
	line.handler = d.phyInterrupt
	t.Leave()
	t.Enter("phy_enable_interrupts")
	d.configInterrupt(t, true)
	t.Leave()
}

// freeInterrupt is phy_free_interrupt (phy_disconnect): phy_disable_interrupts
// (phy_config_interrupt, which dereferences phydev->drv), then free_irq:
// no new handler starts, a running one is waited for.
func (d *Device) freeInterrupt(t *sim.Task) {
	t.Enter("phy_free_interrupt")
	defer t.Leave()
	t.Enter("phy_disable_interrupts")
	d.configInterrupt(t, false)
	t.Leave()
	t.Enter("free_irq")
	defer t.Leave()
	line := &d.Medium.line
	line.handler = nil
	for line.running {
		line.done.Wait(t, "synchronize_irq("+line.name+")", nil)
	}
}

// RaiseInterrupt is the PHY asserting its interrupt after its link partner
// changed: only if its interrupt enable is set and a handler is requested
// does the handler thread run (once more if it is running already).
func (l *Layer) RaiseInterrupt(m *Medium) {
	line := &m.line
	if !m.IntrEnabled || line.handler == nil {
		return
	}
	if line.running {
		line.rerun = true
		return
	}
	line.running = true
	l.K.Spawn("irq: "+line.name, nil, func(t *sim.Task) {
		defer func() {
			line.running = false
			line.done.WakeAll()
		}()
		for {
			line.rerun = false
			if h := line.handler; h != nil {
				h(t)
			}
			if !line.rerun {
				return
			}
		}
	})
}

// phyInterrupt is phy_interrupt, the threaded handler: under phydev->lock
// phydev->drv->handle_interrupt(phydev) — phydev->drv is not checked, so
// after phy_remove (which neither disables nor frees the interrupt) the
// handler oopses. Simplification: 6.1 reads phydev->drv before taking the
// lock, 6.12 under it; the model reads it under the lock (the window in
// which 6.1 runs an unbound driver's handler is not modelled). The
// irq_suspended path (system sleep) is not modelled.
func (d *Device) phyInterrupt(t *sim.Task) {
	t.Enter("phy_interrupt")
	defer t.Leave()
	k := d.l.K
	if !k.Heap.Access(t, d.obj(), devmodel.Read) { // phydev->irq_suspended
		return
	}
	d.Lock.Lock(t)
	defer d.Lock.Unlock(t)
	if d.Drv == nil {
		k.Heap.Deref(t, nil, "struct phy_driver", devmodel.Read) // phydev->drv->handle_interrupt
		return
	}
	d.handleInterrupt(t)
}

// handleInterrupt is the PHY driver's handle_interrupt (as
// rtl821x_handle_interrupt): read the interrupt status over MDIO, then
// phy_trigger_machine. Simplification: a status read that fails (phy_error)
// is not modelled; the model's MDIO read fails only on freed memory, which
// is reported as such.
func (d *Device) handleInterrupt(t *sim.Task) {
	t.Enter(d.prefix + "_handle_interrupt")
	defer t.Leave()
	if d.l.MDIO.Access(t, d.Mdio, "read") {
		d.TriggerMachine(t)
	}
}
