package phy

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// LED triggers (drivers/net/phy/phy_led_triggers.c, CONFIG_LED_TRIGGER_PHY,
// which Debian's 6.1 and 6.12 enable): phy_probe registers one trigger per
// supported speed and a "link" trigger, phy_remove unregisters and frees
// them, and every phy_link_up/phy_link_down moves the LED from the last
// speed's trigger (phydev->last_triggered) to the new one.
// Simplification: the triggers array and led_link_trigger (two kzallocs,
// freed together) are one object; the speed is not modelled.

// ledTriggersRegister is phy_led_triggers_register (end of phy_probe):
// allocate the triggers, last_triggered = NULL, then
// phy_led_trigger_change_speed.
func (d *Device) ledTriggersRegister(t *sim.Task) {
	t.Enter("phy_led_triggers_register")
	defer t.Leave()
	d.ledTriggers = d.l.K.Heap.Alloc(t, "struct phy_led_trigger", "LED triggers of "+d.Mdio.Dev.Name)
	d.lastTriggered = nil
	d.ledChangeSpeed(t)
}

// ledTriggersUnregister is phy_led_triggers_unregister (phy_remove): the
// triggers are unregistered and kfree'd, phy_led_triggers and
// led_link_trigger set to NULL; phydev->last_triggered is left pointing
// into the freed array.
func (d *Device) ledTriggersUnregister(t *sim.Task) {
	t.Enter("phy_led_triggers_unregister")
	defer t.Leave()
	if d.ledTriggers == nil {
		return
	}
	d.l.K.Heap.Kfree(t, d.ledTriggers)
	d.ledTriggers = nil
}

// ledChangeSpeed is phy_led_trigger_change_speed (after phy_link_up and
// phy_link_down tell the MAC): with link, the speed's trigger goes on
// (the "link" trigger first if none was on); without,
// phy_led_trigger_no_link turns last_triggered and the "link" trigger off.
func (d *Device) ledChangeSpeed(t *sim.Task) {
	t.Enter("phy_led_trigger_change_speed")
	defer t.Leave()
	h := d.l.K.Heap
	if !d.Link {
		if d.lastTriggered == nil {
			return
		}
		t.Enter("phy_led_trigger_no_link")
		defer t.Leave()
		// led_trigger_event(&phy->last_triggered->trigger, LED_OFF)
		if !h.Access(t, d.lastTriggered, devmodel.Read) {
			return
		}
		// led_trigger_event(&phy->led_link_trigger->trigger, LED_OFF)
		h.Deref(t, d.ledTriggers, "struct phy_led_trigger", devmodel.Read)
		d.lastTriggered = nil
		return
	}
	// phy_speed_to_led_trigger walks phy->phy_led_triggers.
	h.Deref(t, d.ledTriggers, "struct phy_led_trigger", devmodel.Read)
	if d.lastTriggered != d.ledTriggers {
		if d.lastTriggered != nil && !h.Access(t, d.lastTriggered, devmodel.Read) {
			return
		}
		d.lastTriggered = d.ledTriggers
	}
}
