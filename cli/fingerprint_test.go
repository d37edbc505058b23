package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/scenarios"
)

// TestReplayRefusesAnotherRecording: replay and shrink given a schedule or
// a SEED@FP of another scenario, strategy, explorer or kernel exit 2 and
// say which flag differs, instead of replaying another execution.
func TestReplayRefusesAnotherRecording(t *testing.T) {
	_, out, _ := pcssim("run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "5")
	again := reproduceArgs(t, out) // replay FILE --strategy module-ref --schedule S@FP
	sched := again[len(again)-1]
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "phylink-notify", "--schedule", sched},
			"pcssim replay: --schedule: this schedule was recorded with --strategy module-ref, not phylink-notify: replaying it here would run another execution\n"},
		{[]string{"shrink", "rmk-2022-unbind", "--strategy", "phylink-notify", "--schedule", sched},
			"pcssim shrink: --schedule: this schedule was recorded with --strategy module-ref, not phylink-notify: replaying it here would run another execution\n"},
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--explore", "swarm", "--schedule", sched},
			"pcssim replay: --schedule: this schedule was recorded with --explore random, not --explore swarm: replaying it here would run another execution\n"},
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--kernel", "6.1", "--schedule", sched},
			"pcssim replay: --schedule: this schedule was recorded with --kernel 6.12, not 6.1: replaying it here would run another execution\n"},
		{[]string{"replay", "pcs-rebind", "--strategy", "module-ref", "--schedule", sched},
			"pcssim replay: --schedule: this schedule was recorded on the shipped scenario scenarios/rmk-2022-unbind.yaml, not scenarios/pcs-rebind.yaml: replaying it here would run another execution\n"},
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--schedule", strings.Split(sched, "@")[0] + "@nope"},
			"pcssim replay: --schedule: \"nope\" after @ is not a pcssim fingerprint (10 characters of A-Z, a-z, 0-9, - and _)\n"},
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--explore", "bogus", "--schedule", sched},
			"pcssim replay: --explore: unknown explorer \"bogus\"; known: random, swarm, pct, dfs, rapid\n"},
		{[]string{"replay", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "7@nope"},
			"pcssim replay: --seed: \"nope\" after @ is not a pcssim fingerprint (10 characters of A-Z, a-z, 0-9, - and _)\n"},
		{[]string{"shrink", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "x@" + strings.Split(sched, "@")[1]},
			"pcssim shrink: --seed \"x@" + strings.Split(sched, "@")[1] + "\" is not a non-negative integer below 2^64, optionally with @FINGERPRINT\n"},
	} {
		code, out, errs := pcssim(c.args...)
		if code != exitUsage || errs != c.want || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", c.args, code, out, errs, c.want)
		}
	}
	// The printed command, and a bare schedule (with a warning), replay.
	code, out, errs := pcssim(again...)
	if code != exitViolation || errs != "" {
		t.Fatalf("%v: exit %d, stderr %q", again, code, errs)
	}
	bare := append(again[:len(again)-1:len(again)-1], strings.Split(sched, "@")[0])
	code, out2, errs := pcssim(bare...)
	if code != exitViolation || out2 != out || !strings.Contains(errs, "warning: the schedule carries no @FINGERPRINT") {
		t.Errorf("%v: exit %d, stderr %q; want the same replay with a warning", bare, code, errs)
	}
}

