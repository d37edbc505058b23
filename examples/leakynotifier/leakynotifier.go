// Package leakynotifier is a deliberately wrong variant of phylink-notify,
// kept as a test of pcssim itself: its phylink_destroy clears
// pcs->phylink but forgets list_del, so the phylink stays on the
// provider-notifier list after it is freed. The next PCS registration walks
// the list and reads the freed struct phylink, which pcssim must report as
// a use-after-free (a real proposal had this shape of bug: a notifier left
// registered after phylink_destroy, which crashed in the field). A
// strategy that consulted the simulator's ground truth (is this phylink
// freed?) instead of modelled memory would hide it.
//
// Import the package for its side effect to make the strategy
// "leaky-notifier" available (it is not part of the pcssim command).
package leakynotifier

import (
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// ID is the strategy identifier.
const ID = "leaky-notifier"

func init() {
	pcs.RegisterStrategy(ID, func(pcs.Options) pcs.Strategy { return strategy{pcs.Notify{StateMutex: true}} })
}

// strategy is phylink-notify with a phylink_destroy that forgets list_del.
type strategy struct{ pcs.Notify }

func (strategy) ID() string { return ID }
func (strategy) Doc() string {
	return "phylink-notify whose phylink_destroy leaves the phylink on the notifier list (a bug, example)"
}

// Detach clears pcs->phylink like phylink-notify's but leaves pl on
// e.Notified: the bug.
func (strategy) Detach(t *sim.Task, e *pcs.Env, pl pcs.Phylink) {
	for _, p := range pl.Listed() {
		if p.ReadPhylink(t, e.K) == pl {
			p.SetPhylink(t, e.K, nil)
		}
	}
}
