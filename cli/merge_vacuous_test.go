package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeJudgesVacuity: the shards of a vacuous campaign do not judge it
// (what one shard misses another may reach: each exits 0 and says so);
// their merge does, as the unsharded run: VACUOUS in the text and the
// JSON, exit status 1, and the coverage section kept.
func TestMergeJudgesVacuity(t *testing.T) {
	scenario := unloadedPCS(t, false)
	args := []string{"run", scenario, "--strategy", "phylink-notify", "--seeds", "30"}
	wholeCode, wholeText, _ := pcssim(args...)
	if wholeCode != exitViolation || !strings.Contains(wholeText, "VACUOUS") || !strings.Contains(wholeText, "coverage: ") {
		t.Fatalf("the unsharded run: exit %d, want 1, VACUOUS and coverage:\n%s", wholeCode, wholeText)
	}
	dir := t.TempDir()
	var files []string
	for i := 1; i <= 2; i++ {
		shard := fmt.Sprintf("%d/2", i)
		code, text, _ := pcssim(append(args, "--shard", shard)...)
		if code != exitOK || strings.Contains(text, "\nVACUOUS") || !strings.Contains(text, "shard "+shard+": some conditions were not met") {
			t.Errorf("shard %s: exit %d, want 0, no VACUOUS and a note that merge judges:\n%s", shard, code, text)
		}
		code, out, _ := pcssim(append(args, "--shard", shard, "--format", "json")...)
		j, err := decodeRun(out)
		if err != nil || code != exitOK || j.Vacuous || len(j.Unmet) != 1 {
			t.Errorf("shard %s JSON: exit %d, vacuous %v, unmet %v (%v)", shard, code, j.Vacuous, j.Unmet, err)
		}
		f := filepath.Join(dir, fmt.Sprintf("s%d.json", i))
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	code, text, _ := pcssim(append([]string{"merge"}, files...)...)
	if code != exitViolation || text != wholeText {
		t.Errorf("merge: exit %d, want %d and the unsharded run's text:\n%s", code, exitViolation, text)
	}
	code, out, _ := pcssim(append([]string{"merge", "--format", "json"}, files...)...)
	j, err := decodeRun(out)
	if err != nil || code != exitViolation || !j.Vacuous || j.Coverage == nil || j.Coverage.InterleavingPairs == 0 {
		t.Errorf("merge JSON: exit %d, vacuous %v, coverage %+v (%v)", code, j.Vacuous, j.Coverage, err)
	}
}
