package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints a live "N/M executions" line on stderr, only when stderr
// is a terminal (never into logs or pipes), at most twice a second.
type progress struct {
	w     io.Writer
	label string
	total int
	last  time.Time
	shown bool
}

func newProgress(stderr io.Writer, label string, total int) *progress {
	f, ok := stderr.(*os.File)
	if !ok {
		return &progress{}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return &progress{}
	}
	return &progress{w: stderr, label: label, total: total, last: time.Now()}
}

// update reports that done executions have finished.
func (p *progress) update(done int) {
	if p.w == nil || time.Since(p.last) < 500*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r%s: %d/%d executions", p.label, done, p.total)
}

// clear erases the progress line.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
