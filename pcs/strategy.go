package pcs

import (
	"fmt"
	"slices"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Strategy is a lifetime scheme for PCSs: what a PCS user holds, and what
// happens when a provider registers or unregisters a PCS. Each strategy is
// one type in its own file plus one Register line; phylink and the
// providers call only these hooks.
type Strategy interface {
	// ID is the identifier used on the command line (DESIGN.md).
	ID() string
	// Doc is one line for `pcssim list`.
	Doc() string
	// Registered runs in pcs_register and returns what lookups will see
	// (p itself, or a wrapper).
	Registered(t *sim.Task, e *Env, p *PCS) *PCS
	// Unregistering runs in pcs_unregister, from the provider's remove(),
	// before the PCS memory is released.
	Unregistering(t *sim.Task, e *Env, p *PCS)
	// Get is pcs_get: the MAC device mac (holding through holder) takes
	// the PCS p it found; it returns what phylink will use or -errno.
	Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) (*PCS, int)
	// Put is pcs_put: the MAC is done with what Get returned.
	Put(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS)
	// ReleaseLock is the lock that serialises phylink_create's and
	// phylink_destroy's use of a PCS with the provider's release of it
	// (nil: none); phylink holds it around Attach and PCS validation, and
	// around Detach.
	ReleaseLock(e *Env) *sim.Mutex
	// Attach runs in phylink_create, before phylink touches the PCS: p is
	// what the MAC looked up for the PCS called name (it may have gone
	// since), or, with name "", a PCS the MAC created itself (never
	// registered); Attach returns the PCS phylink may select (p, or nil).
	Attach(t *sim.Task, e *Env, name string, p *PCS, pl Phylink) *PCS
	// AttachMore is Attach for each further PCS of the MAC (a netdev's
	// extra PCSs, fman memac's), run in phylink_create before Attach of
	// the first: a strategy that keeps a per-phylink registration makes it
	// in Attach only.
	AttachMore(t *sim.Task, e *Env, name string, p *PCS, pl Phylink) *PCS
	// Destroying runs in the MAC's destroy of a PCS it created itself
	// (xpcs_destroy), before the memory is freed.
	Destroying(t *sim.Task, e *Env, p *PCS)
	// Detach runs in phylink_destroy; the strategy reads phylink's PCS
	// list itself, under the lock it needs.
	Detach(t *sim.Task, e *Env, pl Phylink)
	// Phylink says how a strategy that is a posted phylink series changes
	// phylink itself (the zero value: not at all).
	Phylink() PhylinkChanges
}

// PhylinkChanges are the changes a posted series makes to phylink and the
// PCS lookup beyond the strategy hooks; phylink consults them where it
// forks.
type PhylinkChanges struct {
	// ForceMajorWhileStopped: phylink_resolve runs a forced major config
	// (force_major_config) even while phylink is disabled, as the series'
	// base does ("(mac_config && ...) || pl->force_major_config" outside
	// the disable test).
	ForceMajorWhileStopped bool
	// ReleaseLeavesPollTimer: phylink_release_pcs does not stop the poll
	// timer (the next major config does).
	ReleaseLeavesPollTimer bool
	// ReleaseAlwaysLinkDown: phylink_release_pcs calls phylink_link_down
	// whether or not the link is up.
	ReleaseAlwaysLinkDown bool
	// NotifyForcesOnlyAfterFailure: the provider notifier forces a major
	// config only if the last one failed (major_config_failed).
	NotifyForcesOnlyAfterFailure bool
	// MissingPCSSkipped: a PCS not registered yet is skipped (-ENODEV) at
	// lookup instead of deferring the MAC's probe; the notifier attaches it
	// later.
	MissingPCSSkipped bool
	// StopDeletesPollAfterFlush: phylink_stop deletes link_poll again after
	// it flushed the resolve work, so a major config already running when
	// stop began (which ends in phylink_pcs_poll_start) cannot leave the
	// timer armed past phylink_destroy. Mainline deletes it only before.
	StopDeletesPollAfterFlush bool
	// InbandAdvertChecksPCS: phylink_change_inband_advert (ethtool -A)
	// tolerates pl->pcs == NULL, which a release makes possible in in-band
	// mode; 6.1 and 6.12 read pl->pcs->neg_mode unchecked (net-next no
	// longer reads it: devmodel.FeatNoPCSNegMode).
	InbandAdvertChecksPCS bool
}

// Options are per-world parameters a strategy may use.
type Options struct {
	// AutoprobeConsumer sets DL_FLAG_AUTOPROBE_CONSUMER on device links.
	AutoprobeConsumer bool
}

var registry = map[string]func(Options) Strategy{}

// RegisterStrategy makes a strategy available under its ID.
func RegisterStrategy(id string, mk func(Options) Strategy) {
	if _, dup := registry[id]; dup {
		panic("pcs: strategy registered twice: " + id)
	}
	registry[id] = mk
}

// NewStrategy returns the strategy with the given ID.
func NewStrategy(id string, o Options) (Strategy, error) {
	mk, ok := registry[id]
	if !ok {
		return nil, fmt.Errorf("unknown strategy %q", id)
	}
	return mk(o), nil
}

// DesignIDs are the strategies of DESIGN.md, in its order. Every shipped
// scenario states a verdict for each.
var DesignIDs = []string{"none", "device-ref", "module-ref", "device-link", "srcu-wrapper", "phylink-notify", "phylink-notify-racy", "phylink-release-pcs"}

// StrategyIDs lists the registered strategies in the order of DESIGN.md
// followed by any others sorted by name.
func StrategyIDs() []string {
	order := DesignIDs
	var out []string
	for _, id := range order {
		if _, ok := registry[id]; ok {
			out = append(out, id)
		}
	}
	var rest []string
	for id := range registry {
		if !slices.Contains(order, id) {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// Base gives a strategy no-op hooks: embed it and override only the hooks
// the strategy needs.
type Base struct{}

// Registered returns p unchanged.
func (Base) Registered(t *sim.Task, e *Env, p *PCS) *PCS { return p }

// Unregistering does nothing.
func (Base) Unregistering(t *sim.Task, e *Env, p *PCS) {}

// Get returns p.
func (Base) Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) (*PCS, int) {
	return p, 0
}

// Put does nothing.
func (Base) Put(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) {}

// ReleaseLock returns nil: no lock.
func (Base) ReleaseLock(e *Env) *sim.Mutex { return nil }

// Attach returns p.
func (Base) Attach(t *sim.Task, e *Env, name string, p *PCS, pl Phylink) *PCS { return p }

// AttachMore returns p.
func (Base) AttachMore(t *sim.Task, e *Env, name string, p *PCS, pl Phylink) *PCS { return p }

// Destroying does nothing.
func (Base) Destroying(t *sim.Task, e *Env, p *PCS) {}

// Phylink returns no changes: mainline phylink.
func (Base) Phylink() PhylinkChanges { return PhylinkChanges{} }

// Detach does nothing.
func (Base) Detach(t *sim.Task, e *Env, pl Phylink) {}
