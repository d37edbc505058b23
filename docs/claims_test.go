package docs

import (
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcssim/pcssim/internal/mdcheck"
	"github.com/pcssim/pcssim/scenarios"
)

// scenarioRE tells a YAML block that is a scenario (a top-level name and
// devices) from other YAML (CI configurations).
var scenarioRE = regexp.MustCompile(`(?m)^name:.*\n(?s:.*)^devices:`)

// TestDocScenarios loads every scenario a document shows in a fenced YAML
// block (docs/scenario-format.md's annotated example): a shown scenario
// the loader refuses is a wrong example.
func TestDocScenarios(t *testing.T) {
	t.Chdir("..")
	n := 0
	for _, d := range documents(t) {
		for _, b := range mdcheck.Blocks(d, read(t, d)) {
			if b.Info != "yaml" || !scenarioRE.MatchString(b.Text) {
				continue
			}
			n++
			// Blank lines before the block make the loader's positions
			// the document's.
			if _, err := scenarios.Load(d, []byte(strings.Repeat("\n", b.Line)+b.Text)); err != nil {
				t.Errorf("%s:%d: the scenario shown does not load:\n%v", b.File, b.Line, err)
			}
		}
	}
	if n == 0 {
		t.Error("no scenario found in the documents' YAML blocks; docs/scenario-format.md shows one")
	}
}

// tableAfter returns the first table of doc after the line containing
// marker.
func tableAfter(t *testing.T, doc, marker string) mdcheck.Table {
	t.Helper()
	src := read(t, doc)
	at := strings.Index(src, marker)
	if at < 0 {
		t.Fatalf("%s: no %q", doc, marker)
	}
	line := strings.Count(src[:at], "\n") + 1
	for _, tb := range mdcheck.Tables(doc, src) {
		if tb.Line > line {
			return tb
		}
	}
	t.Fatalf("%s: no table after %q", doc, marker)
	return mdcheck.Table{}
}

// verdictCell reads a table cell that states a verdict: "no violation" or
// properties separated by commas.
func verdictCell(cell string) []string {
	if cell == "no violation" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(cell, ",") {
		out = append(out, strings.Trim(strings.TrimSpace(p), "`"))
	}
	return out
}

// TestFidelityVerdictTable: docs/fidelity.md's table of the proposals'
// verdicts on every shipped world is each world's expect: section
// (which TestShippedVerdicts checks against the model), row for row, and
// names every shipped world.
func TestFidelityVerdictTable(t *testing.T) {
	t.Chdir("..")
	tb := tableAfter(t, "docs/fidelity.md", "Verdicts on every shipped world")
	if tb.Header[0] != "world" || len(tb.Header) < 2 {
		t.Fatalf("%s:%d: header %q, want world and strategies", tb.File, tb.Line, tb.Header)
	}
	var worlds []string
	for i, row := range tb.Rows {
		world, _, _ := strings.Cut(row[0], " (")
		worlds = append(worlds, world)
		sc, err := scenarios.Open(world)
		if err != nil {
			t.Errorf("%s:%d: %v", tb.File, tb.Line+2+i, err)
			continue
		}
		for j, h := range tb.Header[1:] {
			st, _, _ := strings.Cut(h, " ")
			want, ok := sc.Expect[st]
			if !ok {
				t.Errorf("%s:%d: %s states no verdict for %s", tb.File, tb.Line+2+i, world, st)
				continue
			}
			if diff := cmp.Diff(sortedProps(want), sortedProps(verdictCell(row[j+1])), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s:%d: %s/%s: the table differs from %s's expect: (-expect +table):\n%s",
					tb.File, tb.Line+2+i, world, st, sc.Path, diff)
			}
		}
	}
	slices.Sort(worlds)
	if diff := cmp.Diff(scenarios.Shipped(), worlds); diff != "" {
		t.Errorf("%s:%d: the table's worlds are not the shipped ones (-shipped +table):\n%s", tb.File, tb.Line, diff)
	}
}

