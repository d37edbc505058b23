package pcs

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

func init() {
	RegisterStrategy("device-link", func(o Options) Strategy { return deviceLink{o: o} })
}

// deviceLink: a managed device link MAC (consumer) → PCS device (supplier),
// so unbinding the PCS first unbinds the whole MAC device. Without
// AUTOPROBE_CONSUMER the link is AUTOREMOVE_CONSUMER and the MAC stays
// unbound when the PCS comes back.
type deviceLink struct {
	Base
	o Options
}

func (deviceLink) ID() string  { return "device-link" }
func (deviceLink) Doc() string { return "a managed device link MAC -> PCS device" }

func (d deviceLink) Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) (*PCS, int) {
	if p.Dev == mac {
		return p, 0 // a PCS the MAC created itself needs no link
	}
	flags := devmodel.DLAutoremoveConsumer
	if d.o.AutoprobeConsumer {
		flags = devmodel.DLAutoprobeConsumer
	}
	t.Enter("device_link_add")
	defer t.Leave()
	if e.K.DeviceLinkAdd(mac, p.Dev, flags) == nil {
		return nil, -devmodel.EINVAL
	}
	return p, 0
}
