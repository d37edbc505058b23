package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exports replays rmk-2022-unbind under strategy st (seed 7) with --trace
// and --mermaid and returns the two files.
func exports(t *testing.T, st string) ([]chromeEvent, string) {
	t.Helper()
	dir := t.TempDir()
	tr, md := filepath.Join(dir, "t.json"), filepath.Join(dir, "t.md")
	if code, _, errb := pcssim("replay", "rmk-2022-unbind", "--strategy", st, "--seed", "7", "--trace", tr, "--mermaid", md); code > exitViolation {
		t.Fatalf("replay exited %d: %s", code, errb)
	}
	data, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []chromeEvent `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	return doc.TraceEvents, string(m)
}

// TestChromeTraceNamesEveryTrack: every process and every thread an event
// is on has a name (no unnamed thread 0); alloc and kfree instants and the
// objects' tracks are there, and BUG instants only where a property is
// violated.
func TestChromeTraceNamesEveryTrack(t *testing.T) {
	for _, tc := range []struct {
		st  string
		bug bool
	}{{"module-ref", true}, {"phylink-notify", false}} {
		ev, _ := exports(t, tc.st)
		type track struct{ pid, tid int }
		procs, threads := map[int]bool{}, map[track]bool{}
		for _, e := range ev {
			if e.Ph == "M" && e.Args["name"] != "" {
				switch e.Name {
				case "process_name":
					procs[e.Pid] = true
				case "thread_name":
					threads[track{e.Pid, e.Tid}] = true
				}
			}
		}
		names := map[string]bool{}
		for _, e := range ev {
			if e.Ph == "M" {
				continue
			}
			names[e.Name] = true
			if !procs[e.Pid] || !threads[track{e.Pid, e.Tid}] {
				t.Errorf("%s: event %q on unnamed pid %d tid %d", tc.st, e.Name, e.Pid, e.Tid)
			}
		}
		for name, want := range map[string]bool{
			"BUG: KASAN: slab-use-after-free in phylink_mac_pcs_get_state+0x0/0x0": tc.bug,
			"BUG: access after free":                tc.bug,
			`alloc struct phylink_pcs "lynx-pcs.0"`: true,
			`kfree struct phylink_pcs "lynx-pcs.0"`: true, // the unbind frees it under both
			"freed":                                 true,
			"live":                                  true,
		} {
			if names[name] != want {
				t.Errorf("%s: event %q present %v, want %v", tc.st, name, names[name], want)
			}
		}
	}
}

// TestMermaidNotes: the sequence diagram notes allocations, frees and the
// violation where they happen.
func TestMermaidNotes(t *testing.T) {
	for _, tc := range []struct {
		st   string
		want map[string]bool
	}{
		{"module-ref", map[string]bool{"alloc struct phylink_pcs 'lynx-pcs.0'": true, "kfree struct phylink_pcs 'lynx-pcs.0'": true,
			"BUG  KASAN  slab-use-after-free in phylink_mac_pcs_get_state+0x0/0x0": true}},
		{"phylink-notify", map[string]bool{"alloc struct phylink_pcs 'lynx-pcs.0'": true, "BUG": false}},
	} {
		_, md := exports(t, tc.st)
		notes := ""
		for line := range strings.Lines(md) {
			if strings.HasPrefix(line, "    Note over T") {
				notes += line
			}
		}
		for s, want := range tc.want {
			if strings.Contains(notes, s) != want {
				t.Errorf("%s: a note with %q present %v, want %v:\n%s", tc.st, s, !want, want, notes)
			}
		}
	}
}
