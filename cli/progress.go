package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progressEvery is the least time between two updates of a progress line
// (a variable for tests).
var progressEvery = 500 * time.Millisecond

// progress prints a live progress line on stderr, only when stderr is a
// terminal (never into logs, pipes or golden files), rewriting it in place
// at most every progressEvery.
type progress struct {
	w     io.Writer
	label string
	total int
	last  time.Time
	shown bool
}

// newProgress returns the progress line of a run of total executions,
// labelled label (a no-op when stderr is not a terminal).
func newProgress(stderr io.Writer, label string, total int) *progress {
	if !isTerminal(stderr) {
		return &progress{}
	}
	return &progress{w: stderr, label: label, total: total, last: time.Now()}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update reports that done executions have finished.
func (p *progress) update(done int) {
	p.show("%s: %d/%d executions", p.label, done, p.total)
}

// show replaces the line with the formatted text, unless the last update
// is too recent.
func (p *progress) show(format string, args ...any) {
	if p.w == nil || time.Since(p.last) < progressEvery {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[K"+format, args...)
}

// clear erases the progress line (once: clearing again is a no-op).
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
