package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phylink"
)

// crossCheck validates references between the sections of a scenario.
func (l *loader) crossCheck(sc *Scenario) {
	r := l.refs
	names := func(kind string, list []string) map[string]bool {
		set := map[string]bool{}
		for _, n := range list {
			if set[n] && n != "" {
				l.errf(r[kind+":"+n], "duplicate %s name %q", kind, n)
			}
			set[n] = true
		}
		return set
	}
	var modNames, drvNames, devNames, ndNames []string
	for _, m := range sc.Modules {
		modNames = append(modNames, m.Name)
	}
	for _, d := range sc.Drivers {
		drvNames = append(drvNames, d.Name)
	}
	for _, d := range sc.Devices {
		devNames = append(devNames, d.Name)
	}
	for _, n := range sc.Netdevs {
		ndNames = append(ndNames, n.Name)
	}
	mods, devs := names("module", modNames), names("device", devNames)
	names("driver", drvNames)
	names("netdev", ndNames)
	if sc.Strategy != "" && !slices.Contains(pcs.StrategyIDs(), sc.Strategy) {
		l.errf(r["strategy"], "unknown strategy %q%s", sc.Strategy, DidYouMean(sc.Strategy, pcs.StrategyIDs()))
	}
	// unknown reports a dangling reference, unless the value is missing
	// or was already reported bad.
	unknown := func(key, kind, name string, list []string) {
		if name != "" && !l.reported(r[key]) && !l.incomplete[sectionOf[kind]] {
			l.errf(r[key], "unknown %s %q%s", kind, name, DidYouMean(name, list))
		}
	}
	for i, m := range sc.Modules {
		for _, d := range m.Depends {
			if !mods[d] {
				unknown(fmt.Sprintf("module-deps:%d", i), "module", d, modNames)
			}
		}
	}
	l.cycle("module dependency", modNames, func(n string) []string {
		for _, m := range sc.Modules {
			if m.Name == n {
				return m.Depends
			}
		}
		return nil
	}, "module:")
	drvKind := map[string]Driver{}
	for i, d := range sc.Drivers {
		drvKind[d.Name] = d
		if d.Module != "" && !mods[d.Module] {
			unknown(fmt.Sprintf("driver-module:%d", i), "module", d.Module, modNames)
		}
	}
	lanes := map[string]bool{}
	devDrv := map[string]Driver{}
	// undriven devices have an unknown driver, or one of a bad kind:
	// references to their PCS lanes are not reported again.
	undriven := map[string]bool{}
	for i, d := range sc.Devices {
		drv, ok := drvKind[d.Driver]
		switch {
		case d.Driver == "" && d.MDIOAddr != nil:
			// an mdio_device no driver binds to
		case !ok:
			undriven[d.Name] = true
			unknown(fmt.Sprintf("device-driver:%d", i), "driver", d.Driver, drvNames)
		case !slices.Contains(DriverKinds, drv.Kind):
			undriven[d.Name] = true // its driver's kind is reported bad
		case d.Bus != "" && d.Bus != drv.Bus:
			l.errf(r["device:"+d.Name], "device %q is on bus %q but its driver %q is on bus %q", d.Name, d.Bus, drv.Name, drv.Bus)
		}
		devDrv[d.Name] = drv
		if d.Parent != "" && !devs[d.Parent] {
			unknown(fmt.Sprintf("device-parent:%d", i), "parent device", d.Parent, devNames)
		}
		if drv.Kind == KindPCSProvider {
			for j := 0; j < drv.Lanes; j++ {
				lanes[pcs.LaneName(d.Name, drv.Lanes, j)] = true
			}
		}
	}
	l.mdioDevices(sc, drvKind, devDrv)
	l.cycle("device parent", devNames, func(n string) []string {
		for _, d := range sc.Devices {
			if d.Name == n && d.Parent != "" {
				return []string{d.Parent}
			}
		}
		return nil
	}, "device:")
	var phyNames []string // PHY devices: mdio_devices a phy driver binds to
	for i, d := range sc.Devices {
		isPHY := d.MDIOAddr != nil && devDrv[d.Name].Kind == KindPHY
		if isPHY {
			phyNames = append(phyNames, d.Name)
		}
		if d.IRQ && !isPHY {
			l.errf(r[fmt.Sprintf("device-irq:%d", i)], "device %q: irq applies to a PHY (an mdio_device, mdio_addr:, whose driver is of kind phy)", d.Name)
		}
	}
	var laneNames []string
	for _, n := range sc.Netdevs {
		if n.Integrated && n.PCS != "" {
			lanes[n.PCS] = true
		}
		for _, x := range n.Extra {
			if x.Integrated && x.PCS != "" {
				lanes[x.PCS] = true
			}
		}
	}
	for n := range lanes {
		laneNames = append(laneNames, n)
	}
	slices.Sort(laneNames)
	lane := map[string]string{} // PCS reference -> first netdev using it
	for i, n := range sc.Netdevs {
		if n.PCS != "" {
			if first, ok := lane[n.PCS]; ok {
				l.errf(r[fmt.Sprintf("netdev-pcs:%d", i)], "netdevs %q and %q both use PCS %q: a struct phylink_pcs serves one phylink instance (pcs->phylink); give each its own lane (device:lane)", first, n.Name, n.PCS)
			} else {
				lane[n.PCS] = n.Name
			}
		}
		if drv, ok := devDrv[n.MAC]; !devs[n.MAC] {
			unknown(fmt.Sprintf("netdev-mac:%d", i), "MAC device", n.MAC, devNames)
		} else if ok && drv.Kind != KindMAC && !undriven[n.MAC] {
			l.errf(r[fmt.Sprintf("netdev-mac:%d", i)], "netdev %q: device %q is driven by %q, which is not a mac driver", n.Name, n.MAC, drv.Name)
		}
		if n.IRQ && !n.Integrated {
			l.errf(r[fmt.Sprintf("netdev-irq:%d", i)], "netdev %q: irq applies to an integrated PCS (the MAC requests its interrupt); a PCS device's driver owns its own", n.Name)
		}
		switch {
		case n.Integrated && n.PCS == "" && r[fmt.Sprintf("netdev-pcs:%d", i)] == nil:
			l.errf(r["netdev:"+n.Name], "netdev %q: an integrated PCS needs a name (pcs: ...)", n.Name)
		case !n.Integrated && n.PCS != "" && !lanes[n.PCS] && !undriven[laneDevice(n.PCS)]:
			unknown(fmt.Sprintf("netdev-pcs:%d", i), "PCS", n.PCS, laneNames)
		}
		if n.PCSDriver != "" && !n.Integrated {
			l.errf(r[fmt.Sprintf("netdev-pcsdrv:%d", i)], "netdev %q: pcs_driver applies to an integrated PCS; a PCS device's functions are named after its driver", n.Name)
		} else if n.PCSDriver != "" && !isIdent(n.PCSDriver) {
			l.errf(r[fmt.Sprintf("netdev-pcsdrv:%d", i)], "netdev %q: pcs_driver %q is not a C identifier prefix (e.g. xpcs, lynx_pcs)", n.Name, n.PCSDriver)
		}
		l.pcsMDIO(sc, strconv.Itoa(i), n, devDrv)
		l.extras(sc, i, n, checkCtx{devDrv: devDrv, lanes: lanes, undriven: undriven, laneNames: laneNames, mods: mods, modNames: modNames, used: lane, unknown: unknown})
		if n.AltPCS != "" && !n.Integrated {
			l.errf(r[fmt.Sprintf("netdev-alt:%d", i)], "netdev %q: alt_pcs is a second PCS of the MAC's own (integrated: true or pcs_mdio)", n.Name)
		}
		for _, m := range n.AltInterfaces {
			if slices.Contains(n.PCSInterfaces, m) {
				l.errf(r[fmt.Sprintf("netdev-alt:%d", i)], "netdev %q: mode %s is in both pcs_interfaces and alt_pcs.interfaces", n.Name, m)
			}
		}
		if len(n.PCSInterfaces) > 0 && n.PCS == "" {
			l.errf(r[fmt.Sprintf("netdev-pcsif:%d", i)], "netdev %q: pcs_interfaces needs a PCS (pcs: ...)", n.Name)
		}
		if n.PHY != "" {
			if d, ok := devDrv[n.PHY]; !devs[n.PHY] {
				unknown(fmt.Sprintf("netdev-phy:%d", i), "PHY device", n.PHY, phyNames)
			} else if !slices.Contains(phyNames, n.PHY) && (ok || !undriven[n.PHY]) {
				l.errf(r[fmt.Sprintf("netdev-phy:%d", i)], "netdev %q: phy %q is no PHY: give it mdio_addr, a parent that owns the MDIO bus and a driver of kind phy (its driver is %q)", n.Name, n.PHY, d.Name)
			}
		}
		if n.IntegratedModule != "" && !mods[n.IntegratedModule] {
			unknown(fmt.Sprintf("netdev-imod:%d", i), "module", n.IntegratedModule, modNames)
		}
	}
	for i, lk := range sc.Links {
		if !devs[lk.Consumer] {
			unknown(fmt.Sprintf("link-c:%d", i), "device", lk.Consumer, devNames)
		}
		if !devs[lk.Supplier] {
			unknown(fmt.Sprintf("link-s:%d", i), "device", lk.Supplier, devNames)
		}
		for _, f := range lk.Flags {
			if f != "" && !slices.Contains(linkFlagNames, f) {
				l.errf(r[fmt.Sprintf("link-f:%d", i)], "unknown device link flag %q%s", f, DidYouMean(f, linkFlagNames))
			}
		}
	}
	l.linkCycles(sc, devs)
	l.handles(sc, devs, devNames)
	mdioDevs := map[string]bool{}
	for _, d := range sc.Devices {
		if d.MDIOAddr != nil {
			mdioDevs[d.Name] = true
		}
	}
	// pairTarget checks a target OBJ:VALUE of action (form says what it
	// takes): OBJ one of objs (objKind), VALUE one of values (valueWhat,
	// listed after the error as list when list is set).
	pairTarget := func(key, action, t, form, objKind string, objs []string, valueWhat string, values []string, list string) {
		obj, v, ok := strings.Cut(t, ":")
		switch {
		case !ok:
			l.errf(r[key], "%s takes %s, not %q", action, form, t)
		case !slices.Contains(objs, obj):
			unknown(key, objKind, obj, objs)
		case !slices.Contains(values, v):
			tail := ""
			if list != "" {
				tail = "; " + list + " are " + strings.Join(values, ", ")
			}
			l.errf(r[key], "%s %s: unknown %s %q%s%s", action, obj, valueWhat, v, DidYouMean(v, values), tail)
		}
	}
	target := func(key, action, t string) {
		switch action {
		case "bind", "unbind", "remove":
			if !devs[t] {
				unknown(key, "device", t, devNames)
			} else if action == "remove" && mdioDevs[t] {
				l.errf(r[key], "remove %s: an mdio_device is not hot-unplugged; it goes when its bus does (unbind or remove the bus owner)", t)
			}
		case "insmod", "rmmod":
			if !mods[t] {
				unknown(key, "module", t, modNames)
			}
		case "link-up", "link-down":
			switch {
			case lanes[t] || undriven[laneDevice(t)] || slices.Contains(phyNames, t):
			case len(phyNames) == 0:
				unknown(key, "PCS lane", t, laneNames)
			default:
				unknown(key, "PCS lane or PHY", t, append(slices.Clone(laneNames), phyNames...))
			}
		case "phy-interface":
			pairTarget(key, action, t, "PHY:MODE (the interface mode the PHY switches to)", "PHY device", phyNames, "interface mode", PHYModes, "")
		case "ip-up", "ip-down":
			if !slices.Contains(ndNames, t) {
				unknown(key, "netdev", t, ndNames)
			}
		case "ethtool":
			pairTarget(key, action, t, "NETDEV:OP (OP one of "+strings.Join(phylink.EthtoolOps, ", ")+")", "netdev", ndNames, "operation", phylink.EthtoolOps, "operations")
		case "set-interface":
			pairTarget(key, action, t, "NETDEV:MODE (an SFP module of that interface mode)", "netdev", ndNames, "interface mode", PHYModes, "")
		case "shutdown", "suspend":
			if t != ShutdownTarget {
				l.errf(r[key], "%s takes target %q (the machine), not %q", action, ShutdownTarget, t)
			}
		}
	}
	for i, e := range sc.Events {
		target(fmt.Sprintf("event-target:%d", i), e.Action, e.Target)
		if e.At > sc.Horizon && !l.badHorizon {
			l.errf(r[fmt.Sprintf("event-target:%d", i)], "event at %s lies past the horizon %s", e.At, sc.Horizon)
		}
	}
	for i, f := range sc.Faults {
		target(fmt.Sprintf("fault-target:%d", i), f.Action, f.Target)
		if f.Action == "shutdown" && f.Count > 1 {
			l.errf(r[fmt.Sprintf("fault-target:%d", i)], "a shutdown fires once (count %d): the machine restarts", f.Count)
		}
		if f.From > sc.Horizon && !l.badHorizon {
			l.errf(r[fmt.Sprintf("fault-target:%d", i)], "fault window starts at %s, past the horizon %s", f.From, sc.Horizon)
		}
	}
	l.checkUnreachable(sc)
}

