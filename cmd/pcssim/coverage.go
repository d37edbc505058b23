package main

import (
	"fmt"
	"io"
	"slices"

	"pcssim/scenarios"
)

// coverage aggregates what a run's executions reached.
type coverage struct {
	pairs  map[uint64]struct{}
	faults map[string]int // executions in which "FAULT during TASK" happened
}

type coverageJSON struct {
	InterleavingPairs int             `json:"interleaving_pairs"`
	FaultsInFlight    []faultCoverage `json:"faults_in_flight"`
}

type faultCoverage struct {
	What       string `json:"what"`
	Executions int    `json:"executions"`
}

func newCoverage() *coverage {
	return &coverage{pairs: map[uint64]struct{}{}, faults: map[string]int{}}
}

func (c *coverage) add(r *scenarios.Result) {
	if r.Coverage == nil {
		return
	}
	for _, p := range r.Coverage.Pairs {
		c.pairs[p] = struct{}{}
	}
	for k := range r.Coverage.Faults {
		c.faults[k]++
	}
}

func (c *coverage) json() *coverageJSON {
	out := &coverageJSON{InterleavingPairs: len(c.pairs), FaultsInFlight: []faultCoverage{}}
	for k, n := range c.faults {
		out.FaultsInFlight = append(out.FaultsInFlight, faultCoverage{What: k, Executions: n})
	}
	slices.SortFunc(out.FaultsInFlight, func(a, b faultCoverage) int {
		if a.Executions != b.Executions {
			return b.Executions - a.Executions
		}
		if a.What < b.What {
			return -1
		}
		if a.What > b.What {
			return 1
		}
		return 0
	})
	return out
}

// write prints the coverage lines of the text summary: the number of
// distinct interleaving pairs and the most frequent faults in flight.
func (c *coverage) write(w io.Writer) {
	j := c.json()
	fmt.Fprintf(w, "coverage: %d distinct interleaving pairs", j.InterleavingPairs)
	if len(j.FaultsInFlight) == 0 {
		fmt.Fprintln(w, "; no fault fired while another task was in flight")
		return
	}
	fmt.Fprintln(w, "; faults injected while a task was in flight (executions):")
	const show = 8
	for i, f := range j.FaultsInFlight {
		if i == show {
			fmt.Fprintf(w, "  ... and %d more\n", len(j.FaultsInFlight)-show)
			break
		}
		fmt.Fprintf(w, "  %-60s %d\n", f.What, f.Executions)
	}
}
