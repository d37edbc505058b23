package usertest

import (
	"testing"

	"github.com/pcssim/pcssim/pcssimtest"
)

// TestMyBoardPCSLifetime explores the board under the scheme the driver
// uses. A violation fails the test with a KASAN-style report and the
// commands that replay it; the failing schedule is saved under
// testdata/pcssim/TestMyBoardPCSLifetime/ and replayed first next time.
// Run more executions with -pcssim.seeds=100000 (or PCSSIM_SEEDS).
func TestMyBoardPCSLifetime(t *testing.T) {
	pcssimtest.Run(t, "testdata/my-board.yaml", pcssimtest.Options{
		Strategy: "phylink-notify",
		Seeds:    500,
		Explore:  "swarm",
	})
}

// TestMyBoardWithRapid lets rapid choose every interleaving, so a failure
// shrinks to a minimal schedule and -rapid.seed reproduces it.
func TestMyBoardWithRapid(t *testing.T) {
	pcssimtest.Check(t, "testdata/my-board.yaml", "phylink-notify")
}
