package pcssimtest

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

var knobs = []knob{seedsKnob, seedKnob, exploreKnob, preemptKnob, jobsKnob, scheduleKnob}

// cleanKnobs unsets every flag and environment twin for the test (a
// developer's PCSSIM_SEEDS must not change what it checks).
func cleanKnobs(t *testing.T) {
	for _, k := range knobs {
		t.Setenv(k.env, "")
		setFlag(t, k, "")
	}
}

// setFlag sets a knob's flag as -k.flag=v would, until the test ends.
func setFlag(t *testing.T, k knob, v string) {
	old := *k.value
	*k.value = v
	t.Cleanup(func() { *k.value = old })
}

// resolved is what resolve decides, in a comparable form.
type resolved struct {
	Seeds       int
	Seed        uint64
	Explore     string
	Preemptions int
	Jobs        int
}

func resolveFor(t *testing.T, o Options) (resolved, error) {
	t.Helper()
	sc, err := scenarios.Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := o.resolve(t, sc)
	return resolved{r.Seeds, r.Seed, r.Explore, r.Preemptions, r.Jobs}, err
}

// TestFlagsOverrideEnvironmentOverrideOptions: each setting is the flag's
// if given, else its environment twin's, else the Options field's, else
// the default (as rapid's -rapid.checks over its code).
func TestFlagsOverrideEnvironmentOverrideOptions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		o     Options
		env   map[string]string
		flags map[knob]string
		want  resolved
	}{
		{"defaults", Options{}, nil, nil, resolved{200, 1, "random", 2, 0}},
		{"dfs default limit", Options{Explore: "dfs"}, nil, nil, resolved{1_000_000, 1, "dfs", 2, 0}},
		{"options", Options{Seeds: 5, Seed: 9, Explore: "pct", Preemptions: 3, Jobs: 2}, nil, nil, resolved{5, 9, "pct", 3, 2}},
		{"no preemption", Options{Preemptions: NoPreemption}, nil, nil, resolved{200, 1, "random", 0, 0}},
		{"environment over options", Options{Seeds: 5, Seed: 9, Explore: "dfs", Preemptions: NoPreemption, Jobs: 2},
			map[string]string{"PCSSIM_SEEDS": "7", "PCSSIM_SEED": "0", "PCSSIM_EXPLORE": "swarm", "PCSSIM_PREEMPTIONS": "4", "PCSSIM_JOBS": "1"},
			nil, resolved{7, 0, "swarm", 4, 1}},
		{"flag over environment", Options{Seeds: 5, Explore: "pct"},
			map[string]string{"PCSSIM_SEEDS": "7", "PCSSIM_EXPLORE": "swarm", "PCSSIM_PREEMPTIONS": "4"},
			map[knob]string{seedsKnob: "11", exploreKnob: "dfs", preemptKnob: "0"}, resolved{11, 1, "dfs", 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanKnobs(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			for k, v := range tc.flags {
				setFlag(t, k, v)
			}
			got, err := resolveFor(t, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("resolved (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSeedsPrecedence: for any combination of flag, environment and field,
// Seeds is the first one given of the three, else the default.
func TestSeedsPrecedence(t *testing.T) {
	cleanKnobs(t)
	rapid.Check(t, func(rt *rapid.T) {
		flagV := rapid.IntRange(0, 50).Draw(rt, "flag")    // 0: not given
		envV := rapid.IntRange(0, 50).Draw(rt, "env")      // 0: not given
		field := rapid.IntRange(0, 50).Draw(rt, "options") // 0: the default
		*seedsKnob.value = ""
		if flagV > 0 {
			*seedsKnob.value = strconv.Itoa(flagV)
		}
		env := ""
		if envV > 0 {
			env = strconv.Itoa(envV)
		}
		t.Setenv("PCSSIM_SEEDS", env)
		want := 200
		for _, v := range []int{field, envV, flagV} {
			if v > 0 {
				want = v
			}
		}
		got, err := resolveFor(t, Options{Seeds: field})
		if err != nil || got.Seeds != want {
			rt.Fatalf("flag %d, env %d, Options.Seeds %d: Seeds %d (%v), want %d", flagV, envV, field, got.Seeds, err, want)
		}
	})
	*seedsKnob.value = ""
}

// fatalRecorder records a Fatalf and ends the goroutine, as testing does.
type fatalRecorder struct {
	testing.TB
	fatal, errs []string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.fatal = append(r.fatal, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *fatalRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *fatalRecorder) Helper() {}

// TestBadSettingFailsTheTest: a value out of range or unknown, from a flag,
// the environment or Options, stops the test with t.Fatal naming where it
// came from and what is wanted; nothing runs.
func TestBadSettingFailsTheTest(t *testing.T) {
	sc, err := scenarios.Open("rmk-2022-unbind")
	if err != nil {
		t.Fatal(err)
	}
	// A schedule stamped under module-ref and random: another strategy or
	// explorer, from any source, would replay another execution.
	moduleRef := scenarios.Recording{Scenario: sc, Strategy: "module-ref", Explore: "random"}.Stamp(sim.Schedule{0})
	for _, tc := range []struct {
		o    Options
		env  map[string]string
		flag map[knob]string
		want string
	}{
		{Options{}, map[string]string{"PCSSIM_SEEDS": "many"}, nil, `PCSSIM_SEEDS "many": want an integer from 1 to`},
		{Options{}, map[string]string{"PCSSIM_SEEDS": "0"}, nil, `PCSSIM_SEEDS "0": want an integer from 1 to`},
		{Options{}, nil, map[knob]string{seedsKnob: "-3"}, `-pcssim.seeds "-3": want an integer from 1 to`},
		{Options{}, map[string]string{"PCSSIM_SEED": "-1"}, nil, `PCSSIM_SEED "-1": want an integer from 0 to 2^64-1`},
		{Options{}, map[string]string{"PCSSIM_EXPLORE": "bfs"}, nil, `PCSSIM_EXPLORE "bfs": unknown explorer (known: random, swarm, pct, dfs)`},
		{Options{}, nil, map[knob]string{preemptKnob: "11"}, `-pcssim.preemptions "11": want an integer from 0 to 10`},
		{Options{}, map[string]string{"PCSSIM_JOBS": "-1"}, nil, `PCSSIM_JOBS "-1": want an integer from 0 to 1024`},
		{Options{}, map[string]string{"PCSSIM_SCHEDULE": "not a schedule!"}, nil, "PCSSIM_SCHEDULE: "},
		{Options{Strategy: "phylink-notify"}, map[string]string{"PCSSIM_SCHEDULE": moduleRef}, nil,
			"PCSSIM_SCHEDULE: this schedule was recorded with --strategy module-ref, not phylink-notify"},
		{Options{Strategy: "module-ref"}, map[string]string{"PCSSIM_EXPLORE": "swarm"}, map[knob]string{scheduleKnob: moduleRef},
			"-pcssim.schedule: this schedule was recorded with --explore random, not --explore swarm"},
		{Options{Seeds: -1}, nil, nil, "Options.Seeds -1: want 1 to"},
		{Options{Preemptions: 11}, nil, nil, "Options.Preemptions 11: want 0 to 10"},
		{Options{Jobs: -2}, nil, nil, "Options.Jobs -2: want 0 to 1024"},
		{Options{Explore: "exhaustive"}, nil, nil, `Options.Explore "exhaustive": unknown explorer`},
		{Options{Strategy: "bogus"}, nil, nil, `Options.Strategy: unknown strategy "bogus"`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			cleanKnobs(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			for k, v := range tc.flag {
				setFlag(t, k, v)
			}
			rec := &fatalRecorder{TB: t}
			ran := false
			done := make(chan struct{})
			go func() {
				defer close(done)
				Run(rec, "rmk-2022-unbind", tc.o)
				ran = true
			}()
			<-done
			if ran || len(rec.fatal) != 1 || len(rec.errs) != 0 || !strings.Contains(rec.fatal[0], tc.want) {
				t.Errorf("Run went on: %v, fatal %q, errors %q; want one t.Fatal saying %q", ran, rec.fatal, rec.errs, tc.want)
			}
		})
	}
}

// TestDocCoversEveryOption: the package doc names every Options field,
// every flag and its environment twin, and docs/testing.md every flag.
func TestDocCoversEveryOption(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	guide, err := os.ReadFile("../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	ty := reflect.TypeOf(Options{})
	for i := range ty.NumField() {
		if !strings.Contains(string(doc), "//\t"+ty.Field(i).Name+" ") {
			t.Errorf("doc.go: the Options table lacks %s", ty.Field(i).Name)
		}
	}
	for _, k := range knobs {
		line := fmt.Sprintf("-%s ", k.flag)
		if !strings.Contains(string(doc), line) || !strings.Contains(string(doc), " "+k.env+" ") {
			t.Errorf("doc.go: the flag table lacks -%s or %s", k.flag, k.env)
		}
		if !strings.Contains(string(guide), "`-"+k.flag) || !strings.Contains(string(guide), "`"+k.env+"`") {
			t.Errorf("docs/testing.md: the flag table lacks -%s or %s", k.flag, k.env)
		}
	}
}
