package scenarios

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// mistake is one independent mistake made on a line of
// rmk-2022-unbind.yaml: the loader must report it, and only it, there.
type mistake struct {
	line     int // 1-based
	from, to string
	// msg is a substring of the one problem the mistake causes.
	msg string
}

// mistakes touch different lines and different checks: the first pass
// (types, keys, durations, enumerations) and the checks across sections
// (references, strategies, properties).
var mistakes = []mistake{
	{8, "module-ref", "modul-ref", `unknown strategy "modul-ref"`},
	{9, "6s", "6", `horizon: bad duration "6"`},
	{16, "pcs-lynx", "pcs-lnx", `unknown module "pcs-lnx"`},
	{18, "poll", "edge", `link must be poll or irq, not "edge"`},
	{20, "mac", "mca", `not "mca"`},
	{22, "bus", "bsu", `unknown key "bsu"`},
	{25, "lynx-pcs", "lynx_pcs", `unknown driver "lynx_pcs"`},
	{30, "enetc.0", "enetc.9", `unknown MAC device "enetc.9"`},
	{32, "true", "yes", `up must be true or false, not "yes"`},
	{34, "unbind", "unbnd", `unknown action "unbnd"`},
	{36, "3s]", "3]", `window end: bad duration "3"`},
	{38, "none", "nonee", `expect: unknown strategy "nonee"`},
	{41, "[]", "[use-after-fre]", `unknown property "use-after-fre"`},
}

// TestAllProblemsInOnePass: whatever set of independent mistakes a file
// holds, the loader reports each one, at its line, in file order, and
// nothing else: validation goes on after the first problem, and a value
// found bad is not reported again as a dangling reference.
func TestAllProblemsInOnePass(t *testing.T) {
	base, err := os.ReadFile("rmk-2022-unbind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(base), "\n")
	for _, m := range mistakes {
		if !strings.Contains(lines[m.line-1], m.from) {
			t.Fatalf("line %d of rmk-2022-unbind.yaml is %q: it lacks %q (the file changed; update mistakes)", m.line, lines[m.line-1], m.from)
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		picked := rapid.SliceOfNDistinct(rapid.IntRange(0, len(mistakes)-1), 1, len(mistakes), rapid.ID[int]).Draw(rt, "mistakes")
		slices.Sort(picked)
		file := slices.Clone(lines)
		var want []int
		for _, i := range picked {
			m := mistakes[i]
			file[m.line-1] = strings.Replace(file[m.line-1], m.from, m.to, 1)
			want = append(want, m.line)
		}
		_, err := Load("bad.yaml", []byte(strings.Join(file, "\n")))
		var le *LoadError
		if !errors.As(err, &le) {
			rt.Fatalf("Load returned %v, want a *LoadError", err)
		}
		var got []int
		for _, p := range le.Problems {
			got = append(got, p.Line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			rt.Fatalf("lines of the problems (-want +got):\n%s\n%v", diff, err)
		}
		for k, i := range picked {
			if !strings.Contains(le.Problems[k].Msg, mistakes[i].msg) {
				rt.Errorf("line %d: problem %q, want one saying %q", mistakes[i].line, le.Problems[k].Msg, mistakes[i].msg)
			}
		}
	})
}

// TestProblemsInFileOrder: the problems of both passes come out sorted by
// line and column.
func TestProblemsInFileOrder(t *testing.T) {
	data, err := os.ReadFile("testdata/bad/several-independent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load("several-independent.yaml", data)
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) < 10 {
		t.Fatalf("Load returned %v, want at least 10 problems", err)
	}
	if !slices.IsSortedFunc(le.Problems, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	}) {
		t.Errorf("problems not in file order:\n%v", err)
	}
}

// TestDocErrorsExample keeps the error listing of docs/scenario-format.md
// what the loader prints for the file it names.
func TestDocErrorsExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenario-format.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ pcssim validate scenarios/testdata/bad/many-errors.yaml" // then its "# exit 2" (go test ./docs)
	_, rest, ok := strings.Cut(string(doc), cmd)
	_, rest, _ = strings.Cut(rest, "\n")
	shown, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("docs/scenario-format.md lacks %q in a code block", cmd)
	}
	data, err := os.ReadFile("testdata/bad/many-errors.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load("scenarios/testdata/bad/many-errors.yaml", data)
	if err == nil {
		t.Fatal("many-errors.yaml loads")
	}
	if diff := cmp.Diff(shown, err.Error()+"\n"); diff != "" {
		t.Errorf("docs/scenario-format.md shows other errors than the loader gives (-doc +loader):\n%s", diff)
	}
}
