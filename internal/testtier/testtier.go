// Package testtier sizes pcssim's own test campaigns in three tiers, so
// that `go test ./...` stays quick enough to run often while CI still runs
// every campaign at full size:
//
//	go test -short ./...        the quick tier: smallest sizes, the longest tests skipped
//	go test ./...               the default tier: every test, campaigns reduced (under a minute on 2 cores)
//	PCSSIM_LONG=1 go test ./... the long tier: full sizes (.ci/run sets it)
//
// -short wins over PCSSIM_LONG. PCSSIM_LONG accepts 1 (on) and 0 or the
// empty string (off); any other value fails the test that asks, so a typo
// cannot silently run the short campaigns in CI.
package testtier

import (
	"os"
	"testing"
)

// Env is the environment variable that turns the long tier on.
const Env = "PCSSIM_LONG"

// Long reports whether the long tier is on: Env is 1 and -short is not
// given. A value of Env other than "", "0" or "1" fails t.
func Long(t testing.TB) bool {
	t.Helper()
	switch v := os.Getenv(Env); v {
	case "", "0":
		return false
	case "1":
		return !testing.Short()
	default:
		t.Fatalf("%s=%q: want 1 (full-size campaigns) or 0", Env, v)
		return false
	}
}

// Pick returns short under -short, long in the long tier, def otherwise.
func Pick[T any](t testing.TB, short, def, long T) T {
	t.Helper()
	switch {
	case testing.Short():
		return short
	case Long(t):
		return long
	}
	return def
}

// SkipUnlessLong skips t unless the long tier is on; what says what the
// test runs (e.g. "60 000 dfs schedules"), so the skip message tells the
// reader how to run it.
func SkipUnlessLong(t testing.TB, what string) {
	t.Helper()
	if !Long(t) {
		t.Skipf("%s: a long campaign, run with %s=1 (CI does)", what, Env)
	}
}