// checkUnreachable checks that every declared unreachable condition is one
// of the scenario's exercise conditions. The conditions are those of the
// whole world: with a problem elsewhere in the file, only duplicates are
// checked (the world the file means is not known).
func (l *loader) checkUnreachable(sc *Scenario) {
	var keys []string
	for _, c := range Conditions(sc) {
		if c.Required {
			keys = append(keys, c.Key)
		}
	}
	whole := len(l.problems) == 0
	for i, u := range sc.Unreachable {
		if u.Condition == "" {
			continue
		}
		if j := slices.IndexFunc(sc.Unreachable[:i], func(v Unreachable) bool { return v.Condition == u.Condition }); j >= 0 {
			l.errf(l.refs[fmt.Sprintf("unreachable:%d", i)], "unreachable: %q is declared twice", u.Condition)
			continue
		}
		if whole && !slices.Contains(keys, u.Condition) {
			l.errf(l.refs[fmt.Sprintf("unreachable:%d", i)], "unreachable: %q is not a condition of this scenario%s (conditions: %s)",
				u.Condition, DidYouMean(u.Condition, keys), strings.Join(keys, ", "))
		}
	}
}

// isIdent reports whether s is a lower-case C identifier.
func isIdent(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// laneDevice returns the device part of a PCS lane name ("dev:1" → "dev").
func laneDevice(lane string) string {
	dev, _, _ := strings.Cut(lane, ":")
	return dev
}

// sectionOf is the section that a reference of each kind names an item
// of (a PCS lane is a device's, and the lanes its driver's).
var sectionOf = map[string]string{"module": "modules", "driver": "drivers", "device": "devices", "parent device": "devices",
	"MAC device": "devices", "PCS": "devices", "PCS lane": "devices", "netdev": "netdevs"}

var linkFlagNames = []string{"stateless", "autoremove-consumer", "autoremove-supplier", "autoprobe-consumer"}

// cycle reports a cycle in the graph given by next, starting at each name.
func (l *loader) cycle(what string, names []string, next func(string) []string, refPrefix string) {
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string, path []string) bool
	visit = func(n string, path []string) bool {
		switch state[n] {
		case 1:
			i := slices.Index(path, n)
			l.errf(l.refs[refPrefix+n], "%s cycle: %s", what, joinArrow(append(path[i:], n)))
			return true
		case 2:
			return false
		}
		state[n] = 1
		for _, m := range next(n) {
			if visit(m, append(path, n)) {
				return true
			}
		}
		state[n] = 2
		return false
	}
	for _, n := range names {
		if state[n] == 0 && visit(n, nil) {
			return
		}
	}
}

