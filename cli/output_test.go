package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingWriter fails every write, as stdout redirected to /dev/full does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteErrorIsReported: results that cannot be written give a message
// on stderr and exit 2, never 0 or 1 with nothing written.
func TestWriteErrorIsReported(t *testing.T) {
	for _, args := range [][]string{
		{"run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--seeds", "20"},
		{"run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "20", "--format", "json"},
		{"list"},
	} {
		var errb strings.Builder
		code := Run(args, failingWriter{}, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), "writing the results: no space left on device") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and the write error", args, code, errb.String())
		}
	}
}

// TestScheduleFile: --schedule-file replays the schedule a file holds,
// as --schedule does, however long it is (past the argument limit).
func TestScheduleFile(t *testing.T) {
	code, out, _ := pcssim("run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "50")
	if code != exitViolation {
		t.Fatalf("run: exit %d", code)
	}
	args := reproduceArgs(t, out)
	i := len(args) - 1
	for args[i] != "--schedule" {
		i--
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "schedule")
	if err := os.WriteFile(file, []byte(args[i+1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, want, _ := pcssim(args...)
	fileArgs := append(append(append([]string{}, args[:i]...), "--schedule-file", file), args[i+2:]...)
	code, got, errs := pcssim(fileArgs...)
	if code != exitViolation || got != want {
		t.Errorf("--schedule-file: exit %d, stderr %q, output differs from --schedule:\n%s\nwant:\n%s", code, errs, got, want)
	}
	long := filepath.Join(dir, "long")
	if err := os.WriteFile(long, []byte(strings.Repeat("A", 4<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := pcssim("replay", "rmk-2022-unbind", "--strategy", "module-ref", "--schedule-file", long); code != exitOK && code != exitViolation {
		t.Errorf("a 4 MB schedule file: exit %d (%s)", code, errs)
	}
	if code, _, _ := pcssim("replay", "rmk-2022-unbind", "--schedule", "AA", "--schedule-file", long); code != exitUsage {
		t.Errorf("--schedule with --schedule-file: exit %d, want 2", code)
	}
}
