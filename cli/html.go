package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pcssim/pcssim/htmlreport"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// --html of run, compare and replay: one self-contained HTML file
// (package htmlreport) with the command's results and, per violation, the
// swimlane timeline of a traced replay of its execution.

// htmlFlag registers --html on fs.
func htmlFlag(fs *flag.FlagSet) *string {
	return fs.String("html", "", "write a self-contained HTML report to `FILE`: summary (compare: a heatmap), and per violation a swimlane timeline, the report and the reproduce command")
}

// writeHTML renders r into the file path.
func writeHTML(path string, r *htmlreport.Report) error {
	var b bytes.Buffer
	if err := htmlreport.Write(&b, r); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return usagef("--html: %v", err)
	}
	return nil
}

// commandLine is the pcssim command that made a report, run by prog (see
// progName): cmd and its arguments shell-quoted, without --html (the
// report is the same whatever file it is written to).
func commandLine(prog, cmd string, args []string) string {
	out := []string{prog, cmd}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--html" || a == "-html":
			i++
			continue
		case strings.HasPrefix(a, "--html=") || strings.HasPrefix(a, "-html="):
			continue
		}
		out = append(out, scenarios.ShellQuote(a))
	}
	return strings.Join(out, " ")
}

// htmlViolation replays schedule (an execution recorded under rec) traced
// and returns the section of its finding of property prop, headed
// heading; origin names the execution in the report text, and the
// commands shown are run by prog. ok is false when the replay crashes or
// does not violate prop.
func htmlViolation(id, heading, prog string, rec scenarios.Recording, origin string, schedule sim.Schedule, prop string) (htmlreport.Violation, bool) {
	res, err := scenarios.Traced(rec.Scenario, rec.Strategy, rec.Explore, schedule)
	if err != nil {
		return htmlreport.Violation{}, false
	}
	for _, f := range res.Findings {
		if f.Property == prop {
			return violationOf(id, heading, prog, rec, origin, &res, f), true
		}
	}
	return htmlreport.Violation{}, false
}

// violationOf is the section of finding f of the traced execution res,
// recorded under rec: its report and reproduce command are those the text
// output prints (scenarios.WriteReport, run by prog, the schedule
// stamped).
func violationOf(id, heading, prog string, rec scenarios.Recording, origin string, res *scenarios.Result, f sim.Finding) htmlreport.Violation {
	var b strings.Builder
	scenarios.WriteReport(&b, prog, rec, origin, res, f)
	return htmlreport.Violation{ID: id, Heading: heading, Report: b.String(), Reproduce: rec.ReplayCommand(prog, res.Schedule),
		Trace: res.Trace, Truncated: res.TraceTruncated, Finding: f}
}

// htmlID makes an HTML id of parts (letters, digits, '-' and '_').
func htmlID(parts ...string) string {
	var b strings.Builder
	b.WriteString("v")
	for _, p := range parts {
		b.WriteByte('-')
		for _, r := range p {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
				b.WriteRune(r)
			default:
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

// runHTML writes the report of run (run by prog): a summary per scenario
// run, all[i] recorded under recs[i], and a section per violated property
// (its first execution).
func runHTML(path, prog string, args []string, recs []scenarios.Recording, all []runJSON) error {
	r := &htmlreport.Report{Title: "pcssim run", Command: commandLine(prog, "run", args)}
	if len(all) == 1 {
		r.Title = fmt.Sprintf("pcssim run %s (%s)", all[0].Scenario, all[0].Strategy)
	}
	for i, out := range all {
		sum := htmlreport.Summary{Heading: fmt.Sprintf("scenario %s, strategy %s, kernel %s, explore %s", out.Scenario, out.Strategy, out.Kernel, out.Explore),
			OK: out.FirstViolation == nil && !out.Vacuous}
		sum.Lines = append(sum.Lines, fmt.Sprintf("%d executions, %d steps", out.Executions, out.Steps))
		if out.Stopped != "" {
			sum.Lines = append(sum.Lines, "stopped early: "+out.Stopped)
		}
		if out.Vacuous {
			sum.Lines = append(sum.Lines, "VACUOUS: never "+strings.Join(out.Unmet, ", "))
		}
		if v := verdictOf(out.Expected, out.Counts); v.Has {
			line := "expect " + out.Strategy + ": ok"
			if !v.ok() {
				sum.OK = false
				line = "MISMATCH: expect " + out.Strategy + ": " + v.why(missingHint(out.Explore, nil, 0))
			}
			sum.Lines = append(sum.Lines, line)
		}
		if out.FirstViolation == nil {
			sum.Lines = append(sum.Lines, fmt.Sprintf("no violation in %d executions", out.Executions))
		}
		for _, v := range out.Violations {
			c := htmlreport.Count{Property: v.Property, N: out.Counts[v.Property]}
			if v.Report != "" {
				id := htmlID(fmt.Sprint(i), v.Property)
				origin := "seed " + v.Seed
				if out.Explore == "dfs" {
					origin = fmt.Sprintf("dfs schedule %d", v.Execution)
				}
				heading := fmt.Sprintf("%s under %s: execution %d, %s", v.Property, out.Strategy, v.Execution, origin)
				if sec, ok := htmlViolation(id, heading, prog, recs[i], origin, v.sched, v.Property); ok {
					r.Violations = append(r.Violations, sec)
					c.Link = id
				}
			}
			sum.Counts = append(sum.Counts, c)
		}
		r.Summaries = append(r.Summaries, sum)
	}
	return writeHTML(path, r)
}

// replayHTML writes the report of replay (run by prog) of an execution
// recorded under rec: its summary and a section per finding.
func replayHTML(path, prog string, args []string, rec scenarios.Recording, origin string, res *scenarios.Result) error {
	sc, st := rec.Scenario, rec.Strategy
	r := &htmlreport.Report{Title: fmt.Sprintf("pcssim replay %s (%s)", sc.Name, st), Command: commandLine(prog, "replay", args)}
	sum := htmlreport.Summary{Heading: fmt.Sprintf("scenario %s, strategy %s, kernel %s, %s", sc.Name, st, sc.Kernel, origin), OK: len(res.Findings) == 0,
		Lines: []string{fmt.Sprintf("%d steps, ended at t=%s (%s)", res.Steps, res.EndTime, res.End)}}
	if len(res.Findings) == 0 {
		sum.Lines = append(sum.Lines, "no violation")
	}
	for _, f := range res.Findings {
		id := htmlID(f.Property)
		r.Violations = append(r.Violations, violationOf(id, fmt.Sprintf("%s under %s, %s", f.Property, st, origin), prog, rec, origin, res, f))
		sum.Counts = append(sum.Counts, htmlreport.Count{Property: f.Property, N: 1, Link: id})
	}
	r.Summaries = append(r.Summaries, sum)
	return writeHTML(path, r)
}
