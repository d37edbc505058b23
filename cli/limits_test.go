package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSeedListIsLazy: a short --seeds list of huge ranges is not expanded
// in memory, and its seeds are those of the expanded list.
func TestSeedListIsLazy(t *testing.T) {
	c := common{seeds: strings.Repeat("0-10000000,", 3) + "7,20-22"}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, seed, err := c.seedList()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("seedList allocated %d bytes for a 50-character list", got)
	}
	if want := 3*10_000_001 + 1 + 3; n != want {
		t.Fatalf("n = %d, want %d", n, want)
	}
	idx := []int{0, 1, 10_000_000, 10_000_001, 20_000_002, 30_000_002, 30_000_003, 30_000_004, 30_000_005}
	want := []uint64{0, 1, 10_000_000, 0, 0, 10_000_000, 7, 20, 21}
	var got []uint64
	for _, i := range idx {
		got = append(got, seed(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seeds (-want +got):\n%s", diff)
	}
	for _, bad := range []string{strings.Repeat("0-999999999999,", 2), "0-18446744073709551615", "5-4"} {
		c := common{seeds: bad}
		if _, _, err := c.seedList(); err == nil {
			t.Errorf("--seeds %s accepted", bad)
		}
	}
}

// TestJobsLimit: --jobs beyond the limit is a usage error (exit 2), not
// thread exhaustion.
func TestJobsLimit(t *testing.T) {
	for _, jobs := range []string{"100000", "-1"} {
		code, _, errs := pcssim("run", "rmk-2022-unbind", "--seeds", "2", "--jobs", jobs)
		if code != exitUsage || !strings.Contains(errs, "--jobs") {
			t.Errorf("--jobs %s: exit %d, stderr %q; want %d naming --jobs", jobs, code, errs, exitUsage)
		}
	}
	code, _, errs := pcssim("compare", "rmk-2022-unbind", "--seeds", "2", "--jobs", "100000")
	if code != exitUsage || !strings.Contains(errs, "--jobs") {
		t.Errorf("compare --jobs 100000: exit %d, stderr %q", code, errs)
	}
}

// TestShardBoundsDoNotOverflow: shards of 10^12 executions split into 10^7
// slices stay inside [0, n), contiguous and disjoint.
func TestShardBoundsDoNotOverflow(t *testing.T) {
	const n, k = 1_000_000_000_000, 10_000_000
	prev := 0
	for _, i := range []int{1, 2, k / 2, k - 1, k} {
		c := common{shard: strings.Join([]string{itoa(i), itoa(k)}, "/")}
		lo, hi, err := c.shardRange(n)
		if err != nil {
			t.Fatal(err)
		}
		if lo < 0 || hi > n || lo > hi || hi-lo != n/k {
			t.Errorf("shard %d/%d of %d: [%d, %d)", i, k, n, lo, hi)
		}
		if i == k && hi != n {
			t.Errorf("last shard ends at %d, want %d", hi, n)
		}
		if lo < prev {
			t.Errorf("shard %d starts at %d, before the previous one's start %d", i, lo, prev)
		}
		prev = lo
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestMergeRejectsInconsistentShards: the same shard twice, a missing
// shard, shards of different splits and files that are no run results are
// errors (exit 2), not a merge that silently differs from the whole run.
func TestMergeRejectsInconsistentShards(t *testing.T) {
	dir := t.TempDir()
	args := []string{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--seeds", "30", "--format", "json"}
	write := func(name, content string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	shard := func(s string) string {
		_, out, _ := pcssim(append(args, "--shard", s)...)
		return write(strings.ReplaceAll(s, "/", "of")+".json", out)
	}
	s1, s2, s3, h1 := shard("1/3"), shard("2/3"), shard("3/3"), shard("1/2")
	_, whole, _ := pcssim(args...)
	w := write("whole.json", whole)
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{[]string{s1, s2, s3, s1}, "already in"},
		{[]string{s1, s3}, "shards missing: 2/3"},
		{[]string{s1, s2, s3, h1}, "different splits"},
		{[]string{w, s1, s2, s3}, "unsharded run and shards"},
		{[]string{write("obj.json", "{}")}, "not the JSON output"},
		{[]string{write("obj.json", `{"runs": []}`)}, `want an array of runs [...]`},
		{[]string{write("null.json", "null")}, `want an array of runs [...]`},
		{[]string{write("empty.json", "[]")}, "holds no run"},
		{[]string{write("bad.json", `[{"scenario": 1}]`)}, "not the JSON output of pcssim run: json: cannot unmarshal"},
	} {
		code, _, errs := pcssim(append([]string{"merge"}, tc.files...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("merge %v: exit %d, stderr %q; want %d with %q", tc.files, code, errs, exitUsage, tc.want)
		}
	}
	if code, _, errs := pcssim("merge", s3, s1, s2); code != exitOK {
		t.Errorf("merge of all shards: exit %d: %s", code, errs)
	}
}
