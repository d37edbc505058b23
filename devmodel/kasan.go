package devmodel

import (
	"fmt"
	"strings"

	"github.com/pcssim/pcssim/sim"
)

// The kernel-shaped reports of memory findings: KASAN's layout
// (mm/kasan/report.c: print_report, print_address_description) for
// use-after-free and double free, the x86 page-fault Oops
// (arch/x86/mm/fault.c: show_fault_oops) for unloaded module memory and
// NULL pointers. Simplifications, said in each report's last line: the
// model has no code addresses, so frames are FUNC+0x0/0x0; object addresses
// are the model's (one 4 KiB slot per object, deterministic); object sizes
// are those of struct layouts on x86-64 rounded to kmalloc caches, the
// accessed field is the object's first word (offset 0, size 8).

// kasanRule is the line that opens and closes a KASAN report.
const kasanRule = "=================================================================="

// objectSizes are approximate sizeof() on x86-64 (6.12) of the modelled
// structures; a type not listed is given 128.
var objectSizes = map[string]int{
	"struct phylink_pcs": 48, // embedded in struct lynx_pcs / dw_xpcs with their mdio pointer
	"struct phylink":     1024,
	"struct device":      768,
	"struct net_device":  2560,
	"struct mii_bus":     3072, // with the mdio_map and the owner's priv (mdiobus_alloc_size)
	"struct mdio_device": 1024,
	"struct pcs_wrapper": 96,
	"struct pcs_handle":  32,
	"module":             1024,
}

// kmallocCache returns the kmalloc cache an object of size n comes from
// (kmalloc-8 … kmalloc-8k, with the 96 and 192 caches).
func kmallocCache(n int) int {
	for _, c := range []int{8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192} {
		if n <= c {
			return c
		}
	}
	return n
}

// addr is the object's model address: slab memory in the direct map,
// module memory in the module area.
func (o *Object) addr() uint64 {
	if o.Type == "module" || o.Module != nil {
		return 0xffffffffc0000000 + uint64(o.ID)<<12
	}
	if o.Type == IomemType { // vmalloc space
		return 0xffffc90000000000 + uint64(o.ID)<<12
	}
	return 0xffff888004000000 + uint64(o.ID)<<12
}

// comm is a task's command name as the kernel prints it (at most 15
// characters, no spaces): "kworker: phylink_resolve eth0" is kworker,
// "sysfs unbind lynx-pcs.0" is sysfs.
func comm(task string) string {
	c := task
	if i := strings.IndexAny(c, ": "); i > 0 {
		c = c[:i]
	}
	if len(c) > 15 {
		c = c[:15]
	}
	return c
}

// frames writes a call chain (innermost first) one frame per line.
func frames(b *strings.Builder, stack []string) {
	if len(stack) == 0 {
		b.WriteString(" <event>\n")
	}
	for _, f := range stack {
		fmt.Fprintf(b, " %s+0x0/0x0\n", f)
	}
}

// siteBlock writes KASAN's "Allocated by task N:" / "Freed by task N:".
func siteBlock(b *strings.Builder, what string, s Site) {
	fmt.Fprintf(b, "%s by task %d (%s) at t=%s:\n", what, s.TaskID, s.Task, s.At)
	frames(b, s.Stack)
}

