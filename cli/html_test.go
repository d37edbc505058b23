package cli

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// htmlOf runs pcssim with args plus --html FILE and returns the file, after
// checking that --html changes neither the exit status nor stdout.
func htmlOf(t *testing.T, args ...string) string {
	t.Helper()
	code0, out0, _ := pcssim(args...)
	path := filepath.Join(t.TempDir(), "report.html")
	code, out, errb := pcssim(append(args, "--html", path)...)
	if code != code0 || out != out0 {
		t.Fatalf("%v: --html changed the exit status (%d, want %d) or stdout:\n%s\nstderr:\n%s", args, code, code0, out, errb)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestHTMLReportsOfEachCommand: run shows one section per violated
// property, compare one heatmap row per strategy and a section per
// violating cell, replay one section per finding; each with its swimlane,
// report and reproduce command.
func TestHTMLReportsOfEachCommand(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		sections int
		rows     int
	}{
		{[]string{"run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "20"}, 2, 0},
		{[]string{"compare", "rmk-2022-unbind", "--strategies", "module-ref,phylink-notify,none", "--seeds", "5"}, 4, 3},
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "7"}, 2, 0},
		{[]string{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--seeds", "5"}, 0, 0},
	} {
		page := htmlOf(t, tc.args...)
		got := []int{strings.Count(page, `<section class="violation"`), strings.Count(page, "<svg "), strings.Count(page, `<tr class="row-`),
			strings.Count(page, `<pre class="repro">pcssim replay `)}
		if diff := cmp.Diff([]int{tc.sections, tc.sections, tc.rows, tc.sections}, got); diff != "" {
			t.Errorf("%v: sections, swimlanes, heatmap rows, reproduce commands (-want +got):\n%s", tc.args, diff)
		}
		if tc.sections > 0 && !strings.Contains(page, `<h2 class="bug-title">BUG: KASAN: slab-use-after-free in `) {
			t.Errorf("%v: no KASAN title", tc.args)
		}
		if !strings.Contains(page, "<code>pcssim "+tc.args[0]+" rmk-2022-unbind ") || strings.Contains(page, "--html") {
			t.Errorf("%v: the report does not show the command without --html", tc.args)
		}
	}
}

// TestHTMLDeterministic: the same command writes the same bytes, whatever
// the file's name; with another --jobs only the command shown differs.
func TestHTMLDeterministic(t *testing.T) {
	args := []string{"compare", "rmk-2022-unbind", "--strategies", "module-ref,phylink-notify-racy", "--seeds", "20"}
	a := htmlOf(t, append(args, "--jobs", "1")...)
	if b := htmlOf(t, append(args, "--jobs", "1")...); a != b {
		t.Fatal("two compare --html of the same command differ")
	}
	b := htmlOf(t, append(args, "--jobs", "2")...)
	if a == b || strings.Replace(a, "--jobs 1", "--jobs 2", 1) != b {
		t.Fatal("compare --html differs between --jobs 1 and 2 beyond the command shown")
	}
}

// TestHTMLUnwritable: a file that cannot be written is a usage error.
func TestHTMLUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir.html")
	code, _, errb := pcssim("replay", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "7", "--html", path)
	if code != exitUsage || !strings.Contains(errb, "--html: open "+path) {
		t.Fatalf("exit %d, stderr %q; want 2 and the error", code, errb)
	}
}

func TestCommandLine(t *testing.T) {
	got := commandLine("go run ./cmd/pcssim", "run", []string{"a b.yaml", "--html", "x.html", "--seeds", "5", "--html=y.html", "-html", "z"})
	if want := "go run ./cmd/pcssim run 'a b.yaml' --seeds 5"; got != want {
		t.Errorf("commandLine = %q, want %q", got, want)
	}
}

// reproRE finds the reproduce commands of an HTML report.
var reproRE = regexp.MustCompile(`<pre class="repro">([^<]*)</pre>`)

// TestHTMLReproduceIsTheTextOnes: the reproduce commands of run's and
// replay's --html report are, byte for byte, those their text output
// prints (the program as run, the schedule stamped with its
// fingerprint), and so is the command line shown; compare's, which has no
// text to match, replay the violation they head when run as shown.
func TestHTMLReproduceIsTheTextOnes(t *testing.T) {
	const prog = "go run ./cmd/pcssim"
	as := func(args ...string) (int, string, string) { return pcssimAs(prog, args...) }
	reproduces := func(page string) []string {
		var out []string
		for _, m := range reproRE.FindAllStringSubmatch(page, -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
		return out
	}
	for _, args := range [][]string{
		{"run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "20", "--explore", "pct", "--depth", "4"},
		{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "7"},
	} {
		_, out, _ := as(args...)
		var want []string
		for _, l := range strings.Split(out, "\n") {
			if r, ok := strings.CutPrefix(l, "reproduce: "); ok {
				want = append(want, r)
			}
		}
		path := filepath.Join(t.TempDir(), "r.html")
		as(append(args, "--html", path)...)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Fatalf("%v: no reproduce line in\n%s", args, out)
		}
		if diff := cmp.Diff(want, reproduces(string(data))); diff != "" {
			t.Errorf("%v: the report's reproduce commands differ from the text's (-text +html):\n%s", args, diff)
		}
		if !strings.Contains(string(data), "<code>"+html.EscapeString(prog+" "+strings.Join(args, " "))+"</code>") {
			t.Errorf("%v: the report does not show the command as run by %s", args, prog)
		}
	}
	path := filepath.Join(t.TempDir(), "c.html")
	as("compare", "rmk-2022-unbind", "--strategies", "module-ref", "--seeds", "5", "--html", path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cmds := reproduces(string(data))
	if len(cmds) == 0 {
		t.Fatal("compare --html shows no reproduce command")
	}
	for _, c := range cmds {
		rest, ok := strings.CutPrefix(c, prog+" ")
		if !ok || !strings.Contains(rest, "@") {
			t.Errorf("compare's reproduce command %q: not run by %s or its schedule not stamped", c, prog)
			continue
		}
		code, out, errb := pcssim(strings.Fields(rest)...)
		if code != exitViolation || errb != "" {
			t.Errorf("%s: exit %d, stderr %q; want the violation replayed:\n%s", c, code, errb, out)
		}
	}
}