// sortedProps returns the properties in scenarios.AllProperties order.
func sortedProps(ps []string) []string {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(scenarios.AllProperties, a) - slices.Index(scenarios.AllProperties, b)
	})
	return out
}

// codeLines returns Go source as its code lines: comments cut off,
// whitespace collapsed, blank lines dropped (a document may comment a
// quoted line differently, or align it otherwise).
func codeLines(src string) []string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		l = l[:commentStart(l)]
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// commentStart returns where a line comment begins in a line of Go, or
// its length: the first "//" outside a string or rune literal.
func commentStart(l string) int {
	var quote byte
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case quote != 0 && c == '\\' && quote != '`':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '/' && i+1 < len(l) && l[i+1] == '/':
			return i
		}
	}
	return len(l)
}

// isSubsequence reports whether the lines of part appear in whole in
// order, and returns the first that does not.
func isSubsequence(part, whole []string) (string, bool) {
	at := 0
	for _, l := range part {
		j := slices.Index(whole[at:], l)
		if j < 0 {
			return l, false
		}
		at += j + 1
	}
	return "", true
}

// declRE matches the first line of a type declaration with a body.
var declRE = regexp.MustCompile(`^type \w+ (interface|struct) \{$`)

// declaration returns the lines of the declaration starting with first in
// lines, up to its closing brace, or nil.
func declaration(lines []string, first string) []string {
	i := slices.Index(lines, first)
	if i < 0 {
		return nil
	}
	depth := 0
	for j := i; j < len(lines); j++ {
		depth += strings.Count(lines[j], "{") - strings.Count(lines[j], "}")
		if depth == 0 {
			return lines[i : j+1]
		}
	}
	return nil
}

// goFiles returns the code lines of every Go file of the repository.
func goFiles(t *testing.T) map[string][]string {
	t.Helper()
	files := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		files[path] = codeLines(read(t, path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDocGoBlocks: every fenced Go block of the documents quotes the
// repository: its code lines (comments aside) appear in order in one Go
// file, and a type declaration is shown whole (no method or field the
// code has is left out).
func TestDocGoBlocks(t *testing.T) {
	t.Chdir("..")
	files := goFiles(t)
	names := slices.Sorted(maps.Keys(files))
	n := 0
	for _, d := range documents(t) {
		for _, b := range mdcheck.Blocks(d, read(t, d)) {
			if b.Info != "go" {
				continue
			}
			n++
			block := codeLines(b.Text)
			found, best, bestMissing := "", "", block[0]
			for _, f := range names {
				missing, ok := isSubsequence(block, files[f])
				if ok {
					found = f
					break
				}
				if best == "" || slices.Index(block, missing) > slices.Index(block, bestMissing) {
					best, bestMissing = f, missing
				}
			}
			if found == "" {
				t.Errorf("%s:%d: the Go code shown is in no file of the repository; closest %s, which lacks\n\t%s",
					b.File, b.Line, best, bestMissing)
				continue
			}
			if declRE.MatchString(block[0]) {
				if diff := cmp.Diff(declaration(files[found], block[0]), declaration(block, block[0])); diff != "" {
					t.Errorf("%s:%d: %s is not shown whole (-%s +document):\n%s", b.File, b.Line, block[0], found, diff)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no Go block found in the documents")
	}
}

func TestCodeLines(t *testing.T) {
	src := "\tt.Logf(\"%d // not a comment\", n) // 52728 schedules\n\n" +
		"x := '\"' // a rune\ny := `//` + \"\\\"//\" // raw and escaped\n// only a comment\n"
	want := []string{`t.Logf("%d // not a comment", n)`, `x := '"'`, "y := `//` + \"\\\"//\""}
	if diff := cmp.Diff(want, codeLines(src)); diff != "" {
		t.Errorf("codeLines (-want +got):\n%s", diff)
	}
}
