package pcs

import (
	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

func init() {
	RegisterStrategy("none", func(Options) Strategy { return none{} })
	RegisterStrategy("device-ref", func(Options) Strategy { return deviceRef{} })
	RegisterStrategy("module-ref", func(Options) Strategy { return moduleRef{} })
}

// none: the MAC keeps a bare pointer to the PCS.
type none struct{ Base }

func (none) ID() string  { return "none" }
func (none) Doc() string { return "the PCS user keeps a bare pointer" }

// deviceRef: get_device(pcs->dev) only; keeps struct device, not the PCS.
type deviceRef struct{ Base }

func (deviceRef) ID() string  { return "device-ref" }
func (deviceRef) Doc() string { return "get_device(pcs->dev) only" }

func (deviceRef) Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) (*PCS, int) {
	e.K.GetDevice(t, p.Dev, holder)
	return p, 0
}

func (deviceRef) Put(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) {
	e.K.PutDevice(t, p.Dev, holder)
}

// moduleRef is the 2022 RFC's pcs_get_tail: try_module_get(ops->owner) and
// get_device(pcs->dev); pcs_put drops both.
type moduleRef struct{ Base }

func (moduleRef) ID() string { return "module-ref" }
func (moduleRef) Doc() string {
	return "try_module_get(owner) + get_device (the 2022 RFC's pcs_get_tail)"
}

func (moduleRef) Get(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) (*PCS, int) {
	t.Enter("pcs_get_tail")
	defer t.Leave()
	e.K.Heap.Access(t, p.Obj, devmodel.Read) // pcs->ops->owner
	if !e.K.TryModuleGet(t, p.Ops.Owner, mac.Driver.Module, holder) {
		return nil, -devmodel.ENODEV
	}
	e.K.GetDevice(t, p.Dev, holder)
	return p, 0
}

func (moduleRef) Put(t *sim.Task, e *Env, mac *devmodel.Device, holder *devmodel.Object, p *PCS) {
	t.Enter("pcs_put")
	defer t.Leave()
	e.K.PutDevice(t, p.Dev, holder)
	e.K.ModulePut(t, p.Ops.Owner, holder)
}
