package pcssimtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// recorder is a testing.TB that records errors instead of failing, so the
// failure paths of Run can be tested.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Helper() {}

func TestRunSafeStrategyPasses(t *testing.T) {
	s := Run(t, "rmk-2022-unbind", Options{Strategy: "phylink-notify", Seeds: 100,
		Sometimes: []string{"unbind lynx-pcs.0 during kworker: phylink_resolve"}})
	if s.Executions != 100 || s.Violation != nil || s.Reach.Counts[0] == 0 {
		t.Fatalf("summary %+v, reach %v", s, s.Reach.Counts)
	}
}

func TestRunReportsPersistsAndReplaysFirst(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{TB: t}
	s := Run(rec, "rmk-2022-unbind", Options{Strategy: "module-ref", Seeds: 50, FailDir: dir})
	if s.Violation == nil || len(rec.errs) != 1 {
		t.Fatalf("want one failure, got %d: %v", len(rec.errs), rec.errs)
	}
	for _, want := range []string{"use-after-free of struct phylink_pcs", "reproduce: " + ReplayProg + " replay", "-pcssim.schedule=", "replays first next time"} {
		if !strings.Contains(rec.errs[0], want) {
			t.Errorf("failure message lacks %q:\n%s", want, rec.errs[0])
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.fail"))
	if len(files) != 1 {
		t.Fatalf("persisted files %v, want one", files)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.HasPrefix(string(data), failHeader+"\n") {
		t.Fatalf("fail file lacks the version header:\n%s", data)
	}
	rec2 := &recorder{TB: t}
	s = Run(rec2, "rmk-2022-unbind", Options{Strategy: "module-ref", Seeds: 50, FailDir: dir})
	if s.Replayed != 1 || s.Executions != 0 || s.Violation == nil || !strings.Contains(rec2.errs[0], "persisted in") {
		t.Fatalf("second run: summary %+v, errors %v; want the persisted schedule replayed first", s, rec2.errs)
	}
	// Another strategy ignores the file.
	s = Run(t, "rmk-2022-unbind", Options{Strategy: "phylink-notify", Seeds: 20, FailDir: dir})
	if s.Replayed != 0 {
		t.Fatalf("phylink-notify replayed %d files of module-ref", s.Replayed)
	}
}

func TestRunVacuousCampaignFails(t *testing.T) {
	rec := &recorder{TB: t}
	Run(rec, "rmk-2022-unbind", Options{Strategy: "phylink-notify", Seeds: 20, FailDir: t.TempDir(),
		Sometimes: []string{"rmmod pcs-lynx during"}})
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "vacuous") {
		t.Fatalf("errors %v, want one vacuous-campaign failure", rec.errs)
	}
}

func TestEnvironmentTwins(t *testing.T) {
	t.Setenv("PCSSIM_SEEDS", "7")
	t.Setenv("PCSSIM_EXPLORE", "pct")
	s := Run(t, "rmk-2022-self-pin", Options{Strategy: "phylink-notify", FailDir: t.TempDir()})
	if s.Executions != 7 {
		t.Fatalf("PCSSIM_SEEDS=7 ran %d executions", s.Executions)
	}
}

func TestScheduleFlagReplaysOnlyThatSchedule(t *testing.T) {
	rec := &recorder{TB: t}
	Run(rec, "rmk-2022-unbind", Options{Strategy: "module-ref", Seeds: 5, FailDir: t.TempDir()})
	msg := rec.errs[0]
	i := strings.Index(msg, "-pcssim.schedule=")
	sched := strings.Fields(msg[i+len("-pcssim.schedule="):])[0]
	t.Setenv("PCSSIM_SCHEDULE", sched)
	rec2 := &recorder{TB: t}
	s := Run(rec2, "rmk-2022-unbind", Options{Strategy: "module-ref", FailDir: t.TempDir()})
	if s.Executions != 1 || s.Violation == nil {
		t.Fatalf("replay of %s: %+v %v", sched, s, rec2.errs)
	}
}

func TestCheckWithRapid(t *testing.T) {
	Check(t, "rmk-2022-unbind", "phylink-notify")
}

func TestRunDFSExhaustsSafeStrategy(t *testing.T) {
	s := Run(t, "rmk-2022-unbind", Options{Strategy: "phylink-notify", Explore: "dfs", FailDir: t.TempDir()})
	if !s.Exhausted || s.Schedules != 141 || s.Violation != nil {
		t.Fatalf("dfs with 2 preemptions: %+v; want all 141 schedules (up to equivalence), no violation", s)
	}
	s = Run(t, "rmk-2022-unbind", Options{Strategy: "phylink-notify", Explore: "dfs", Preemptions: NoPreemption, FailDir: t.TempDir()})
	if !s.Exhausted || s.Schedules != 15 {
		t.Fatalf("dfs with 0 preemptions: %+v; want all 15 schedules", s)
	}
}

func TestRunDFSFindsTheRace(t *testing.T) {
	rec := &recorder{TB: t}
	s := Run(rec, "racy-release", Options{Strategy: "phylink-notify-racy", Explore: "dfs", FailDir: t.TempDir()})
	if s.Violation == nil || len(rec.errs) != 1 {
		t.Fatalf("want one failure, got %d: %v", len(rec.errs), rec.errs)
	}
	for _, want := range []string{"use-after-free of struct phylink_pcs", "dfs schedule 107", "-pcssim.schedule="} {
		if !strings.Contains(rec.errs[0], want) {
			t.Errorf("failure message lacks %q:\n%s", want, rec.errs[0])
		}
	}
}

func TestRunDFSLimitFails(t *testing.T) {
	rec := &recorder{TB: t}
	s := Run(rec, "racy-release", Options{Strategy: "phylink-notify", Explore: "dfs", Seeds: 100, FailDir: t.TempDir()})
	if s.Exhausted || len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "raise Seeds") {
		t.Fatalf("summary %+v, errors %v; want one not-exhausted failure", s, rec.errs)
	}
}

// TestFailDirIsNotAGlobPattern: the failures of subtest port[1] are read
// from its own directory, never from port1's (the directory went to
// filepath.Glob, where [1] matches "1").
func TestFailDirIsNotAGlobPattern(t *testing.T) {
	root := t.TempDir()
	sc, err := scenarios.Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Strategy: "module-ref", Explore: "random"}
	res := scenarios.Result{Schedule: sim.Schedule{1, 2, 3}, Findings: []sim.Finding{{Property: "use-after-free"}}}
	bracket, plain := filepath.Join(root, "port[1]"), filepath.Join(root, "port1")
	persist(t, bracket, sc, o, res)
	res.Schedule = sim.Schedule{4, 5}
	persist(t, plain, sc, o, res)
	got := persisted(t, bracket, sc, o)
	if len(got) != 1 || got[0].schedule.Encode() != (sim.Schedule{1, 2, 3}).Encode() {
		t.Fatalf("port[1] read %v, want its own schedule only", got)
	}
}

