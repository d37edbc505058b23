package devmodel

import "github.com/pcssim/pcssim/sim"

// Errno values used by the model (include/uapi/asm-generic/errno-base.h,
// include/linux/errno.h).
const (
	ENOENT       = 2
	EIO          = 5
	EAGAIN       = 11
	EWOULDBLOCK  = EAGAIN
	EBUSY        = 16
	EEXIST       = 17
	ENODEV       = 19
	EINVAL       = 22
	EOPNOTSUPP   = 95
	EPROBE_DEFER = 517
)

// ErrnoName returns the symbolic name of a (positive) errno value.
func ErrnoName(e int) string {
	switch e {
	case ENOENT:
		return "ENOENT"
	case EIO:
		return "EIO"
	case EAGAIN:
		return "EWOULDBLOCK"
	case EBUSY:
		return "EBUSY"
	case EEXIST:
		return "EEXIST"
	case ENODEV:
		return "ENODEV"
	case EINVAL:
		return "EINVAL"
	case EOPNOTSUPP:
		return "EOPNOTSUPP"
	case EPROBE_DEFER:
		return "EPROBE_DEFER"
	case 0:
		return "0"
	}
	return "E?"
}

// Cause says which injected or scripted event a task descends from. Models
// above devmodel use it to tell collateral damage from intended effects.
type Cause struct {
	// Kind is "unbind", "bind", "rmmod", "insmod", "remove" (hot-unplug),
	// "link-up", "link-down", "ip-up", "ip-down" or "boot".
	Kind string
	// Device or Module names the target.
	Device *Device
	Module *Module
}

// Kernel is one simulated kernel instance, built fresh for each execution.
type Kernel struct {
	S    *sim.Sim
	Heap *Heap
	// Version is the kernel version the model follows (see Has; zero:
	// DefaultVersion).
	Version Version
	// Rtnl is rtnl_lock.
	Rtnl *sim.Mutex
	// FwDevlink is the fw_devlink= parameter (zero: the version's default).
	FwDevlink FwDevlink
	// FwPCSHandle: of_supplier_bindings parses pcs-handle, as the posted
	// fwnode-PCS series make it (net-next only).
	FwPCSHandle bool

	Buses   []*Bus
	Modules []*Module
	Devices []*Device
	links   []*Link
	// fwnodeLinks are the parsed firmware references not yet device links.
	fwnodeLinks []*fwnodeLink
	krefs       []*Kref

	deferredPending []*Device
	deferredActive  []*Device
	deferredWork    *Work
	// deferredTriggerCount is deferred_trigger_count.
	deferredTriggerCount int
	probeDone            sim.WaitQueue
	// probeCount is probe_count: probes in flight.
	probeCount int
	// deferAllProbes is defer_all_probes (device_block_probing).
	deferAllProbes bool
	// frozen: user space is frozen (pm_freezing); thawed wakes the
	// processes waiting in the refrigerator, userIdle a freezer waiting
	// for userInFlight system calls to finish.
	frozen       bool
	thawed       sim.WaitQueue
	userInFlight int
	userIdle     sim.WaitQueue

	// Notifiers are called for bus notifier events (BUS_NOTIFY_*).
	Notifiers []func(t *sim.Task, event string, dev *Device)
}

// New returns a kernel running on s.
func New(s *sim.Sim) *Kernel {
	k := &Kernel{S: s, Rtnl: sim.NewMutex("rtnl_mutex")}
	k.Heap = &Heap{k: k}
	k.deferredWork = k.NewWork("deferred_probe_work", k.deferredProbeWorkFunc)
	return k
}

// notify calls the bus notifier chain (blocking_notifier_call_chain).
func (k *Kernel) notify(t *sim.Task, event string, dev *Device) {
	for _, n := range k.Notifiers {
		n(t, event, dev)
	}
}

// Spawn starts a task caused by c (nil: inherit from the running task).
func (k *Kernel) Spawn(name string, c *Cause, body func(t *sim.Task)) *sim.Task {
	t := k.S.Spawn(name, body)
	if c != nil {
		t.Origin = c
	}
	return t
}

// CauseOf returns the Cause a task descends from, or nil.
func CauseOf(t *sim.Task) *Cause {
	if t == nil {
		return nil
	}
	c, _ := t.Origin.(*Cause)
	return c
}
