package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/mdio"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/phylink"
	"github.com/pcssim/pcssim/sim"
)

// Limits that keep the loader safe on hostile input.
const (
	MaxFileSize = 1 << 20
	MaxNodes    = 100_000
	MaxDepth    = 32
	MaxItems    = 1000
	// MaxFaultFirings bounds the injections an execution may make (the
	// counts of the faults summed): every decision offers each open one.
	MaxFaultFirings = 1000
)

// LoadFile reads and loads a scenario file.
func LoadFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Load parses and validates a scenario. Every problem of the file is
// returned at once in a *LoadError, each with FILE:LINE:COL.
func Load(file string, data []byte) (*Scenario, error) {
	l := &loader{file: file}
	sc := l.load(data)
	if len(l.problems) > 0 {
		return nil, &LoadError{Problems: l.problems}
	}
	sc.Path = file
	return sc, nil
}

type loader struct {
	file     string
	problems []Problem
	nodes    int
	// refs remembers where names and references were written.
	refs map[string]*yaml.Node
	// badKernel and badHorizon are set when kernel: or horizon: was
	// reported bad: the checks that depend on them are skipped.
	badKernel, badHorizon bool
	// incomplete names the sections (modules, drivers, devices, netdevs)
	// whose list of names is not known for sure: the section is not a
	// list, an item has no usable name, or a misspelled key may be the
	// section. References into it are not reported as dangling: they
	// would only repeat the problem reported there.
	incomplete map[string]bool
}

func (l *loader) errf(n *yaml.Node, format string, args ...any) {
	p := Problem{File: l.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Col = n.Line, n.Column
	}
	l.problems = append(l.problems, p)
}

func (l *loader) load(data []byte) *Scenario {
	sc := &Scenario{}
	switch {
	case len(data) > MaxFileSize:
		l.errf(nil, "file is %d bytes; the limit is %d", len(data), MaxFileSize)
		return sc
	case len(bytes.TrimSpace(data)) == 0:
		l.errf(nil, "file is empty; a scenario needs at least name, drivers and devices")
		return sc
	case !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0:
		l.errf(nil, "file is not UTF-8 text")
		return sc
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		l.errf(nil, "file holds no YAML document")
		return sc
	} else if err != nil {
		l.yamlError(err)
		return sc
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		l.errf(&next, "a second YAML document starts here; a scenario file holds one")
		return sc
	} else if !errors.Is(err, io.EOF) {
		l.yamlError(err)
		return sc
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.errf(nil, "file holds no YAML document")
		return sc
	}
	if !l.checkTree(doc.Content[0], 0) {
		return sc
	}
	l.scenario(doc.Content[0], sc)
	// The checks across sections run whatever the first pass found, so
	// that one run reports every problem of the file (docs/scenario-format.md);
	// a value already reported bad is not reported again as a dangling
	// reference.
	l.crossCheck(sc)
	if !l.badKernel {
		for _, p := range sc.kernelProblems() {
			l.errf(l.refs[p.ref], "kernel %s: %s", sc.Kernel, p.msg)
		}
	}
	l.sortProblems()
	return sc
}

// yamlError turns a yaml syntax error ("yaml: line N: msg") into a Problem.
func (l *loader) yamlError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, e := strconv.Atoi(rest[:i]); e == nil {
				line, msg = n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	l.problems = append(l.problems, Problem{File: l.file, Line: line, Col: map[bool]int{true: 1}[line > 0], Msg: "YAML syntax: " + msg})
}

// checkTree rejects aliases (no alias bombs), deep nesting and huge trees.
func (l *loader) checkTree(n *yaml.Node, depth int) bool {
	l.nodes++
	switch {
	case l.nodes > MaxNodes:
		l.errf(n, "more than %d YAML nodes", MaxNodes)
		return false
	case depth > MaxDepth:
		l.errf(n, "nesting deeper than %d levels", MaxDepth)
		return false
	case n.Kind == yaml.AliasNode:
		l.errf(n, "YAML aliases (*%s) are not supported in scenarios", n.Value)
		return false
	case n.Kind == yaml.MappingNode && n.Tag == "!!merge":
		l.errf(n, "YAML merge keys are not supported")
		return false
	}
	for _, c := range n.Content {
		if !l.checkTree(c, depth+1) {
			return false
		}
	}
	return true
}