func joinArrow(p []string) string {
	s := ""
	for i, x := range p {
		if i > 0 {
			s += " -> "
		}
		s += x
	}
	return s
}

// linkCycles rejects the device links device_link_add refuses, in the
// order the world adds them: a link of a device to itself, and one whose
// supplier already depends on its consumer (through earlier links or
// parents), which would close a cycle. A scenario declaring one would
// test nothing it means to.
func (l *loader) linkCycles(sc *Scenario, devs map[string]bool) {
	deps := map[string][]string{} // device -> what it depends on
	for _, d := range sc.Devices {
		if d.Parent != "" {
			deps[d.Name] = append(deps[d.Name], d.Parent)
		}
	}
	dependsOn := func(from, to string) bool {
		seen := map[string]bool{}
		stack := []string{from}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n == to {
				return true
			}
			if seen[n] {
				continue
			}
			seen[n] = true
			stack = append(stack, deps[n]...)
		}
		return false
	}
	for i, lk := range sc.Links {
		if !devs[lk.Consumer] || !devs[lk.Supplier] {
			continue
		}
		at := l.refs[fmt.Sprintf("link-s:%d", i)]
		switch {
		case lk.Consumer == lk.Supplier:
			l.errf(at, "device link of %q to itself: device_link_add refuses it", lk.Consumer)
		case dependsOn(lk.Supplier, lk.Consumer):
			l.errf(at, "device link %s -> %s: %s already depends on %s, so the link would close a cycle and device_link_add refuses it", lk.Consumer, lk.Supplier, lk.Supplier, lk.Consumer)
		default:
			deps[lk.Consumer] = append(deps[lk.Consumer], lk.Supplier)
		}
	}
}

