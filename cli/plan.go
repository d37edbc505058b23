package cli

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/pcssim/pcssim/scenarios"
)

// plan says which executions a run performs and how to describe one.
type plan struct {
	explore string
	// rec is what the executions are recorded under: their seeds and
	// schedules replay with its flags and fingerprint.
	rec scenarios.Recording
	// total is the number of executions planned (dfs: the limit).
	total int
	// drive runs the executions, calling visit for each in a fixed order;
	// it returns the dfs summary for dfs, else nil.
	drive func(visit func(o scenarios.Outcome) bool) *scenarios.DFSResult
	// origin names an execution ("seed N") and the replay flags for it.
	origin func(o *scenarios.Outcome) (origin, again string)
	// interrupt, once true, stops drive inside the executions in flight
	// (a signal, --time-budget); nil: never.
	interrupt *atomic.Bool
}

// dfsLimit caps a dfs run unless --seeds gives another limit.
const dfsLimit = 1_000_000

// plan builds the run's plan from the flags.
func (c *common) plan(sc *scenarios.Scenario, st string) (*plan, error) {
	if c.explore == "dfs" {
		return c.dfsPlan(sc, st)
	}
	ex, err := c.seededExplorer(sc, st)
	if err != nil {
		return nil, err
	}
	n, seed, err := c.seedList()
	if err != nil {
		return nil, err
	}
	lo, hi, err := c.shardRange(n)
	if err != nil {
		return nil, err
	}
	rec := scenarios.Recording{Scenario: sc, Strategy: st, Explore: ex.Name(), Depth: c.depth}
	pl := &plan{
		explore: ex.Name(),
		rec:     rec,
		total:   hi - lo,
		origin: func(o *scenarios.Outcome) (string, string) {
			return fmt.Sprintf("seed %d", o.Seed), "--seed " + rec.StampSeed(o.Seed)
		},
	}
	pl.drive = func(visit func(o scenarios.Outcome) bool) *scenarios.DFSResult {
		shifted := func(i int) uint64 { return seed(lo + i) }
		scenarios.CampaignUntil(sc, st, ex, hi-lo, shifted, c.jobs, pl.interrupt, func(o scenarios.Outcome) bool {
			o.Index += lo
			return visit(o)
		})
		return nil
	}
	return pl, nil
}

// seededExplorer returns the explorer of --explore, which must make an
// execution from a seed (not dfs).
func (c *common) seededExplorer(sc *scenarios.Scenario, st string) (scenarios.Explorer, error) {
	if c.depth < 1 || c.depth > 10 {
		return nil, usagef("--depth must be between 1 and 10")
	}
	switch c.explore {
	case "dfs":
		return nil, usagef("dfs executions are named by --schedule, not --seed")
	case "rapid":
		return nil, usagef("rapid's executions are named by --schedule, not --seed (go test -rapid.seed replays a rapid seed)")
	}
	ex, ok := scenarios.NewExplorer(c.explore, sc, st, c.depth)
	if !ok {
		return nil, usagef("unknown explorer %q (known: random, swarm, pct, dfs)", c.explore)
	}
	return ex, nil
}

func (c *common) dfsPlan(sc *scenarios.Scenario, st string) (*plan, error) {
	if c.preemptions < 0 || c.preemptions > 10 {
		return nil, usagef("--preemptions must be between 0 and 10")
	}
	if c.shard != "" {
		return nil, usagef("--shard applies to seeded explorers (random, swarm, pct), not dfs")
	}
	limit := dfsLimit
	if c.seeds != "" {
		n, err := strconv.Atoi(c.seeds)
		if err != nil || n < 1 {
			return nil, usagef("with --explore dfs, --seeds is a limit on executions (a count)")
		}
		limit = n
	}
	rec := scenarios.Recording{Scenario: sc, Strategy: st, Explore: "dfs"}
	pl := &plan{
		explore: "dfs",
		rec:     rec,
		total:   limit,
		origin: func(o *scenarios.Outcome) (string, string) {
			return fmt.Sprintf("dfs schedule %d", o.Index), "--schedule " + rec.Stamp(o.Result.Schedule)
		},
	}
	pl.drive = func(visit func(o scenarios.Outcome) bool) *scenarios.DFSResult {
		r := scenarios.ExploreDFS(sc, st, scenarios.DFSOptions{Preemptions: c.preemptions, Limit: limit, NoCache: !c.stateCache,
			NoReduce: !c.reduction, Interrupt: pl.interrupt}, visit)
		return &r
	}
	return pl, nil
}

// shardRange returns the slice [lo, hi) of n executions that --shard I/N
// selects: contiguous, disjoint, covering all n over I = 1..N.
func (c *common) shardRange(n int) (int, int, error) {
	if c.shard == "" {
		return 0, n, nil
	}
	is, ns, ok := strings.Cut(c.shard, "/")
	i, err1 := strconv.Atoi(is)
	k, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || k < 1 || i < 1 || i > k {
		return 0, 0, usagef("--shard %q: want I/N with 1 <= I <= N", c.shard)
	}
	return shardBound(i-1, n, k), shardBound(i, n, k), nil
}

// shardBound is i*n/k without overflow (i <= k, n <= 10^12, k up to the
// largest int: the product may not fit in 64 bits).
func shardBound(i, n, k int) int {
	hi, lo := bits.Mul64(uint64(i), uint64(n))
	q, _ := bits.Div64(hi, lo, uint64(k))
	return int(q)
}
