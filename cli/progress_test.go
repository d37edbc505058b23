//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair (posix_openpt, unlockpt, ptsname)
// or skips the test where there is none.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var n uint32
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("TIOCGPTN: %v", e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("TIOCSPTLCK: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the terminal side: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// onTerminal runs pcssim with stderr on a pseudo-terminal and returns its
// exit status, stdout and what the terminal received.
func onTerminal(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	master, tty := openPTY(t)
	saved := progressEvery
	progressEvery = 0 // every update, so that a short run shows them
	defer func() { progressEvery = saved }()
	var seen bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&seen, master) // ends when the terminal side closes
		close(done)
	}()
	var out bytes.Buffer
	code := Run(args, &out, tty)
	tty.Close()
	<-done
	return code, out.String(), seen.String()
}

// TestCompareProgressOnTerminal: compare on a terminal shows which
// strategy it runs and how far it is, on one line it rewrites and erases
// at the end; the same run into a pipe or file shows nothing.
func TestCompareProgressOnTerminal(t *testing.T) {
	args := []string{"compare", "rmk-2022-unbind", "--strategies", "phylink-notify,none", "--seeds", "50", "--jobs", "1"}
	code, out, term := onTerminal(t, args...)
	if code != exitOK && code != exitViolation {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"\r\033[Kcompare: strategy 1/2 phylink-notify, 0/100 executions",
		"compare: strategy 1/2 phylink-notify, 99/100 executions", "compare: strategy 2/2 none, 0/100 executions"} {
		if !strings.Contains(term, want) {
			t.Errorf("the terminal did not show %q:\n%q", want, term)
		}
	}
	if !strings.HasSuffix(term, "\r\033[K") {
		t.Errorf("the progress line is not erased at the end: %q", term[max(0, len(term)-80):])
	}
	code2, out2, errs := pcssim(args...)
	if code2 != code || out2 != out || strings.Contains(errs, "compare: strategy") || strings.Contains(errs, "\r") {
		t.Errorf("not on a terminal: exit %d, stderr %q; want exit %d, the same stdout and no progress", code2, errs, code)
	}
}

// TestRunProgressOnTerminal: run shows its executions the same way.
func TestRunProgressOnTerminal(t *testing.T) {
	_, _, term := onTerminal(t, "run", "rmk-2022-unbind", "--strategy", "phylink-notify", "--seeds", "30", "--jobs", "1")
	if !strings.Contains(term, "\r\033[Krmk-2022-unbind/phylink-notify: 30/30 executions") || !strings.Contains(term, "\r\033[Kpcssim: rmk-2022-unbind/phylink-notify: 30 executions") {
		t.Errorf("the terminal shows:\n%q", term)
	}
}
