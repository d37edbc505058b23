package pcssimtest_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/internal/testtier"
	"github.com/pcssim/pcssim/pcssimtest"
)

// TestRacyReleaseSafeWithinTwoPreemptions is docs/testing.md's example as
// the document shows it (go test ./docs checks that it does), and the
// counts its comment states are the run's. It runs in the long tier
// (testtier): by default go test ./docs runs the same search through the
// command line (docs/exploration.md).
func TestRacyReleaseSafeWithinTwoPreemptions(t *testing.T) {
	testtier.SkipUnlessLong(t, "about 20 000 dfs executions")
	s := pcssimtest.Run(t, "racy-release", pcssimtest.Options{Strategy: "phylink-notify", Explore: "dfs"})
	t.Logf("%d schedules in %d executions", s.Schedules, s.Executions) // 40321 schedules in 16605 executions
	checkDocCounts(t, s)
}

// docCountsRE finds the counts docs/testing.md's example states.
var docCountsRE = regexp.MustCompile(`// (\d+) schedules in (\d+) executions`)

// checkDocCounts compares s with the counts docs/testing.md states.
func checkDocCounts(t *testing.T, s pcssimtest.Summary) {
	t.Helper()
	doc, err := os.ReadFile("../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	m := docCountsRE.FindSubmatch(doc)
	if m == nil {
		t.Fatalf("docs/testing.md states no %q", docCountsRE)
	}
	schedules, _ := strconv.Atoi(string(m[1]))
	executions, _ := strconv.Atoi(string(m[2]))
	if s.Schedules != schedules || s.Executions != executions {
		t.Errorf("%d schedules in %d executions; docs/testing.md says %d in %d", s.Schedules, s.Executions, schedules, executions)
	}
}

// logRecorder records what a test logs.
type logRecorder struct {
	testing.TB
	logs []string
}

func (r *logRecorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// TestSometimesLineAsDocumented: the reach line docs/testing.md shows for
// examples/usertest's TestMyBoardPCSLifetime (same file and options) is
// the one the run logs.
func TestSometimesLineAsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^board_test\.go:\d+: (pcssimtest: sometimes .*)$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/testing.md shows no board_test.go: pcssimtest: sometimes line")
	}
	rec := &logRecorder{TB: t}
	pcssimtest.Run(rec, "../examples/usertest/testdata/my-board.yaml", pcssimtest.Options{
		Strategy: "phylink-notify",
		Seeds:    500,
		Explore:  "swarm",
	})
	if !slices.Contains(rec.logs, string(m[1])) {
		t.Errorf("docs/testing.md shows\n\t%s\nthe run logged:\n\t%s", m[1], strings.Join(rec.logs, "\n\t"))
	}
}
