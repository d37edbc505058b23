// Package docs holds the tests that keep README.md and docs/*.md true: the
// commands they show run as shown (internal/mdcheck says which lines are
// commands), the scenarios they show load, and the verdicts they state are
// the scenarios' own.
package docs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/cli"
	_ "github.com/pcssim/pcssim/examples/deadflag" // cmd/pcssim's strategies: docs/extending.md runs dead-flag
	"github.com/pcssim/pcssim/internal/mdcheck"
)

// documents returns the checked documents, relative to the repository
// root, which is the working directory of the checks (t.Chdir("..")).
func documents(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob("docs/*.md")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs/*.md (%v)", err)
	}
	return append([]string{"README.md"}, docs...)
}

// read returns a document's text.
func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// commands returns the pcssim commands of every checked document.
func commands(t *testing.T) []mdcheck.Command {
	t.Helper()
	var all []mdcheck.Command
	for _, d := range documents(t) {
		cs, err := mdcheck.Commands(d, read(t, d))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	return all
}

// exitRE finds the exit status a command's comment states.
var exitRE = regexp.MustCompile(`\bexit (\d+)\b`)

// wantExit is the exit status a command's comment states ("# ... exit N";
// the last one if several), or -1.
func wantExit(c mdcheck.Command) int {
	m := exitRE.FindAllStringSubmatch(c.Comment, -1)
	if len(m) == 0 {
		return -1
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// placeholderRE matches a word that stands for a value the reader
// supplies: one of a few names (S a schedule, N a number, P a property,
// K, D, ID, CMD, DUR, FILE, OUT; FILE... for several, OUT.json with a
// suffix, S@FP with a fingerprint), or an optional [--flag P].
var placeholderRE = regexp.MustCompile(`^(\[.*|.*\]|(S|N|P|K|D|ID|CMD|DUR|FILE|OUT)(@FP|\.\.\.|\.[a-z]+)?)$`)

// isTemplate reports whether c has placeholders: it is a synopsis, not an
// example, and only its subcommand and flags are checked.
func isTemplate(c mdcheck.Command) bool {
	return slices.ContainsFunc(c.Args, placeholderRE.MatchString)
}

// expand replaces each word with a "*" by the files it names, as the
// shell would.
func expand(t *testing.T, args []string) []string {
	t.Helper()
	var out []string
	for _, a := range args {
		if !strings.Contains(a, "*") {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil || len(m) == 0 {
			t.Fatalf("%s matches no file (%v)", a, err)
		}
		out = append(out, m...)
	}
	return out
}

// pcssim runs the command line in-process.
func pcssim(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// repoView makes a temporary directory that looks like the repository
// root (a symbolic link to each of its entries) the working directory, so
// that documented commands find scenarios/ and the files they write
// (--html report.html) land outside the repository.
func repoView(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, e := range entries {
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// TestDocCommands runs every pcssim command of README.md and docs/*.md as
// written (from the repository root, in-process through cli.Run) and
// checks it: the exit status is the one its comment states ("# ... exit 1";
// a command that states none fails, so that a replay that stopped
// reproducing cannot pass for a clean run); the output a fenced "$ " block shows after it appears in its
// stdout (then stderr), line for line, in order ("..." stands for lines
// left out). A command with placeholders (S, N, FILE, [--flag P]) is a
// synopsis: its subcommand and each of its flags must exist. With -short,
// dfs commands (exhaustive searches, seconds each) are skipped.
func TestDocCommands(t *testing.T) {
	repoView(t)
	all := commands(t)
	if len(all) < 10 {
		t.Fatalf("found %d commands in the documents: the extraction rule is broken", len(all))
	}
	for _, c := range all {
		t.Run(fmt.Sprintf("%s:%d", c.File, c.Line), func(t *testing.T) {
			if len(c.Args) == 0 {
				t.Fatalf("%s:%d: %q names no subcommand", c.File, c.Line, c.Text)
			}
			if isTemplate(c) {
				checkSynopsis(t, c)
				return
			}
			want := wantExit(c)
			if want < 0 {
				t.Fatalf("%s:%d: %s: state its exit status in a trailing comment (\"# ... exit N\")", c.File, c.Line, c.Text)
			}
			if testing.Short() && slices.Contains(c.Args, "dfs") {
				t.Skip("an exhaustive dfs search: run without -short")
			}
			code, stdout, stderr := pcssim(expand(t, c.Args)...)
			if code != want {
				t.Errorf("%s:%d: %s\nexited %d, the document says %d\nstdout:\n%s\nstderr:\n%s",
					c.File, c.Line, c.Text, code, want, stdout, stderr)
			}
			if missing, ok := shown(c.Output, stdout+stderr); !ok {
				t.Errorf("%s:%d: %s\nthe output the document shows is not the command's: no line\n\t%s\nafter the lines before it; stdout and stderr:\n%s%s",
					c.File, c.Line, c.Text, missing, stdout, stderr)
			}
		})
	}
}

// shown reports whether the shown lines appear in out, in order, each a
// whole line ("..." lines skipped); if not, it returns the first that does
// not.
func shown(lines []string, out string) (string, bool) {
	got := strings.Split(out, "\n")
	for i := range got {
		got[i] = strings.TrimRight(got[i], " \t")
	}
	at := 0
	for _, l := range lines {
		if l = strings.TrimSpace(l); l == "" || l == "..." || l == "…" {
			continue
		}
		j := slices.IndexFunc(got[at:], func(g string) bool { return strings.TrimSpace(g) == l })
		if j < 0 {
			return l, false
		}
		at += j + 1
	}
	return "", true
}

// checkSynopsis checks that a synopsis's subcommand exists and that each
// of its flags is one the subcommand's help lists.
func checkSynopsis(t *testing.T, c mdcheck.Command) {
	t.Helper()
	code, help, stderr := pcssim(c.Args[0], "--help")
	if code != 0 {
		t.Fatalf("%s:%d: %s: `pcssim %s --help` exited %d: %s", c.File, c.Line, c.Text, c.Args[0], code, stderr)
	}
	for _, a := range c.Args[1:] {
		name := strings.Trim(a, "[]")
		if !strings.HasPrefix(name, "-") {
			continue
		}
		name, _, _ = strings.Cut(strings.TrimLeft(name, "-"), "=")
		if !regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(name) + `\b`).MatchString(help) {
			t.Errorf("%s:%d: %s: pcssim %s has no flag -%s:\n%s", c.File, c.Line, c.Text, c.Args[0], name, help)
		}
	}
}
