package scenarios

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// FuzzReplay checks that any schedule — a user's edited --schedule, a
// shrinker's candidate — replays on any shipped scenario and strategy
// without crashing the simulator, and replays identically twice.
func FuzzReplay(f *testing.F) {
	f.Add(uint8(0), uint8(0), []byte{})
	f.Add(uint8(5), uint8(6), []byte{1, 0, 0, 1, 2, 3, 0, 0, 1})
	f.Add(uint8(11), uint8(3), []byte{255, 255, 7, 1, 1, 1, 1, 0, 9})
	names := Shipped()
	f.Fuzz(func(t *testing.T, scIdx, stIdx uint8, raw []byte) {
		sc, err := Open(names[int(scIdx)%len(names)])
		if err != nil {
			t.Fatal(err)
		}
		st := pcs.DesignIDs[int(stIdx)%len(pcs.DesignIDs)]
		sched := make(sim.Schedule, len(raw))
		for i, b := range raw {
			sched[i] = uint32(b) * 0x01010101 >> (b % 24) // small and huge answers
		}
		run := func() Result {
			r, err := Execute(sc, st, sim.NewReplay(sched), 0)
			var crash *CrashError
			if errors.As(err, &crash) {
				t.Fatalf("%s/%s, schedule %s: %v\n%s", sc.Name, st, sched.Encode(), crash.Panic, crash.GoStack)
			}
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		a, b := run(), run()
		if diff := cmp.Diff(a.Violated(), b.Violated()); diff != "" || a.Steps != b.Steps || a.EndTime != b.EndTime {
			t.Fatalf("%s/%s: two replays of %s differ: %s steps %d/%d", sc.Name, st, sched.Encode(), diff, a.Steps, b.Steps)
		}
	})
}
