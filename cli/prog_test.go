package cli

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestProgName: under go run (a binary in a go-build temporary directory
// or, since Go 1.24, in the build cache) the printed commands start with
// go run and the package; otherwise with the name the binary was run by.
func TestProgName(t *testing.T) {
	devel := &debug.BuildInfo{Path: "github.com/pcssim/pcssim/cmd/pcssim", Main: debug.Module{Path: "github.com/pcssim/pcssim", Version: "(devel)"}}
	released := &debug.BuildInfo{Path: "github.com/pcssim/pcssim/cmd/pcssim", Main: debug.Module{Path: "github.com/pcssim/pcssim", Version: "v0.3.0"}}
	own := &debug.BuildInfo{Path: "example.com/board/cmd/mypcssim", Main: debug.Module{Path: "example.com/board", Version: "(devel)"}}
	cache := "/root/.cache/go-build/81/81eb0af5a437de7c0131faf9df58cd4376b501f0f0e0dae09ebacde348e6edd9-d/pcssim"
	for _, c := range []struct {
		arg0 string
		bi   *debug.BuildInfo
		want string
	}{
		{"/tmp/go-build3281875660/b001/exe/pcssim", devel, "go run ./cmd/pcssim"},
		{cache, devel, "go run ./cmd/pcssim"},
		{"/Users/me/Library/Caches/go-build/0a/" + strings.Repeat("0a", 32) + "-d/pcssim", devel, "go run ./cmd/pcssim"},
		{"/tmp/go-build3281875660/b001/exe/pcssim", released, "go run github.com/pcssim/pcssim/cmd/pcssim@v0.3.0"},
		{"/tmp/go-build1/b001/exe/mypcssim", own, "go run ./cmd/mypcssim"},
		{"/tmp/go-build1/b001/exe/pcssim", nil, "go run ./cmd/pcssim"},
		{`C:/Users/me/AppData/Local/Temp/go-build1/b001/exe/pcssim.exe`, devel, "go run ./cmd/pcssim"},
		{"pcssim", devel, "pcssim"},
		{"/usr/local/bin/pcssim", released, "pcssim"},
		{"/home/me/go/bin/mypcssim", own, "mypcssim"},
		{`C:/Users/me/go/bin/pcssim.exe`, released, "pcssim"},
		// A go-build directory that is not go run's.
		{"/home/me/go-builds/pcssim", devel, "pcssim"},
		{"/root/.cache/go-build/81/notahash-d/pcssim", devel, "pcssim"},
		{"", nil, "pcssim"},
	} {
		if got := progName(c.arg0, c.bi); got != c.want {
			t.Errorf("progName(%q) = %q, want %q", c.arg0, got, c.want)
		}
	}
}

// TestPrintedCommandsUseProg: run (text and JSON), replay, shrink and a
// crash report print their commands with the program they were given.
func TestPrintedCommandsUseProg(t *testing.T) {
	const prog = "go run ./cmd/pcssim"
	as := func(args ...string) (int, string, string) { return pcssimAs(prog, args...) }
	_, out, _ := as("run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "5")
	for _, want := range []string{"\nreproduce: " + prog + " replay scenarios/rmk-2022-unbind.yaml --strategy module-ref --schedule ",
		"\nshrink: " + prog + " shrink scenarios/rmk-2022-unbind.yaml --strategy module-ref --schedule "} {
		if !strings.Contains(out, want) {
			t.Errorf("run lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, ": pcssim ") {
		t.Errorf("run prints a bare pcssim command:\n%s", out)
	}
	_, js, _ := as("run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "5", "--format", "json")
	r, err := decodeRun(js)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range r.Violations {
		if !strings.HasPrefix(v.Reproduce, prog+" replay ") || !strings.HasPrefix(v.Shrink, prog+" shrink ") ||
			!strings.Contains(v.Report, "\nreproduce: "+prog+" replay ") {
			t.Errorf("JSON violation %s: reproduce %q, shrink %q", v.Property, v.Reproduce, v.Shrink)
		}
	}
	_, out, _ = as("shrink", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "1")
	if !strings.Contains(out, "\nreproduce: "+prog+" replay ") {
		t.Errorf("shrink:\n%s", out)
	}
	_, out, _ = as("replay", "rmk-2022-unbind", "--strategy", "module-ref", "--seed", "1")
	if !strings.Contains(out, "\nreproduce: "+prog+" replay ") {
		t.Errorf("replay:\n%s", out)
	}
	_, _, errs := as("run", "rmk-2022-unbind", "--strategy", attachCrashStrategy, "--seeds", "2")
	if !strings.Contains(errs, "\nreproduce: "+prog+" replay ") {
		t.Errorf("crash report:\n%s", errs)
	}
	if _, out, _ := pcssim("run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "5"); !strings.Contains(out, "\nreproduce: pcssim replay ") {
		t.Errorf("Run prints another program than pcssim:\n%s", out)
	}
}

// TestGoRunReproduceRunsAsPrinted is the README's path end to end: go run
// ./cmd/pcssim from the module's root prints reproduce and shrink lines
// that start with go run ./cmd/pcssim and, run as printed in a shell
// from the same directory, reproduce the violation.
func TestGoRunReproduceRunsAsPrinted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/pcssim with go run")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(goCmd, "run", "./cmd/pcssim", "run", "scenarios/rmk-2022-unbind.yaml", "--strategy", "module-ref", "--seeds", "5")
	cmd.Dir = ".."
	raw, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitViolation {
		t.Fatalf("go run: %v, want exit 1\n%s", err, raw)
	}
	out := string(raw)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		for _, p := range []string{"reproduce: ", "shrink: "} {
			if rest, ok := strings.CutPrefix(l, p); ok {
				lines = append(lines, rest)
			}
		}
	}
	if len(lines) < 2 {
		t.Fatalf("no reproduce and shrink lines in:\n%s", out)
	}
	bug := firstLineWith(out, "BUG: ")
	for _, l := range lines[:2] {
		if !strings.HasPrefix(l, "go run ./cmd/pcssim ") {
			t.Errorf("printed %q, want go run ./cmd/pcssim ...", l)
			continue
		}
		c := exec.Command(sh, "-c", l)
		c.Dir = ".."
		got, err := c.Output()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitViolation {
			t.Errorf("%s: %v, want exit 1\n%s", l, err, got)
		}
		if firstLineWith(string(got), "BUG: ") != bug {
			t.Errorf("%s reports %q, want %q", l, firstLineWith(string(got), "BUG: "), bug)
		}
	}
}

// TestInstalledBinaryPrintsItsName: a built binary run by its path
// prints its name, not the path (the contract check substitutes the
// binary for "pcssim" in the printed line), and a binary under another
// name prints that name.
func TestInstalledBinaryPrintsItsName(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/pcssim")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	for _, name := range []string{"pcssim", "mypcssim"} {
		bin := filepath.Join(dir, name)
		build := exec.Command(goCmd, "build", "-o", bin, "./cmd/pcssim")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		out, _ := exec.Command(bin, "run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "5").Output()
		if want := "\nreproduce: " + name + " replay scenarios/rmk-2022-unbind.yaml "; !strings.Contains(string(out), want) {
			t.Errorf("%s: no %q in\n%s", bin, want, out)
		}
	}
}

func firstLineWith(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