// fields walks a mapping, calling set for each known key and reporting
// unknown and duplicate keys.
func (l *loader) fields(n *yaml.Node, what string, set map[string]func(v *yaml.Node), required ...string) {
	if n.Kind != yaml.MappingNode {
		l.errf(n, "%s must be a mapping, not %s", what, kindName(n))
		return
	}
	known := make([]string, 0, len(set))
	for k := range set {
		known = append(known, k)
	}
	slices.Sort(known)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errf(k, "%s: keys must be plain words", what)
			continue
		}
		if seen[k.Value] {
			l.errf(k, "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		f, ok := set[k.Value]
		if !ok {
			l.errf(k, "%s: unknown key %q%s", what, k.Value, DidYouMean(k.Value, known))
			if what == "scenario" {
				l.maybeMeant(k.Value, known)
			}
			continue
		}
		f(v)
	}
	for _, r := range required {
		if !seen[r] {
			l.errf(n, "%s: missing required key %q", what, r)
		}
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func (l *loader) str(n *yaml.Node, what string, dst *string) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!map" {
		l.errf(n, "%s must be a string, not %s", what, kindName(n))
		return
	}
	if n.Value == "" {
		l.errf(n, "%s must not be empty", what)
		return
	}
	if i := strings.IndexFunc(n.Value, isControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(n.Value[i:])
		l.errf(n, "%s must not contain control or formatting characters (%U at byte %d): names are printed in reports", what, r, i)
		return
	}
	*dst = n.Value
}

// text is str for free text (description, why), which may hold line
// breaks and tabs but no other control character.
func (l *loader) text(n *yaml.Node, what string, dst *string) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!map" {
		l.errf(n, "%s must be a string, not %s", what, kindName(n))
		return
	}
	if i := strings.IndexFunc(n.Value, func(r rune) bool { return r != '\n' && r != '\t' && isControl(r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(n.Value[i:])
		l.errf(n, "%s must not contain control or formatting characters (%U at byte %d)", what, r, i)
		return
	}
	if n.Value == "" {
		l.errf(n, "%s must not be empty", what)
		return
	}
	*dst = n.Value
}

// isControl reports control characters (C0, DEL, C1) and invisible
// formatting ones (bidirectional overrides, zero-width characters), which
// would let a name forge or hide lines of a report.
func isControl(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// strAt is str that also remembers where the value was written under key,
// for errors found later by crossCheck.
func (l *loader) strAt(n *yaml.Node, what string, dst *string, key string) {
	l.str(n, what, dst)
	l.refs[key] = n
}

// nameAt is str for a name: its position is remembered under "kind:name".
func (l *loader) nameAt(n *yaml.Node, what string, dst *string, kind string) {
	l.str(n, what, dst)
	l.refs[kind+":"+*dst] = n
}

func (l *loader) boolean(n *yaml.Node, what string, dst *bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.errf(n, "%s must be true or false, not %s", what, kindName(n))
		return
	}
	*dst = n.Value == "true"
}

func (l *loader) integer(n *yaml.Node, what string, lo, hi int, dst *int) {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		l.errf(n, "%s must be an integer, not %s", what, kindName(n))
		return
	}
	if v < lo || v > hi {
		l.errf(n, "%s is %d; it must be between %d and %d", what, v, lo, hi)
		return
	}
	*dst = v
}

// duration parses "1.5s", "300ms", "20us", "10ns" (no bare numbers).
func (l *loader) duration(n *yaml.Node, what string, dst *sim.Time) bool {
	if n.Kind != yaml.ScalarNode {
		l.errf(n, "%s must be a duration such as 1.5s or 300ms, not %s", what, kindName(n))
		return false
	}
	d, err := ParseDuration(n.Value)
	if err != nil {
		l.errf(n, "%s: %v", what, err)
		return false
	}
	*dst = d
	return true
}

