package sim

// Footprints are what partial-order reduction (dfs) knows of a step: the
// shared resources it used, each read or written. Two steps of different
// tasks are dependent when one writes a resource the other uses, or when
// either is global: it queued a timed event (its time depends on the
// steps run before it), spawned a task (task numbers follow spawn order),
// or asked the chooser a data question. Independent steps commute: run in
// either order from one state they reach the same state.
//
// Resources are named, not addressed, so that footprints recorded in one
// execution compare with steps of another: a heap object by its type and
// name, a mutex by its name, a work item or timer by its name. Two
// objects with one name are one resource (more dependence, never less).
//
// What the model does to plain Go fields is not seen; model code keeps
// shared state behind the heap (devmodel.Heap.Access) and sim's locks, and
// marks other shared state with Sim.Footprint (the workqueue does).

// Footprint is the resources one step used.
type Footprint struct {
	// Global marks a step dependent with every other.
	Global bool
	// Runnable is set when the task could run again right after the step
	// (it neither blocked nor ended).
	Runnable bool
	res      []resource
}

// resource is a named shared resource (hashed) and how a step used it.
type resource struct {
	key   uint64
	write bool
}

// Reducer is implemented by choosers that prune by partial-order
// reduction (dfs). The engine reports each task step's footprint after it
// ran (task is the task's ID, or a fault's candidate ID) and each event
// fired or time advance (task -1, global); Redundant
// is asked after each Pick: true ends the execution as equivalent to a
// schedule explored already (EndEquivalent).
type Reducer interface {
	Stepped(task int, fp *Footprint)
	Redundant() bool
}

// Dependent reports whether steps with footprints f and g do not commute.
func (f *Footprint) Dependent(g *Footprint) bool {
	if f.Global || g.Global {
		return true
	}
	for _, a := range f.res {
		for _, b := range g.res {
			if a.key == b.key && (a.write || b.write) {
				return true
			}
		}
	}
	return false
}

// Clone returns a copy of f.
func (f *Footprint) Clone() Footprint {
	return Footprint{Global: f.Global, Runnable: f.Runnable, res: append([]resource(nil), f.res...)}
}

func (f *Footprint) reset() {
	f.Global, f.Runnable = false, false
	f.res = f.res[:0]
}

func (f *Footprint) add(key uint64, write bool) {
	for i := range f.res {
		if f.res[i].key == key {
			f.res[i].write = f.res[i].write || write
			return
		}
	}
	f.res = append(f.res, resource{key, write})
}

// Footprint records that the running step read (or wrote) the shared
// resource kind/name (e.g. "struct phylink_pcs", "lynx-pcs.0"). It costs
// nothing unless the chooser reduces by footprints.
func (s *Sim) Footprint(kind, name string, write bool) {
	if s.fp != nil { // inlined: campaigns pay one test
		s.fp.record(kind, name, write)
	}
}

func (f *Footprint) record(kind, name string, write bool) {
	f.add(fnv(fnv(fnvOffset, kind)^0xff, name), write)
}

// Stamp returns the virtual time for a value the model keeps in its state
// (a time stamp a later check compares): the running step becomes
// dependent with every other, as one that queues a timed event, because
// the value depends on how many steps ran before it. Report-only time
// stamps use Now.
func (s *Sim) Stamp() Time {
	s.footprintGlobal()
	return s.now
}

// footprintGlobal marks the running step (or event) dependent with every
// other one.
func (s *Sim) footprintGlobal() {
	if s.fp != nil {
		s.fp.Global = true
	}
}
