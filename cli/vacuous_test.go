package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unloadedPCS writes rmk-2022-unbind with the PCS module not loaded at
// boot (eth0 never gets link) and, if declare, that condition declared
// unreachable.
func unloadedPCS(t *testing.T, declare bool) string {
	t.Helper()
	data, err := os.ReadFile("../scenarios/rmk-2022-unbind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(data), "  - name: pcs-lynx\n", "  - name: pcs-lynx\n    loaded: false\n", 1)
	y = y[:strings.Index(y, "expect:")]
	if declare {
		y += "unreachable:\n  - {condition: link eth0, why: pcs-lynx is never loaded}\n"
	}
	path := filepath.Join(t.TempDir(), "x.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunVacuous(t *testing.T) {
	code, out, _ := pcssim("run", unloadedPCS(t, false), "--strategy", "phylink-notify", "--seeds", "20")
	if code != 1 || !strings.Contains(out, "VACUOUS: in none of 20 executions: eth0 got carrier through its PCS lynx-pcs.0 [link eth0]") {
		t.Fatalf("exit %d, want 1 and VACUOUS naming link eth0:\n%s", code, out)
	}
	code, out, _ = pcssim("run", unloadedPCS(t, false), "--strategy", "phylink-notify", "--seeds", "20", "--format", "json")
	j, err := decodeRun(out)
	if err != nil || code != 1 || !j.Vacuous || len(j.Unmet) != 1 || j.Unmet[0] != "link eth0" {
		t.Fatalf("json: exit %d, %+v (%v)", code, j, err)
	}
	code, out, _ = pcssim("compare", unloadedPCS(t, false), "--seeds", "20")
	if code != 1 || !strings.Contains(out, "VACUOUS") {
		t.Fatalf("compare: exit %d, want 1 with a VACUOUS row:\n%s", code, out)
	}
	// Declared unreachable: a clean run exits 0 and says why.
	code, out, _ = pcssim("run", unloadedPCS(t, true), "--strategy", "phylink-notify", "--seeds", "20")
	if code != 0 || strings.Contains(out, "VACUOUS") || !strings.Contains(out, "declared unreachable: pcs-lynx is never loaded") {
		t.Fatalf("declared: exit %d, want 0 without VACUOUS:\n%s", code, out)
	}
}

func TestRunNotVacuous(t *testing.T) {
	code, out, _ := pcssim("run", "../scenarios/rmk-2022-unbind.yaml", "--strategy", "phylink-notify", "--seeds", "20")
	if code != 0 || strings.Contains(out, "VACUOUS") || !strings.Contains(out, "eth0 got carrier through its PCS lynx-pcs.0") {
		t.Fatalf("exit %d, want 0 with an exercise block and no VACUOUS:\n%s", code, out)
	}
}
