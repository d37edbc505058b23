package cli

import (
	"encoding/json"
	"fmt"
)

// decodeRun decodes the --format json output of a run of one scenario.
func decodeRun(out string) (runJSON, error) {
	var doc runsJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		return runJSON{}, err
	}
	if len(doc.Runs) != 1 {
		return runJSON{}, fmt.Errorf("%d runs, want 1", len(doc.Runs))
	}
	return doc.Runs[0], nil
}
