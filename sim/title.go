package sim

import "strings"

// Title is the finding's one-line title as the kernel titles its report
// (the first "BUG:" line of Kernel, e.g. "BUG: KASAN: slab-use-after-free
// in phylink_resolve+0x0/0x0"), or "BUG: pcssim: " and the summary for a
// finding the kernel has no report of.
func (f Finding) Title() string {
	for line := range strings.Lines(f.Kernel) {
		if strings.HasPrefix(line, "BUG:") {
			return strings.TrimRight(line, "\n")
		}
	}
	return "BUG: pcssim: " + f.Summary
}
