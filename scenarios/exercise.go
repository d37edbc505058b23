package scenarios

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pcssim/pcssim/phylink"
)

// Condition is something a campaign must see happen at least once for its
// clean verdict to mean anything: a netdev that wants link got it, a fault
// fired, a PCS device went away while in use. Key is the observation
// (sim.Sim.Observe) that meets it.
type Condition struct {
	Key  string `json:"condition"`
	What string `json:"what"`
	// Required conditions (a netdev got link, a fault fired) make a
	// campaign that never meets them VACUOUS; the others ("in use": a
	// strategy may keep its PCS from ever going away in use, by design)
	// are reported only.
	Required bool `json:"required"`
	// Unreachable is the scenario's reason why the condition is never met
	// on purpose ("" when it must be met).
	Unreachable string `json:"unreachable,omitempty"`
}

// Conditions derives the exercise conditions of sc: each netdev that wants
// link (up, or the target of an ip-up) gets carrier; each fault fires
// (both required); each PCS device a departing fault or event takes away
// (unbind, remove, rmmod of its driver's module) is in use by a netdev
// then (reported: under device-link the consumer goes first, under
// module-ref an rmmod is refused, and that is their result); and each
// in-band netdev's transient link-without-pcs (reported when it happens).
func Conditions(sc *Scenario) []Condition {
	var out []Condition
	add := func(key, what string) {
		if !slices.ContainsFunc(out, func(c Condition) bool { return c.Key == key }) {
			required := strings.HasPrefix(key, phylink.ObsLink) || strings.HasPrefix(key, ObsFired)
			out = append(out, Condition{Key: key, What: what, Required: required, Unreachable: sc.unreachable(key)})
		}
	}
	for _, nd := range sc.Netdevs {
		if !nd.Up && !sc.targeted(nd.Name, "ip-up") {
			continue
		}
		what := nd.Name + " got carrier"
		if nd.PCS != "" {
			what += " through its PCS " + nd.PCS
		}
		add(phylink.ObsLink+nd.Name, what)
	}
	for _, f := range sc.Faults {
		name := f.Action + " " + f.Target
		add(ObsFired+name, "the fault "+name+" fired")
	}
	for _, d := range sc.Devices {
		if sc.driver(d.Driver).Kind != KindPCSProvider || !sc.departs(d) {
			continue
		}
		for _, nd := range sc.Netdevs {
			if !nd.Integrated && laneDevice(nd.PCS) == d.Name {
				add(phylink.ObsInUse+d.Name, d.Name+" went away while a netdev had link through it")
				break
			}
		}
	}
	for _, nd := range sc.Netdevs {
		if nd.PCS != "" {
			add(phylink.ObsTransient+nd.Name, nd.Name+" link up once after its PCS went, corrected by the next resolve (transient link-without-pcs, not a violation)")
		}
	}
	return out
}

// targeted reports whether an event or fault does action to target.
func (sc *Scenario) targeted(target, action string) bool {
	for _, e := range sc.Events {
		if e.Action == action && e.Target == target {
			return true
		}
	}
	for _, f := range sc.Faults {
		if f.Action == action && f.Target == target {
			return true
		}
	}
	return false
}

// departs reports whether an event or fault takes device d away: unbind or
// remove of d or an ancestor, or rmmod of its driver's module.
func (sc *Scenario) departs(d Device) bool {
	// At most one step per device: the loader reports a parent cycle but
	// goes on checking (FuzzLoad: a cycle hung the loader here).
	for dev, n := &d, 0; dev != nil && n <= len(sc.Devices); dev, n = sc.device(dev.Parent), n+1 {
		if sc.targeted(dev.Name, "unbind") || sc.targeted(dev.Name, "remove") {
			return true
		}
	}
	m := sc.driver(d.Driver).Module
	return m != "" && sc.targeted(m, "rmmod")
}

func (sc *Scenario) device(name string) *Device {
	for i := range sc.Devices {
		if sc.Devices[i].Name == name {
			return &sc.Devices[i]
		}
	}
	return nil
}

func (sc *Scenario) driver(name string) Driver {
	for _, d := range sc.Drivers {
		if d.Name == name {
			return d
		}
	}
	return Driver{}
}

// unreachable returns the scenario's reason for declaring condition key
// unreachable, or "".
func (sc *Scenario) unreachable(key string) string {
	for _, u := range sc.Unreachable {
		if u.Condition == key {
			return u.Why
		}
	}
	return ""
}

// Exercise counts, over a campaign, the executions that met each condition
// and how each fault turned out (took effect, refused with an errno, found
// its target already in that state).
type Exercise struct {
	Conditions []Condition
	Executions int
	counts     map[string]int
}

// NewExercise returns an empty count for sc's conditions.
func NewExercise(sc *Scenario) *Exercise {
	return &Exercise{Conditions: Conditions(sc), counts: map[string]int{}}
}

// Add counts one execution.
func (x *Exercise) Add(r *Result) {
	x.Executions++
	for _, k := range r.Observed {
		x.counts[k]++
	}
}