// ParseDuration parses a non-negative virtual duration with unit s, ms, us
// or ns, up to one hour.
func ParseDuration(s string) (sim.Time, error) {
	units := []struct {
		suffix string
		unit   sim.Time
	}{{"ms", sim.Millisecond}, {"us", sim.Microsecond}, {"ns", sim.Nanosecond}, {"s", sim.Second}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			// Digits and a point only (a minus is out of range below): no
			// exponent, plus, hex, NaN or Inf
			// (a NaN converts to an integer differently on each CPU).
			if err != nil || num == "" || strings.Trim(num, "-0123456789.") != "" || math.IsNaN(f) || math.IsInf(f, 0) {
				return 0, fmt.Errorf("bad duration %q: want a number and a unit (s, ms, us, ns)", s)
			}
			if f < 0 || f*float64(u.unit) > float64(3600*sim.Second) {
				return 0, fmt.Errorf("duration %q out of range (0 to 3600s)", s)
			}
			return sim.Time(f * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("bad duration %q: want a number and a unit (s, ms, us, ns)", s)
}

func (l *loader) strList(n *yaml.Node, what string, dst *[]string) {
	if n.Kind != yaml.SequenceNode {
		l.errf(n, "%s must be a list, not %s", what, kindName(n))
		return
	}
	out := []string{}
	for _, c := range n.Content {
		var s string
		l.str(c, what+" item", &s)
		out = append(out, s)
	}
	*dst = out
}

func (l *loader) list(n *yaml.Node, what string, item func(i int, c *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		l.errf(n, "%s must be a list, not %s", what, kindName(n))
		l.incomplete[what] = true
		return
	}
	if len(n.Content) > MaxItems {
		l.errf(n, "%s has %d items; the limit is %d", what, len(n.Content), MaxItems)
		l.incomplete[what] = true
		return
	}
	for i, c := range n.Content {
		item(i, c)
	}
}

// nonEmpty rejects an empty list where a world needs at least one item
// (drivers, devices: "drivers: []" was accepted as a world of nothing).
func (l *loader) nonEmpty(n *yaml.Node, what string) {
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		l.errf(n, "%s is empty; a world needs at least one", what)
	}
}

func (l *loader) scenario(root *yaml.Node, sc *Scenario) {
	sc.Horizon, sc.MaxSteps = 10*sim.Second, 200_000
	l.refs = map[string]*yaml.Node{}
	l.incomplete = map[string]bool{}
	refs := l.refs
	at := func(key string, n *yaml.Node) { refs[key] = n }
	l.fields(root, "scenario", map[string]func(*yaml.Node){
		"name":        func(v *yaml.Node) { l.str(v, "name", &sc.Name) },
		"description": func(v *yaml.Node) { l.text(v, "description", &sc.Description) },
		"strategy": func(v *yaml.Node) {
			l.strAt(v, "strategy", &sc.Strategy, "strategy")
		},
		"horizon": func(v *yaml.Node) {
			ok := l.duration(v, "horizon", &sc.Horizon)
			if ok && sc.Horizon < sim.Millisecond {
				l.errf(v, "horizon must be at least 1ms")
			}
			l.badHorizon = !ok || sc.Horizon < sim.Millisecond
		},
		"max_steps":          func(v *yaml.Node) { l.integer(v, "max_steps", 100, 10_000_000, &sc.MaxSteps) },
		"autoprobe_consumer": func(v *yaml.Node) { l.boolean(v, "autoprobe_consumer", &sc.AutoprobeConsumer) },
		"fw_devlink": func(v *yaml.Node) {
			var name string
			l.str(v, "fw_devlink", &name)
			if name == "" {
				return
			}
			m, err := devmodel.ParseFwDevlink(name)
			if err != nil {
				l.errf(v, "fw_devlink: %v%s", err, DidYouMean(name, devmodel.FwDevlinkNames))
				return
			}
			sc.FwDevlink = m
		},
		"fw_devlink_pcs_handle": func(v *yaml.Node) {
			l.boolean(v, "fw_devlink_pcs_handle", &sc.FwPCSHandle)
			at("fw_devlink_pcs_handle", v)
		},
		"kernel": func(v *yaml.Node) {
			var name string
			l.str(v, "kernel", &name)
			if name == "" {
				l.badKernel = true
				return
			}
			kv, err := devmodel.ParseVersion(name)
			if err != nil {
				l.errf(v, "kernel: %v%s", err, DidYouMean(name, devmodel.VersionNames))
				l.badKernel = true
				return
			}
			sc.Kernel, sc.FileKernel = kv, kv
		},
		"modules": func(v *yaml.Node) {
			l.list(v, "modules", func(i int, c *yaml.Node) {
				m := Module{Loaded: true}
				l.fields(c, "module", map[string]func(*yaml.Node){
					"name":    func(v *yaml.Node) { l.nameAt(v, "module name", &m.Name, "module") },
					"depends": func(v *yaml.Node) { l.strList(v, "depends", &m.Depends); at(fmt.Sprintf("module-deps:%d", i), v) },
					"loaded":  func(v *yaml.Node) { l.boolean(v, "loaded", &m.Loaded) },
				}, "name")
				l.named("modules", m.Name)
				sc.Modules = append(sc.Modules, m)
			})
		},
		"drivers": func(v *yaml.Node) {
			l.nonEmpty(v, "drivers")
			l.list(v, "drivers", func(i int, c *yaml.Node) {
				d := Driver{Lanes: 1, Link: "poll", Bus: "platform"}
				var probe, remove, shutdown *yaml.Node
				l.fields(c, "driver", map[string]func(*yaml.Node){
					"name":   func(v *yaml.Node) { l.nameAt(v, "driver name", &d.Name, "driver") },
					"kind":   func(v *yaml.Node) { l.strAt(v, "kind", &d.Kind, fmt.Sprintf("driver-kind:%d", i)) },
					"module": func(v *yaml.Node) { l.strAt(v, "module", &d.Module, fmt.Sprintf("driver-module:%d", i)) },
					"bus":    func(v *yaml.Node) { l.str(v, "bus", &d.Bus) },
					"lanes":  func(v *yaml.Node) { l.integer(v, "lanes", 1, 8, &d.Lanes) },
					"link": func(v *yaml.Node) {
						l.str(v, "link", &d.Link)
						if d.Link != "poll" && d.Link != "irq" {
							l.errf(v, "link must be poll or irq, not %q%s", d.Link, DidYouMean(d.Link, []string{"poll", "irq"}))
						}
					},
					"suppress_bind_attrs": func(v *yaml.Node) { l.boolean(v, "suppress_bind_attrs", &d.SuppressBindAttrs) },
					"probe":               func(v *yaml.Node) { probe = v },
					"remove":              func(v *yaml.Node) { remove = v },
					"shutdown":            func(v *yaml.Node) { shutdown = v },
					"pm": func(v *yaml.Node) {
						pm := true
						l.boolean(v, "pm", &pm)
						d.NoPM = !pm
					},
					"defer_after_register": func(v *yaml.Node) {
						l.integer(v, "defer_after_register", 0, 10, &d.DeferAfterRegister)
						at(fmt.Sprintf("driver-defer:%d", i), v)
					},
				}, "name", "kind")
				if d.Kind != "" && !slices.Contains(DriverKinds, d.Kind) {
					l.errf(refs[fmt.Sprintf("driver-kind:%d", i)], "driver kind must be %s, not %q%s", orList(DriverKinds), d.Kind, DidYouMean(d.Kind, DriverKinds))
				}
				if rules, ok := stepRules[d.Kind]; ok {
					if probe != nil {
						l.steps(probe, "probe", &d.Probe, rules[0])
					}
					if remove != nil {
						l.steps(remove, "remove", &d.Remove, rules[1])
					}
				} else if d.Kind != "" && (probe != nil || remove != nil) {
					l.errf(c, "driver %q: probe and remove steps apply to mac and mdio-controller drivers", d.Name)
				}
				if d.DeferAfterRegister > 0 && d.Kind != KindPCSProvider {
					l.errf(refs[fmt.Sprintf("driver-defer:%d", i)], "driver %q: defer_after_register applies to pcs-provider drivers", d.Name)
				}
				if shutdown != nil {
					rule := stepRule{optional: []string{devmodel.ShutdownRemove, devmodel.ShutdownClearDrvdata}}
					if d.Kind == KindMAC {
						rule.optional = append([]string{phylink.ShutdownDevClose, phylink.ShutdownNdoStop}, rule.optional...)
					}
					l.steps(shutdown, "shutdown", &d.Shutdown, rule)
					if d.Shutdown == nil {
						d.Shutdown = []string{} // a ->shutdown that does nothing
					}
				}
				l.named("drivers", d.Name)
				sc.Drivers = append(sc.Drivers, d)
			})
		},
		"devices": func(v *yaml.Node) {
			l.nonEmpty(v, "devices")
			l.list(v, "devices", func(i int, c *yaml.Node) {
				var d Device
				l.fields(c, "device", map[string]func(*yaml.Node){
					"name": func(v *yaml.Node) {
						l.nameAt(v, "device name", &d.Name, "device")
						if strings.Contains(d.Name, ":") {
							l.errf(v, "device name %q must not contain ':' (it names a lane of a multi-lane PCS device, as in qs:1)", d.Name)
						}
					},
					"bus":    func(v *yaml.Node) { l.str(v, "bus", &d.Bus) },
					"driver": func(v *yaml.Node) { l.strAt(v, "driver", &d.Driver, fmt.Sprintf("device-driver:%d", i)) },
					"parent": func(v *yaml.Node) { l.strAt(v, "parent", &d.Parent, fmt.Sprintf("device-parent:%d", i)) },
					"mdio_addr": func(v *yaml.Node) {
						a := 0
						l.integer(v, "mdio_addr", 0, 31, &a)
						d.MDIOAddr = &a
						at(fmt.Sprintf("device-mdio:%d", i), v)
					},
					"irq": func(v *yaml.Node) { l.boolean(v, "irq", &d.IRQ); at(fmt.Sprintf("device-irq:%d", i), v) },
					"handles": func(v *yaml.Node) {
						l.list(v, "handles", func(j int, c *yaml.Node) {
							var h Handle
							l.fields(c, "handle", map[string]func(*yaml.Node){
								"property": func(v *yaml.Node) {
									l.strAt(v, "property", &h.Property, fmt.Sprintf("handle-p:%d:%d", i, j))
								},
								"to":   func(v *yaml.Node) { l.strAt(v, "to", &h.To, fmt.Sprintf("handle-to:%d:%d", i, j)) },
								"node": func(v *yaml.Node) { l.str(v, "node", &h.Node) },
							}, "property", "to")
							d.Handles = append(d.Handles, h)
						})
					},
				}, "name")
				if d.Driver == "" && d.MDIOAddr == nil && refs[fmt.Sprintf("device-driver:%d", i)] == nil {
					l.errf(c, "device %q: driver is missing (only an mdio_device, mdio_addr:, may have none)", d.Name)
				}
				l.named("devices", d.Name)
				sc.Devices = append(sc.Devices, d)
			})
		},
		"netdevs": func(v *yaml.Node) {
			l.list(v, "netdevs", func(i int, c *yaml.Node) {
				var nd Netdev
				l.fields(c, "netdev", map[string]func(*yaml.Node){
					"name":       func(v *yaml.Node) { l.nameAt(v, "netdev name", &nd.Name, "netdev") },
					"mac":        func(v *yaml.Node) { l.strAt(v, "mac", &nd.MAC, fmt.Sprintf("netdev-mac:%d", i)) },
					"pcs":        func(v *yaml.Node) { l.strAt(v, "pcs", &nd.PCS, fmt.Sprintf("netdev-pcs:%d", i)) },
					"integrated": func(v *yaml.Node) { l.boolean(v, "integrated", &nd.Integrated) },
					"integrated_module": func(v *yaml.Node) {
						l.strAt(v, "integrated_module", &nd.IntegratedModule, fmt.Sprintf("netdev-imod:%d", i))
					},
					"pcs_driver": func(v *yaml.Node) {
						l.strAt(v, "pcs_driver", &nd.PCSDriver, fmt.Sprintf("netdev-pcsdrv:%d", i))
					},
					"interface": func(v *yaml.Node) {
						l.str(v, "interface", &nd.Interface)
						l.phyMode(v, nd.Interface)
					},
					"pcs_interfaces": func(v *yaml.Node) {
						l.modes(v, "pcs_interfaces", &nd.PCSInterfaces)
						at(fmt.Sprintf("netdev-pcsif:%d", i), v)
					},
					"alt_pcs": func(v *yaml.Node) {
						at(fmt.Sprintf("netdev-alt:%d", i), v)
						l.fields(v, "alt_pcs", map[string]func(*yaml.Node){
							"name":       func(v *yaml.Node) { l.str(v, "alt_pcs.name", &nd.AltPCS) },
							"pcs_driver": func(v *yaml.Node) { l.str(v, "alt_pcs.pcs_driver", &nd.AltDriver) },
							"interfaces": func(v *yaml.Node) { l.modes(v, "alt_pcs.interfaces", &nd.AltInterfaces) },
						}, "name", "interfaces")
					},
					"pcs_mdio": func(v *yaml.Node) {
						l.pcsMDIOKey(v, strconv.Itoa(i), &nd.MDIOCreate, &nd.MDIOAddr, &nd.MDIONode)
						nd.Integrated = true
					},
					"extra_pcs": func(v *yaml.Node) { nd.Extra = l.extraPCS(v, i) },
					"irq":       func(v *yaml.Node) { l.boolean(v, "irq", &nd.IRQ); at(fmt.Sprintf("netdev-irq:%d", i), v) },
					"phy":       func(v *yaml.Node) { l.strAt(v, "phy", &nd.PHY, fmt.Sprintf("netdev-phy:%d", i)) },
					"required":  func(v *yaml.Node) { l.boolean(v, "required", &nd.Required) },
					"up":        func(v *yaml.Node) { l.boolean(v, "up", &nd.Up) },
				}, "name", "mac")
				l.named("netdevs", nd.Name)
				sc.Netdevs = append(sc.Netdevs, nd)
			})
		},
		"device_links": func(v *yaml.Node) {
			l.list(v, "device_links", func(i int, c *yaml.Node) {
				var lk Link
				l.fields(c, "device link", map[string]func(*yaml.Node){
					"consumer": func(v *yaml.Node) { l.strAt(v, "consumer", &lk.Consumer, fmt.Sprintf("link-c:%d", i)) },
					"supplier": func(v *yaml.Node) { l.strAt(v, "supplier", &lk.Supplier, fmt.Sprintf("link-s:%d", i)) },
					"flags":    func(v *yaml.Node) { l.strList(v, "flags", &lk.Flags); at(fmt.Sprintf("link-f:%d", i), v) },
				}, "consumer", "supplier")
				sc.Links = append(sc.Links, lk)
			})
		},
		"events": func(v *yaml.Node) {
			l.list(v, "events", func(i int, c *yaml.Node) {
				var e Event
				l.fields(c, "event", map[string]func(*yaml.Node){
					"at":     func(v *yaml.Node) { l.duration(v, "at", &e.At) },
					"action": func(v *yaml.Node) { l.action(v, &e.Action) },
					"target": func(v *yaml.Node) { l.strAt(v, "target", &e.Target, fmt.Sprintf("event-target:%d", i)) },
				}, "at", "action", "target")
				sc.Events = append(sc.Events, e)
			})
		},
		"faults": func(v *yaml.Node) {
			l.list(v, "faults", func(i int, c *yaml.Node) {
				f := Fault{Count: 1, Probability: 1}
				l.fields(c, "fault", map[string]func(*yaml.Node){
					"action": func(v *yaml.Node) { l.action(v, &f.Action) },
					"target": func(v *yaml.Node) { l.strAt(v, "target", &f.Target, fmt.Sprintf("fault-target:%d", i)) },
					"window": func(v *yaml.Node) {
						if v.Kind != yaml.SequenceNode || len(v.Content) != 2 {
							l.errf(v, "window must be a list of two durations [from, until]")
							return
						}
						if l.duration(v.Content[0], "window start", &f.From) && l.duration(v.Content[1], "window end", &f.Until) && f.Until < f.From {
							l.errf(v, "window ends (%s) before it starts (%s)", f.Until, f.From)
						}
					},
					"count": func(v *yaml.Node) { l.integer(v, "count", 1, 100, &f.Count) },
					"probability": func(v *yaml.Node) {
						p, err := strconv.ParseFloat(v.Value, 64)
						if v.Kind != yaml.ScalarNode || (v.Tag != "!!float" && v.Tag != "!!int") || err != nil {
							l.errf(v, "probability must be a number, not %s", kindName(v))
						} else if p <= 0 || p > 1 {
							l.errf(v, "probability is %g; it must be greater than 0 and at most 1", p)
						} else {
							f.Probability = p
						}
					},
				}, "action", "target", "window")
				sc.Faults = append(sc.Faults, f)
			})
			total := 0
			for _, f := range sc.Faults {
				total += f.Count
			}
			if total > MaxFaultFirings {
				l.errf(v, "faults may fire %d times in all (count summed over the faults); the limit is %d", total, MaxFaultFirings)
			}
		},
		"sometimes": func(v *yaml.Node) { l.strList(v, "sometimes", &sc.Sometimes) },
		"unreachable": func(v *yaml.Node) {
			l.list(v, "unreachable", func(i int, c *yaml.Node) {
				var u Unreachable
				l.fields(c, "unreachable condition", map[string]func(*yaml.Node){
					"condition": func(v *yaml.Node) {
						l.strAt(v, "condition", &u.Condition, fmt.Sprintf("unreachable:%d", i))
					},
					"why": func(v *yaml.Node) { l.text(v, "why", &u.Why) },
				}, "condition", "why")
				sc.Unreachable = append(sc.Unreachable, u)
			})
		},
		"properties": func(v *yaml.Node) {
			l.strList(v, "properties", &sc.Properties)
			for i, p := range sc.Properties {
				if p != "" && !slices.Contains(AllProperties, p) {
					l.errf(v.Content[i], "unknown property %q%s", p, DidYouMean(p, AllProperties))
				}
			}
		},
		"expect": func(v *yaml.Node) {
			sc.Expect = map[string][]string{}
			if v.Kind != yaml.MappingNode {
				l.errf(v, "expect must map strategies to lists of properties, not %s", kindName(v))
				return
			}
			ids := pcs.StrategyIDs()
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, lv := v.Content[i], v.Content[i+1]
				if !slices.Contains(ids, k.Value) {
					l.errf(k, "expect: unknown strategy %q%s", k.Value, DidYouMean(k.Value, ids))
					continue
				}
				if _, dup := sc.Expect[k.Value]; dup {
					l.errf(k, "expect: duplicate strategy %q", k.Value)
					continue
				}
				var props []string
				l.strList(lv, "expect."+k.Value, &props)
				if lv.Kind == yaml.SequenceNode {
					for j, p := range props {
						if p != "" && !slices.Contains(AllProperties, p) {
							l.errf(lv.Content[j], "unknown property %q%s", p, DidYouMean(p, AllProperties))
						}
					}
				}
				sc.Expect[k.Value] = props
				sc.ExpectOrder = append(sc.ExpectOrder, k.Value)
			}
		},
	}, "name", "drivers", "devices")
	if len(sc.Drivers) == 0 {
		l.incomplete["drivers"] = true
	}
	if len(sc.Devices) == 0 {
		l.incomplete["devices"] = true
	}
}

