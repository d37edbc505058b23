package phylink

import (
	"slices"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// ExtraPCS is a further PCS of a netdev's MAC in an allocation of its own,
// which mac_select_pcs returns for Interfaces: fman memac's sgmii_pcs,
// qsgmii_pcs and xfi_pcs (fman_memac.c: memac_select_pcs; each made by
// memac_pcs_create → lynx_pcs_create_fwnode from its own pcsphy-handle
// entry and destroyed by memac_free → pcs_put → lynx_pcs_destroy).
type ExtraPCS struct {
	// Ref names the PCS: a registered PCS (a provider device's lane) the
	// MAC looks up, or, with Integrated, one it creates itself.
	Ref        string
	Integrated bool
	// Module owns an integrated PCS's ops (nil: the MAC's module); Prefix
	// names its driver functions (lynx_pcs).
	Module *devmodel.Module
	Prefix string
	// MDIOCreate, MDIOAddr, MDIONode: as the netdev's own (Netdev).
	MDIOCreate, MDIONode string
	MDIOAddr             int
	Interfaces           []string
	lane                 *pcs.Lane
}

// pcsSpec is how the MAC gets one of a netdev's PCSs: the netdev's own
// (its first) or an ExtraPCS.
type pcsSpec struct {
	ref, prefix          string
	integrated, poll     bool
	module               *devmodel.Module
	mdioCreate, mdioNode string
	mdioAddr             int
	lane                 *pcs.Lane
}

// firstSpec is the netdev's own PCS.
func (nd *Netdev) firstSpec() pcsSpec {
	return pcsSpec{ref: nd.PCSRef, prefix: nd.intPrefix(), integrated: nd.Integrated, poll: !nd.IRQ, module: nd.IntegratedModule,
		mdioCreate: nd.MDIOCreate, mdioNode: nd.MDIONode, mdioAddr: nd.MDIOAddr, lane: nd.lane}
}

// spec is an extra PCS's (always polled: the MAC requests no interrupt
// for it).
func (x *ExtraPCS) spec() pcsSpec {
	prefix := x.Prefix
	if prefix == "" {
		prefix = "xpcs"
	}
	return pcsSpec{ref: x.Ref, prefix: prefix, integrated: x.Integrated, poll: true, module: x.Module,
		mdioCreate: x.MDIOCreate, mdioNode: x.MDIONode, mdioAddr: x.MDIOAddr, lane: x.lane}
}

// extraFor returns the index of the extra PCS mac_select_pcs returns for
// iface, or -1.
func (nd *Netdev) extraFor(iface string) int {
	for j, x := range nd.Extra {
		if slices.Contains(x.Interfaces, iface) {
			return j
		}
	}
	return -1
}

// extraNamed returns the index of the extra PCS called ref, or -1.
func (nd *Netdev) extraNamed(ref string) int {
	for j, x := range nd.Extra {
		if x.Ref == ref {
			return j
		}
	}
	return -1
}

// activeRef is the reference of the PCS the netdev's current interface
// selects and whether the MAC creates it (ground truth, for the checks):
// the netdev's own PCS unless an extra one's interfaces hold the mode.
func (nd *Netdev) activeRef() (string, bool) {
	iface := nd.Interface
	if in := nd.cur; in != nil && in.pl != nil {
		iface = in.pl.iface
	}
	if j := nd.extraFor(iface); j >= 0 {
		return nd.Extra[j].Ref, nd.Extra[j].Integrated
	}
	return nd.PCSRef, nd.Integrated
}

// ownsRef reports whether the PCS called ref is the netdev's own for the
// collateral check: its first PCS whether or not it got it yet, or an
// extra one it has used (phylink selected it once).
func (nd *Netdev) ownsRef(ref string) bool {
	if ref == nd.PCSRef {
		return true
	}
	j := nd.extraNamed(ref)
	return j >= 0 && nd.usedExtra[j]
}

// getPCS is how the MAC's lookup-pcs/pcs-create step gets one PCS: create
// it (PREFIX_create, on an MDIO bus or not) and take it through the
// strategy, or look a registered one up (pcs_get). It returns what the MAC
// created (nil for a lookup) and what it holds.
func (w *World) getPCS(t *sim.Task, dev *devmodel.Device, priv *macPriv, mod *devmodel.Module, s pcsSpec) (own, handle *pcs.PCS, err int) {
	env := w.Env
	if !s.integrated {
		if s.ref == "" {
			return nil, nil, 0
		}
		handle, err = env.Lookup(t, dev, priv.obj, s.ref)
		return nil, handle, err
	}
	owner := s.module
	if owner == nil {
		owner = mod
	}
	if s.mdioCreate != "" {
		own, err = env.CreateOnMDIO(t, dev, s.ref, s.prefix, owner, s.poll, s.lane, s.mdioCreate, priv.mdio.Bus, s.mdioAddr, s.mdioNode)
		if err != 0 {
			return nil, nil, err
		}
	} else {
		own = env.CreateIntegrated(t, dev, s.ref, s.prefix, owner, s.poll, s.lane)
	}
	handle, err = env.Strategy.Get(t, env, dev, priv.obj, own)
	if err != 0 {
		env.DestroyIntegrated(t, own, s.prefix)
		return nil, nil, err
	}
	return own, handle, 0
}

// putPCS is the MAC's put-pcs/pcs-destroy of one PCS: pcs_put of what it
// holds, then the destroy of what it created (lynx_pcs_destroy).
func (w *World) putPCS(t *sim.Task, dev *devmodel.Device, priv *macPriv, handle, own **pcs.PCS, prefix string) {
	env := w.Env
	if *handle != nil {
		env.Strategy.Put(t, env, dev, priv.obj, *handle)
		*handle = nil
	}
	if *own != nil {
		env.DestroyIntegrated(t, *own, prefix)
		*own = nil
	}
}
