package htmlreport

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// traced returns a traced execution of the shipped scenario name under
// strategy st that violates prop (the first of seeds 0..199).
func traced(t *testing.T, name, st, prop string) (scenarios.Result, sim.Finding) {
	t.Helper()
	sc, err := scenarios.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		r, err := scenarios.Execute(sc, st, sim.NewRandom(sim.ExecutionSeed(1, i)), scenarios.Trace)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Findings {
			if f.Property == prop {
				return r, f
			}
		}
	}
	t.Fatalf("%s/%s: no %s in 200 executions", name, st, prop)
	return scenarios.Result{}, sim.Finding{}
}

// sampleReport is a compare-shaped report: three strategies, two
// violations of rmk-2022-unbind under module-ref.
func sampleReport(t *testing.T) *Report {
	uaf, fu := traced(t, "rmk-2022-unbind", "module-ref", "use-after-free")
	var fl sim.Finding
	for _, f := range uaf.Findings {
		if f.Property == "link-without-pcs" {
			fl = f
		}
	}
	if fl.Property == "" {
		t.Fatalf("the execution violates %v, not link-without-pcs", uaf.Violated())
	}
	props := []string{"use-after-free", "link-without-pcs", "deadlock"}
	return &Report{
		Title:   "pcssim compare rmk-2022-unbind",
		Command: "pcssim compare rmk-2022-unbind --seeds 10",
		Matrix: &Matrix{Heading: "counts", Properties: props, Verdict: "MISMATCH: 1 of 3 rows disagree with expect", Rows: []MatrixRow{
			{Strategy: "module-ref", Executions: 20, Counts: map[string]int{"use-after-free": 20, "link-without-pcs": 5},
				Links: map[string]string{"use-after-free": "v-uaf", "link-without-pcs": "v-nopcs"}, HasExpect: true, Expected: []string{"use-after-free", "link-without-pcs"}, OK: true},
			{Strategy: "phylink-notify", Executions: 20, Counts: map[string]int{}, HasExpect: true, OK: true},
			{Strategy: "device-link", Executions: 20, Counts: map[string]int{"deadlock": 1}, HasExpect: true, Expected: []string{"use-after-free"},
				Why: "unexpected deadlock", Unmet: []string{"eth0 got carrier"}},
		}},
		Violations: []Violation{
			{ID: "v-uaf", Heading: "use-after-free under module-ref", Report: fu.Kernel, Reproduce: "pcssim replay x --schedule A", Trace: uaf.Trace, Finding: fu},
			{ID: "v-nopcs", Heading: "link-without-pcs under module-ref", Report: "BUG: pcssim: x\n", Reproduce: "pcssim replay y", Trace: uaf.Trace, Finding: fl},
		},
	}
}

func render(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// svgs returns the SVG documents embedded in page, each checked to be
// well-formed XML.
func svgs(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(page, -1) {
		d := xml.NewDecoder(strings.NewReader(m))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("svg is not well-formed XML: %v\n%.400s", err, m)
			}
		}
		out = append(out, m)
	}
	return out
}

// TestReportStructure: one swimlane per violation, each well-formed with
// one violating step in red and the object's life; one heatmap row per
// strategy and one cell per property; every in-page link has its target.
func TestReportStructure(t *testing.T) {
	r := sampleReport(t)
	page := render(t, r)
	sv := svgs(t, page)
	if len(sv) != len(r.Violations) {
		t.Fatalf("%d svg elements, want one per violation (%d)", len(sv), len(r.Violations))
	}
	for i, s := range sv {
		if n := strings.Count(s, `class="step bug"`); n != 1 {
			t.Errorf("swimlane %d: %d violating steps drawn, want 1", i, n)
		}
		for _, want := range []string{`class="life"`, `class="freed"`, `class="mark bug-access"`, `class="lock"`, "read after free"} {
			if !strings.Contains(s, want) {
				t.Errorf("swimlane %d lacks %s", i, want)
			}
		}
	}
	if n := strings.Count(page, `<tr class="row-`); n != len(r.Matrix.Rows) {
		t.Errorf("heatmap has %d rows, want %d", n, len(r.Matrix.Rows))
	}
	if n := strings.Count(page, `<td class="cell`); n != len(r.Matrix.Rows)*len(r.Matrix.Properties) {
		t.Errorf("heatmap has %d cells, want %d", n, len(r.Matrix.Rows)*len(r.Matrix.Properties))
	}
	for _, want := range []string{
		`<h2 class="bug-title">BUG: KASAN: slab-use-after-free in phylink_mac_pcs_get_state`,
		`<td class="expect MISMATCH">MISMATCH<div class="why">unexpected deadlock</div>`,
		`<td class="world VACUOUS" title="never: eth0 got carrier">VACUOUS</td>`,
		`<td class="cell unexp"`, `<td class="cell missing"`, `<td class="cell exp"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if ids[m[1]] {
			t.Errorf("id %q twice", m[1])
		}
		ids[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !ids[m[1]] {
			t.Errorf("link to #%s, which no element has", m[1])
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("page contains %q: it must load nothing", bad)
		}
	}
}

// TestReportDeterministic: the same report renders to the same bytes.
func TestReportDeterministic(t *testing.T) {
	a, b := render(t, sampleReport(t)), render(t, sampleReport(t))
	if a != b {
		t.Fatal("two renders of the same report differ")
	}
}

// TestReportEscapes: text from scenarios (names, labels, reports) cannot
// inject markup.
func TestReportEscapes(t *testing.T) {
	tr := []sim.Step{{N: 1, Task: 0, TaskName: `<b>"x"&`, Label: `<script>alert(1)</script>`}}
	r := &Report{Title: "<i>t</i>", Summaries: []Summary{{Heading: "<h>", Lines: []string{"<l>"}}},
		Violations: []Violation{{ID: "v-1", Heading: "<x>", Report: "<pre>", Trace: tr, Finding: sim.Finding{Property: "leak", Summary: "<s>", Step: 1}}}}
	page := render(t, r)
	for _, bad := range []string{"<script>", "<b>", "<i>t", "<h>", "<l>", "<pre>", "<s>", "<x>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	svgs(t, page)
}
