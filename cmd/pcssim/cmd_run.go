package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"pcssim/scenarios"
	"pcssim/sim"
)

// violationJSON is one violation in --format json.
type violationJSON struct {
	Property  string `json:"property"`
	Execution int    `json:"execution"`
	Seed      uint64 `json:"seed"`
	Schedule  string `json:"schedule"`
	Summary   string `json:"summary"`
}

// runJSON is the --format json object of one scenario run (DESIGN.md).
type runJSON struct {
	Scenario       string          `json:"scenario"`
	Strategy       string          `json:"strategy"`
	Explore        string          `json:"explore"`
	Seeds          string          `json:"seeds"`
	Executions     int             `json:"executions"`
	Events         int             `json:"events"`
	FirstViolation *int            `json:"first_violation"`
	Violations     []violationJSON `json:"violations"`
	Counts         map[string]int  `json:"counts"`
	BudgetExceeded int             `json:"budget_exceeded"`
}

func cmdRun(args []string, stdout, stderr io.Writer) (int, error) {
	var c common
	fs := newFlagSet("run", "FILE... [flags]", stderr)
	c.register(fs.FlagSet, true)
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, usagef("no scenario given")
	}
	if c.format != "text" && c.format != "json" {
		return 0, usagef("--format must be text or json")
	}
	seeds, err := c.seedList()
	if err != nil {
		return 0, err
	}
	var all []runJSON
	code := exitOK
	for _, f := range files {
		sc, err := loadScenario(f)
		if err != nil {
			return 0, err
		}
		st, err := c.strategyFor(sc)
		if err != nil {
			return 0, err
		}
		ex, err := c.explorer(sc, st)
		if err != nil {
			return 0, err
		}
		out, rc := runOne(sc, st, ex, seeds, &c, stdout, stderr)
		all = append(all, out)
		code = max(code, rc)
	}
	if c.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if len(all) == 1 {
			enc.Encode(all[0])
		} else {
			enc.Encode(all)
		}
	}
	return code, nil
}

func runOne(sc *scenarios.Scenario, st string, ex scenarios.Explorer, seeds []uint64, c *common, stdout, stderr io.Writer) (runJSON, int) {
	start := time.Now()
	out := runJSON{Scenario: sc.Name, Strategy: st, Explore: ex.Name(), Seeds: c.seeds, Counts: map[string]int{}, Violations: []violationJSON{}}
	var first *scenarios.Outcome
	var crash *scenarios.Outcome
	prog := newProgress(stderr, sc.Name+"/"+st, len(seeds))
	scenarios.Campaign(sc, st, ex, seeds, c.jobs, func(o scenarios.Outcome) bool {
		prog.update(o.Index + 1)
		if o.Err != nil {
			crash = &o
			return false
		}
		out.Executions++
		out.Events += o.Result.Steps
		if o.Result.End == sim.EndBudget {
			out.BudgetExceeded++
		}
		for _, f := range o.Result.Findings {
			if out.Counts[f.Property] == 0 {
				out.Violations = append(out.Violations, violationJSON{Property: f.Property, Execution: o.Index, Seed: o.Seed,
					Schedule: o.Result.Schedule.Encode(), Summary: f.Summary})
			}
			out.Counts[f.Property]++
		}
		if len(o.Result.Findings) > 0 && first == nil {
			first = &o
			idx := o.Index
			out.FirstViolation = &idx
		}
		return true
	})
	prog.clear()
	el := time.Since(start)
	fmt.Fprintf(stderr, "pcssim: %s/%s: %d executions, %d steps in %.2fs (%.0f executions/s)\n",
		sc.Name, st, out.Executions, out.Events, el.Seconds(), float64(out.Executions)/max(el.Seconds(), 1e-9))
	if crash != nil {
		crashReport(stderr, sc, st, fmt.Sprintf("seed %d", crash.Seed), fmt.Sprintf("--seed %d --explore %s", crash.Seed, ex.Name()), crash.Err)
		return out, exitCrash
	}
	if c.format == "json" {
		if first != nil {
			return out, exitViolation
		}
		return out, exitOK
	}
	fmt.Fprintf(stdout, "scenario %s, strategy %s, explore %s: %d executions, %d steps\n", sc.Name, st, ex.Name(), out.Executions, out.Events)
	if out.BudgetExceeded > 0 {
		fmt.Fprintf(stdout, "warning: %d executions ran out of their step budget (%d)\n", out.BudgetExceeded, sc.MaxSteps)
	}
	if first == nil {
		fmt.Fprintf(stdout, "no violation in %d executions\n", out.Executions)
		return out, exitOK
	}
	var parts []string
	for _, v := range out.Violations {
		parts = append(parts, fmt.Sprintf("%s %d", v.Property, out.Counts[v.Property]))
	}
	fmt.Fprintf(stdout, "violations (executions): %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(stdout, "first violation: execution %d, seed %d\n\n", first.Index, first.Seed)
	res, err := traced(sc, st, first.Result.Schedule)
	if err != nil || len(res.Findings) == 0 {
		fmt.Fprintf(stderr, "pcssim: replay of the first violation did not reproduce it (%v)\n", err)
		return out, exitCrash
	}
	writeReport(stdout, sc, st, ex.Name(), fmt.Sprintf("seed %d", first.Seed), &res, res.Findings[0])
	return out, exitViolation
}

func cmdValidate(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("validate", "FILE...", stderr)
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, usagef("no scenario given")
	}
	bad := false
	for _, f := range files {
		if _, err := loadScenario(f); err != nil {
			fmt.Fprintln(stdout, err)
			bad = true
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", f)
	}
	if bad {
		return exitUsage, nil
	}
	return exitOK, nil
}

func cmdList(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("list", "", stderr)
	if _, err := parse(fs, args); err != nil {
		return 0, err
	}
	fmt.Fprintln(stdout, "scenarios:")
	for _, n := range scenarios.Shipped() {
		sc, err := scenarios.Open(n)
		desc := ""
		if err == nil {
			desc = firstSentence(sc.Description)
		}
		fmt.Fprintf(stdout, "  %-22s %s\n", n, desc)
	}
	fmt.Fprintln(stdout, "strategies:")
	for _, id := range strategyDocs() {
		fmt.Fprintf(stdout, "  %-22s %s\n", id[0], id[1])
	}
	fmt.Fprintln(stdout, "properties:")
	for _, p := range scenarios.AllProperties {
		fmt.Fprintf(stdout, "  %-22s %s\n", p, scenarios.PropertyDocs[p])
	}
	fmt.Fprintln(stdout, "explorers:")
	for _, e := range scenarios.Explorers {
		fmt.Fprintf(stdout, "  %-22s %s\n", e[0], e[1])
	}
	return exitOK, nil
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	return s
}
