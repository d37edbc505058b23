package sim

import (
	"cmp"
	"slices"
)

// Resting is implemented by choosers that cache explored states (DFS). The
// engine calls AtRest at every point where no task is alive, before it
// decides what happens next: there the whole state is plain data (the
// model's objects, virtual time, pending events and armed triggers), with
// no coroutine holding a half-run step. key computes the state's
// fingerprint (false if it cannot be hashed); AtRest returns true to end
// the execution there because the rest of it was explored before.
type Resting interface {
	AtRest(key func() (StateKey, bool)) bool
}

// SetFingerprint sets the function that adds the model's state to a
// fingerprint (the engine adds its own). Without one no state is hashed.
func (s *Sim) SetFingerprint(fn func(h *StateHash)) { s.fingerprint = fn }

// atRest asks a Resting chooser whether to go on from a task-free point.
func (s *Sim) atRest() bool {
	if s.fingerprint == nil {
		return false
	}
	r, ok := s.chooser.(Resting)
	if !ok || !s.pending() {
		return false
	}
	if s.restKey == nil {
		s.restKey = s.stateKey
	}
	s.rests++ // a consultation of the chooser (see Points)
	return r.AtRest(s.restKey)
}

// stateKey fingerprints the state at a task-free point: the model's
// objects, then virtual time, the steps run, the pending events (in firing
// order, by time and name) and the triggers (by key).
func (s *Sim) stateKey() (StateKey, bool) {
	if s.hash == nil {
		s.hash = NewStateHash()
	}
	h := s.hash
	h.reset()
	s.fingerprint(h)
	h.Word(uint64(s.now))
	h.Word(uint64(s.steps)) // the step budget left
	evs := append(s.evBuf[:0], s.events.items...)
	slices.SortFunc(evs, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
	})
	h.Word(uint64(len(evs)))
	for _, e := range evs {
		if e.key == 0 {
			h.Unhashable()
			break
		}
		h.Word(uint64(e.at))
		h.String(s.evKeys[e.key-1])
	}
	clear(evs)
	s.evBuf = evs[:0]
	// Triggers with one key are interchangeable (dfs's symmetry
	// reduction): which of them fired is not part of the state, how many
	// are still armed is.
	trs := slices.SortedFunc(slices.Values(s.triggers), func(a, b *Trigger) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(b2i(a.armed), b2i(b.armed)))
	})
	h.Word(uint64(len(trs)))
	for _, tr := range trs {
		h.String(tr.key)
		h.Word(uint64(b2i(tr.armed)))
	}
	return h.Sum()
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pending reports whether anything can still happen: an event or an armed
// trigger. (Without either the execution is over; caching it saves nothing.)
func (s *Sim) pending() bool {
	if s.events.len() > 0 {
		return true
	}
	for _, tr := range s.triggers {
		if tr.armed {
			return true
		}
	}
	return false
}
