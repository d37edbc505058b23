package testtier

import (
	"testing"
)

// fatalRecorder records whether Fatalf was called instead of stopping.
type fatalRecorder struct {
	testing.TB
	fatal string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) { r.fatal = format }
func (r *fatalRecorder) Helper()                           {}

func TestLongFollowsTheVariable(t *testing.T) {
	for _, c := range []struct {
		value     string
		long, bad bool
	}{
		{"", false, false},
		{"0", false, false},
		{"1", !testing.Short(), false},
		{"yes", false, true},
		{"true", false, true},
	} {
		t.Setenv(Env, c.value)
		r := &fatalRecorder{TB: t}
		if got := Long(r); got != c.long || (r.fatal != "") != c.bad {
			t.Errorf("%s=%q: Long %v, failed %v; want %v, %v", Env, c.value, got, r.fatal != "", c.long, c.bad)
		}
	}
}

func TestPickChoosesTheTier(t *testing.T) {
	t.Setenv(Env, "")
	want := 2
	if testing.Short() {
		want = 1
	}
	if got := Pick(t, 1, 2, 3); got != want {
		t.Errorf("%s unset: Pick = %d, want %d", Env, got, want)
	}
	t.Setenv(Env, "1")
	if want == 2 {
		want = 3
	}
	if got := Pick(t, 1, 2, 3); got != want {
		t.Errorf("%s=1: Pick = %d, want %d", Env, got, want)
	}
}

func TestSkipUnlessLong(t *testing.T) {
	for _, c := range []struct {
		value   string
		skipped bool
	}{{"", true}, {"0", true}, {"1", testing.Short()}} {
		t.Setenv(Env, c.value)
		var skipped bool
		t.Run("tier", func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
			SkipUnlessLong(t, "a test")
		})
		if skipped != c.skipped {
			t.Errorf("%s=%q: skipped %v, want %v", Env, c.value, skipped, c.skipped)
		}
	}
}
