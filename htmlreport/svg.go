package htmlreport

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// svgWriter builds SVG markup; every text and attribute value goes
// through esc.
type svgWriter struct{ strings.Builder }

func esc(s string) string { return html.EscapeString(s) }

// printf writes formatted markup (callers escape the values).
func (w *svgWriter) printf(format string, args ...any) { fmt.Fprintf(w, format, args...) }

// rect draws a rectangle with extra attributes attrs.
func (w *svgWriter) rect(x, y, wd, h int, attrs string) {
	w.printf(`<rect x="%d" y="%d" width="%d" height="%d" %s/>`, x, y, wd, h, attrs)
}

// text writes s at (x, y) with extra attributes attrs.
func (w *svgWriter) text(x, y int, attrs, s string) {
	w.printf(`<text x="%d" y="%d" %s>%s</text>`, x, y, attrs, esc(s))
}

// line draws a line with extra attributes attrs.
func (w *svgWriter) line(x1, y1, x2, y2 int, attrs string) {
	w.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" %s/>`, x1, y1, x2, y2, attrs)
}

// title writes the tooltip of the enclosing element.
func (w *svgWriter) title(s string) { w.printf(`<title>%s</title>`, esc(s)) }

// charW is the advance of one character of the 11px monospace font.
const charW = 6.7

// fit shortens s to what px pixels of 11px monospace hold, with an ellipsis.
func fit(s string, px int) string {
	n := int(float64(px) / charW)
	if n < 2 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// wrap breaks s into at most n lines of px pixels, at spaces where it
// can; the last line is shortened with an ellipsis if s does not fit.
func wrap(s string, px, n int) []string {
	var lines []string
	for len(lines) < n-1 && textW(s) > px {
		r := []rune(s)
		cut := strings.LastIndex(string(r[:min(len(r), int(float64(px)/charW))]), " ")
		if cut <= 0 {
			break
		}
		lines = append(lines, s[:cut])
		s = s[cut+1:]
	}
	return append(lines, fit(s, px))
}

// textW is the width in pixels of s in 11px monospace.
func textW(s string) int { return int(float64(utf8.RuneCountInString(s))*charW + 0.5) }

// palette is the lanes' step colours (light) and the locks' bar colours
// (saturated), used in turn.
var (
	laneFill  = []string{"#dbe9f6", "#e2f0d9", "#fbe5cc", "#e8defa", "#d7f0ee", "#f6dbe9", "#ecebd2", "#e0e0e0"}
	lockColor = []string{"#6a3d9a", "#1f78b4", "#b15928", "#33a02c", "#e7298a", "#666666", "#a6761d", "#1b9e77"}
)
