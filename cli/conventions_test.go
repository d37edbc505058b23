package cli

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestMisspelledFlagSuggestsTheFlag: an unknown flag is a usage error that
// names the closest flag of the command.
func TestMisspelledFlagSuggestsTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "rmk-2022-unbind", "--stratgy", "none"}, "unknown flag --stratgy (did you mean --strategy?)"},
		{[]string{"compare", "rmk-2022-unbind", "--strategis", "none"}, "unknown flag --strategis (did you mean --strategies?)"},
		{[]string{"replay", "rmk-2022-unbind", "-schedul", "AQ"}, "unknown flag --schedul (did you mean --schedule?)"},
		{[]string{"merge", "x.json", "--fail-on-violaton"}, "unknown flag --fail-on-violaton (did you mean --fail-on-violation?)"},
		{[]string{"run", "rmk-2022-unbind", "--zzzzzz"}, "unknown flag --zzzzzz; see 'pcssim run --help'"},
	} {
		code, out, errs := pcssim(tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d and %q", tc.args, code, out, errs, exitUsage, tc.want)
		}
	}
}

// TestInvalidFlagValues: every flag with a value out of its range or
// unknown is a usage error (exit 2) naming the flag, given before any
// execution runs (no timing line) and with nothing on stdout.
func TestInvalidFlagValues(t *testing.T) {
	run := []string{"run", "rmk-2022-unbind"}
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--jobs", "-1"}, "--jobs"},
		{[]string{"--jobs", "1025"}, "--jobs"},
		{[]string{"--jobs", "two"}, "--jobs"},
		{[]string{"--seeds", "0"}, "--seeds"},
		{[]string{"--seeds", "-5"}, "--seeds"},
		{[]string{"--seeds", "5-4"}, "--seeds"},
		{[]string{"--seeds", "1,,2"}, "--seeds"},
		{[]string{"--seeds", "1,2", "--explore", "dfs"}, "--seeds"},
		{[]string{"--seed", "-1"}, "--seed"},
		{[]string{"--seed", "18446744073709551616"}, "--seed"},
		{[]string{"--seed", "1@AAAAAAAAAA"}, "--seed"}, // run's master seed is not an execution's
		{[]string{"--preemptions", "-1"}, "--preemptions"},
		{[]string{"--preemptions", "11", "--explore", "dfs"}, "--preemptions"},
		{[]string{"--depth", "0"}, "--depth"},
		{[]string{"--depth", "11", "--explore", "pct"}, "--depth"},
		{[]string{"--time-budget", "-5s"}, "--time-budget"},
		{[]string{"--time-budget", "5"}, "--time-budget"},
		{[]string{"--time-budget", "soon"}, "--time-budget"},
		{[]string{"--format", "xml"}, "--format"},
		{[]string{"--explore", "bfs"}, "--explore"},
		{[]string{"--kernel", "5.10"}, "--kernel"},
		{[]string{"--strategy", "modul-ref"}, "--strategy"},
		{[]string{"--shard", "0/3"}, "--shard"},
		{[]string{"--shard", "3"}, "--shard"},
		{[]string{"--shard", "1/2", "--explore", "dfs"}, "--shard"},
		{[]string{"--state-cache=maybe"}, "--state-cache"},
		{[]string{"--state-cache", "false"}, "--state-cache=false"},
	} {
		args := append(append([]string{}, run...), tc.args...)
		checkUsage(t, args, tc.flag)
	}
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"compare", "rmk-2022-unbind", "--strategies", "none,,module-ref"}, "--strategies"},
		{[]string{"compare", "rmk-2022-unbind", "--strategies", "none,none"}, "--strategies"},
		{[]string{"compare", "rmk-2022-unbind", "--strategies", "none,bogus"}, "--strategies"},
		{[]string{"compare", "rmk-2022-unbind", "--format", "yaml"}, "--format"},
		{[]string{"compare", "rmk-2022-unbind", "--jobs", "-1"}, "--jobs"},
		{[]string{"replay", "rmk-2022-unbind", "--seed", "x"}, "--seed"},
		{[]string{"replay", "rmk-2022-unbind", "--seed", "1@short"}, "--seed"},
		{[]string{"replay", "rmk-2022-unbind", "--schedule", "not base64!"}, "--schedule"},
		{[]string{"shrink", "rmk-2022-unbind", "--schedule", "AQ@AAAAAAAAA!"}, "--schedule"},
		{[]string{"replay", "rmk-2022-unbind", "--seed", "1", "--explore", "rapi"}, "--explore"},
		{[]string{"replay", "rmk-2022-unbind", "--seed", "1", "--depth", "0"}, "--depth"},
		{[]string{"shrink", "rmk-2022-unbind", "--seed", "1", "--property", "uaf"}, "--property"},
		{[]string{"merge", "--format", "csv", "x.json"}, "--format"},
	} {
		checkUsage(t, tc.args, tc.flag)
	}
	// The limits themselves are accepted.
	for _, ok := range [][]string{{"--jobs", "0"}, {"--depth", "10", "--explore", "pct"}, {"--preemptions", "0", "--explore", "dfs"}, {"--time-budget", "0"}} {
		args := append(append([]string{}, run...), append(ok, "--seeds", "2", "--strategy", "phylink-notify")...)
		if code, _, errs := pcssim(args...); code != exitOK {
			t.Errorf("%v: exit %d (%s), want 0", args, code, errs)
		}
	}
}

