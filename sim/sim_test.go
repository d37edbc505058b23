package sim

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// pingPong builds a small world: two workers contend for a mutex, a timer
// event wakes a sleeper, and a trigger may inject an extra task.
func pingPong(c Chooser) *Sim {
	s := New(Config{Horizon: Second, Trace: true}, c)
	m := NewMutex("state_mutex")
	counter := 0
	worker := func(name string) {
		s.Spawn(name, func(t *Task) {
			for i := 0; i < 3; i++ {
				m.Lock(t)
				t.Yield("read counter")
				v := counter
				t.Yield("write counter")
				counter = v + 1
				s.Touch("counter")
				m.Unlock(t)
			}
		})
	}
	worker("a")
	worker("b")
	s.Spawn("sleeper", func(t *Task) {
		t.Sleep(10 * Millisecond)
		t.Yield("after sleep")
	})
	s.Arm("inject c", 5*Millisecond, 20*Millisecond, func() { worker("c") })
	return s
}

func TestSameSeedSameTrace(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		a := pingPong(NewRandom(seed))
		a.Run()
		prev := runtime.GOMAXPROCS(1)
		b := pingPong(NewRandom(seed))
		b.Run()
		runtime.GOMAXPROCS(prev)
		if diff := cmp.Diff(a.Trace(), b.Trace()); diff != "" {
			t.Fatalf("seed %d: traces differ (-a +b):\n%s", seed, diff)
		}
		r := pingPong(NewReplay(a.Schedule()))
		r.Run()
		if diff := cmp.Diff(a.Trace(), r.Trace()); diff != "" {
			t.Fatalf("seed %d: replay differs (-run +replay):\n%s", seed, diff)
		}
		if a.EndReason() != EndQuiescent {
			t.Fatalf("seed %d: end %v, want quiescent", seed, a.EndReason())
		}
	}
}

func TestDifferentSeedsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(0); seed < 20; seed++ {
		s := pingPong(NewRandom(seed))
		s.Run()
		seen[RenderTrace(s.Trace())] = true
	}
	if len(seen) < 5 {
		t.Fatalf("only %d distinct traces from 20 seeds", len(seen))
	}
}

func TestScheduleRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := Schedule(rapid.SliceOf(rapid.Uint32Range(0, 1<<31)).Draw(t, "s"))
		got, err := DecodeSchedule(s.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if len(s) == 0 {
			s = Schedule{}
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

func TestDecodeScheduleRejectsGarbage(t *testing.T) {
	for _, bad := range []string{"", "!!", "_____________8"} {
		if _, err := DecodeSchedule(bad); err == nil {
			t.Errorf("DecodeSchedule(%q) accepted garbage", bad)
		}
	}
}

func TestDeadlockCycle(t *testing.T) {
	s := New(Config{}, NewRandom(1))
	a, b := NewMutex("A"), NewMutex("B")
	s.Spawn("t1", func(t *Task) {
		t.Enter("f1")
		a.Lock(t)
		t.Yield("between")
		b.Lock(t)
	})
	s.Spawn("t2", func(t *Task) {
		t.Enter("f2")
		b.Lock(t)
		t.Yield("between")
		a.Lock(t)
	})
	// Force the interleaving t1:A, t2:B, then both take the other.
	s.chooser = NewReplay(Schedule{0, 0, 1, 1, 0, 1, 0, 1})
	s.Run()
	f := s.Findings()
	if len(f) != 1 || f[0].Property != "deadlock" {
		t.Fatalf("findings %+v, want one deadlock", f)
	}
	for _, want := range []string{"lock(A);", "lock(B);", "mutex_lock(A);", "*** DEADLOCK ***"} {
		if !strings.Contains(f[0].Detail, want) {
			t.Errorf("deadlock report lacks %q:\n%s", want, f[0].Detail)
		}
	}
	// lockdep's own form, whose title syzkaller takes from the function
	// the task tries to acquire the lock in ("possible deadlock in FUNC").
	re := regexp.MustCompile(`WARNING: possible circular locking dependency detected(?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: ([a-zA-Z0-9_]+)(?:\.|\+)`)
	if m := re.FindStringSubmatch(f[0].Kernel); m == nil || m[1] != "f2" || !strings.HasPrefix(f[0].Kernel, "=====") {
		t.Errorf("kernel form is not lockdep's:\n%s", f[0].Kernel)
	}
	for _, want := range []string{"is trying to acquire lock:\n (", "but task is already holding lock:\n (", "Possible unsafe locking scenario", "Call Trace:\n <TASK>\n"} {
		if !strings.Contains(f[0].Kernel, want) {
			t.Errorf("lockdep report lacks %q:\n%s", want, f[0].Kernel)
		}
	}
}

func TestStuckTaskIsAHungTask(t *testing.T) {
	s := New(Config{}, NewRandom(1))
	var q WaitQueue
	s.Spawn("kworker: flush", func(t *Task) {
		t.Enter("flush_work")
		q.Wait(t, "wait_for_completion(done)", nil)
	})
	s.Run()
	f := s.Findings()
	if len(f) != 1 || f[0].Property != "deadlock" {
		t.Fatalf("findings %+v, want one deadlock", f)
	}
	re := regexp.MustCompile(`INFO: task kworker:0 blocked for more than [0-9]+ seconds\.\n(?:.*\n)+?Call Trace:\n <TASK>\n flush_work\+0x0/0x0\n`)
	if !re.MatchString(f[0].Kernel) {
		t.Errorf("kernel form is not a hung task report:\n%s", f[0].Kernel)
	}
}

func TestNoDeadlockWithLockOrder(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		s := New(Config{}, NewRandom(seed))
		a, b := NewMutex("A"), NewMutex("B")
		for _, n := range []string{"t1", "t2"} {
			s.Spawn(n, func(t *Task) {
				a.Lock(t)
				b.Lock(t)
				b.Unlock(t)
				a.Unlock(t)
			})
		}
		s.Run()
		if len(s.Findings()) != 0 {
			t.Fatalf("seed %d: %v", seed, s.Findings())
		}
	}
}

func TestStuckWaiterIsDeadlock(t *testing.T) {
	s := New(Config{}, NewRandom(1))
	var c Completion
	c.Name = "never"
	s.Spawn("waiter", func(t *Task) { c.Wait(t) })
	s.Run()
	if f := s.Findings(); len(f) != 1 || f[0].Property != "deadlock" {
		t.Fatalf("findings %+v, want deadlock", f)
	}
}

func TestBudgetAndHorizon(t *testing.T) {
	s := New(Config{MaxSteps: 100}, NewRandom(1))
	s.Spawn("spinner", func(t *Task) {
		for {
			t.Yield("spin")
		}
	})
	if end := s.Run(); end != EndBudget {
		t.Fatalf("end %v, want budget", end)
	}
	s = New(Config{Horizon: 5 * Second}, NewRandom(1))
	var tick func()
	n := 0
	tick = func() { n++; s.After(Second, tick) }
	s.After(Second, tick)
	if end := s.Run(); end != EndHorizon || n != 5 {
		t.Fatalf("end %v after %d ticks, want horizon after 5", end, n)
	}
}

func TestTimeString(t *testing.T) {
	for tm, want := range map[Time]string{
		Second + 300*Microsecond:        "1.000300s",
		0:                               "0.000000s",
		999:                             "0.000000s", // below a microsecond
		-1500 * Millisecond:             "-1.500000s",
		123*Second + 456789*Microsecond: "123.456789s",
	} {
		if got := tm.String(); got != want {
			t.Errorf("%d ns: got %q, want %q", int64(tm), got, want)
		}
	}
	if got := triggerKey("unbind lynx-pcs.0", 980*Millisecond, 2*Second); got != "unbind lynx-pcs.0@0.980000s-2.000000s" {
		t.Errorf("trigger key %q", got)
	}
}

// TestHungTaskAtHorizon: a task blocked for good while a periodic timer
// keeps the execution from ever becoming quiescent is reported at the
// horizon as a hung task; a sleeping task is not.
func TestHungTaskAtHorizon(t *testing.T) {
	run := func(block bool) []Finding {
		s := New(Config{Horizon: 5 * Second}, NewRandom(1))
		var tick func()
		tick = func() { s.After(Second, tick) } // a poll timer
		s.After(0, tick)
		var q WaitQueue
		s.Spawn("unbind", func(t *Task) {
			if block {
				q.Wait(t, "wait for pcs_put", nil)
			} else {
				t.Sleep(10 * Second)
			}
		})
		s.Run()
		return s.Findings()
	}
	if f := run(true); len(f) != 1 || f[0].Property != "deadlock" || !strings.Contains(f[0].Summary, "waits forever for wait for pcs_put") {
		t.Fatalf("findings %+v, want one hung-task deadlock", f)
	}
	if f := run(false); len(f) != 0 {
		t.Fatalf("a sleeping task was reported: %+v", f)
	}
}

// TestChance: a random chooser says yes with the given probability, the
// answer is recorded and replays, and certain events ask nothing.
func TestChance(t *testing.T) {
	yes := 0
	for seed := range uint64(4000) {
		s := New(Config{}, NewRandom(seed))
		if s.Chance(0.25, "x") {
			yes++
		}
		again := New(Config{}, NewReplay(s.Schedule()))
		if again.Chance(0.25, "x") != (s.Schedule()[0] == 1) {
			t.Fatal("replay gave another answer")
		}
	}
	if yes < 850 || yes > 1150 {
		t.Fatalf("%d of 4000 yes at p=0.25", yes)
	}
	s := New(Config{}, NewRandom(1))
	if !s.Chance(1, "x") || s.Chance(0, "y") || len(s.Schedule()) != 0 {
		t.Fatal("p=1 or p=0 asked the chooser")
	}
}

// FuzzDecodeSchedule checks that no --schedule text panics the decoder and
// that whatever it accepts encodes back to a text that decodes the same.
func FuzzDecodeSchedule(f *testing.F) {
	for _, s := range []string{"-", "", "AAEC", "____", "gICAgBA", Schedule{1, 2, 300, 1 << 31}.Encode()} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := DecodeSchedule(text)
		if err != nil {
			return
		}
		again, err := DecodeSchedule(s.Encode())
		if err != nil || len(again) != len(s) {
			t.Fatalf("%q decodes to %v, which re-encodes to something else (%v, %v)", text, s, again, err)
		}
		for i := range s {
			if again[i] != s[i] {
				t.Fatalf("%q: answer %d is %d, re-decoded %d", text, i, s[i], again[i])
			}
		}
	})
}
