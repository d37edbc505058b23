package pcssimtest

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"pgregory.net/rapid"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// Summary is what a Run did.
type Summary struct {
	Executions int
	// Schedules and Exhausted describe a dfs run: the schedules covered
	// (more than Executions where state caching or symmetry cut the
	// search short) and whether they are all within the bound.
	Schedules int
	Exhausted bool
	// Replayed counts persisted schedules replayed before exploring.
	Replayed int
	// Reach counts the executions that reached each sometimes situation.
	Reach *scenarios.Reach
	// Violation is the first finding, or nil.
	Violation *sim.Finding
}

// Run explores scenario (a path, or the name of a shipped scenario) and
// fails t on a violation or a vacuous campaign.
func Run(t testing.TB, scenario string, o Options) Summary {
	t.Helper()
	sc, err := scenarios.Open(scenario)
	if err != nil {
		t.Errorf("pcssimtest: %v", err)
		return Summary{}
	}
	return RunScenario(t, sc, o)
}

// RunScenario is Run for a loaded scenario.
func RunScenario(t testing.TB, sc *scenarios.Scenario, o Options) Summary {
	t.Helper()
	o, sched, err := o.resolve(t, sc)
	if err != nil {
		t.Fatalf("pcssimtest: %v", err)
	}
	sum := Summary{Reach: scenarios.NewReach(append(append([]string{}, sc.Sometimes...), o.Sometimes...))}
	if sched != nil {
		sum.Executions = 1
		sum.Violation = replay(t, sc, o, sched, "schedule from -pcssim.schedule")
		return sum
	}
	for _, f := range persisted(t, o.FailDir, sc, o) {
		sum.Replayed++
		if v := replay(t, sc, o, f.schedule, "persisted in "+f.path); v != nil {
			sum.Violation = v
			return sum
		}
	}
	var first *scenarios.Outcome
	visit := func(out scenarios.Outcome) bool {
		if out.Err != nil {
			t.Errorf("pcssimtest: simulator crash at %s: %v", origin(o, out), out.Err)
			first = &out
			return false
		}
		sum.Executions++
		sum.Reach.Add(&out.Result)
		if len(out.Result.Findings) > 0 {
			first = &out
			return false
		}
		return true
	}
	if o.Explore == "dfs" {
		r := scenarios.ExploreDFS(sc, o.Strategy, scenarios.DFSOptions{Preemptions: o.Preemptions, Limit: o.Seeds}, visit)
		sum.Schedules, sum.Exhausted = r.Unreduced, r.Exhausted
		if first == nil && !r.Exhausted {
			t.Errorf("pcssimtest: dfs of %s/%s covered %d schedules in %d executions without exhausting those with <= %d preemptions: raise Seeds",
				sc.Name, o.Strategy, r.Unreduced, r.Runs, o.Preemptions)
			return sum
		}
	} else {
		ex, _ := scenarios.NewExplorer(o.Explore, sc, o.Strategy, 3) // known: resolve checked it
		seed := func(i int) uint64 { return sim.ExecutionSeed(o.Seed, i) }
		scenarios.Campaign(sc, o.Strategy, ex, o.Seeds, seed, o.Jobs, visit)
	}
	switch {
	case first != nil && first.Err == nil:
		path := persist(t, o.FailDir, sc, o, first.Result)
		sum.Violation = fail(t, sc, o, first.Result.Schedule, origin(o, *first),
			"the schedule is saved in "+path+" and replays first next time")
	case first == nil:
		for i, s := range sum.Reach.Situations {
			t.Logf("pcssimtest: sometimes %q: reached in %d of %d executions", s, sum.Reach.Counts[i], sum.Executions)
		}
		if u := sum.Reach.Unreached(); len(u) > 0 {
			t.Errorf("pcssimtest: vacuous campaign: never reached %q in %d executions of %s/%s",
				strings.Join(u, `", "`), sum.Executions, sc.Name, o.Strategy)
		}
	}
	return sum
}

// ReplayProg is the command that pcssimtest's reproduce lines run: the
// pcssim of the module version the test builds with, from the test's
// package directory (where go test runs and scenario paths are relative
// to).
const ReplayProg = "go run github.com/pcssim/pcssim/cmd/pcssim"

