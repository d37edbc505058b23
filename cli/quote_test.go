package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/scenarios"
)

// TestShellQuote passes hostile strings through a real shell: each quoted
// word must come out as exactly the original string, running nothing.
func TestShellQuote(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	words := []string{"plain.yaml", "", "a b", "a b;$(touch X)`touch Y`.yaml", "it's", "'", `\`, "*", "~", "a\nb", "-x", "x=$HOME", "!", "#c", "ü"}
	var line []string
	for _, w := range words {
		line = append(line, scenarios.ShellQuote(w))
	}
	cmd := exec.Command(sh, "-c", "set -- "+strings.Join(line, " ")+`; for a; do printf '%s\0' "$a"; done`)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if diff := cmp.Diff(words, got); diff != "" {
		t.Errorf("words through sh (-want +got):\n%s", diff)
	}
	if ents, _ := os.ReadDir(dir); len(ents) > 0 {
		t.Errorf("the shell ran something: %v", ents)
	}
}

// TestReproduceLineIsShellSafe runs a scenario saved under a hostile file
// name: its reproduce line, pasted into a shell, must name that file as
// one argument, run nothing else, and replay the violation.
func TestReproduceLineIsShellSafe(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	data, err := os.ReadFile("../scenarios/rmk-2022-unbind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "a b;$(touch X)`touch Y`'q.yaml")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := pcssim("run", name, "--strategy", "module-ref", "--seeds", "40")
	if code != exitViolation {
		t.Fatalf("run exited %d, want %d:\n%s", code, exitViolation, out)
	}
	var line string
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "reproduce: pcssim "); ok {
			line = rest
			break
		}
	}
	if line == "" {
		t.Fatalf("no reproduce line in:\n%s", out)
	}
	cmd := exec.Command(sh, "-c", "set -- "+line+`; for a; do printf '%s\0' "$a"; done`)
	cmd.Dir = dir
	raw, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
	if len(args) < 2 || args[1] != name {
		t.Fatalf("reproduce line %q gives arguments %q, want the file %q second", line, args, name)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("pasting the reproduce line ran something: %v", ents)
	}
	if code, out, errs := pcssim(args...); code != exitViolation {
		t.Errorf("the reproduce line exited %d, want %d:\n%s%s", code, exitViolation, out, errs)
	}
}
