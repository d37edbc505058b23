package scenarios

import "strings"

// Reach counts, for each of a campaign's "sometimes" situations, the
// executions that reached it.
type Reach struct {
	Situations []string
	Counts     []int
}

// NewReach returns a counter for the given situations.
func NewReach(situations []string) *Reach {
	return &Reach{Situations: situations, Counts: make([]int, len(situations))}
}

// Add counts the situations r reached (it needs Cover mode).
func (rc *Reach) Add(r *Result) {
	if r.Coverage == nil {
		return
	}
	for i, s := range rc.Situations {
		for k := range r.Coverage.Faults {
			if strings.Contains(k, s) {
				rc.Counts[i]++
				break
			}
		}
	}
}

// Unreached returns the situations no execution reached.
func (rc *Reach) Unreached() []string {
	var out []string
	for i, s := range rc.Situations {
		if rc.Counts[i] == 0 {
			out = append(out, s)
		}
	}
	return out
}