// recording is what Run's executions are recorded under.
func recording(sc *scenarios.Scenario, o Options) scenarios.Recording {
	return scenarios.Recording{Scenario: sc, Strategy: o.Strategy, Explore: o.Explore, Depth: scenarios.DefaultDepth}
}

// decodeStamped decodes a schedule as replay takes it (SCHEDULE@FP, or
// SCHEDULE without a fingerprint), which must have been recorded under
// rec.
func decodeStamped(text string, rec scenarios.Recording) (sim.Schedule, error) {
	body, fp := scenarios.SplitFingerprint(text)
	s, err := sim.DecodeSchedule(body)
	if err == nil && fp != "" {
		err = rec.Check("schedule", fp)
	}
	return s, err
}

// origin names an execution in messages: its seed, or its dfs schedule.
func origin(o Options, out scenarios.Outcome) string {
	if o.Explore == "dfs" {
		return fmt.Sprintf("dfs schedule %d", out.Index)
	}
	return fmt.Sprintf("seed %d", out.Seed)
}

// replay runs one schedule and fails t if it violates a property.
func replay(t testing.TB, sc *scenarios.Scenario, o Options, sched sim.Schedule, origin string) *sim.Finding {
	t.Helper()
	r, err := scenarios.Execute(sc, o.Strategy, sim.NewReplay(sched), scenarios.ModeOf(o.Explore))
	if err != nil {
		t.Errorf("pcssimtest: simulator crash replaying %s: %v", origin, err)
		return nil
	}
	if len(r.Findings) == 0 {
		return nil
	}
	return fail(t, sc, o, sched, origin, "")
}

// fail reports the violation of sched with both replay commands.
func fail(t testing.TB, sc *scenarios.Scenario, o Options, sched sim.Schedule, origin, note string) *sim.Finding {
	t.Helper()
	res, err := scenarios.Traced(sc, o.Strategy, o.Explore, sched)
	if err != nil || len(res.Findings) == 0 {
		t.Errorf("pcssimtest: %s/%s: the violating schedule does not replay (%v)", sc.Name, o.Strategy, err)
		return nil
	}
	var b bytes.Buffer
	rec := recording(sc, o)
	scenarios.WriteReport(&b, ReplayProg, rec, origin, &res, res.Findings[0])
	fmt.Fprintf(&b, "or: go test -run '^%s$' -pcssim.schedule=%s", t.Name(), rec.Stamp(sched))
	if o.Explore == "swarm" {
		fmt.Fprint(&b, " -pcssim.explore=swarm")
	}
	fmt.Fprintln(&b)
	if note != "" {
		fmt.Fprintln(&b, note)
	}
	t.Errorf("pcssimtest: %s/%s violates %s\n%s", sc.Name, o.Strategy, res.Findings[0].Property, b.String())
	return &res.Findings[0]
}

// failFile is one persisted failing schedule.
type failFile struct {
	path     string
	schedule sim.Schedule
}

// failHeader starts every persisted file; the version lets a later format
// tell old files apart. v2 stamps the schedule with its fingerprint
// (SCHEDULE@FP); v1 files, whose schedules have none, are read too.
const (
	failHeader   = "# pcssim failure v2"
	failHeaderV1 = "# pcssim failure v1"
)

// persist writes the failing schedule of res and returns the file's path.
func persist(t testing.TB, dir string, sc *scenarios.Scenario, o Options, res scenarios.Result) string {
	t.Helper()
	enc := recording(sc, o).Stamp(res.Schedule)
	h := fnv.New32a()
	h.Write([]byte(enc))
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-%08x.fail", o.Strategy, res.Findings[0].Property, h.Sum32()))
	body := fmt.Sprintf("%s\nscenario: %s\nstrategy: %s\nexplore: %s\nproperty: %s\nschedule: %s\n",
		failHeader, fieldValue(sc.Name), fieldValue(o.Strategy), fieldValue(o.Explore), fieldValue(res.Findings[0].Property), enc)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("pcssimtest: cannot persist the failing schedule: %v", err)
		return path
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Logf("pcssimtest: cannot persist the failing schedule: %v", err)
	}
	return path
}

