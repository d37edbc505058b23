package sim

// Shrink reduces a schedule while keep still holds for it: first by
// deleting chunks of answers (delta debugging, halving the chunk size down
// to single answers), then by lowering each answer to 0. Replay maps short
// or out-of-range schedules to valid executions, so every candidate is a
// real execution. The result is 1-minimal: removing any single answer or
// zeroing any non-zero one makes keep fail. tries bounds the number of
// executions keep may run (0: no bound).
func Shrink(s Schedule, keep func(Schedule) bool, tries int) Schedule {
	cur := append(Schedule(nil), s...)
	budget := func() bool {
		if tries == 0 {
			return true
		}
		tries--
		return tries > 0
	}
	for changed := true; changed; {
		changed = false
		for chunk := len(cur) / 2; chunk >= 1; chunk /= 2 {
			for i := 0; i+chunk <= len(cur); {
				cand := append(append(Schedule(nil), cur[:i]...), cur[i+chunk:]...)
				if !budget() {
					return cur
				}
				if keep(cand) {
					cur, changed = cand, true
					continue
				}
				i += chunk
			}
		}
		for i := range cur {
			if cur[i] == 0 {
				continue
			}
			cand := append(Schedule(nil), cur...)
			cand[i] = 0
			if !budget() {
				return cur
			}
			if keep(cand) {
				cur, changed = cand, true
			}
		}
	}
	// Trailing zeros are what Replay answers anyway.
	for len(cur) > 0 && cur[len(cur)-1] == 0 {
		cur = cur[:len(cur)-1]
	}
	return cur
}
