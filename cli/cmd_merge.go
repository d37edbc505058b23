package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/pcssim/pcssim/scenarios"
)

// cmdMerge combines the --format json outputs of sharded runs (--shard I/N)
// into what the unsharded run prints, text or JSON, byte for byte and
// whatever the order of the files: executions, steps, counts, sometimes
// reach and exercise add up, distinct interleaving pairs are counted over
// the shards' pair sets, vacuity and the expectation are judged on the
// whole, and each property's first violation (with its report and replay
// command, which names the scenario file) is the earliest over the shards.
// Its exit status gives the verdicts only the whole campaign can earn: 1
// when the merged run is VACUOUS or disagrees with the file's expect (a
// shard judges neither: what one shard did not reach, another may have);
// a violation makes it exit 1 only with --fail-on-violation, since each
// shard's run already exited 1 on it, which is what fails a CI job.
func cmdMerge(args []string, stdout, stderr io.Writer) (int, error) {
	var c common
	fs := newFlagSet("merge", "FILE.json... [--format text|json]", stderr)
	fs.StringVar(&c.format, "format", "text", "output format: text or json")
	failOn := fs.Bool("fail-on-violation", false, "exit 1 if any merged run violated a property")
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, usagef("no shard results given")
	}
	if c.format != "text" && c.format != "json" {
		return 0, usagef("--format must be text or json")
	}
	var merged []runJSON
	// shards records, per run, which shard came from which file; cov the
	// coverage summed over them.
	type runKey struct{ scenario, strategy, explore, seeds string }
	shards := map[runKey]map[string]string{}
	covs := map[runKey]*coverage{}
	var keys []runKey
	for _, f := range files {
		runs, err := readRuns(f)
		if err != nil {
			return 0, err
		}
		for _, r := range runs {
			k := runKey{r.Scenario, r.Strategy, r.Explore, r.Seeds}
			if shards[k] == nil {
				shards[k] = map[string]string{}
				covs[k] = newCoverage()
				keys = append(keys, k)
			}
			if prev, dup := shards[k][r.Shard]; dup {
				what := "the unsharded run"
				if r.Shard != "" {
					what = "shard " + r.Shard
				}
				return 0, usagef("%s: %s of %s/%s (seeds %s) is already in %s: each shard must be given once", f, what, r.Scenario, r.Strategy, r.Seeds, prev)
			}
			shards[k][r.Shard] = f
			if r.Shard != "" {
				if err := covs[k].addShard(r.Coverage); err != nil {
					return 0, usagef("%s: coverage of shard %s: %v", f, r.Shard, err)
				}
			}
			i := slices.IndexFunc(merged, func(m runJSON) bool {
				return m.Scenario == r.Scenario && m.Strategy == r.Strategy && m.Kernel == r.Kernel && m.Explore == r.Explore && m.Seeds == r.Seeds
			})
			if i < 0 {
				sharded := r.Shard != ""
				r.Shard = ""
				if sharded {
					r.Coverage = nil
				}
				r.Counts = copyCounts(r.Counts)
				r.Sometimes = slices.Clone(r.Sometimes)
				r.Violations = ranked(r.Violations)
				merged = append(merged, r)
				continue
			}
			if err := mergeRun(&merged[i], r); err != nil {
				return 0, usagef("%s: %v", f, err)
			}
		}
	}
	for _, k := range keys {
		if err := checkShards(shards[k]); err != nil {
			return 0, usagef("%s/%s (seeds %s): %v", k.scenario, k.strategy, k.seeds, err)
		}
	}
	code := exitOK
	for i := range merged {
		m := &merged[i]
		k := runKey{m.Scenario, m.Strategy, m.Explore, m.Seeds}
		if _, whole := shards[k][""]; !whole {
			m.Coverage = covs[k].json()
		}
		unreached := false
		for _, s := range m.Sometimes {
			unreached = unreached || s.Executions == 0
		}
		m.setVacuous(unreached)
		mismatch := m.AsExpected != nil && !*m.AsExpected
		if m.Vacuous || mismatch || (m.FirstViolation != nil && *failOn) {
			code = exitViolation
		}
	}
	if c.format == "json" {
		writeJSON(stdout, merged)
		return code, nil
	}
	for i := range merged {
		writeRunText(stdout, &merged[i], runText{total: merged[i].Executions})
	}
	return code, nil
}