// persisted reads the failure files of dir that belong to sc and the
// strategy, in name order.
func persisted(t testing.TB, dir string, sc *scenarios.Scenario, o Options) []failFile {
	t.Helper()
	// Listed, not globbed: a test name is not a pattern (the directory
	// of subtest port[1] is not that of port1).
	entries, _ := os.ReadDir(dir)
	var out []failFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".fail") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("pcssimtest: %v", err)
			continue
		}
		fields, ok := parseFailFile(string(data))
		if !ok {
			t.Errorf("pcssimtest: %s is not a pcssim failure file (want the header %q)", p, failHeader)
			continue
		}
		if fields["scenario"] != sc.Name || fields["strategy"] != o.Strategy || fields["explore"] != o.Explore {
			continue
		}
		body, fp := scenarios.SplitFingerprint(fields["schedule"])
		s, err := sim.DecodeSchedule(body)
		if err != nil {
			t.Errorf("pcssimtest: %s: %v", p, err)
			continue
		}
		if fp != "" {
			if err := recording(sc, o).Check("schedule", fp); err != nil {
				// The scenario's world or kernel changed since: the
				// schedule still runs, perhaps not into the same bug.
				t.Logf("pcssimtest: %s: %v (the scenario changed since the file was saved: replayed all the same; delete the file once it no longer applies)", p, err)
			}
		}
		out = append(out, failFile{path: p, schedule: s})
	}
	return out
}

// parseFailFile reads the fields of a failure file (LF or CRLF line
// endings: a checkout with autocrlf rewrites them).
func parseFailFile(s string) (map[string]string, bool) {
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")), "\n")
	if len(lines) == 0 || (lines[0] != failHeader && lines[0] != failHeaderV1) {
		return nil, false
	}
	fields := map[string]string{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ": "); ok {
			if strings.HasPrefix(v, `"`) {
				u, err := strconv.Unquote(v)
				if err != nil {
					return nil, false
				}
				v = u
			}
			fields[k] = v
		}
	}
	return fields, fields["schedule"] != ""
}

// fieldValue writes a value on one line of a failure file: as it is when
// it is plain printable text, else Go-quoted (a name with a newline would
// otherwise write lines of its own, such as a forged schedule).
func fieldValue(v string) string {
	if v == "" || strings.HasPrefix(v, `"`) || strings.TrimSpace(v) != v || !strconv.CanBackquote(v) || strings.Contains(v, "`") {
		return strconv.Quote(v)
	}
	return v
}

// sanitize makes a test name usable as a directory name.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == ' ' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, name)
}

// RapidChooser returns a sim.Chooser whose answers are drawn from rapid's
// bitstream, so rapid generates and shrinks schedules.
func RapidChooser(t *rapid.T) sim.Chooser { return rapidChooser{t} }

type rapidChooser struct{ t *rapid.T }

func (c rapidChooser) Choose(n int, label string) int {
	return rapid.IntRange(0, n-1).Draw(c.t, label)
}

func (c rapidChooser) Pick(cands []sim.Candidate, step int) int {
	return rapid.IntRange(0, len(cands)-1).Draw(c.t, "pick")
}

// Check explores scenario with rapid choosing every interleaving: each of
// rapid's test cases is one execution; a violation fails the rapid case, so
// rapid shrinks it and saves its fail file. Strategy "" is the scenario's.
func Check(t *testing.T, scenario, strategy string) {
	t.Helper()
	sc, err := scenarios.Open(scenario)
	if err != nil {
		t.Fatalf("pcssimtest: %v", err)
	}
	if strategy == "" {
		strategy = sc.Strategy
	}
	rapid.Check(t, func(rt *rapid.T) {
		r, err := scenarios.Execute(sc, strategy, RapidChooser(rt), 0)
		if err != nil {
			rt.Fatalf("simulator crash: %v", err)
		}
		if len(r.Findings) > 0 {
			var b bytes.Buffer
			res, _ := scenarios.Traced(sc, strategy, "random", r.Schedule)
			if len(res.Findings) > 0 {
				rec := scenarios.Recording{Scenario: sc, Strategy: strategy, Explore: "rapid"}
				scenarios.WriteReport(&b, ReplayProg, rec, "rapid case", &res, res.Findings[0])
			}
			rt.Fatalf("%s/%s violates %s\n%s", sc.Name, strategy, r.Findings[0].Property, b.String())
		}
	})
}
