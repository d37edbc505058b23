package sim

// Coverage records what an execution reached: distinct interleaving pairs
// (a step of one task directly followed by a step of another, by task name
// and step label) and, for each injected fault, the tasks that were in
// flight when it fired. Keys are deterministic (FNV-1a), so coverage figures
// are identical for any --jobs.
type Coverage struct {
	// Pairs holds the pair keys in the order reached (with repeats: the
	// consumer deduplicates, which keeps this hot path a plain append).
	Pairs []uint64
	// Faults counts "FAULT during TASK" keys (nil until a fault fires).
	Faults map[string]int

	prev      *Task // task and label of the previous step
	prevLabel string
}

// NewCoverage returns an empty Coverage.
func NewCoverage() *Coverage {
	return &Coverage{}
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

// step records that t runs the step labelled label. Hashing happens only
// on a task switch, the only time a pair is recorded.
func (c *Coverage) step(t *Task, label string) {
	if c.prev != nil && c.prev != t {
		a := fnv(c.prev.nameHash(), c.prevLabel)
		b := fnv(t.nameHash(), label)
		c.Pairs = append(c.Pairs, a*fnvPrime^b)
	}
	c.prev, c.prevLabel = t, label
}

// nameHash returns the FNV-1a hash of the task's name, computed once.
func (t *Task) nameHash() uint64 {
	if t.nameH == 0 {
		t.nameH = fnv(fnvOffset, t.Name)
	}
	return t.nameH
}

// fault records that the fault called name fires while tasks run.
func (c *Coverage) fault(name string, tasks []*Task) {
	for _, t := range tasks {
		if t.state != Done && t.label != "start" {
			if c.Faults == nil {
				c.Faults = map[string]int{}
			}
			c.Faults[name+" during "+t.Name]++
		}
	}
}