// named marks section incomplete when one of its items has no usable name.
func (l *loader) named(section, name string) {
	if name == "" {
		l.incomplete[section] = true
	}
}

// maybeMeant marks the section an unknown top-level key may be a
// misspelling of (modles: modules) as incomplete.
func (l *loader) maybeMeant(key string, known []string) {
	if best, ok := closest(key, known); ok {
		l.incomplete[best] = true
	}
}

func (l *loader) action(n *yaml.Node, dst *string) {
	l.str(n, "action", dst)
	if *dst != "" && !slices.Contains(Actions, *dst) {
		l.errf(n, "unknown action %q%s; actions are %s", *dst, DidYouMean(*dst, Actions), strings.Join(Actions, ", "))
	}
}

// phyMode checks that mode (at n) is a phy_interface_t name.
func (l *loader) phyMode(n *yaml.Node, mode string) {
	if mode != "" && !slices.Contains(PHYModes, mode) {
		l.errf(n, "unknown interface mode %q%s; modes are %s", mode, DidYouMean(mode, PHYModes), strings.Join(PHYModes, ", "))
	}
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// stepRule says which steps a probe or remove list may name: one of each
// group of alternatives in required, exactly once, and any of optional at
// most once.
type stepRule struct {
	required [][]string
	optional []string
	// mayOmit: a group of required may be missing (a remove that forgets
	// a step: what it leaves is reported as a leak).
	mayOmit bool
}

// stepRules are the probe and remove rules of each driver kind with steps.
var stepRules = map[string][2]stepRule{
	KindMAC: {
		{required: [][]string{{phylink.StepLookupPCS, phylink.StepPCSCreate}, {phylink.StepPhylinkCreate}, {phylink.StepRequestIRQ}, {phylink.StepRegisterNetdev}},
			optional: []string{phylink.StepMDIORegister, mdio.StepAlloc, mdio.StepDevmAlloc, mdio.StepRegister, mdio.StepDevmRegister}},
		{required: [][]string{{phylink.StepUnregister}, {phylink.StepFreeIRQ}, {phylink.StepPhylinkDestroy}, {phylink.StepPutPCS, phylink.StepPCSDestroy}},
			optional: []string{phylink.StepNdoStop, phylink.StepMDIOUnregister, mdio.StepUnregister, mdio.StepFree}, mayOmit: true},
	},
	KindMDIOController: {
		{required: [][]string{{mdio.StepAlloc, mdio.StepDevmAlloc}, {mdio.StepRegister, mdio.StepDevmRegister}}},
		{optional: []string{mdio.StepUnregister, mdio.StepFree}},
	},
}

// names lists every step the rule knows.
func (r stepRule) names() []string {
	var out []string
	for _, g := range r.required {
		out = append(out, g...)
	}
	return append(out, r.optional...)
}

func (l *loader) steps(n *yaml.Node, what string, dst *[]string, rule stepRule) {
	l.strList(n, what, dst)
	if n.Kind != yaml.SequenceNode {
		return
	}
	valid := rule.names()
	seen := map[string]bool{}
	bad := false
	for i, s := range *dst {
		if s == "" {
			bad = true // not a string: reported
			continue
		}
		if !slices.Contains(valid, s) {
			l.errf(n.Content[i], "%s: unknown step %q%s; steps are %s", what, s, DidYouMean(s, valid), strings.Join(valid, ", "))
			bad = true
		} else if seen[s] {
			l.errf(n.Content[i], "%s: step %q appears twice", what, s)
			bad = true
		}
		seen[s] = true
	}
	if bad {
		return
	}
	for _, g := range rule.required {
		var got []string
		for _, s := range g {
			if seen[s] {
				got = append(got, s)
			}
		}
		switch {
		case len(got) == 0 && rule.mayOmit:
		case len(got) == 0 && len(g) == 1:
			l.errf(n, "%s: step %q is missing (every step must appear once)", what, g[0])
		case len(got) == 0:
			l.errf(n, "%s: one of the steps %s is missing", what, strings.Join(g, ", "))
		case len(got) > 1:
			l.errf(n, "%s: steps %s do the same: name one", what, strings.Join(got, ", "))
		}
	}
}

// modes reads a list of phy-modes.
func (l *loader) modes(v *yaml.Node, what string, dst *[]string) {
	l.strList(v, what, dst)
	if v.Kind == yaml.SequenceNode {
		for j, m := range *dst {
			l.phyMode(v.Content[j], m)
		}
	}
}

// pcsMDIOKey reads a pcs_mdio mapping (of netdev key, or of an extra_pcs
// entry, key "i.j"), remembering where it and its node were written.
func (l *loader) pcsMDIOKey(v *yaml.Node, key string, create *string, addr *int, node *string) {
	l.refs["netdev-mdio:"+key] = v
	l.fields(v, "pcs_mdio", map[string]func(*yaml.Node){
		"create": func(v *yaml.Node) {
			l.str(v, "create", create)
			if *create != "" && !slices.Contains(mdioCreates, *create) {
				l.errf(v, "pcs_mdio.create must be %s, not %q%s", strings.Join(mdioCreates, " or "), *create, DidYouMean(*create, mdioCreates))
			}
		},
		"addr": func(v *yaml.Node) { l.integer(v, "addr", 0, 31, addr) },
		"node": func(v *yaml.Node) { l.strAt(v, "node", node, "netdev-mdionode:"+key) },
	}, "create")
}

// extraPCS reads netdev i's extra_pcs; each entry's positions are
// remembered under keys "i.j".
func (l *loader) extraPCS(v *yaml.Node, i int) []ExtraPCS {
	var out []ExtraPCS
	l.refs[fmt.Sprintf("netdev-extras:%d", i)] = v
	l.list(v, "extra_pcs", func(j int, c *yaml.Node) {
		var x ExtraPCS
		key := fmt.Sprintf("%d.%d", i, j)
		l.refs["netdev-extra:"+key] = c
		l.fields(c, "extra_pcs entry", map[string]func(*yaml.Node){
			"pcs":        func(v *yaml.Node) { l.strAt(v, "pcs", &x.PCS, "netdev-pcs:"+key) },
			"integrated": func(v *yaml.Node) { l.boolean(v, "integrated", &x.Integrated) },
			"integrated_module": func(v *yaml.Node) {
				l.strAt(v, "integrated_module", &x.IntegratedModule, "netdev-imod:"+key)
			},
			"pcs_driver": func(v *yaml.Node) { l.strAt(v, "pcs_driver", &x.PCSDriver, "netdev-pcsdrv:"+key) },
			"pcs_mdio": func(v *yaml.Node) {
				l.pcsMDIOKey(v, key, &x.MDIOCreate, &x.MDIOAddr, &x.MDIONode)
				x.Integrated = true
			},
			"interfaces": func(v *yaml.Node) {
				l.modes(v, "extra_pcs.interfaces", &x.Interfaces)
				l.refs["netdev-pcsif:"+key] = v
			},
		}, "pcs", "interfaces")
		out = append(out, x)
	})
	return out
}
