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
	var buf [32]byte
	return string(t.appendTo(buf[:0]))
}

// appendTo appends t as String renders it.
func (t Time) appendTo(b []byte) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	us := int64(t / Microsecond)
	b = strconv.AppendInt(b, us/1_000_000, 10)
	var frac [7]byte
	frac[0] = '.'
	for i, v := 6, us%1_000_000; i > 0; i-- {
		frac[i] = byte('0' + v%10)
		v /= 10
	}
	return append(append(b, frac[:]...), 's')
}