// TestSeedFromJSONReplays is the case: the seed and fingerprint of
// a pct run's JSON replay that violation with the printed flags, and
// without --explore pct the replay is refused, not run with random.
func TestSeedFromJSONReplays(t *testing.T) {
	_, js, _ := pcssim("run", "racy-release", "--strategy", "phylink-notify-racy", "--explore", "pct", "--seeds", "300", "--format", "json")
	r, err := decodeRun(js)
	if err != nil || len(r.Violations) == 0 {
		t.Fatalf("%v: no violation in\n%s", err, js)
	}
	v := r.Violations[0]
	stamped := v.Seed + "@" + r.Fingerprint
	code, out, errs := pcssim("replay", "racy-release", "--strategy", "phylink-notify-racy", "--explore", "pct", "--seed", stamped)
	if code != exitViolation || !strings.Contains(out, firstLineWith(v.Report, "BUG: ")) {
		t.Errorf("replay --seed %s: exit %d, %s\n%s", stamped, code, errs, out)
	}
	code, _, errs = pcssim("shrink", "racy-release", "--strategy", "phylink-notify-racy", "--seed", stamped)
	want := "pcssim shrink: --seed: this seed was recorded with --explore pct --depth 3, not --explore random: replaying it here would run another execution\n"
	if code != exitUsage || errs != want {
		t.Errorf("shrink without --explore pct: exit %d, stderr %q, want 2 and %q", code, errs, want)
	}
	code, _, errs = pcssim("replay", "racy-release", "--strategy", "phylink-notify-racy", "--explore", "pct", "--depth", "4", "--seed", stamped)
	if code != exitUsage || !strings.Contains(errs, "recorded with --explore pct --depth 3, not --explore pct --depth 4") {
		t.Errorf("replay with another --depth: exit %d, stderr %q", code, errs)
	}
	// rapid's executions are schedules: a seed cannot name one.
	code, _, errs = pcssim("replay", "racy-release", "--explore", "rapid", "--seed", "1")
	if code != exitUsage || !strings.Contains(errs, "rapid's executions are named by --schedule") {
		t.Errorf("--explore rapid --seed: exit %d, stderr %q", code, errs)
	}
}

// TestDocsReplayExamples runs the examples of docs/exploration.md's
// section on fingerprints: each "$ pcssim ..." line, and the line after it
// as what it prints on stderr (exit 2).
func TestDocsReplayExamples(t *testing.T) {
	data, err := os.ReadFile("../docs/exploration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, _ := strings.Cut(string(data), "## Replaying: schedules, seeds and fingerprints")
	sec, _, _ = strings.Cut(sec, "\n## ")
	lines := strings.Split(sec, "\n")
	n := 0
	for i, l := range lines {
		cmd, ok := strings.CutPrefix(strings.TrimSpace(l), "$ pcssim ")
		if !ok || i+1 == len(lines) {
			continue
		}
		cmd, _, _ = strings.Cut(cmd, " #") // the exit status comment go test ./docs reads
		n++
		code, _, errs := pcssim(strings.Fields(cmd)...)
		if want := strings.TrimSpace(lines[i+1]) + "\n"; code != exitUsage || errs != want {
			t.Errorf("docs/exploration.md: pcssim %s: exit %d, stderr\n%s\nthe doc says exit 2 and\n%s", cmd, code, errs, want)
		}
	}
	if n < 2 {
		t.Errorf("found %d examples in docs/exploration.md, want 2", n)
	}
}

// TestDocsReplayCommands runs every "pcssim replay ... --schedule S@FP"
// command of docs/*.md: each must replay its violation (exit 1) with its
// fingerprint accepted, so the documented schedules cannot drift from the
// model or the scenarios.
func TestDocsReplayCommands(t *testing.T) {
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			_, cmd, ok := strings.Cut(l, "pcssim replay ")
			if !ok || strings.HasPrefix(strings.TrimSpace(l), "$ ") && strings.HasSuffix(l, "# exit 2") {
				continue // the refused replays of TestDocsReplayExamples
			}
			cmd, _, _ = strings.Cut(cmd, "`")
			cmd, _, _ = strings.Cut(cmd, " #") // the exit status comment go test ./docs reads
			args := append([]string{"replay"}, strings.Fields(cmd)...)
			i := slices.Index(args, "--schedule")
			if i < 0 || i+1 == len(args) {
				continue // a form (pcssim replay FILE ...), not a command
			}
			if _, fp := scenarios.SplitFingerprint(args[i+1]); len(fp) != 10 {
				continue // a placeholder (--schedule S@FP)
			}
			for i, a := range args {
				if strings.HasPrefix(a, "scenarios/") {
					args[i] = "../" + a
				}
			}
			n++
			if code, _, errs := pcssim(args...); code != exitViolation || errs != "" {
				t.Errorf("%s: pcssim %s: exit %d, stderr %q; want 1", doc, cmd, code, errs)
			}
		}
	}
	if n < 4 {
		t.Errorf("found %d stamped replay commands in docs/*.md, want at least 4", n)
	}
}
