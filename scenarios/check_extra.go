package scenarios

import (
	"fmt"
	"strconv"
)

// checkCtx is what crossCheck knows when it checks a netdev's extra PCSs.
type checkCtx struct {
	devDrv          map[string]Driver
	lanes, undriven map[string]bool
	mods            map[string]bool
	laneNames       []string
	modNames        []string
	// used maps a PCS reference to the first netdev using it.
	used map[string]string
	// unknown reports a dangling reference (crossCheck's).
	unknown func(key, kind, name string, list []string)
}

// extras checks netdev i's extra_pcs: each entry a PCS of its own (a lane
// no other netdev or entry uses, a known PCS device unless the MAC creates
// it, pcs_driver only for one it creates), interfaces that no other PCS of
// the netdev claims, and a first PCS (pcs:) beside them.
func (l *loader) extras(sc *Scenario, i int, n Netdev, c checkCtx) {
	if len(n.Extra) == 0 {
		return
	}
	if n.PCS == "" {
		l.errf(l.refs[fmt.Sprintf("netdev-extras:%d", i)], "netdev %q: extra_pcs are further PCSs of the MAC beside its first (pcs: ...)", n.Name)
	}
	claimed := map[string]string{} // mode -> which PCS of the netdev mac_select_pcs returns
	for _, m := range n.PCSInterfaces {
		claimed[m] = "pcs_interfaces"
	}
	for _, m := range n.AltInterfaces {
		claimed[m] = "alt_pcs.interfaces"
	}
	for j, x := range n.Extra {
		key := strconv.Itoa(i) + "." + strconv.Itoa(j)
		at := l.refs["netdev-pcs:"+key]
		if first, ok := c.used[x.PCS]; ok && x.PCS != "" && first == n.Name {
			l.errf(at, "netdev %q uses PCS %q twice: each entry of extra_pcs is a PCS of its own", n.Name, x.PCS)
		} else if ok && x.PCS != "" {
			l.errf(at, "netdevs %q and %q both use PCS %q: a struct phylink_pcs serves one phylink instance (pcs->phylink); give each its own lane (device:lane)", first, n.Name, x.PCS)
		} else if x.PCS != "" {
			c.used[x.PCS] = n.Name
		}
		if !x.Integrated && x.PCS != "" && !c.lanes[x.PCS] && !c.undriven[laneDevice(x.PCS)] {
			c.unknown("netdev-pcs:"+key, "PCS", x.PCS, c.laneNames)
		}
		if x.PCSDriver != "" && !x.Integrated {
			l.errf(l.refs["netdev-pcsdrv:"+key], "netdev %q: pcs_driver applies to a PCS the MAC creates (integrated: true or pcs_mdio); a PCS device's functions are named after its driver", n.Name)
		} else if x.PCSDriver != "" && !isIdent(x.PCSDriver) {
			l.errf(l.refs["netdev-pcsdrv:"+key], "netdev %q: pcs_driver %q is not a C identifier prefix (e.g. xpcs, lynx_pcs)", n.Name, x.PCSDriver)
		}
		if x.IntegratedModule != "" && !c.mods[x.IntegratedModule] {
			c.unknown("netdev-imod:"+key, "module", x.IntegratedModule, c.modNames)
		}
		l.pcsMDIO(sc, key, Netdev{Name: n.Name, MAC: n.MAC, MDIOCreate: x.MDIOCreate, MDIONode: x.MDIONode}, c.devDrv)
		for _, m := range x.Interfaces {
			if other, ok := claimed[m]; ok {
				l.errf(l.refs["netdev-pcsif:"+key], "netdev %q: mode %s is in both %s and extra_pcs[%d].interfaces: mac_select_pcs returns one PCS per mode", n.Name, m, other, j)
			} else {
				claimed[m] = fmt.Sprintf("extra_pcs[%d].interfaces", j)
			}
		}
	}
}
