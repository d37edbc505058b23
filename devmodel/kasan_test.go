package devmodel

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcssim/pcssim/sim"
)

// syzTitle extracts a report's title with the rules syzkaller's
// pkg/report/linux.go applies ({{FUNC}} is `([a-zA-Z0-9_]+)(?:\.|\+)`):
// KASAN reports by their bug type, access and function, page faults and
// NULL dereferences by the RIP function.
func syzTitle(report string) string {
	const fn = `([a-zA-Z0-9_]+)(?:\.|\+)`
	rules := []struct {
		re  string
		fmt func(m []string) string
	}{
		{`BUG: KASAN: ([a-z\-]+) in ` + fn + `(?:.*\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)`,
			func(m []string) string { return fmt.Sprintf("KASAN: %s %s in %s", m[1], m[3], m[2]) }},
		{`BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in ` + fn,
			func(m []string) string { return "KASAN: invalid-free in " + m[1] }},
		{`BUG: kernel NULL pointer dereference(?:.*\n)+?.*RIP: (?:[0-9]+:)?` + fn,
			func(m []string) string { return "BUG: unable to handle kernel NULL pointer dereference in " + m[1] }},
		{`BUG: unable to handle page fault for address(?:.*\n)+?.*RIP: (?:[0-9]+:)?` + fn,
			func(m []string) string { return "BUG: unable to handle kernel paging request in " + m[1] }},
	}
	for _, r := range rules {
		if m := regexp.MustCompile(r.re).FindStringSubmatch(report); m != nil {
			return r.fmt(m)
		}
	}
	return ""
}

func TestKernelShapedReportTitles(t *testing.T) {
	freed := Site{Stack: []string{"devres_release_all", "unbind_store"}, Task: "sysfs unbind lynx-pcs.0", TaskID: 5, At: sim.Second}
	pcs := &Object{ID: 3, Type: "struct phylink_pcs", Name: "lynx-pcs.0",
		Alloc: Site{Stack: []string{"devm_kzalloc", "lynx_pcs_probe"}, Task: "init", At: 4}, Free: &freed}
	mod := &Object{ID: 9, Type: "struct phylink_pcs_ops", Name: "lynx", Module: &Module{Name: "pcs-lynx"}, Free: &freed}
	here := Site{Stack: []string{"phylink_mac_pcs_get_state", "phylink_resolve", "process_one_work"}, Task: "kworker: phylink_resolve eth0", TaskID: 7, At: 2 * sim.Second}
	got := map[string]string{
		"uaf read":    syzTitle(kasanReport("slab-use-after-free", pcs, "Read", here)),
		"uaf write":   syzTitle(kasanReport("slab-use-after-free", pcs, "Write", here)),
		"double free": syzTitle(kasanReport("double-free", pcs, "", freed)),
		"null":        syzTitle(pageFaultOops(0, Read, here, "")),
		"unload":      syzTitle(pageFaultOops(mod.addr(), Call, here, "")),
	}
	want := map[string]string{
		"uaf read":    "KASAN: slab-use-after-free Read in phylink_mac_pcs_get_state",
		"uaf write":   "KASAN: slab-use-after-free Write in phylink_mac_pcs_get_state",
		"double free": "KASAN: invalid-free in devres_release_all",
		"null":        "BUG: unable to handle kernel NULL pointer dereference in phylink_mac_pcs_get_state",
		"unload":      "BUG: unable to handle kernel paging request in phylink_mac_pcs_get_state",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("syzkaller titles (-want +got):\n%s", d)
	}
	r := kasanReport("slab-use-after-free", pcs, "Read", here)
	for _, line := range []string{kasanRule + "\n", "Read of size 8 at addr ffff888004003000 by task kworker/7\n",
		"Allocated by task 0 (init)", "Freed by task 5 (sysfs unbind lynx-pcs.0) at t=1.000000s:\n devres_release_all+0x0/0x0\n",
		"The buggy address belongs to the object at ffff888004003000\n which belongs to the cache kmalloc-64 of size 64"} {
		if !strings.Contains(r, line) {
			t.Errorf("KASAN report lacks %q:\n%s", line, r)
		}
	}
	if !strings.HasSuffix(r, kasanRule+"\n") || strings.Count(r, kasanRule) != 2 {
		t.Errorf("KASAN report not enclosed in its rules:\n%s", r)
	}
	if syzTitle("BUG: pcssim: link-without-pcs") != "" {
		t.Error("a pcssim-only report must not look like a kernel one")
	}
}