func checkUsage(t *testing.T, args []string, flag string) {
	t.Helper()
	code, out, errs := pcssim(args...)
	if code != exitUsage || out != "" || !strings.Contains(errs, flag) || strings.Contains(errs, "executions/s") {
		t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d naming %s before any execution", args, code, out, errs, exitUsage, flag)
	}
}

// TestValidateStdin: validate - reads the scenario from standard input and
// names it <stdin> in its errors.
func TestValidateStdin(t *testing.T) {
	defer func(r io.Reader) { stdin = r }(stdin)
	stdin = strings.NewReader("name: x\nhorizon: 3\ndrivers: []\n")
	code, out, _ := pcssim("validate", "-")
	want := `<stdin>:1:1: scenario: missing required key "devices"
<stdin>:2:10: horizon: bad duration "3": want a number and a unit (s, ms, us, ns)
<stdin>:3:10: drivers is empty; a world needs at least one
`
	if code != exitUsage || out != want {
		t.Errorf("exit %d, stdout:\n%s\nwant %d and:\n%s", code, out, exitUsage, want)
	}
	good, err := os.ReadFile("../scenarios/rmk-2022-unbind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stdin = bytes.NewReader(good)
	if code, out, _ := pcssim("validate", "-"); code != exitOK || out != "<stdin>: ok\n" {
		t.Errorf("a good scenario on stdin: exit %d, stdout %q", code, out)
	}
	stdin = strings.NewReader(strings.Repeat("# padding\n", 200_000))
	if code, out, _ := pcssim("validate", "-"); code != exitUsage || !strings.HasPrefix(out, "<stdin>: file is ") {
		t.Errorf("2 MB on stdin: exit %d, stdout %q", code, out)
	}
}

// problemLine is a loader error as editors' problem matchers read it.
var problemLine = regexp.MustCompile(`^[^ :]+(:\d+:\d+)?: `)

// TestLoaderErrorsStartWithThePosition: whatever command loads a bad
// file, each line of its errors starts with FILE:LINE:COL: and nothing
// before it, and lists every problem of the file.
func TestLoaderErrorsStartWithThePosition(t *testing.T) {
	const bad = "../scenarios/testdata/bad/several-independent.yaml"
	for _, args := range [][]string{
		{"run", bad},
		{"run", "rmk-2022-unbind", bad, "--seeds", "2"},
		{"compare", bad},
		{"replay", bad, "--seed", "1"},
		{"shrink", bad, "--seed", "1"},
		{"validate", bad},
	} {
		code, out, errs := pcssim(args...)
		text := errs
		if args[0] == "validate" {
			text = out // validate's result is the list of problems
		} else if out != "" {
			t.Errorf("%v: stdout %q, want nothing (no file runs before all load)", args, out)
		}
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if code != exitUsage || len(lines) != 18 {
			t.Errorf("%v: exit %d, %d lines, want %d and the 18 problems:\n%s", args, code, len(lines), exitUsage, text)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, bad+":") || !problemLine.MatchString(l) {
				t.Errorf("%v: line %q does not start with %s:LINE:COL:", args, l, bad)
			}
		}
	}
	// A world --kernel cannot express is refused the same way.
	code, _, errs := pcssim("run", "../scenarios/pcs-irq-mac-unbind.yaml", "--kernel", "6.1", "--seeds", "2")
	if code != exitUsage || !strings.HasPrefix(errs, "../scenarios/pcs-irq-mac-unbind.yaml: kernel 6.1: ") {
		t.Errorf("--kernel 6.1 on an irq PCS provider: exit %d, stderr %q", code, errs)
	}
}
