package cli

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"slices"

	"github.com/pcssim/pcssim/scenarios"
)

// coverage aggregates what a run's executions reached.
type coverage struct {
	pairs  map[uint64]struct{}
	faults map[string]int // executions in which "FAULT during TASK" happened
}

type coverageJSON struct {
	InterleavingPairs int             `json:"interleaving_pairs"`
	FaultsInFlight    []faultCoverage `json:"faults_in_flight"`
	// PairSet lists the distinct pairs of a shard (see encodePairs), for
	// merge to count them over all shards; the unsharded run omits it.
	PairSet string `json:"pair_set,omitempty"`
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

// write prints the coverage lines of the text summary.
func (c *coverage) write(w io.Writer) { writeCoverage(w, c.json()) }

// writeCoverage prints the coverage lines of the text summary: the number
// of distinct interleaving pairs and the most frequent faults in flight.
func writeCoverage(w io.Writer, j *coverageJSON) {
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

// pairSet encodes the distinct pairs for a shard's JSON.
func (c *coverage) pairSet() string {
	pairs := make([]uint64, 0, len(c.pairs))
	for p := range c.pairs {
		pairs = append(pairs, p)
	}
	slices.Sort(pairs)
	var buf []byte
	prev := uint64(0)
	for _, p := range pairs {
		buf = binary.AppendUvarint(buf, p-prev)
		prev = p
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}

// addPairSet adds the pairs of a shard's pair_set.
func (c *coverage) addPairSet(s string) error {
	buf, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	prev := uint64(0)
	for len(buf) > 0 {
		d, n := binary.Uvarint(buf)
		if n <= 0 {
			return fmt.Errorf("bad pair_set")
		}
		prev += d
		c.pairs[prev] = struct{}{}
		buf = buf[n:]
	}
	return nil
}

// addShard adds the coverage of a shard's JSON (its pair_set and faults
// in flight).
func (c *coverage) addShard(j *coverageJSON) error {
	if j == nil {
		return nil
	}
	if j.PairSet == "" && j.InterleavingPairs > 0 {
		return fmt.Errorf("no pair_set (written by an older pcssim)")
	}
	if err := c.addPairSet(j.PairSet); err != nil {
		return err
	}
	for _, f := range j.FaultsInFlight {
		c.faults[f.What] += f.Executions
	}
	return nil
}
