package htmlreport

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// Matrix is compare's result: one row per strategy, one column per
// property.
type Matrix struct {
	// Heading describes what was counted, e.g. "scenario X, kernel 6.12:
	// executions with each property violated (100 seeds, explore random+pct)".
	Heading    string
	Properties []string
	Rows       []MatrixRow
	// Verdict is compare's closing line ("3 of 3 rows as expected").
	Verdict string
}

// MatrixRow is one strategy's row.
type MatrixRow struct {
	Strategy   string
	Executions int
	// Counts gives the executions (or dfs schedules) that violated each
	// property; Links the id of the violation section of each, if any.
	Counts map[string]int
	Links  map[string]string
	// HasExpect is set when the scenario's expect: covers the strategy;
	// Expected is what it expects and OK whether the row agrees.
	HasExpect bool
	Expected  []string
	OK        bool
	// Why says how the row disagrees (or that it is vacuous).
	Why string
	// Unmet names the world's conditions no execution met (VACUOUS).
	Unmet []string
}

// heatmap is a Matrix laid out for the template.
type heatmap struct {
	Heading    string
	Properties []string
	Rows       []heatRow
	Verdict    string
}

type heatRow struct {
	Strategy   string
	Executions int
	Cells      []heatCell
	World      string
	WorldTitle string
	// Expect is "ok", "MISMATCH" or "none"; Why the reason of a mismatch.
	Expect, Why string
}

// heatCell is one count, its colour and how it stands to expect:.
type heatCell struct {
	Property string
	Text     string
	Style    template.CSS
	// Class marks expected (exp), unexpected (unexp) and expected but
	// missing (missing) cells.
	Class string
	Link  string
	Title string
}

func newHeatmap(m *Matrix) *heatmap {
	h := &heatmap{Heading: m.Heading, Properties: m.Properties, Verdict: m.Verdict}
	for _, r := range m.Rows {
		hr := heatRow{Strategy: r.Strategy, Executions: r.Executions, World: "ok", Expect: "none", Why: r.Why}
		if len(r.Unmet) > 0 {
			hr.World, hr.WorldTitle = "VACUOUS", "never: "+strings.Join(r.Unmet, "; ")
		}
		switch {
		case r.HasExpect && r.OK:
			hr.Expect = "ok"
		case r.HasExpect:
			hr.Expect = "MISMATCH"
		}
		for _, p := range m.Properties {
			n := r.Counts[p]
			c := heatCell{Property: p, Text: "–", Link: r.Links[p], Style: cellStyle(n, r.Executions)}
			if n > 0 {
				c.Text = fmt.Sprint(n)
			}
			expected := slices.Contains(r.Expected, p)
			switch {
			case r.HasExpect && expected && n == 0:
				c.Class = "missing"
			case r.HasExpect && expected:
				c.Class = "exp"
			case r.HasExpect && n > 0:
				c.Class = "unexp"
			}
			c.Title = fmt.Sprintf("%s under %s: %d of %d", p, r.Strategy, n, r.Executions)
			if r.HasExpect {
				c.Title += map[string]string{"missing": " (expected, not reached)", "exp": " (expected)", "unexp": " (not expected)", "": ""}[c.Class]
			}
			hr.Cells = append(hr.Cells, c)
		}
		h.Rows = append(h.Rows, hr)
	}
	return h
}

// cellStyle colours a cell by the share of executions that violated the
// property: white for none, light to dark red as the share grows (square
// root scale, so a rare violation still shows).
func cellStyle(n, total int) template.CSS {
	if n <= 0 || total <= 0 {
		return ""
	}
	f := 0.2 + 0.8*math.Sqrt(min(1, float64(n)/float64(total)))
	lo, hi := [3]float64{254, 224, 210}, [3]float64{165, 15, 21}
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(lo[i] + (hi[i]-lo[i])*f))
	}
	fg := "#222"
	if f > 0.55 {
		fg = "#fff"
	}
	return template.CSS(fmt.Sprintf("background:#%02x%02x%02x;color:%s", c[0], c[1], c[2], fg))
}
