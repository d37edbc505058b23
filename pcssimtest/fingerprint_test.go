package pcssimtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// logRecorder is a recorder that also keeps what the test logs.
type logRecorder struct {
	recorder
	logs []string
}

func (r *logRecorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// TestStampedScheduleReplays: -pcssim.schedule with a schedule stamped
// under the test's recording replays it (the flag over a stale
// PCSSIM_SCHEDULE of another strategy, which alone would stop the test:
// see TestBadSettingFailsTheTest).
func TestStampedScheduleReplays(t *testing.T) {
	sc, err := scenarios.Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	cleanKnobs(t)
	other := scenarios.Recording{Scenario: sc, Strategy: "module-ref", Explore: "random"}
	here := scenarios.Recording{Scenario: sc, Strategy: "phylink-notify", Explore: "random"}
	t.Setenv("PCSSIM_SCHEDULE", other.Stamp(sim.Schedule{0}))
	setFlag(t, scheduleKnob, here.Stamp(sim.Schedule{0}))
	rec := &fatalRecorder{TB: t}
	var s Summary
	done := make(chan struct{})
	go func() {
		defer close(done)
		s = Run(rec, "rmk-2022-unbind", Options{Strategy: "phylink-notify", FailDir: t.TempDir()})
	}()
	<-done
	if s.Executions != 1 || len(rec.fatal) != 0 {
		t.Fatalf("summary %+v, fatal %q; want the schedule replayed", s, rec.fatal)
	}
}

// TestFailFilesOfEveryVersion: a v1 file (schedule without fingerprint)
// is replayed; a v2 file whose fingerprint says the scenario changed is
// replayed too, with a note in the log.
func TestFailFilesOfEveryVersion(t *testing.T) {
	sc, err := scenarios.Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Strategy: "module-ref", Explore: "random"}
	old, err := sc.WithKernel(devmodel.V6_1)
	if err != nil {
		t.Fatal(err)
	}
	stale := scenarios.Recording{Scenario: old, Strategy: "module-ref", Explore: "random"}.Stamp(sim.Schedule{1, 2})
	dir := t.TempDir()
	for name, body := range map[string]string{
		"v1.fail": failHeaderV1 + "\nscenario: rmk-2022-unbind\nstrategy: module-ref\nexplore: random\nproperty: use-after-free\nschedule: AQID\n",
		"v2.fail": failHeader + "\nscenario: rmk-2022-unbind\nstrategy: module-ref\nexplore: random\nproperty: use-after-free\nschedule: " + stale + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := &logRecorder{recorder: recorder{TB: t}}
	got := persisted(rec, dir, sc, o)
	if len(got) != 2 || len(rec.errs) != 0 {
		t.Fatalf("read %v, errors %v; want both files", got, rec.errs)
	}
	if len(rec.logs) != 1 || !strings.Contains(rec.logs[0], "v2.fail: this schedule was recorded with --kernel 6.1, not 6.12") ||
		!strings.Contains(rec.logs[0], "replayed all the same") {
		t.Errorf("logs %q, want one note on v2.fail", rec.logs)
	}
	// What persist writes is v2, stamped.
	path := persist(t, t.TempDir(), sc, o, scenarios.Result{Schedule: sim.Schedule{1}, Findings: []sim.Finding{{Property: "leak"}}})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "schedule: " + recording(sc, o).Stamp(sim.Schedule{1}) + "\n"
	if !strings.HasPrefix(string(data), failHeader+"\n") || !strings.HasSuffix(string(data), want) {
		t.Errorf("persisted file:\n%s\nwant the v2 header and %q", data, want)
	}
}
