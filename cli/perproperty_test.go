package cli

import (
	"strings"
	"testing"
)

// run prints one report per violated property, each with a shrink command
// that runs as printed and shrinks to that property.
func TestRunReportsEveryProperty(t *testing.T) {
	code, out, _ := pcssim("run", "../scenarios/rmk-2022-unbind.yaml", "--strategy", "module-ref", "--seeds", "20")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	var shrinks []string
	for _, line := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(line, "shrink: pcssim "); ok {
			shrinks = append(shrinks, s)
		}
	}
	if len(shrinks) != 2 || !strings.Contains(out, "\nfirst link-without-pcs: execution ") ||
		!strings.HasSuffix(shrinks[0], "--property use-after-free") || !strings.HasSuffix(shrinks[1], "--property link-without-pcs") {
		t.Fatalf("want a report and a shrink line for use-after-free and for link-without-pcs:\n%s", out)
	}
	args := strings.Fields(shrinks[1])
	code, out, _ = pcssim(args...)
	if code != 1 || !strings.Contains(out, "shrunk link-without-pcs from ") {
		t.Fatalf("%v: exit %d, want 1 and a shrunk link-without-pcs:\n%s", args, code, out)
	}
}

func TestShrinkPropertyErrors(t *testing.T) {
	base := []string{"shrink", "../scenarios/rmk-2022-unbind.yaml", "--strategy", "module-ref", "--schedule", "AQAAAQEAAQA"}
	for _, c := range []struct{ prop, want string }{
		{"use-after-fre", `--property: unknown property "use-after-fre"`},
		{"deadlock", "--property deadlock: schedule violates use-after-free, link-without-pcs, not deadlock"},
	} {
		code, _, errOut := pcssim(append(base, "--property", c.prop)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("--property %s: exit %d, stderr %q; want 2 and %q", c.prop, code, errOut, c.want)
		}
	}
}
