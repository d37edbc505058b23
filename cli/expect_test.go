package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// withExpect writes a copy of scenarios/rmk-2022-unbind.yaml whose expect
// line for strategy st is replaced by line, and returns its path.
func withExpect(t *testing.T, st, line string) string {
	t.Helper()
	data, err := os.ReadFile("../scenarios/rmk-2022-unbind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, "  "+st+": [") {
			lines[i], found = line, true
		}
	}
	if !found {
		t.Fatalf("no expect line for %s", st)
	}
	path := filepath.Join(t.TempDir(), "x.yaml")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestCompareGates: compare exits 0 only when every row agrees with
// expect:, and each disagreeing row says why.
func TestCompareGates(t *testing.T) {
	seeds := []string{"--seeds", "60"}
	cases := []struct {
		name     string
		file     string
		extra    []string
		code     int
		last     string
		rowsSay  []string // substrings of the output
		noneSays []string // must not appear
	}{
		{name: "agrees", file: "rmk-2022-unbind", code: 0, last: "8 of 8 rows as expected", noneSays: []string{"MISMATCH"}},
		{name: "expected not reached", file: "notify-uaf", code: 1, last: "MISMATCH: 1 of 8 rows disagree with expect",
			rowsSay: []string{"MISMATCH (expected use-after-free not reached: more seeds, or --explore dfs)"}},
		{name: "unexpected", file: "none-clean", code: 1, last: "MISMATCH: 1 of 8 rows disagree with expect",
			rowsSay: []string{"MISMATCH (unexpected link-without-pcs,use-after-free)"}},
		{name: "both", file: "none-leak", code: 1, last: "MISMATCH: 1 of 8 rows disagree with expect",
			rowsSay: []string{"MISMATCH (unexpected link-without-pcs,use-after-free; expected leak not reached: more seeds, or --explore dfs)"}},
		{name: "no expectation", file: "rmk-2022-unbind", extra: []string{"--strategies", "none,dead-flag"}, code: 1,
			last: "MISMATCH: 1 of 2 rows disagree with expect", rowsSay: []string{"MISMATCH (no expectation for this strategy)"}},
		{name: "dfs hint", file: "rmk-2022-unbind", extra: []string{"--strategies", "phylink-notify-racy", "--explore", "dfs", "--preemptions", "0"}, code: 1,
			rowsSay: []string{"raise --preemptions"}},
	}
	files := map[string]string{
		"notify-uaf": withExpect(t, "phylink-notify", "  phylink-notify: [use-after-free]"),
		"none-clean": withExpect(t, "none", "  none: []"),
		"none-leak":  withExpect(t, "none", "  none: [leak]"),
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.file
			if f, ok := files[file]; ok {
				file = f
			}
			code, out, stderr := pcssim(append(append([]string{"compare", file}, seeds...), c.extra...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", code, c.code, out, stderr)
			}
			if c.last != "" && lastLine(out) != c.last {
				t.Errorf("last line %q, want %q", lastLine(out), c.last)
			}
			for _, s := range c.rowsSay {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range c.noneSays {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestCompareJSONAsExpected: the JSON carries the verdict at the top level
// and per row.
func TestCompareJSONAsExpected(t *testing.T) {
	type row struct {
		Strategy   string    `json:"strategy"`
		Expected   *[]string `json:"expected"`
		AsExpected *bool     `json:"as_expected"`
		Why        string    `json:"why"`
	}
	type result struct {
		AsExpected bool  `json:"as_expected"`
		Strategies []row `json:"strategies"`
	}
	yes, no := true, false
	empty, uaf := []string{}, []string{"use-after-free"}
	for _, c := range []struct {
		file string
		want result
	}{
		{"rmk-2022-unbind", result{AsExpected: true, Strategies: []row{{"phylink-notify", &empty, &yes, ""}}}},
		{withExpect(t, "phylink-notify", "  phylink-notify: [use-after-free]"),
			result{AsExpected: false, Strategies: []row{{"phylink-notify", &uaf, &no, "expected use-after-free not reached: more seeds, or --explore dfs"}}}},
	} {
		code, out, _ := pcssim("compare", c.file, "--seeds", "20", "--strategies", "phylink-notify", "--format", "json")
		var got result
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.file, diff)
		}
		if want := map[bool]int{true: 0, false: 1}[c.want.AsExpected]; code != want {
			t.Errorf("%s: exit %d, want %d", c.file, code, want)
		}
	}
}

// TestRunChecksExpect: run with --strategy S states whether the executions
// agree with the scenario's expectation for S, and a disagreement fails the
// run even without a violation.
func TestRunChecksExpect(t *testing.T) {
	wrong := withExpect(t, "phylink-notify", "  phylink-notify: [use-after-free]")
	cases := []struct {
		file, st string
		code     int
		line     string
	}{
		{"rmk-2022-unbind", "phylink-notify", 0, "expect phylink-notify: ok"},
		{"rmk-2022-unbind", "module-ref", 1, "expect module-ref: ok"},
		{wrong, "phylink-notify", 1, "MISMATCH: expect phylink-notify: [use-after-free] but got [] (expected use-after-free not reached: more seeds or --explore pct)"},
		{withExpect(t, "module-ref", "  module-ref: [use-after-free]"), "module-ref", 1,
			"MISMATCH: expect module-ref: [use-after-free] but got [use-after-free, link-without-pcs] (unexpected link-without-pcs)"},
	}
	for _, c := range cases {
		code, out, stderr := pcssim("run", c.file, "--strategy", c.st, "--seeds", "30", "--jobs", "1")
		if code != c.code {
			t.Errorf("%s/%s: exit %d, want %d\n%s%s", c.file, c.st, code, c.code, out, stderr)
		}
		if !strings.Contains(out, c.line+"\n") {
			t.Errorf("%s/%s: output lacks %q:\n%s", c.file, c.st, c.line, out)
		}
	}
	// A scenario without an expectation for the strategy says nothing.
	_, out, _ := pcssim("run", "rmk-2022-unbind", "--strategy", "dead-flag", "--seeds", "10", "--jobs", "1")
	if strings.Contains(out, "expect") {
		t.Errorf("run without an expectation mentions one:\n%s", out)
	}
	type js struct {
		Expected   *[]string `json:"expected"`
		AsExpected *bool     `json:"as_expected"`
	}
	no, uaf := false, []string{"use-after-free"}
	for _, c := range []struct {
		file, st string
		want     js
	}{
		{wrong, "phylink-notify", js{&uaf, &no}},
		{"rmk-2022-unbind", "dead-flag", js{}},
	} {
		_, out, _ := pcssim("run", c.file, "--strategy", c.st, "--seeds", "10", "--format", "json")
		var doc []js
		if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc) != 1 {
			t.Fatalf("%v: want one run in\n%s", err, out)
		}
		if diff := cmp.Diff(c.want, doc[0]); diff != "" {
			t.Errorf("%s/%s JSON (-want +got):\n%s", c.file, c.st, diff)
		}
	}
}
