package cli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// stopSignals are the signals that end a run early with its partial
// results: SIGINT (Ctrl-C), SIGTERM (a CI runner or Kubernetes cancelling
// the job) and SIGHUP (the terminal gone).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// forceExit ends the process when a second signal arrives while the first
// one's partial results are still being written (a variable for tests).
var forceExit = os.Exit

// stopper ends a run early: after --time-budget of wall time, or on one of
// stopSignals (the command then prints its partial summary and exits 128
// plus the signal's number: 130, 143, 129). A second signal forces the exit
// at once, with the same status.
type stopper struct {
	mu       sync.Mutex
	reason   string
	code     int
	deadline time.Time
	sig      chan os.Signal
	done     chan struct{}
	timer    *time.Timer
	// flag is set with reason: executions in flight read it at every
	// scheduling point (sim.Config.Interrupt) and end there.
	flag atomic.Bool
}

func newStopper(budget time.Duration, stderr io.Writer) *stopper {
	s := &stopper{sig: make(chan os.Signal, 2), done: make(chan struct{})}
	if budget > 0 {
		s.deadline = time.Now().Add(budget)
		s.timer = time.AfterFunc(budget, func() {
			s.mu.Lock()
			if s.reason == "" {
				s.reason = "time budget"
			}
			s.mu.Unlock()
			s.flag.Store(true)
		})
	}
	signal.Notify(s.sig, stopSignals...)
	go func() {
		for {
			select {
			case <-s.done:
				return
			case sg := <-s.sig:
				s.mu.Lock()
				first := s.code == 0
				if first {
					s.reason, s.code = signalReason(sg)
				}
				code := s.code
				s.mu.Unlock()
				s.flag.Store(true)
				if !first {
					fmt.Fprintf(stderr, "pcssim: second signal (%v): exiting without the partial summary\n", sg)
					forceExit(code)
					return
				}
			}
		}
	}()
	return s
}

// signalReason is what a run stopped by sg says (JSON "stopped") and its
// exit status.
func signalReason(sg os.Signal) (string, int) {
	switch sg {
	case syscall.SIGTERM:
		return "terminated", exitTerminated
	case syscall.SIGHUP:
		return "hangup", exitHangup
	}
	return "interrupted", exitInterrupted
}

// interrupt is the flag executions read to end early (see flag).
func (s *stopper) interrupt() *atomic.Bool { return &s.flag }

// why returns "" while the run may go on, else why it must stop.
func (s *stopper) why() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reason == "" && !s.deadline.IsZero() && time.Now().After(s.deadline) {
		s.reason = "time budget"
		s.flag.Store(true)
	}
	return s.reason
}

// exitCode is the exit status a signal asks for (0: none arrived).
func (s *stopper) exitCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.code
}

// release stops listening for the signals.
func (s *stopper) release() {
	if s.timer != nil {
		s.timer.Stop()
	}
	signal.Stop(s.sig)
	close(s.done)
}
