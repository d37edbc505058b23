package sim

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// Schedule is the sequence of answers a Chooser gave during one execution.
// Together with the scenario and strategy it determines the execution.
type Schedule []uint32

// Encode renders s as a compact, copy-pasteable string: the answers as
// unsigned varints, base64url-encoded without padding. The empty schedule
// encodes as "-".
func (s Schedule) Encode() string {
	if len(s) == 0 {
		return "-"
	}
	buf := make([]byte, 0, len(s)+4)
	for _, v := range s {
		buf = binary.AppendUvarint(buf, uint64(v))
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}

// DecodeSchedule parses a string produced by Encode.
func DecodeSchedule(text string) (Schedule, error) {
	if text == "-" {
		return Schedule{}, nil
	}
	if text == "" {
		return nil, errors.New("empty schedule")
	}
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("schedule is not base64url: %v", err)
	}
	s := make(Schedule, 0, len(raw))
	for len(raw) > 0 {
		v, n := binary.Uvarint(raw)
		if n <= 0 || v > 1<<31 {
			return nil, errors.New("schedule holds a malformed or out-of-range varint")
		}
		s = append(s, uint32(v))
		raw = raw[n:]
	}
	return s, nil
}
