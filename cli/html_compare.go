package cli

import (
	"fmt"

	"github.com/pcssim/pcssim/htmlreport"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// compareHTML collects what compare's --html report shows: the matrix and,
// per strategy and property, the first execution that violated it.
type compareHTML struct {
	rows []htmlreport.MatrixRow
	// first[strategy][property] is the first violating execution.
	first map[string]map[string]firstViolation
}

// firstViolation names an execution: what it was recorded under (the
// explorer that made it), its index and seed, and its schedule.
type firstViolation struct {
	rec      scenarios.Recording
	index    int
	seed     uint64
	schedule sim.Schedule
}

// see records o (an execution recorded under rec) as the first violation
// of each property it violates that has none yet.
func (h *compareHTML) see(rec scenarios.Recording, o *scenarios.Outcome) {
	if h == nil || len(o.Result.Findings) == 0 {
		return
	}
	st := rec.Strategy
	if h.first == nil {
		h.first = map[string]map[string]firstViolation{}
	}
	if h.first[st] == nil {
		h.first[st] = map[string]firstViolation{}
	}
	for _, p := range o.Result.Violated() {
		if _, ok := h.first[st][p]; !ok {
			h.first[st][p] = firstViolation{rec: rec, index: o.Index, seed: o.Seed, schedule: o.Result.Schedule}
		}
	}
}

// row adds a strategy's row: its counts and how it stands to expect:.
func (h *compareHTML) row(st string, executions int, counts map[string]int, expected *[]string, asExpected *bool, why string, unmet []string) {
	if h == nil {
		return
	}
	r := htmlreport.MatrixRow{Strategy: st, Executions: executions, Counts: counts, Links: map[string]string{}, Why: why, Unmet: unmet}
	if expected != nil {
		r.HasExpect, r.Expected = true, *expected
	}
	if asExpected != nil {
		r.OK = *asExpected
	}
	h.rows = append(h.rows, r)
}

// write renders the report of compare on sc (run by prog; args: its
// command line; heading: what the cells count) into path, replaying each
// first violation traced.
func (h *compareHTML) write(path, prog string, args []string, sc *scenarios.Scenario, heading string, gate bool) error {
	if h == nil {
		return nil
	}
	m := &htmlreport.Matrix{Heading: heading, Properties: scenarios.AllProperties, Rows: h.rows}
	r := &htmlreport.Report{Title: "pcssim compare " + sc.Name, Command: commandLine(prog, "compare", args), Matrix: m}
	bad := 0
	for i := range m.Rows {
		row := &m.Rows[i]
		if row.Why != "" {
			bad++
		}
		for _, p := range scenarios.AllProperties {
			fv, ok := h.first[row.Strategy][p]
			if !ok {
				continue
			}
			origin := fmt.Sprintf("seed %d", fv.seed)
			if fv.rec.Explore == "dfs" {
				origin = fmt.Sprintf("dfs schedule %d", fv.index)
			}
			id := htmlID(row.Strategy, p)
			heading := fmt.Sprintf("%s under %s: first of %d (explore %s, %s)", p, row.Strategy, row.Counts[p], fv.rec.ExploreLabel(), origin)
			if sec, ok := htmlViolation(id, heading, prog, fv.rec, origin, fv.schedule, p); ok {
				r.Violations = append(r.Violations, sec)
				row.Links[p] = id
			}
		}
	}
	switch {
	case gate && bad == 0:
		m.Verdict = fmt.Sprintf("%d of %d rows as expected", len(m.Rows), len(m.Rows))
	case gate:
		m.Verdict = fmt.Sprintf("MISMATCH: %d of %d rows disagree with expect", bad, len(m.Rows))
	default:
		m.Verdict = fmt.Sprintf("no expect in the scenario: %d of %d rows violate a property or are vacuous", bad, len(m.Rows))
	}
	return writeHTML(path, r)
}

// compareHeading says what compare's cells count.
func compareHeading(sc *scenarios.Scenario, c *common, exploreName string) string {
	if c.explore == "dfs" {
		return fmt.Sprintf("scenario %s, kernel %s: schedules with each property violated (explore dfs, <= %d preemptions)", sc.Name, sc.Kernel, c.preemptions)
	}
	return fmt.Sprintf("scenario %s, kernel %s: executions with each property violated (%s seeds, explore %s)", sc.Name, sc.Kernel, c.seedsArg(), exploreName)
}
