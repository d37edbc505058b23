package deadflag_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pcssim/pcssim/examples/deadflag"
	"github.com/pcssim/pcssim/internal/mdcheck"
)

// TestDocTable: docs/extending.md's table of dead-flag's verdicts states
// exactly the verdicts TestVerdicts asserts, world for world. A world cell
// lists worlds separated by commas; "-rmmod" after "rmk-2022-unbind" is
// "rmk-2022-rmmod" (the last whole name's prefix up to its last "-").
func TestDocTable(t *testing.T) {
	src, err := os.ReadFile("../../docs/extending.md")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	found := false
	for _, tb := range mdcheck.Tables("docs/extending.md", string(src)) {
		if len(tb.Header) < 2 || tb.Header[0] != "world" || tb.Header[1] != deadflag.ID {
			continue
		}
		found = true
		for _, row := range tb.Rows {
			var verdict []string
			if row[1] != "no violation" {
				for _, p := range strings.Split(row[1], ",") {
					verdict = append(verdict, strings.TrimSpace(p))
				}
			}
			whole := ""
			for _, w := range strings.Split(row[0], ",") {
				w = strings.TrimSpace(w)
				if strings.HasPrefix(w, "-") && whole != "" {
					w = whole[:strings.LastIndex(whole, "-")] + w
				} else {
					whole = w
				}
				got[w] = verdict
			}
		}
	}
	if !found {
		t.Fatalf("docs/extending.md has no table headed world | %s", deadflag.ID)
	}
	if diff := cmp.Diff(verdicts, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("docs/extending.md's table differs from TestVerdicts (-test +document):\n%s", diff)
	}
}
