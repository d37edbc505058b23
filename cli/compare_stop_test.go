package cli

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
)

// TestCompareTerminatedPrintsPartialMatrix: SIGTERM stops compare as
// SIGINT does: the rows so far, marked partial, and exit 143; in JSON the
// object says why it stopped.
func TestCompareTerminatedPrintsPartialMatrix(t *testing.T) {
	args := []string{"compare", "rmk-2022-unbind", "--strategies", "phylink-notify,none", "--seeds", "100000000", "--jobs", "1"}
	code, out, _ := signalDuring(t, syscall.SIGTERM, args...)
	if code != exitTerminated {
		t.Errorf("exit %d, want %d", code, exitTerminated)
	}
	if !strings.Contains(out, "\nphylink-notify ") || !strings.Contains(out, "stopped early (terminated): the last row is partial") {
		t.Errorf("no partial matrix:\n%s", out)
	}
	code, out, _ = signalDuring(t, syscall.SIGTERM, append(args, "--format", "json")...)
	var got struct {
		Stopped    string `json:"stopped"`
		Strategies []struct {
			Strategy   string `json:"strategy"`
			Executions int    `json:"executions"`
		} `json:"strategies"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitTerminated {
		t.Fatalf("exit %d, stdout not the partial JSON (%v):\n%s", code, err, out)
	}
	if got.Stopped != "terminated" || len(got.Strategies) != 1 || got.Strategies[0].Executions == 0 {
		t.Errorf("partial JSON %+v, want stopped terminated with one row of some executions", got)
	}
}
