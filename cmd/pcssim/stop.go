package main

import (
	"os"
	"os/signal"
	"sync"
	"time"
)

// stopper ends a run early: after --time-budget of wall time, or on SIGINT
// (the run then prints its partial summary and exits 130).
type stopper struct {
	mu       sync.Mutex
	reason   string
	deadline time.Time
	sig      chan os.Signal
}

func newStopper(budget time.Duration) *stopper {
	s := &stopper{sig: make(chan os.Signal, 1)}
	if budget > 0 {
		s.deadline = time.Now().Add(budget)
	}
	signal.Notify(s.sig, os.Interrupt)
	go func() {
		if _, ok := <-s.sig; ok {
			s.mu.Lock()
			s.reason = "interrupted"
			s.mu.Unlock()
		}
	}()
	return s
}

// why returns "" while the run may go on, else why it must stop.
func (s *stopper) why() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reason == "" && !s.deadline.IsZero() && time.Now().After(s.deadline) {
		s.reason = "time budget"
	}
	return s.reason
}

// release stops listening for SIGINT.
func (s *stopper) release() {
	signal.Stop(s.sig)
	close(s.sig)
}