// TestFailFileFieldsStayOnTheirLine: a scenario or strategy name with a
// newline cannot forge fields of the failure file, and a file with CRLF
// line endings reads as with LF.
func TestFailFileFieldsStayOnTheirLine(t *testing.T) {
	dir := t.TempDir()
	sc := &scenarios.Scenario{Name: "x\nschedule: AAAA"}
	o := Options{Strategy: "module-ref\r", Explore: "random"}
	res := scenarios.Result{Schedule: sim.Schedule{1, 2, 3}, Findings: []sim.Finding{{Property: "use-after-free"}}}
	path := persist(t, dir, sc, o, res)
	got := persisted(t, dir, sc, o)
	if len(got) != 1 || got[0].schedule.Encode() != res.Schedule.Encode() {
		t.Fatalf("read back %v, want the schedule written", got)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != 6 {
		t.Errorf("the file has %d lines, want 6:\n%s", n, data)
	}
	sc2, err := scenarios.Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	o2 := Options{Strategy: "module-ref", Explore: "random"}
	crlf := strings.ReplaceAll(failHeader+"\nscenario: rmk-2022-unbind\nstrategy: module-ref\nexplore: random\nproperty: use-after-free\nschedule: AQID\n", "\n", "\r\n")
	dir2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir2, "a.fail"), []byte(crlf), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{TB: t}
	if got := persisted(rec, dir2, sc2, o2); len(got) != 1 || len(rec.errs) != 0 {
		t.Errorf("a CRLF file: read %v, errors %v", got, rec.errs)
	}
}
