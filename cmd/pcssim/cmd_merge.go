package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"pcssim/scenarios"
)

// cmdMerge combines the --format json outputs of sharded runs (--shard I/N)
// into the summary the unsharded run prints: executions, events and counts
// add up; each property's first violation is the earliest over the shards.
// Coverage is not merged (a shard reports only its counts).
// It exits 0 once the results are merged, whatever they contain: each
// shard's run already exited 1 on a violation, which is what fails a CI job;
// --fail-on-violation makes merge exit 1 too.
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
	// shards records, per run, which shard came from which file.
	type runKey struct{ scenario, strategy, explore, seeds string }
	shards := map[runKey]map[string]string{}
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
			i := slices.IndexFunc(merged, func(m runJSON) bool {
				return m.Scenario == r.Scenario && m.Strategy == r.Strategy && m.Kernel == r.Kernel && m.Explore == r.Explore && m.Seeds == r.Seeds
			})
			if i < 0 {
				r.Shard, r.Coverage = "", nil
				r.Counts = copyCounts(r.Counts)
				merged = append(merged, r)
				continue
			}
			mergeRun(&merged[i], r)
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
		m.setVacuous(false)
		if (m.FirstViolation != nil || m.Vacuous) && *failOn {
			code = exitViolation
		}
	}
	if c.format == "json" {
		writeJSON(stdout, merged)
		return code, nil
	}
	for _, m := range merged {
		fmt.Fprintf(stdout, "scenario %s, strategy %s, kernel %s, explore %s: %d executions, %d steps\n", m.Scenario, m.Strategy, m.Kernel, m.Explore, m.Executions, m.Steps)
		scenarios.WriteExercise(stdout, m.Exercised, m.Executions, true)
		if m.FirstViolation == nil {
			fmt.Fprintf(stdout, "no violation in %d executions\n", m.Executions)
			continue
		}
		var parts []string
		for _, v := range m.Violations {
			parts = append(parts, fmt.Sprintf("%s %d", v.Property, m.Counts[v.Property]))
		}
		fmt.Fprintf(stdout, "violations (executions): %s\n", strings.Join(parts, ", "))
		for _, v := range m.Violations {
			fmt.Fprintf(stdout, "%s: first at execution %d, seed %d: %s\n  reproduce: pcssim replay %s --strategy %s --kernel %s --schedule %s\n",
				v.Property, v.Execution, v.Seed, v.Summary, m.Scenario, m.Strategy, m.Kernel, v.Schedule)
		}
	}
	return code, nil
}

// readRuns reads one run object or an array of them.
func readRuns(path string) ([]runJSON, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	var runs []runJSON
	if err := json.Unmarshal(data, &runs); err != nil {
		var one runJSON
		if err2 := json.Unmarshal(data, &one); err2 != nil {
			return nil, usagef("%s: not the JSON output of pcssim run: %v", path, err2)
		}
		runs = []runJSON{one}
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

// mergeRun adds shard r into m.
func mergeRun(m *runJSON, r runJSON) {
	m.Executions += r.Executions
	m.Steps += r.Steps
	m.Exercised = scenarios.AddExercise(m.Exercised, r.Exercised)
	m.BudgetExceeded += r.BudgetExceeded
	for k, v := range r.Counts {
		m.Counts[k] += v
	}
	if r.FirstViolation != nil && (m.FirstViolation == nil || *r.FirstViolation < *m.FirstViolation) {
		m.FirstViolation = r.FirstViolation
	}
	for _, v := range r.Violations {
		i := slices.IndexFunc(m.Violations, func(x violationJSON) bool { return x.Property == v.Property })
		switch {
		case i < 0:
			m.Violations = append(m.Violations, v)
		case v.Execution < m.Violations[i].Execution:
			m.Violations[i] = v
		}
	}
	slices.SortStableFunc(m.Violations, func(a, b violationJSON) int { return a.Execution - b.Execution })
	if m.Expected != nil {
		// A shard's verdict covers its executions only: judge the whole.
		ok := true
		for p, n := range m.Counts {
			ok = ok && (n == 0 || slices.Contains(*m.Expected, p))
		}
		for _, p := range *m.Expected {
			ok = ok && m.Counts[p] > 0
		}
		m.AsExpected = &ok
	}
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
