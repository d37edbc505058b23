// Package htmlreport renders pcssim results as one self-contained HTML
// file: no network, no script, inline CSS, SVG drawn here. A report holds
// summaries (a run, a replay), the strategy × property matrix of a compare
// as a heatmap, and one section per violation: a swimlane timeline of the
// violating execution (one lane per task, the violating object's life, the
// locks each task held, the violating access in red), the KASAN-style
// report and the command that replays it. The same report renders to the
// same bytes: nothing in it depends on the clock or on map order.
package htmlreport

import (
	"fmt"
	"html/template"
	"io"

	"github.com/pcssim/pcssim/sim"
)

// Report is the content of one HTML file.
type Report struct {
	// Title heads the page, e.g. "pcssim compare rmk-2022-unbind".
	Title string
	// Command is the pcssim command line that made the report.
	Command string
	// Summaries are the runs or the replay the report is about.
	Summaries []Summary
	// Matrix is compare's strategy × property table (nil for run and
	// replay).
	Matrix *Matrix
	// Violations get one section each, in order.
	Violations []Violation
}

// Summary is a run's or a replay's outcome in a few lines, with the
// executions that violated each property (Counts, in order).
type Summary struct {
	Heading string
	Lines   []string
	Counts  []Count
	// OK is false when the lines report a failure (a violation, a
	// mismatch with expect:, a vacuous campaign).
	OK bool
}

// Count is a property and the executions (or schedules) that violated it;
// Link is the id of the violation section that shows one, if any.
type Count struct {
	Property string
	N        int
	Link     string
}

// Violation is one violating execution and the finding to show.
type Violation struct {
	// ID is the section's HTML id (the heatmap and summaries link to it).
	ID string
	// Heading says which run it comes from, e.g.
	// "use-after-free under module-ref (seed 42)".
	Heading string
	// Report is the report text (KASAN-style) and Reproduce the command
	// that replays the execution.
	Report, Reproduce string
	// Trace is the traced replay of the execution, Truncated set when it
	// stopped before the end (see scenarios.MaxTraceSteps).
	Trace     []sim.Step
	Truncated bool
	Finding   sim.Finding
}

// page is what the template sees.
type page struct {
	*Report
	Heatmap  *heatmap
	Sections []section
}

// section is a violation with its swimlane drawn.
type section struct {
	Violation
	Title   string
	Swim    template.HTML
	Locks   []legendItem
	Caption string
	// Object: the swimlane shows the life of the object misused.
	Object bool
}

// Write renders r as one HTML document.
func Write(w io.Writer, r *Report) error {
	p := page{Report: r}
	if r.Matrix != nil {
		p.Heatmap = newHeatmap(r.Matrix)
	}
	for i := range r.Violations {
		v := &r.Violations[i]
		sw := newSwimlane(v.Trace, v.Finding, v.Truncated)
		p.Sections = append(p.Sections, section{Violation: *v, Title: v.Finding.Title(), Swim: template.HTML(sw.svg()),
			Locks: sw.legend(), Caption: sw.caption(), Object: sw.life != nil})
	}
	if err := pageTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}
