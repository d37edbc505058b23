package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeRun decodes the --format json output of a run of one scenario.
func decodeRun(out string) (runJSON, error) {
	var runs []runJSON
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		return runJSON{}, err
	}
	if len(runs) != 1 {
		return runJSON{}, fmt.Errorf("%d runs, want 1", len(runs))
	}
	return runs[0], nil
}

// jsonKeys returns the keys of a JSON object, sorted.
func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%T is not a JSON object", v)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestRunJSONShape: run prints an array with one object per scenario run,
// for one file and for several; a violation carries its seed as a string (none for dfs),
// the stamped schedule, the report the text prints and the commands that
// replay and shrink it; merge reads that output back unchanged.
func TestRunJSONShape(t *testing.T) {
	for _, files := range [][]string{{"rmk-2022-unbind"}, {"rmk-2022-unbind", "pcs-rebind"}} {
		args := append(append([]string{"run"}, files...), "--strategy", "module-ref", "--seeds", "5")
		_, text, _ := pcssim(args...)
		_, js, _ := pcssim(append(args, "--format", "json")...)
		var runs []any
		if err := json.Unmarshal([]byte(js), &runs); err != nil {
			t.Fatalf("%v: not a JSON array: %v", files, err)
		}
		if len(runs) != len(files) {
			t.Fatalf("%v: %d runs", files, len(runs))
		}
		var doc []runJSON
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			t.Fatal(err)
		}
		for i, r := range runs {
			v := r.(map[string]any)["violations"].([]any)[0]
			want := []string{"execution", "property", "report", "reproduce", "schedule", "seed", "shrink", "summary"}
			if diff := cmp.Diff(want, jsonKeys(t, v)); diff != "" {
				t.Errorf("%v: violation keys (-want +got):\n%s", files, diff)
			}
			if _, ok := v.(map[string]any)["seed"].(string); !ok {
				t.Errorf("%v: seed %v is not a JSON string", files, v.(map[string]any)["seed"])
			}
			run := doc[i]
			for _, v := range run.Violations {
				if !strings.HasSuffix(v.Schedule, "@"+run.Fingerprint) || !strings.Contains(text, v.Report) ||
					!strings.HasSuffix(v.Report, "reproduce: "+v.Reproduce+"\n") || !strings.Contains(text, "\nshrink: "+v.Shrink+"\n") ||
					!strings.HasSuffix(v.Shrink, " --property "+v.Property) {
					t.Errorf("%v: violation %+v: report, reproduce or shrink not as the text prints them", files, v)
				}
			}
		}
		f := filepath.Join(t.TempDir(), "run.json")
		if err := os.WriteFile(f, []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, merged, errs := pcssim("merge", "--format", "json", f); code != exitOK || merged != js {
			t.Errorf("%v: merge of the run's own JSON: exit %d %s\n%s", files, code, errs, cmp.Diff(js, merged))
		}
	}
	_, js, _ := pcssim("run", "rmk-2022-self-pin", "--strategy", "module-ref", "--explore", "dfs", "--preemptions", "0", "--format", "json")
	r, err := decodeRun(js)
	if err != nil || len(r.Violations) == 0 || r.Seeds != "" || r.Schedules == nil {
		t.Fatalf("dfs: %v %+v", err, r)
	}
	if strings.Contains(js, `"seed"`) || strings.Contains(js, `"seeds"`) {
		t.Errorf("dfs JSON names seeds:\n%s", js)
	}
}

// TestListJSON: list --format json has the sections of the text, the same
// names in the same order, each with its doc.
func TestListJSON(t *testing.T) {
	code, js, _ := pcssim("list", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var l listJSON
	if err := json.Unmarshal([]byte(js), &l); err != nil {
		t.Fatal(err)
	}
	_, text, _ := pcssim("list")
	sections := map[string][]string{}
	var cur string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.HasPrefix(line, "  ") {
			cur, _, _ = strings.Cut(line, " (")
			cur = strings.TrimSuffix(cur, ":")
			continue
		}
		sections[cur] = append(sections[cur], strings.Fields(line)[0])
	}
	names := func(es []listEntry) []string {
		var out []string
		for _, e := range es {
			if e.Doc == "" {
				t.Errorf("%s has no doc", e.Name)
			}
			out = append(out, e.Name)
		}
		return out
	}
	var kernels, features []string
	for _, k := range l.Kernels {
		kernels = append(kernels, k.Name)
	}
	for _, f := range l.KernelFeatures {
		features = append(features, f.Name)
	}
	got := map[string][]string{"scenarios": names(l.Scenarios), "strategies": names(l.Strategies), "properties": names(l.Properties),
		"explorers": names(l.Explorers), "kernels": kernels, "kernel features": features, "fw_devlink modes": names(l.FwDevlinkModes),
		"firmware references": names(l.FirmwareReferences)}
	if diff := cmp.Diff(sections, got); diff != "" {
		t.Errorf("list JSON and text name different things (-text +json):\n%s", diff)
	}
	if code, _, errs := pcssim("list", "--format", "yaml"); code != exitUsage || !strings.Contains(errs, `--format: unknown output format "yaml"; known: text, json`) {
		t.Errorf("list --format yaml: exit %d, %q", code, errs)
	}
}

// TestCompareJSONShape: compare prints one object with run's field names;
// each row says whether it is vacuous, as the text's world column.
func TestCompareJSONShape(t *testing.T) {
	_, js, _ := pcssim("compare", "pcs-rebind", "--seeds", "5", "--strategies", "none,phylink-notify", "--format", "json")
	var raw map[string]any
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"as_expected", "explore", "kernel", "scenario", "seeds", "strategies"}, jsonKeys(t, raw)); diff != "" {
		t.Errorf("compare keys (-want +got):\n%s", diff)
	}
	row := raw["strategies"].([]any)[0]
	if diff := cmp.Diff([]string{"as_expected", "counts", "executions", "expected", "strategy", "vacuous"}, jsonKeys(t, row)); diff != "" {
		t.Errorf("compare row keys (-want +got):\n%s", diff)
	}
}
