package sim

// Coverage records what an execution reached: distinct interleaving pairs
// (a step of one task directly followed by a step of another, by task name
// and step label) and, for each injected fault, the tasks that were in
// flight when it fired. Keys are deterministic (FNV-1a), so coverage figures
// are identical for any --jobs.
type Coverage struct {
	Pairs map[uint64]struct{}
	// Faults counts "FAULT during TASK" keys.
	Faults map[string]int

	last uint64 // hash of the previous step's task and label
	prev *Task
}

// NewCoverage returns an empty Coverage.
func NewCoverage() *Coverage {
	return &Coverage{Pairs: map[uint64]struct{}{}, Faults: map[string]int{}}
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// step records that t runs the step labelled label.
func (c *Coverage) step(t *Task, label string) {
	h := fnv(fnv(fnvOffset, t.Name), label)
	if c.prev != nil && c.prev != t {
		c.Pairs[c.last*fnvPrime^h] = struct{}{}
	}
	c.prev, c.last = t, h
}

// fault records that the fault called name fires while tasks run.
func (c *Coverage) fault(name string, tasks []*Task) {
	for _, t := range tasks {
		if t.state != Done && t.label != "start" {
			c.Faults[name+" during "+t.Name]++
		}
	}
}
