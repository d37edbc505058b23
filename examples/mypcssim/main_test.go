package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/cli"
)

// TestMain runs the program itself when the test binary is started as a
// helper (see runMain).
func TestMain(m *testing.M) {
	if os.Getenv("MYPCSSIM_RUN_MAIN") == "1" {
		os.Args = append([]string{"mypcssim"}, strings.Fields(os.Getenv("MYPCSSIM_ARGS"))...)
		main()
	}
	os.Exit(m.Run())
}

// runMain runs main() with args in a child process and returns its exit
// status and stdout: cli.Main exits, so it cannot run in the test's own.
func runMain(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MYPCSSIM_RUN_MAIN=1", "MYPCSSIM_ARGS="+strings.Join(args, " "))
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String()
}

// TestOwnStrategiesOnTheCommandLine: the program knows the strategy it
// registers and the one it imports, by name, in list, run and compare,
// with pcssim's exit statuses.
func TestOwnStrategiesOnTheCommandLine(t *testing.T) {
	code, out := runMain(t, "list")
	if code != 0 || !strings.Contains(out, "  bare-pointer ") || !strings.Contains(out, "  dead-flag ") {
		t.Fatalf("list: exit %d, want 0 listing bare-pointer and dead-flag:\n%s", code, out)
	}
	code, out = runMain(t, "run", "rmk-2022-unbind", "--strategy", "bare-pointer", "--seeds", "20")
	if code != 1 || !strings.Contains(out, "BUG: KASAN: slab-use-after-free") || !strings.Contains(out, "strategy bare-pointer") {
		t.Fatalf("run --strategy bare-pointer: exit %d, want 1 and the use-after-free:\n%s", code, out)
	}
	code, out = runMain(t, "run", "rmk-2022-unbind", "--strategy", "dead-flag", "--seeds", "20")
	if code != 0 || !strings.Contains(out, "no violation in 20 executions") {
		t.Fatalf("run --strategy dead-flag: exit %d, want 0:\n%s", code, out)
	}
}

// TestRunInProcess: cli.Run is the same command without the exit, for a
// program that wants the status (or a test).
func TestRunInProcess(t *testing.T) {
	var out, errs bytes.Buffer
	code := cli.Run([]string{"compare", "rmk-2022-unbind", "--strategies", "bare-pointer,phylink-notify", "--seeds", "20"}, &out, &errs)
	if code != 1 || !strings.Contains(out.String(), "bare-pointer ") || !strings.Contains(out.String(), "phylink-notify ") {
		t.Fatalf("compare: exit %d, stderr %q, want 1 and both rows:\n%s", code, errs.String(), out.String())
	}
	code = cli.Run([]string{"run", "rmk-2022-unbind", "--strategy", "bare-pointr"}, &out, &errs)
	if code != 2 || !strings.Contains(errs.String(), `did you mean "bare-pointer"?`) {
		t.Fatalf("a misspelled own strategy: exit %d, stderr %q", code, errs.String())
	}
}

// TestDocShowsThisProgram: docs/extending.md shows main.go as it is.
func TestDocShowsThisProgram(t *testing.T) {
	doc, err := os.ReadFile("../../docs/extending.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, _ := strings.Cut(string(src), "package main\n")
	if !strings.Contains(string(doc), "```go\npackage main\n"+code+"```\n") {
		t.Errorf("docs/extending.md does not show examples/mypcssim/main.go (from package main on) as it is")
	}
}
