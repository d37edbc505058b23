package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// TestBadInputs loads every file of testdata/bad and compares the error
// with its golden NAME.err (regenerate with -update). Every bad file must
// give a *LoadError whose problems all carry the file name, never a panic.
func TestBadInputs(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 40 {
		t.Fatalf("want at least 40 bad files, have %d (%v)", len(files), err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(path, data)
			var le *LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("Load returned %v, want a *LoadError", err)
			}
			for _, p := range le.Problems {
				if p.File != path || p.Msg == "" {
					t.Errorf("problem without file or message: %+v", p)
				}
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(path, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("error differs from %s:\ngot:\n%swant:\n%s", golden, got, want)
			}
		})
	}
}

func TestHugeFileIsRejected(t *testing.T) {
	data := bytes.Repeat([]byte("# padding\n"), MaxFileSize/10+1)
	_, err := Load("huge.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Fatalf("Load of a %d-byte file: %v, want a size-limit error", len(data), err)
	}
}

// TestShippedScenariosLoad checks that every shipped file loads and starts
// with the yaml-language-server schema comment.
func TestShippedScenariosLoad(t *testing.T) {
	names := Shipped()
	if len(names) < 10 {
		t.Fatalf("only %d shipped scenarios", len(names))
	}
	for _, name := range names {
		sc, err := Open(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, err := os.ReadFile(name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("# yaml-language-server: $schema=schema.json\n")) {
			t.Errorf("%s.yaml does not start with the schema comment", name)
		}
		if sc.Name != name {
			t.Errorf("%s.yaml is named %q", name, sc.Name)
		}
	}
}

// FuzzLoad checks that no input makes the loader panic or hang, and that
// whatever it accepts can be built into a world for every strategy.
func FuzzLoad(f *testing.F) {
	for _, glob := range []string{"*.yaml", "testdata/bad/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("fuzz.yaml", data)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("error is not a *LoadError with problems: %v", err)
			}
			return
		}
		if sc.Name == "" || len(sc.Drivers) == 0 || len(sc.Devices) == 0 {
			t.Fatalf("accepted a scenario without name, drivers or devices")
		}
		sc.MaxSteps = min(sc.MaxSteps, 5000)
		for _, st := range pcs.StrategyIDs() {
			var crash *CrashError
			if _, err := Execute(sc, st, sim.NewRandom(1), NoRecord); errors.As(err, &crash) {
				t.Fatalf("strategy %s: %v\n%s", st, crash.Panic, crash.GoStack)
			}
		}
	})
}

// TestDocExampleLoads keeps the annotated example of
// docs/scenario-format.md valid.
func TestDocExampleLoads(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenario-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## A complete annotated example")
	_, rest, ok2 := strings.Cut(rest, "```yaml\n")
	example, _, ok3 := strings.Cut(rest, "```\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal("docs/scenario-format.md lacks its annotated example")
	}
	sc, err := Load("example.yaml", []byte(example))
	if err != nil {
		t.Fatalf("the documented example does not load:\n%v", err)
	}
	if len(sc.Expect) == 0 || len(sc.Netdevs) < 2 {
		t.Fatalf("the example lost its netdevs or expect: %+v", sc)
	}
}

// TestSchemaMatchesModel checks that scenarios/schema.json offers exactly
// the identifiers the loader accepts.
func TestSchemaMatchesModel(t *testing.T) {
	data, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Definitions map[string]struct {
			Enum []string `json:"enum"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	want := map[string][]string{
		"strategy":   pcs.StrategyIDs(),
		"property":   AllProperties,
		"action":     Actions,
		"probeStep":  stepRules[KindMAC][0].names(),
		"removeStep": stepRules[KindMAC][1].names(),
	}
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	for name, ids := range want {
		if diff := cmp.Diff(ids, schema.Definitions[name].Enum, sorted); diff != "" {
			t.Errorf("schema definition %q differs from the model (-model +schema):\n%s", name, diff)
		}
	}
}

// TestFaultProbability: a fault with probability 0.5 happens in about half
// of the executions.
func TestFaultProbability(t *testing.T) {
	sc, err := Load("p.yaml", []byte(`name: p
strategy: module-ref
horizon: 3s
drivers: [{name: lynx-pcs, kind: pcs-provider}, {name: enetc, kind: mac}]
devices: [{name: lynx-pcs.0, driver: lynx-pcs}, {name: enetc.0, driver: enetc}]
netdevs: [{name: eth0, mac: enetc.0, pcs: lynx-pcs.0, up: true}]
faults: [{action: unbind, target: lynx-pcs.0, window: [500ms, 2500ms], probability: 0.5}]
`))
	if err != nil {
		t.Fatal(err)
	}
	hit := 0
	for i := range 1000 {
		r, _ := Execute(sc, "module-ref", sim.NewRandom(sim.ExecutionSeed(1, i)), NoRecord)
		if len(r.Findings) > 0 {
			hit++
		}
	}
	if hit < 400 || hit > 600 {
		t.Fatalf("unbind with probability 0.5 led to a violation in %d of 1000 executions", hit)
	}
}
