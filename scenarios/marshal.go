package scenarios

import (
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/sim"
)

// Marshal renders sc in the scenario format, so that Load gives sc back.
// Defaults are written out; empty sections are left out.
func Marshal(sc *Scenario) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(m *yaml.Node, key string, v *yaml.Node) {
		m.Content = append(m.Content, str(key), v)
	}
	add(root, "name", str(sc.Name))
	if sc.Description != "" {
		add(root, "description", str(sc.Description))
	}
	if sc.Strategy != "" {
		add(root, "strategy", str(sc.Strategy))
	}
	add(root, "horizon", str(durationString(sc.Horizon)))
	add(root, "max_steps", num(sc.MaxSteps))
	if sc.AutoprobeConsumer {
		add(root, "autoprobe_consumer", boolean(true))
	}
	if sc.FileKernel != 0 {
		add(root, "kernel", str(sc.FileKernel.String()))
	}
	if sc.FwDevlink != devmodel.FwDevlinkDefault {
		add(root, "fw_devlink", str(sc.FwDevlink.String()))
	}
	if sc.FwPCSHandle {
		add(root, "fw_devlink_pcs_handle", boolean(true))
	}
	list := func(key string, n int, item func(i int, m *yaml.Node)) {
		if n == 0 {
			return
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for i := range n {
			m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			item(i, m)
			seq.Content = append(seq.Content, m)
		}
		add(root, key, seq)
	}
	list("modules", len(sc.Modules), func(i int, m *yaml.Node) {
		x := sc.Modules[i]
		add(m, "name", str(x.Name))
		if len(x.Depends) > 0 {
			add(m, "depends", strs(x.Depends))
		}
		add(m, "loaded", boolean(x.Loaded))
	})
	list("drivers", len(sc.Drivers), func(i int, m *yaml.Node) {
		x := sc.Drivers[i]
		add(m, "name", str(x.Name))
		add(m, "kind", str(x.Kind))
		if x.Module != "" {
			add(m, "module", str(x.Module))
		}
		add(m, "bus", str(x.Bus))
		add(m, "lanes", num(x.Lanes))
		add(m, "link", str(x.Link))
		if x.SuppressBindAttrs {
			add(m, "suppress_bind_attrs", boolean(true))
		}
		if x.Probe != nil {
			add(m, "probe", strs(x.Probe))
		}
		if x.Remove != nil {
			add(m, "remove", strs(x.Remove))
		}
		if x.Shutdown != nil {
			add(m, "shutdown", strs(x.Shutdown))
		}
		if x.NoPM {
			add(m, "pm", boolean(false))
		}
		if x.DeferAfterRegister != 0 {
			add(m, "defer_after_register", num(x.DeferAfterRegister))
		}
	})
	list("devices", len(sc.Devices), func(i int, m *yaml.Node) {
		x := sc.Devices[i]
		add(m, "name", str(x.Name))
		if x.Driver != "" {
			add(m, "driver", str(x.Driver))
		}
		if x.MDIOAddr != nil {
			add(m, "mdio_addr", num(*x.MDIOAddr))
		}
		if x.IRQ {
			add(m, "irq", boolean(true))
		}
		if x.Bus != "" {
			add(m, "bus", str(x.Bus))
		}
		if x.Parent != "" {
			add(m, "parent", str(x.Parent))
		}
		if len(x.Handles) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, h := range x.Handles {
				hm := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
				add(hm, "property", str(h.Property))
				add(hm, "to", str(h.To))
				if h.Node != "" {
					add(hm, "node", str(h.Node))
				}
				seq.Content = append(seq.Content, hm)
			}
			add(m, "handles", seq)
		}
	})
	list("netdevs", len(sc.Netdevs), func(i int, m *yaml.Node) {
		x := sc.Netdevs[i]
		add(m, "name", str(x.Name))
		add(m, "mac", str(x.MAC))
		if x.PCS != "" {
			add(m, "pcs", str(x.PCS))
		}
		if x.Integrated {
			add(m, "integrated", boolean(true))
		}
		if x.IntegratedModule != "" {
			add(m, "integrated_module", str(x.IntegratedModule))
		}
		if x.PCSDriver != "" {
			add(m, "pcs_driver", str(x.PCSDriver))
		}
		if x.MDIOCreate != "" {
			add(m, "pcs_mdio", pcsMDIONode(x.MDIOCreate, x.MDIOAddr, x.MDIONode))
		}
		if x.Interface != "" {
			add(m, "interface", str(x.Interface))
		}
		if x.AltPCS != "" {
			am := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			add(am, "name", str(x.AltPCS))
			if x.AltDriver != "" {
				add(am, "pcs_driver", str(x.AltDriver))
			}
			add(am, "interfaces", strs(x.AltInterfaces))
			add(m, "alt_pcs", am)
		}
		if len(x.PCSInterfaces) > 0 {
			add(m, "pcs_interfaces", strs(x.PCSInterfaces))
		}
		if len(x.Extra) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode}
			for _, e := range x.Extra {
				em := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
				add(em, "pcs", str(e.PCS))
				if e.MDIOCreate != "" {
					add(em, "pcs_mdio", pcsMDIONode(e.MDIOCreate, e.MDIOAddr, e.MDIONode))
				} else if e.Integrated {
					add(em, "integrated", boolean(true))
				}
				if e.IntegratedModule != "" {
					add(em, "integrated_module", str(e.IntegratedModule))
				}
				if e.PCSDriver != "" {
					add(em, "pcs_driver", str(e.PCSDriver))
				}
				add(em, "interfaces", strs(e.Interfaces))
				seq.Content = append(seq.Content, em)
			}
			add(m, "extra_pcs", seq)
		}
		if x.IRQ {
			add(m, "irq", boolean(true))
		}
		if x.PHY != "" {
			add(m, "phy", str(x.PHY))
		}
		if x.Required {
			add(m, "required", boolean(true))
		}
		if x.Up {
			add(m, "up", boolean(true))
		}
	})
	list("device_links", len(sc.Links), func(i int, m *yaml.Node) {
		x := sc.Links[i]
		add(m, "consumer", str(x.Consumer))
		add(m, "supplier", str(x.Supplier))
		if len(x.Flags) > 0 {
			add(m, "flags", strs(x.Flags))
		}
	})
	list("events", len(sc.Events), func(i int, m *yaml.Node) {
		x := sc.Events[i]
		add(m, "at", str(durationString(x.At)))
		add(m, "action", str(x.Action))
		add(m, "target", str(x.Target))
	})
	list("faults", len(sc.Faults), func(i int, m *yaml.Node) {
		x := sc.Faults[i]
		add(m, "action", str(x.Action))
		add(m, "target", str(x.Target))
		w := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle,
			Content: []*yaml.Node{str(durationString(x.From)), str(durationString(x.Until))}}
		add(m, "window", w)
		add(m, "count", num(x.Count))
		if x.Probability != 1 {
			add(m, "probability", &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(x.Probability, 'g', -1, 64)})
		}
	})
	if len(sc.Sometimes) > 0 {
		add(root, "sometimes", strs(sc.Sometimes))
	}
	if len(sc.Properties) > 0 {
		add(root, "properties", strs(sc.Properties))
	}
	list("unreachable", len(sc.Unreachable), func(i int, m *yaml.Node) {
		add(m, "condition", str(sc.Unreachable[i].Condition))
		add(m, "why", str(sc.Unreachable[i].Why))
	})
	if len(sc.ExpectOrder) > 0 {
		m := &yaml.Node{Kind: yaml.MappingNode}
		for _, st := range sc.ExpectOrder {
			add(m, st, strs(sc.Expect[st]))
		}
		add(root, "expect", m)
	}
	return yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}})
}

func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func num(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func strs(list []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range list {
		n.Content = append(n.Content, str(s))
	}
	return n
}

// durationString writes t exactly, in the largest unit that divides it.
func durationString(t sim.Time) string {
	switch {
	case t%sim.Second == 0:
		return strconv.FormatInt(int64(t/sim.Second), 10) + "s"
	case t%sim.Millisecond == 0:
		return strconv.FormatInt(int64(t/sim.Millisecond), 10) + "ms"
	case t%sim.Microsecond == 0:
		return strconv.FormatInt(int64(t/sim.Microsecond), 10) + "us"
	}
	return strconv.FormatInt(int64(t), 10) + "ns"
}

// pcsMDIONode is a pcs_mdio mapping in flow style.
func pcsMDIONode(create string, addr int, node string) *yaml.Node {
	pm := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	pm.Content = append(pm.Content, str("create"), str(create), str("addr"), num(addr))
	if node != "" {
		pm.Content = append(pm.Content, str("node"), str(node))
	}
	return pm
}
