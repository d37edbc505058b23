package scenarios

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

func openShipped(t *testing.T, name string) *Scenario {
	t.Helper()
	sc, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestFingerprintPartsDistinct: the known values of each short component
// hash apart, so a mismatch can name the value recorded; the shipped
// scenarios' contents hash apart too.
func TestFingerprintPartsDistinct(t *testing.T) {
	var explorers []string
	for _, e := range ReplayExplorers {
		if e == "pct" {
			for d := 1; d <= 10; d++ {
				explorers = append(explorers, (Recording{Explore: e, Depth: d}).explorer())
			}
			continue
		}
		explorers = append(explorers, e)
	}
	var contents []string
	for _, n := range Shipped() {
		contents = append(contents, scenarioContent(openShipped(t, n)))
	}
	for _, c := range []struct {
		part   int
		values []string
	}{{0, contents}, {1, pcs.StrategyIDs()}, {2, explorers}, {3, devmodel.VersionNames}} {
		p := fingerprintParts[c.part]
		seen := map[string]string{}
		for _, v := range c.values {
			h := fpHash(p.name, v, p.chars)
			if prev, dup := seen[h]; dup {
				t.Errorf("%s: %q and %q hash alike (%s)", p.name, firstLine(prev), firstLine(v), h)
			}
			seen[h] = v
		}
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// TestFingerprintCheckNamesTheFlag: a fingerprint of another combination
// fails Check with the flag that differs and the value recorded; the
// same combination passes.
func TestFingerprintCheckNamesTheFlag(t *testing.T) {
	unbind := openShipped(t, "rmk-2022-unbind")
	old, err := unbind.WithKernel(devmodel.V6_1)
	if err != nil {
		t.Fatal(err)
	}
	rec := Recording{Scenario: unbind, Strategy: "module-ref", Explore: "random"}
	fp := rec.Fingerprint()
	if err := rec.Check("schedule", fp); err != nil {
		t.Fatalf("the recording's own fingerprint: %v", err)
	}
	if d := (Recording{Scenario: unbind, Strategy: "module-ref", Explore: "pct"}); d.Fingerprint() != (Recording{Scenario: unbind, Strategy: "module-ref", Explore: "pct", Depth: DefaultDepth}).Fingerprint() {
		t.Error("pct's depth 0 and the default depth fingerprint differently")
	}
	for _, c := range []struct {
		name string
		here Recording
		want string
	}{
		{"strategy", Recording{Scenario: unbind, Strategy: "phylink-notify", Explore: "random"},
			"this schedule was recorded with --strategy module-ref, not phylink-notify: replaying it here would run another execution"},
		{"explore", Recording{Scenario: unbind, Strategy: "module-ref", Explore: "swarm"},
			"this schedule was recorded with --explore random, not --explore swarm: "},
		{"depth", Recording{Scenario: unbind, Strategy: "module-ref", Explore: "pct", Depth: 5},
			"this schedule was recorded with --explore random, not --explore pct --depth 5: "},
		{"kernel", Recording{Scenario: old, Strategy: "module-ref", Explore: "random"},
			"this schedule was recorded with --kernel 6.12, not 6.1: "},
		{"scenario", Recording{Scenario: openShipped(t, "pcs-rebind"), Strategy: "module-ref", Explore: "random"},
			"this schedule was recorded on the shipped scenario scenarios/rmk-2022-unbind.yaml, not scenarios/pcs-rebind.yaml: "},
		{"two flags", Recording{Scenario: old, Strategy: "none", Explore: "random"},
			"this schedule was recorded with --strategy module-ref, not none, and with --kernel 6.12, not 6.1: "},
	} {
		err := c.here.Check("schedule", fp)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: Check gave %v, want %q...", c.name, err, c.want)
		}
	}
	// A value no pcssim knows: said, not guessed.
	custom := Recording{Scenario: unbind, Strategy: "my-strategy", Explore: "random"}
	if err := rec.Check("seed", custom.Fingerprint()); err == nil ||
		!strings.Contains(err.Error(), "this seed was recorded with another --strategy than module-ref (one this pcssim does not know") {
		t.Errorf("unknown strategy: %v", err)
	}
	for _, bad := range []string{"", "abc", "Lqmn_y02jm!", "Lqmn y02jm", "Lqmn_y02jmx"} {
		if err := rec.Check("schedule", bad); !errors.Is(err, ErrNoFingerprint) {
			t.Errorf("Check(%q) = %v, want ErrNoFingerprint", bad, err)
		}
	}
}

// TestFingerprintScenarioContent: what changes no execution (name,
// description, default strategy, expect, sometimes, the file's path)
// keeps a scenario's fingerprint; what does (a fault's window, the
// horizon, a property list) changes it, and the mismatch then says the
// scenario differs without naming a shipped one.
func TestFingerprintScenarioContent(t *testing.T) {
	base := openShipped(t, "rmk-2022-unbind")
	data, err := Marshal(base)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	load := func(edit func(string) string) *Scenario {
		t.Helper()
		sc, err := Load("my.yaml", []byte(edit(text)))
		if err != nil {
			t.Fatalf("%v\n%s", err, edit(text))
		}
		return sc
	}
	fp := func(sc *Scenario) string {
		return Recording{Scenario: sc, Strategy: "none", Explore: "random"}.Fingerprint()
	}
	want := fp(base)
	same := *base
	same.Name, same.Description, same.Path, same.Strategy = "renamed", "Edited.", "elsewhere/my.yaml", "none"
	same.Expect, same.ExpectOrder, same.Sometimes = nil, nil, []string{"unbind"}
	if got := fp(&same); got != want {
		t.Errorf("renaming, moving and editing the description, expect and sometimes changed the fingerprint: %s, want %s", got, want)
	}
	// Every field of the world counts, also those the scenario format
	// writer leaves out.
	addr := 0 // set to zero: not the same as not set
	world := *base
	world.Devices = append([]Device(nil), base.Devices...)
	world.Devices[0].MDIOAddr = &addr
	if fp(&world) == want {
		t.Error("a device's mdio_addr kept the fingerprint")
	}
	if got := fp(load(func(s string) string { return "# a comment\n" + s })); got != want {
		t.Errorf("a comment changed the fingerprint: %s, want %s", got, want)
	}
	if !strings.Contains(text, "horizon: ") {
		t.Fatalf("no horizon in\n%s", text)
	}
	other := load(func(s string) string {
		i := strings.Index(s, "horizon: ")
		j := i + strings.IndexByte(s[i:], '\n')
		return s[:i] + "horizon: 61s" + s[j:]
	})
	if fp(other) == want {
		t.Fatal("another horizon kept the fingerprint")
	}
	rec := Recording{Scenario: other, Strategy: "none", Explore: "random"}
	err = rec.Check("schedule", want)
	if err == nil || !strings.Contains(err.Error(), "recorded on the shipped scenario scenarios/rmk-2022-unbind.yaml, not my.yaml") {
		t.Errorf("a schedule of the shipped file on an edited copy: %v", err)
	}
	err = Recording{Scenario: base, Strategy: "none", Explore: "random"}.Check("schedule", fp(other))
	if err == nil || !strings.Contains(err.Error(), "recorded on another scenario than scenarios/rmk-2022-unbind.yaml (or another version of it") {
		t.Errorf("a schedule of an edited copy on the shipped file: %v", err)
	}
}

// TestFingerprintCoversModelKeys: each key of the MDIO layer, shutdown,
// suspend, SFP interface changes and deferred probes (devices'
// mdio_addr; netdevs' pcs_mdio, interface and pcs_interfaces; drivers'
// shutdown, pm and defer_after_register), changed in a shipped file,
// changes the fingerprint: a schedule recorded before the change would
// replay another execution. So do the empty lists that are not the key
// left out (remove: [] is no remove step, no remove: the default ones;
// shutdown: [] a ->shutdown that does nothing, no shutdown: none).
func TestFingerprintCoversModelKeys(t *testing.T) {
	fp := func(file, text string) string {
		t.Helper()
		sc, err := Load(file, []byte(text))
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		return Recording{Scenario: sc, Strategy: "none", Explore: "random"}.Fingerprint()
	}
	for _, c := range []struct {
		key, file string
		// pre edits the file first, into the base of the change.
		pre      [2]string
		old, new string
	}{
		{"mdio_addr", "dpaa2-xgmac-mdio-unbind", [2]string{}, "mdio_addr: 0}", "mdio_addr: 1}"},
		{"pcs_mdio.addr", "enetc-imdio", [2]string{}, "eno0, mac: enetc-pf0, pcs: imdio0-pcs, pcs_mdio: {create: mdiodev, addr: 0}", "eno0, mac: enetc-pf0, pcs: imdio0-pcs, pcs_mdio: {create: mdiodev, addr: 3}"},
		{"pcs_mdio.create", "axienet-shared-mdio", [2]string{}, "pcs_mdio: {create: fwnode, node: pcs-phy1}", "pcs_mdio: {create: mdiodev, addr: 1}"},
		{"interface", "enetc-imdio", [2]string{}, "interface: sgmii", "interface: 1000base-x"},
		{"pcs_interfaces", "mtk-eth-sfp-swap", [2]string{}, "pcs_interfaces: [sgmii, 1000base-x, 2500base-x]", "pcs_interfaces: [1000base-x, 2500base-x]"},
		{"shutdown", "felix-dsa-shutdown", [2]string{}, "shutdown: [dev-close, clear-drvdata]}", "shutdown: [dev-close]}"},
		{"shutdown: []", "felix-dsa-shutdown", [2]string{}, "shutdown: [dev-close, clear-drvdata]}", "shutdown: []}"},
		{"no shutdown", "felix-dsa-shutdown", [2]string{"shutdown: [dev-close, clear-drvdata]}", "shutdown: []}"}, ",\n     shutdown: []}", "}"},
		{"pm", "mtk-eth-remove", [2]string{}, "{name: mtk-soc-eth, kind: mac,", "{name: mtk-soc-eth, kind: mac, pm: false,"},
		{"defer_after_register", "rmk-2022-unbind", [2]string{}, "    kind: pcs-provider\n", "    kind: pcs-provider\n    defer_after_register: 1\n"},
		{"no remove", "dpaa2-xgmac-mdio-unbind", [2]string{}, ", remove: []}", "}"},
	} {
		data, err := os.ReadFile(c.file + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if c.pre[0] != "" {
			text = strings.Replace(text, c.pre[0], c.pre[1], 1)
		}
		if strings.Count(text, c.old) != 1 {
			t.Fatalf("%s: %s.yaml has %q %d times, want once", c.key, c.file, c.old, strings.Count(text, c.old))
		}
		base, edited := fp(c.file, text), fp(c.file, strings.Replace(text, c.old, c.new, 1))
		if base == edited {
			t.Errorf("%s: %s.yaml with %q instead of %q keeps the fingerprint %s", c.key, c.file, c.new, c.old, base)
		}
	}
	// Setting a key to its default is not a change.
	data, err := os.ReadFile("mtk-eth-remove.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if got, want := fp("x", strings.Replace(text, "kind: mac,", "kind: mac, pm: true,", 1)), fp("x", text); got != want {
		t.Errorf("pm: true (the default) changed the fingerprint: %s, want %s", got, want)
	}
}

// TestStampRoundTrip: a stamped schedule or seed splits back into its
// value and the recording's fingerprint, whatever the schedule.
func TestStampRoundTrip(t *testing.T) {
	rec := Recording{Scenario: openShipped(t, "soak"), Strategy: "phylink-notify", Explore: "swarm"}
	fp := rec.Fingerprint()
	rapid.Check(t, func(t *rapid.T) {
		s := sim.Schedule(rapid.SliceOf(rapid.Uint32Range(0, 1<<31)).Draw(t, "s"))
		body, got := SplitFingerprint(rec.Stamp(s))
		back, err := sim.DecodeSchedule(body)
		if err != nil || got != fp || back.Encode() != s.Encode() {
			t.Fatalf("Stamp(%v) split into %q, %q (%v)", s, body, got, err)
		}
		seed := rapid.Uint64().Draw(t, "seed")
		v, got := SplitFingerprint(rec.StampSeed(seed))
		if v != fmt.Sprint(seed) || got != fp {
			t.Fatalf("StampSeed(%d) split into %q, %q", seed, v, got)
		}
		if ShellQuote(rec.Stamp(s)) != rec.Stamp(s) {
			t.Fatalf("a stamped schedule needs quoting: %q", rec.Stamp(s))
		}
	})
	if v, fp := SplitFingerprint("AQID"); v != "AQID" || fp != "" {
		t.Errorf("a bare schedule split into %q, %q", v, fp)
	}
}

// TestReplayCommandFlags: the replay command carries every flag of the
// recording that is not the default, with the program given.
func TestReplayCommandFlags(t *testing.T) {
	sc := openShipped(t, "racy-release")
	old, err := sc.WithKernel(devmodel.V6_1)
	if err != nil {
		t.Fatal(err)
	}
	s := sim.Schedule{0, 1}
	for _, c := range []struct {
		rec  Recording
		want string
	}{
		{Recording{Scenario: sc, Strategy: "none", Explore: "random"}, "pcssim replay scenarios/racy-release.yaml --strategy none --schedule AAE@"},
		{Recording{Scenario: old, Strategy: "none", Explore: "pct", Depth: 5},
			"pcssim replay scenarios/racy-release.yaml --strategy none --kernel 6.1 --explore pct --depth 5 --schedule AAE@"},
		{Recording{Scenario: sc, Strategy: "none", Explore: "pct", Depth: DefaultDepth}, "pcssim replay scenarios/racy-release.yaml --strategy none --explore pct --schedule AAE@"},
		{Recording{Scenario: sc, Strategy: "none", Explore: "dfs"}, "pcssim replay scenarios/racy-release.yaml --strategy none --explore dfs --schedule AAE@"},
	} {
		got := c.rec.ReplayCommand("pcssim", s)
		if got != c.want+c.rec.Fingerprint() {
			t.Errorf("got  %s\nwant %s%s", got, c.want, c.rec.Fingerprint())
		}
	}
	if got := (Recording{Scenario: sc, Strategy: "none", Explore: "random"}).ReplayCommand("go run ./cmd/pcssim", s); !strings.HasPrefix(got, "go run ./cmd/pcssim replay ") {
		t.Errorf("prog not used: %s", got)
	}
}
