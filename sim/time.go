package sim

import "strconv"

// Time is virtual time in nanoseconds since the start of an execution.
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
)

// String renders t as seconds with microsecond precision, e.g. "1.000300s",
// the form kernel logs and pcssim reports use.
func (t Time) String() string {
	neg := t < 0
	if neg {
		t = -t
	}
	us := int64(t / Microsecond)
	s := strconv.FormatInt(us/1_000_000, 10) + "." + pad6(us%1_000_000) + "s"
	if neg {
		return "-" + s
	}
	return s
}

func pad6(v int64) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}