// handles checks the devices' firmware references: a known property, a
// device to refer to, not the device itself, and no cycle (fw_devlink
// would relax one to SYNC_STATE_ONLY links, which the model does not do).
func (l *loader) handles(sc *Scenario, devs map[string]bool, devNames []string) {
	props := devmodel.HandlePropertyNames()
	for i, d := range sc.Devices {
		for j, h := range d.Handles {
			key := fmt.Sprintf(":%d:%d", i, j)
			switch {
			case h.Property == "" || h.To == "":
				// missing or not a string: reported
			case !slices.Contains(props, h.Property):
				l.errf(l.refs["handle-p"+key], "unknown firmware reference %q%s (known: %s)", h.Property, DidYouMean(h.Property, props), strings.Join(props, ", "))
			case !devs[h.To] && !l.incomplete["devices"]:
				l.errf(l.refs["handle-to"+key], "unknown device %q%s", h.To, DidYouMean(h.To, devNames))
			case h.To == d.Name:
				l.errf(l.refs["handle-to"+key], "device %q refers to itself (%s): fw_devlink makes no link of a device to itself", d.Name, h.Property)
			}
		}
	}
	l.cycle("firmware reference", devNames, func(n string) []string {
		var out []string
		for _, d := range sc.Devices {
			if d.Name == n {
				for _, h := range d.Handles {
					if h.Node == "" {
						out = append(out, h.To)
					}
				}
			}
		}
		return out
	}, "device:")
}