// kasanReport renders KASAN's report of an access (or free, for a double
// free) at here to the freed object o.
func kasanReport(kind string, o *Object, access string, here Site) string {
	var b strings.Builder
	fn := "?"
	if len(here.Stack) > 0 {
		fn = here.Stack[0]
	}
	size := objectSizes[o.Type]
	if size == 0 {
		size = 128
	}
	cache := kmallocCache(size)
	a := o.addr()
	fmt.Fprintf(&b, "%s\nBUG: KASAN: %s in %s+0x0/0x0\n", kasanRule, kind, fn)
	if kind == "double-free" {
		fmt.Fprintf(&b, "Free of addr %016x by task %s/%d\n", a, comm(here.Task), here.TaskID)
	} else {
		fmt.Fprintf(&b, "%s of size 8 at addr %016x by task %s/%d\n", access, a, comm(here.Task), here.TaskID)
	}
	fmt.Fprintf(&b, "\nCPU: 0 UID: 0 PID: %d Comm: %s (pcssim task %q, t=%s)\nCall Trace:\n <TASK>\n", here.TaskID, comm(here.Task), here.Task, here.At)
	frames(&b, here.Stack)
	b.WriteString(" </TASK>\n\n")
	siteBlock(&b, "Allocated", o.Alloc)
	b.WriteString("\n")
	siteBlock(&b, "Freed", *o.Free)
	fmt.Fprintf(&b, "\nThe buggy address belongs to the object at %016x\n which belongs to the cache kmalloc-%d of size %d (%s)\n", a, cache, cache, o.Label())
	fmt.Fprintf(&b, "The buggy address is located 0 bytes inside of\n freed %d-byte region [%016x, %016x)\n", cache, a, a+uint64(cache))
	b.WriteString("(pcssim: frames have no code offsets; addresses and sizes are the model's)\n")
	b.WriteString(kasanRule + "\n")
	return b.String()
}

// pageFaultOops renders the x86 Oops of an access at here to an unmapped
// address: unloaded module memory, or NULL (address 0).
func pageFaultOops(addr uint64, access string, here Site, note string) string {
	var b strings.Builder
	fn := "?"
	if len(here.Stack) > 0 {
		fn = here.Stack[0]
	}
	title := fmt.Sprintf("BUG: unable to handle page fault for address: %016x", addr)
	if addr == 0 {
		title = "BUG: kernel NULL pointer dereference, address: 0000000000000000"
	}
	fmt.Fprintf(&b, "%s\n#PF: supervisor %s access in kernel mode\n#PF: error_code(0x%04x) - not-present page\n", title, accessWord(access), pfCode(access))
	fmt.Fprintf(&b, "Oops: %04x [#1] PREEMPT SMP NOPTI\nCPU: 0 UID: 0 PID: %d Comm: %s (pcssim task %q, t=%s)\n", pfCode(access), here.TaskID, comm(here.Task), here.Task, here.At)
	fmt.Fprintf(&b, "RIP: 0010:%s+0x0/0x0\nCall Trace:\n <TASK>\n", fn)
	frames(&b, here.Stack)
	b.WriteString(" </TASK>\n")
	b.WriteString(note)
	return b.String()
}

// siteOf is the site of the running task (or of an event, t nil).
func siteOf(s *sim.Sim, t *sim.Task) Site {
	if t == nil {
		return Site{At: s.Now(), Task: "<event>"}
	}
	return Site{Stack: t.Stack(), Task: t.Name, TaskID: t.ID, At: s.Now()}
}

// WarningReport renders the kernel's WARN() splat (kernel/panic.c:
// __warn) for a WARN in function fn of source file file, with message msg,
// hit by the running task t.
func WarningReport(file, fn, msg string, t *sim.Task) string {
	var b strings.Builder
	fmt.Fprintf(&b, "------------[ cut here ]------------\n%s\n", msg)
	fmt.Fprintf(&b, "WARNING: CPU: 0 PID: %d at %s:0 %s+0x0/0x0\n", t.ID, file, fn)
	fmt.Fprintf(&b, "CPU: 0 UID: 0 PID: %d Comm: %s (pcssim task %q)\nRIP: 0010:%s+0x0/0x0\nCall Trace:\n <TASK>\n", t.ID, comm(t.Name), t.Name, fn)
	frames(&b, t.Stack())
	b.WriteString(" </TASK>\n---[ end trace 0000000000000000 ]---\n(pcssim: frames have no code offsets; :0 is no source line)\n")
	return b.String()
}
