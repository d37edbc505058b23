package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/scenarios"
)

// listJSON is what list prints with --format json: the sections of the
// text, under the same names, each entry with its one-line doc.
type listJSON struct {
	Scenarios  []listEntry   `json:"scenarios"`
	Strategies []listEntry   `json:"strategies"`
	Properties []listEntry   `json:"properties"`
	Explorers  []listEntry   `json:"explorers"`
	Kernels    []kernelEntry `json:"kernels"`
	// KernelFeatures are the differences between the kernel versions.
	KernelFeatures     []featureEntry `json:"kernel_features"`
	FwDevlinkModes     []listEntry    `json:"fw_devlink_modes"`
	FirmwareReferences []listEntry    `json:"firmware_references"`
}

// kernelEntry is a kernel version the model follows and the features it
// has.
type kernelEntry struct {
	Name     string   `json:"name"`
	Features []string `json:"features"`
	Default  bool     `json:"default"`
}

// featureEntry is a kernel feature; Since is the first mainline release
// that has it.
type featureEntry struct {
	Name  string `json:"name"`
	Doc   string `json:"doc"`
	Since string `json:"since"`
}

// listEntry is an identifier and its one-line doc.
type listEntry struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// listing gathers what list prints.
func listing() listJSON {
	var l listJSON
	for _, n := range scenarios.Shipped() {
		desc := ""
		if sc, err := scenarios.Open(n); err == nil {
			desc = firstSentence(sc.Description)
		}
		l.Scenarios = append(l.Scenarios, listEntry{n, desc})
	}
	for _, id := range strategyDocs() {
		l.Strategies = append(l.Strategies, listEntry{id[0], id[1]})
	}
	for _, p := range scenarios.AllProperties {
		l.Properties = append(l.Properties, listEntry{p, scenarios.PropertyDocs[p]})
	}
	for _, e := range scenarios.Explorers {
		l.Explorers = append(l.Explorers, listEntry{e[0], e[1]})
	}
	for i, v := range devmodel.VersionNames {
		has := []string{}
		for f, info := range devmodel.FeatureTable {
			if devmodel.Version(i + 1).Has(devmodel.Feature(f)) {
				has = append(has, info.Name)
			}
		}
		l.Kernels = append(l.Kernels, kernelEntry{v, has, v == devmodel.DefaultVersion.String()})
	}
	for _, info := range devmodel.FeatureTable {
		l.KernelFeatures = append(l.KernelFeatures, featureEntry{info.Name, info.What, info.Since})
	}
	for i, doc := range fwDevlinkDocs {
		l.FwDevlinkModes = append(l.FwDevlinkModes, listEntry{devmodel.FwDevlinkNames[i], doc})
	}
	for _, p := range devmodel.HandleProperties {
		l.FirmwareReferences = append(l.FirmwareReferences, listEntry{p.Name, p.Doc})
	}
	return l
}

func cmdList(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("list", "[--format text|json]", stderr)
	format := fs.String("format", "text", "output format: text or json")
	if files, err := parse(fs, args); err != nil {
		return 0, err
	} else if len(files) > 0 {
		return 0, usagef("list takes no arguments")
	}
	l := listing()
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(l)
		return exitOK, nil
	case "text":
	default:
		return 0, usagef("--format must be text or json")
	}
	section := func(title string, entries []listEntry) {
		fmt.Fprintln(stdout, title)
		for _, e := range entries {
			fmt.Fprintf(stdout, "  %-22s %s\n", e.Name, e.Doc)
		}
	}
	section("scenarios:", l.Scenarios)
	section("strategies:", l.Strategies)
	section("properties:", l.Properties)
	section("explorers:", l.Explorers)
	fmt.Fprintln(stdout, "kernels (--kernel, kernel:):")
	for _, k := range l.Kernels {
		has := k.Features
		if len(has) == 0 {
			has = []string{"none of the features below"}
		}
		def := ""
		if k.Default {
			def = " (default)"
		}
		fmt.Fprintf(stdout, "  %-22s has %s%s\n", k.Name, strings.Join(has, ", "), def)
	}
	fmt.Fprintln(stdout, "kernel features (first mainline release):")
	for _, f := range l.KernelFeatures {
		fmt.Fprintf(stdout, "  %-22s %s (%s)\n", f.Name, f.Doc, f.Since)
	}
	section("fw_devlink modes (fw_devlink:; default the kernel's: on for 6.1, rpm since 6.8):", l.FwDevlinkModes)
	section("firmware references (devices' handles:, parsed by fw_devlink):", l.FirmwareReferences)
	return exitOK, nil
}

// fwDevlinkDocs explain devmodel.FwDevlinkNames, in order.
var fwDevlinkDocs = []string{
	"no links inferred",
	"SYNC_STATE_ONLY links: sync_state() ordering only, no probe ordering, no unbinding",
	"managed links (INFERRED, AUTOPROBE_CONSUMER): a consumer probes after its suppliers and is unbound before them",
	"on plus DL_FLAG_PM_RUNTIME (no runtime PM in the model: as on)",
}