// ExerciseRow is one condition with the executions that met it and, for a
// fault, its outcomes.
type ExerciseRow struct {
	Condition
	Executions int `json:"executions"`
	// Outcomes of a fault: "took effect", "refused (EWOULDBLOCK)",
	// "unchanged", with their execution counts, in that order.
	Outcomes []FaultOutcome `json:"outcomes,omitempty"`
}

// FaultOutcome is one way a fault turned out and in how many executions.
type FaultOutcome struct {
	What       string `json:"what"`
	Executions int    `json:"executions"`
}

// Rows returns one row per condition, in condition order.
func (x *Exercise) Rows() []ExerciseRow {
	rows := make([]ExerciseRow, len(x.Conditions))
	for i, c := range x.Conditions {
		rows[i] = ExerciseRow{Condition: c, Executions: x.counts[c.Key]}
		name, ok := strings.CutPrefix(c.Key, ObsFired)
		if !ok {
			continue
		}
		if n := x.counts[ObsEffect+name]; n > 0 {
			rows[i].Outcomes = append(rows[i].Outcomes, FaultOutcome{"took effect", n})
		}
		var refused []string
		for k := range x.counts {
			if strings.HasPrefix(k, ObsRefused+name+" (") {
				refused = append(refused, k)
			}
		}
		slices.Sort(refused)
		for _, k := range refused {
			rows[i].Outcomes = append(rows[i].Outcomes, FaultOutcome{"refused " + strings.TrimPrefix(k, ObsRefused+name+" "), x.counts[k]})
		}
		if n := x.counts[ObsUnchanged+name]; n > 0 {
			rows[i].Outcomes = append(rows[i].Outcomes, FaultOutcome{"unchanged", n})
		}
	}
	return rows
}

// Unmet returns the rows of conditions no execution met that the scenario
// does not declare unreachable: a campaign with any is VACUOUS.
func Unmet(rows []ExerciseRow) []ExerciseRow {
	var out []ExerciseRow
	for _, r := range rows {
		if r.Required && r.Executions == 0 && r.Unreachable == "" {
			out = append(out, r)
		}
	}
	return out
}

// WriteExercise prints the rows as the text report's "exercised" block and,
// if judge is set and a condition is unmet, the VACUOUS line naming them.
func WriteExercise(w io.Writer, rows []ExerciseRow, executions int, judge bool) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "exercised (executions of %d):\n", executions)
	for _, r := range rows {
		if r.Executions == 0 && strings.HasPrefix(r.Key, phylink.ObsTransient) {
			continue // shown only when it happened
		}
		var notes []string
		for _, o := range r.Outcomes {
			notes = append(notes, fmt.Sprintf("%s %d", o.What, o.Executions))
		}
		if r.Unreachable != "" {
			notes = append(notes, "declared unreachable: "+r.Unreachable)
		}
		note := ""
		if len(notes) > 0 {
			note = "  (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintf(w, "  %-58s %7d%s\n", r.What, r.Executions, note)
	}
	if unmet := Unmet(rows); len(unmet) > 0 && judge {
		var whats []string
		for _, r := range unmet {
			whats = append(whats, fmt.Sprintf("%s [%s]", r.What, r.Key))
		}
		fmt.Fprintf(w, "VACUOUS: in none of %d executions: %s; a clean verdict here proves nothing (declare a condition under unreachable: if that is intended)\n",
			executions, strings.Join(whats, "; "))
	}
}

// AddExercise adds the rows of another shard of the same campaign to rows
// (same scenario, so the same conditions in the same order).
func AddExercise(rows, more []ExerciseRow) []ExerciseRow {
	out := slices.Clone(rows)
	for _, r := range more {
		i := slices.IndexFunc(out, func(x ExerciseRow) bool { return x.Key == r.Key })
		if i < 0 {
			out = append(out, r)
			continue
		}
		out[i].Executions += r.Executions
		for _, o := range r.Outcomes {
			j := slices.IndexFunc(out[i].Outcomes, func(x FaultOutcome) bool { return x.What == o.What })
			if j < 0 {
				out[i].Outcomes = append(slices.Clone(out[i].Outcomes), o)
			} else {
				out[i].Outcomes = slices.Clone(out[i].Outcomes)
				out[i].Outcomes[j].Executions += o.Executions
			}
		}
		// In Rows' order, whichever shard met an outcome first.
		slices.SortStableFunc(out[i].Outcomes, func(a, b FaultOutcome) int {
			if ra, rb := outcomeRank(a.What), outcomeRank(b.What); ra != rb {
				return ra - rb
			}
			return strings.Compare(a.What, b.What)
		})
	}
	return out
}

// outcomeRank orders fault outcomes as Rows does: took effect, refused
// (by errno), unchanged.
func outcomeRank(what string) int {
	switch {
	case what == "took effect":
		return 0
	case strings.HasPrefix(what, "refused "):
		return 1
	}
	return 2
}
