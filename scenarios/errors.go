package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one error in a scenario file, with its position.
type Problem struct {
	File      string
	Line, Col int
	Msg       string
}

// String renders the problem as FILE:LINE:COL: message.
func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// LoadError carries every problem found in a file.
type LoadError struct {
	Problems []Problem
}

// Error lists every problem, one per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sortProblems puts the problems in file order (those of the whole file,
// without a position, first), keeping the order of problems at one place.
func (l *loader) sortProblems() {
	slices.SortStableFunc(l.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// reported reports whether a problem was already reported at n (a value
// found bad is not reported again as, say, a dangling reference).
func (l *loader) reported(n *yaml.Node) bool {
	return n != nil && slices.ContainsFunc(l.problems, func(p Problem) bool { return p.Line == n.Line && p.Col == n.Column })
}

// DidYouMean suggests the closest of candidates to s, if close enough.
func DidYouMean(s string, candidates []string) string {
	if best, ok := closest(s, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// closest returns the candidate nearest to s and whether it is close
// enough to be what s meant.
func closest(s string, candidates []string) (string, bool) {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != "" && bestD <= max(2, len(s)/3)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
