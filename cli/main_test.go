package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

// pcssim runs the command in-process and returns its exit status, stdout
// and stderr.
func pcssim(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// pcssimAs is pcssim run as prog (as Main runs it for a binary that
// progName names prog).
func pcssimAs(prog string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(prog, args, &out, &errb)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/golden/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestGolden pins the text and JSON output of every subcommand and its
// exit status. stderr is pinned where it is deterministic (usage, errors).
func TestGolden(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		code       int
		withStderr bool
	}{
		{"list", []string{"list"}, 0, false},
		{"validate-ok", []string{"validate", "rmk-2022-unbind", "pcs-rebind"}, 0, false},
		{"validate-bad", []string{"validate", "../scenarios/testdata/bad/many-errors.yaml"}, 2, false},
		{"run-violation", []string{"run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "40"}, 1, false},
		{"run-clean", []string{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--seeds", "40"}, 0, false},
		{"run-json", []string{"run", "pcs-rebind", "--strategy", "srcu-wrapper", "--seeds", "20", "--format", "json"}, 1, false},
		{"run-pct", []string{"run", "racy-release", "--strategy", "phylink-notify-racy", "--explore", "pct", "--seeds", "300"}, 1, false},
		{"run-swarm", []string{"run", "soak", "--strategy", "phylink-notify", "--explore", "swarm", "--seeds", "30"}, 0, false},
		{"run-dfs-exhausted", []string{"run", "rmk-2022-self-pin", "--strategy", "module-ref", "--explore", "dfs", "--preemptions", "1"}, 1, false},
		{"run-dfs-clean", []string{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--explore", "dfs", "--preemptions", "1"}, 0, false},
		{"run-dfs-limit", []string{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--explore", "dfs", "--seeds", "50"}, 0, false},
		{"run-shard", []string{"run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "40", "--shard", "2/3"}, 1, false},
		{"bad-shard", []string{"run", "rmk-2022-unbind", "--shard", "3/2"}, 2, true},
		{"replay", []string{"replay", "rmk-2022-self-pin", "--strategy", "module-ref", "--seed", "3"}, 1, false},
		{"replay-verbose", []string{"replay", "rmk-2022-unbind", "--strategy", "none", "--seed", "1", "-v"}, 1, false},
		{"shrink", []string{"shrink", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "1"}, 1, false},
		{"compare", []string{"compare", "pcs-rebind", "--seeds", "60"}, 0, false},
		{"compare-dfs", []string{"compare", "racy-release", "--explore", "dfs", "--preemptions", "0"}, 1, false},
		{"unknown-flag", []string{"run", "rmk-2022-unbind", "--no-such-flag"}, 2, true},
		{"unknown-command", []string{"frobnicate"}, 2, true},
		{"missing-file", []string{"run", "no/such/file.yaml"}, 2, true},
		{"unknown-strategy", []string{"run", "rmk-2022-unbind", "--strategy", "phylink-notfy"}, 2, true},
		{"bad-seeds", []string{"run", "rmk-2022-unbind", "--seeds", "5-1"}, 2, true},
		{"bad-schedule", []string{"replay", "rmk-2022-unbind", "--schedule", "!!!"}, 2, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := pcssim(append(c.args, jobsFlag(c.args)...)...)
			if code != c.code {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", code, c.code, stderr)
			}
			got := "$ pcssim " + strings.Join(c.args, " ") + "\n" + stdout
			if c.withStderr {
				got += "--- stderr\n" + stderr
			}
			if c.name == "list" {
				got = dropLines(got, crashStrategy)
			}
			got = strings.ReplaceAll(got, ", "+attachCrashStrategy, "")
			got = strings.ReplaceAll(got, ", "+crashStrategy, "")
			golden(t, c.name+".txt", got)
		})
	}
}

// jobsFlag pins --jobs 1 for run, so the golden files also assert that the
// output does not depend on it (TestJobsDoNotChangeOutput compares).
func jobsFlag(args []string) []string {
	if len(args) > 0 && args[0] == "run" {
		return []string{"--jobs", "1"}
	}
	return nil
}

func dropLines(s, substr string) string {
	var keep []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.Contains(l, substr) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}

// TestHelp checks that every subcommand answers --help, and pcssim help
// CMD, with its usage on stdout (DESIGN: help asked for goes to stdout) and
// exit status 0; --version names the module and revision; a misspelled
// command gets a suggestion.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"run", "replay", "shrink", "compare", "merge", "validate", "list"} {
		for _, args := range [][]string{{cmd, "--help"}, {"help", cmd}} {
			code, stdout, stderr := pcssim(args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "usage: pcssim "+cmd) {
				t.Errorf("pcssim %v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
			}
		}
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}} {
		if code, stdout, stderr := pcssim(args...); code != 0 || stderr != "" || !strings.Contains(stdout, "usage:") {
			t.Errorf("pcssim %v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, stdout, _ := pcssim("--version"); code != 0 || !strings.HasPrefix(stdout, "pcssim ") || !strings.Contains(stdout, "module github.com/pcssim/pcssim, revision ") {
		t.Errorf("pcssim --version: exit %d, stdout %q", code, stdout)
	}
	if code, _, stderr := pcssim("rn", "x.yaml"); code != 2 || !strings.Contains(stderr, `unknown command "rn" (did you mean "run"?)`) {
		t.Errorf("pcssim rn: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := pcssim(); code != 2 {
		t.Errorf("pcssim without arguments: exit %d, want 2", code)
	}
}

// reproduceArgs returns the arguments of the "reproduce: pcssim ..." line.
func reproduceArgs(t *testing.T, report string) []string {
	t.Helper()
	for _, l := range strings.Split(report, "\n") {
		if rest, ok := strings.CutPrefix(l, "reproduce: pcssim "); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatalf("no reproduce line in:\n%s", report)
	return nil
}

// fromReport returns the first report: from its BUG line to the line that
// says where it came from (a seed or a schedule), exclusive.
func fromReport(t *testing.T, out string) string {
	t.Helper()
	i := strings.Index(out, "BUG: ")
	if i < 0 {
		t.Fatalf("no BUG line in:\n%s", out)
	}
	body, _, _ := strings.Cut(out[i:], "\nscenario ")
	return body
}

// TestReplayRoundTrip runs a failing scenario, runs the printed replay
// command and expects the identical report; the same after shrink.
func TestReplayRoundTrip(t *testing.T) {
	for _, st := range []string{"module-ref", "none", "device-link"} {
		scen := map[string]string{"module-ref": "rmk-2022-unbind", "none": "rmk-2022-rmmod", "device-link": "rmk-2022-nfsroot"}[st]
		code, out, _ := pcssim("run", scen, "--strategy", st, "--seeds", "100", "--jobs", "2")
		if code != 1 {
			t.Fatalf("%s/%s: exit %d, want 1", scen, st, code)
		}
		report := fromReport(t, out)
		code, again, _ := pcssim(reproduceArgs(t, out)...)
		if code != 1 || fromReport(t, again) != report {
			t.Fatalf("%s/%s: replay (exit %d) gave a different report:\n%s\nwant:\n%s", scen, st, code, again, report)
		}
		code, shrunk, _ := pcssim(append([]string{"shrink"}, reproduceArgs(t, out)[1:]...)...)
		if code != 1 {
			t.Fatalf("%s/%s: shrink exit %d", scen, st, code)
		}
		sreport := fromReport(t, shrunk)
		code, sagain, _ := pcssim(reproduceArgs(t, shrunk)...)
		if code != 1 || fromReport(t, sagain) != sreport {
			t.Fatalf("%s/%s: the shrunk schedule's replay differs:\n%s\nwant:\n%s", scen, st, sagain, sreport)
		}
	}
}

// TestJobsDoNotChangeOutput: stdout of run is byte-identical for --jobs 1
// and --jobs 4, and across two runs.
func TestJobsDoNotChangeOutput(t *testing.T) {
	for _, st := range []string{"none", "phylink-notify"} {
		seeds := "150"
		if testing.Short() {
			seeds = "40"
		}
		_, a, _ := pcssim("run", "soak", "--strategy", st, "--seeds", seeds, "--jobs", "1")
		_, b, _ := pcssim("run", "soak", "--strategy", st, "--seeds", seeds, "--jobs", "4")
		_, c, _ := pcssim("run", "soak", "--strategy", st, "--seeds", seeds, "--jobs", "4", "--format", "text")
		if a != b || b != c {
			t.Fatalf("soak/%s: stdout differs between --jobs 1 and --jobs 4:\n%s\n---\n%s", st, a, b)
		}
	}
}

const crashStrategy = "test-crash"

// crashing is a strategy whose Get panics: it stands for a bug in the
// simulator itself.
type crashing struct{ pcs.Base }

func (crashing) ID() string  { return crashStrategy }
func (crashing) Doc() string { return "test only: panics in pcs_get" }
func (crashing) Get(*sim.Task, *pcs.Env, *devmodel.Device, *devmodel.Object, *pcs.PCS) (*pcs.PCS, int) {
	panic("deliberate test panic")
}

// TestCrashExits3 checks that a panic inside the model is reported with the
// seed that reproduces it and exit status 3.
func TestCrashExits3(t *testing.T) {
	code, _, stderr := pcssim("run", "rmk-2022-unbind", "--strategy", crashStrategy, "--seeds", "5", "--jobs", "1")
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"deliberate test panic", "--seed", "pcssim replay"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("crash report lacks %q:\n%s", want, stderr)
		}
	}
	code, _, stderr = pcssim("replay", "rmk-2022-unbind", "--strategy", crashStrategy, "--seed", "1")
	if code != 3 || !strings.Contains(stderr, "deliberate test panic") {
		t.Errorf("replay of a crash: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestShardsMergeToTheWholeRun: the JSON of --shard 1/3, 2/3 and 3/3,
// merged, is byte for byte the unsharded run's JSON, and the merged text
// its text (coverage, sometimes reach, vacuity, reports and reproduce
// lines included), for random and swarm and whatever the order of the
// files. merge took counts and vacuity from the first file, dropped
// coverage and --explore swarm, and named the scenario, not the file, in
// its reproduce lines.
func TestShardsMergeToTheWholeRun(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(dir, "my world.yaml")
	data, err := os.ReadFile("../scenarios/racy-release.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(user, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range [][]string{
		{"qsgmii-shared", "--strategy", "module-ref", "--seeds", "90"},
		{user, "--strategy", "phylink-notify-racy", "--seeds", "60", "--explore", "swarm"},
		{user, "--strategy", "phylink-notify", "--seeds", "7"}, // sometimes: reached in one shard only, or none
	} {
		args := append([]string{"run"}, tc...)
		_, wholeText, _ := pcssim(args...)
		_, whole, _ := pcssim(append(args, "--format", "json", "--jobs", "2")...)
		var files []string
		for i := 1; i <= 3; i++ {
			_, out, _ := pcssim(append(args, "--format", "json", "--shard", fmt.Sprintf("%d/3", i))...)
			f := filepath.Join(dir, fmt.Sprintf("s%d.json", i))
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		// merge exits 1 on the verdicts of the whole: VACUOUS, MISMATCH.
		wantCode := 0
		if strings.Contains(wholeText, "VACUOUS") || strings.Contains(wholeText, "MISMATCH") {
			wantCode = 1
		}
		for _, order := range [][]string{files, {files[2], files[0], files[1]}} {
			code, merged, stderr := pcssim(append([]string{"merge", "--format", "json"}, order...)...)
			if code != wantCode {
				t.Fatalf("%v: merge exit %d, want %d: %s", tc, code, wantCode, stderr)
			}
			if diff := cmp.Diff(whole, merged); diff != "" {
				t.Errorf("%v: merged JSON differs from the whole run's (-whole +merged):\n%s", tc, diff)
			}
			_, mergedText, _ := pcssim(append([]string{"merge"}, order...)...)
			if diff := cmp.Diff(wholeText, mergedText); diff != "" {
				t.Errorf("%v: merged text differs from the whole run's (-whole +merged):\n%s", tc, diff)
			}
		}
	}
	_, one, _ := pcssim("run", "qsgmii-shared", "--strategy", "module-ref", "--seeds", "90", "--format", "json", "--shard", "1/1")
	f := filepath.Join(dir, "one.json")
	if err := os.WriteFile(f, []byte(one), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := pcssim("merge", "--fail-on-violation", f); code != 1 {
		t.Errorf("merge --fail-on-violation with violations: exit %d, want 1", code)
	}
}

// TestTimeBudgetStopsEarly: a run stops launching executions once its
// wall-time budget is spent and says so.
func TestTimeBudgetStopsEarly(t *testing.T) {
	code, out, _ := pcssim("run", "soak", "--strategy", "phylink-notify", "--seeds", "100000000", "--time-budget", "200ms", "--jobs", "2")
	if code != 0 || !strings.Contains(out, "stopped (time budget) after") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestHelperMain runs pcssim's main in a subprocess for tests that need a
// real process (signals); it does nothing in a normal test run.
func TestHelperMain(t *testing.T) {
	if os.Getenv("PCSSIM_HELPER") != "1" {
		t.Skip("helper process only")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(Run(args, os.Stdout, os.Stderr))
}

// TestInterruptExits130: SIGINT stops a run cleanly with its partial
// summary on stdout and exit status 130.
func TestInterruptExits130(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMain$", "--",
		"run", "soak", "--strategy", "phylink-notify", "--seeds", "100000000", "--jobs", "2")
	cmd.Env = append(os.Environ(), "PCSSIM_HELPER=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130; stdout:\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "stopped (interrupted) after") {
		t.Fatalf("no partial summary on stdout:\n%s", out.String())
	}
}

// TestDFSCountsIgnoreStateCache: dfs counts schedules, so `compare` and
// `run --format json` give the same per-property counts whether
// executions are cut short at cached states or every schedule runs to its
// end (they differ only in the executions it took). Outside the long tier
// (testtier) compare runs two strategies: none, violating in every
// schedule, and phylink-notify-racy, in a few.
func TestDFSCountsIgnoreStateCache(t *testing.T) {
	compare := []string{"compare", "racy-release", "--explore", "dfs", "--preemptions", "1"}
	if !testtier.Long(t) {
		compare = append(compare, "--strategies", "none,phylink-notify-racy")
	}
	for _, args := range [][]string{
		compare,
		{"run", "racy-release", "--strategy", "none", "--explore", "dfs", "--preemptions", "1", "--format", "json"},
	} {
		_, cached, _ := pcssim(args...)
		_, plain, _ := pcssim(append(args, "--state-cache=false")...)
		if args[0] == "run" {
			c, err := decodeRun(cached)
			if err != nil {
				t.Fatal(err)
			}
			p, err := decodeRun(plain)
			if err != nil {
				t.Fatal(err)
			}
			if c.Executions >= p.Executions || len(c.Counts) == 0 {
				t.Errorf("%v: %d executions with caching, %d without; counts %v", args, c.Executions, p.Executions, c.Counts)
			}
			cached, plain = fmt.Sprint(c.Counts, *c.Schedules), fmt.Sprint(p.Counts, *p.Schedules)
		}
		if diff := cmp.Diff(plain, cached); diff != "" {
			t.Errorf("%v: state caching changed the counts (-plain +cached):\n%s", args, diff)
		}
	}
}