// readRuns reads the runs of one file that pcssim run --format json wrote
// (an array of run objects).
func readRuns(path string) ([]runJSON, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	var runs []runJSON
	err = json.Unmarshal(data, &runs)
	var te *json.UnmarshalTypeError
	if (err == nil && runs == nil) || (errors.As(err, &te) && te.Field == "") {
		// Not an array of runs: an object (a bare run, or the
		// {"runs": [...]} of a development version) or a scalar.
		return nil, usagef(`%s: not the JSON output of pcssim run (want an array of runs [...]; a file of another pcssim version? run it again)`, path)
	}
	if err != nil {
		return nil, usagef("%s: not the JSON output of pcssim run: %v", path, err)
	}
	if len(runs) == 0 {
		return nil, usagef("%s: holds no run (want the JSON output of pcssim run)", path)
	}
	for _, r := range runs {
		if r.Scenario == "" || r.Strategy == "" || r.Explore == "" || r.Counts == nil {
			return nil, usagef("%s: not the JSON output of pcssim run (scenario, strategy, explore or counts missing)", path)
		}
	}
	return runs, nil
}

func copyCounts(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ranked returns a copy of vs with each violation's rank set to its
// place in the shard.
func ranked(vs []violationJSON) []violationJSON {
	out := slices.Clone(vs)
	for i := range out {
		out[i].rank = i
	}
	return out
}

// mergeRun adds shard r into m: every figure is a sum, a minimum or
// recomputed, so the result does not depend on the order of the shards.
func mergeRun(m *runJSON, r runJSON) error {
	if len(r.Sometimes) != len(m.Sometimes) {
		return fmt.Errorf("shard %s of %s/%s counts other sometimes situations", r.Shard, r.Scenario, r.Strategy)
	}
	for i, s := range r.Sometimes {
		if s.What != m.Sometimes[i].What {
			return fmt.Errorf("shard %s of %s/%s counts other sometimes situations", r.Shard, r.Scenario, r.Strategy)
		}
		m.Sometimes[i].Executions += s.Executions
	}
	m.Executions += r.Executions
	m.Steps += r.Steps
	m.Exercised = scenarios.AddExercise(m.Exercised, r.Exercised)
	m.BudgetExceeded += r.BudgetExceeded
	m.MaxSteps = max(m.MaxSteps, r.MaxSteps)
	if r.Stopped != "" && (m.Stopped == "" || r.Stopped < m.Stopped) {
		m.Stopped = r.Stopped
	}
	if r.Interrupted != nil && (m.Interrupted == nil || *r.Interrupted < *m.Interrupted) {
		m.Interrupted = r.Interrupted
	}
	for k, v := range r.Counts {
		m.Counts[k] += v
	}
	if r.FirstViolation != nil && (m.FirstViolation == nil || *r.FirstViolation < *m.FirstViolation) {
		m.FirstViolation = r.FirstViolation
	}
	for _, v := range ranked(r.Violations) {
		i := slices.IndexFunc(m.Violations, func(x violationJSON) bool { return x.Property == v.Property })
		switch {
		case i < 0:
			m.Violations = append(m.Violations, v)
		case v.Execution < m.Violations[i].Execution:
			m.Violations[i] = v
		}
	}
	// By execution, then in the order the execution reported them (one
	// execution's violations all come from one shard, in its order).
	slices.SortFunc(m.Violations, func(a, b violationJSON) int {
		if a.Execution != b.Execution {
			return a.Execution - b.Execution
		}
		return a.rank - b.rank
	})
	if m.Expected != nil {
		// A shard's verdict covers its executions only: judge the whole.
		ok := verdictOf(m.Expected, m.Counts).ok()
		m.AsExpected = &ok
	}
	return nil
}

// checkShards checks that the shards of one run (shard "I/N" -> file) are
// all of the same N, and all there: the merge must equal the unsharded run.
func checkShards(got map[string]string) error {
	if _, whole := got[""]; whole {
		if len(got) > 1 {
			return fmt.Errorf("the unsharded run and shards of it given together")
		}
		return nil
	}
	n := 0
	for sh := range got {
		is, ns, _ := strings.Cut(sh, "/")
		k, err1 := strconv.Atoi(ns)
		i, err2 := strconv.Atoi(is)
		if err1 != nil || err2 != nil || k < 1 || i < 1 || i > k {
			return fmt.Errorf("bad shard %q in %s", sh, got[sh])
		}
		if n != 0 && k != n {
			return fmt.Errorf("shards of different splits (%d and %d) given together", n, k)
		}
		n = k
	}
	if len(got) == n {
		return nil // n distinct valid shards of n: all there
	}
	var missing []string
	for i := 1; i <= n && len(missing) < 5; i++ {
		if _, ok := got[fmt.Sprintf("%d/%d", i, n)]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	return fmt.Errorf("shards missing: %s... (%d of %d given)", strings.Join(missing, ", "), len(got), n)
}
