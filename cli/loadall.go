package cli

import (
	"errors"

	"github.com/pcssim/pcssim/scenarios"
)

// loadAll loads every scenario of a run (applying --kernel) before any
// execution: the problems of all the files are reported together, and a
// bad last file does not come after the results of the first.
func (c *common) loadAll(files []string) ([]*scenarios.Scenario, error) {
	var scs []*scenarios.Scenario
	all := &scenarios.LoadError{}
	for _, f := range files {
		sc, err := c.loadScenario(f)
		var le *scenarios.LoadError
		switch {
		case errors.As(err, &le):
			all.Problems = append(all.Problems, le.Problems...)
		case err != nil:
			return nil, err
		default:
			scs = append(scs, sc)
		}
	}
	if len(all.Problems) > 0 {
		return nil, all
	}
	return scs, nil
}
