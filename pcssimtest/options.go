package pcssimtest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// knob is one of the package's flags with its environment twin.
type knob struct {
	value     *string
	flag, env string
}

func newKnob(name, env, usage string) knob {
	return knob{flag.String(name, "", "pcssimtest: "+usage+" (env "+env+")"), name, env}
}

// The command-line flags of a test binary that imports pcssimtest, each
// with its environment twin (see the package doc).
var (
	seedsKnob    = newKnob("pcssim.seeds", "PCSSIM_SEEDS", "executions per Run, overriding Options.Seeds (default 200, dfs 1000000)")
	seedKnob     = newKnob("pcssim.seed", "PCSSIM_SEED", "master seed, overriding Options.Seed (default 1)")
	exploreKnob  = newKnob("pcssim.explore", "PCSSIM_EXPLORE", "explorer random, swarm, pct or dfs, overriding Options.Explore (default random)")
	preemptKnob  = newKnob("pcssim.preemptions", "PCSSIM_PREEMPTIONS", "dfs preemption bound 0 to 10, overriding Options.Preemptions (default 2)")
	jobsKnob     = newKnob("pcssim.jobs", "PCSSIM_JOBS", "executions run in parallel, overriding Options.Jobs (default 0: one per CPU)")
	scheduleKnob = newKnob("pcssim.schedule", "PCSSIM_SCHEDULE", "replay only this schedule")
)

// get returns the flag's value, else its environment twin's, and where it
// came from; ok is false when neither is set.
func (k knob) get() (value, from string, ok bool) {
	if *k.value != "" {
		return *k.value, "-" + k.flag, true
	}
	if v := os.Getenv(k.env); v != "" {
		return v, k.env, true
	}
	return "", "", false
}

// integer resolves an integer setting: the flag, else the environment,
// else field (zero: def), each checked against [lo, hi].
func (k knob) integer(name string, field, def, lo, hi int) (int, error) {
	if s, from, ok := k.get(); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%s %q: want an integer from %d to %d", from, s, lo, hi)
		}
		return n, nil
	}
	if field == 0 {
		return def, nil
	}
	if field < lo || field > hi {
		return 0, fmt.Errorf("Options.%s %d: want %d to %d (0: the default)", name, field, lo, hi)
	}
	return field, nil
}

// Options configure Run. A zero field takes the default; a flag or its
// environment twin, when given, overrides the field (the flag wins over
// the environment, which wins over Options), so a long campaign is a
// command line away: PCSSIM_SEEDS=1000000 go test -run TestMyBoard.
type Options struct {
	// Strategy is the lifetime strategy (default: the scenario's).
	Strategy string
	// Seeds is the number of executions (default 200); with dfs, the
	// most executions the search may take (default 1 000 000).
	// -pcssim.seeds, PCSSIM_SEEDS.
	Seeds int
	// Seed is the master seed (default 1). -pcssim.seed, PCSSIM_SEED.
	Seed uint64
	// Explore is random, swarm, pct or dfs (default random). dfs runs
	// every schedule within the preemption bound, and fails the test if
	// Seeds executions do not exhaust them. -pcssim.explore,
	// PCSSIM_EXPLORE.
	Explore string
	// Preemptions is dfs's preemption bound, 0 to 10 (default 2);
	// NoPreemption asks for a bound of 0. -pcssim.preemptions,
	// PCSSIM_PREEMPTIONS.
	Preemptions int
	// Jobs runs executions in parallel (default: one per CPU); results do
	// not depend on it. -pcssim.jobs, PCSSIM_JOBS.
	Jobs int
	// Sometimes adds situations the campaign must reach at least once, as
	// substrings of "FAULT during TASK" (see the scenario key sometimes).
	Sometimes []string
	// FailDir is where failing schedules persist (default
	// testdata/pcssim/<TestName>).
	FailDir string
}

// NoPreemption is the Options.Preemptions value for a dfs bound of 0.
const NoPreemption = -1

// maxJobs bounds Jobs, as pcssim's --jobs.
const maxJobs = 1024

// resolve applies the flags and the environment over o, fills the
// defaults and checks every value: a bad one is an error naming where it
// came from, never a silent default. It also returns the schedule of
// -pcssim.schedule, if one is given.
func (o Options) resolve(t testing.TB, sc *scenarios.Scenario) (Options, sim.Schedule, error) {
	if o.Strategy == "" {
		o.Strategy = sc.Strategy
	}
	if o.Strategy == "" {
		o.Strategy = "none"
	}
	if _, err := pcs.NewStrategy(o.Strategy, pcs.Options{}); err != nil {
		return o, nil, fmt.Errorf("Options.Strategy: %v (known: %s)", err, strings.Join(pcs.StrategyIDs(), ", "))
	}
	from := "Options.Explore"
	if s, f, ok := exploreKnob.get(); ok {
		o.Explore, from = s, f
	}
	if o.Explore == "" {
		o.Explore = "random"
	}
	var known []string
	for _, e := range scenarios.Explorers {
		known = append(known, e[0])
	}
	if !slices.Contains(known, o.Explore) {
		return o, nil, fmt.Errorf("%s %q: unknown explorer (known: %s)", from, o.Explore, strings.Join(known, ", "))
	}
	seeds := 200
	if o.Explore == "dfs" {
		seeds = 1_000_000
	}
	var err error
	if o.Seeds, err = seedsKnob.integer("Seeds", o.Seeds, seeds, 1, 1_000_000_000_000); err != nil {
		return o, nil, err
	}
	if s, from, ok := seedKnob.get(); ok {
		if o.Seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			return o, nil, fmt.Errorf("%s %q: want an integer from 0 to 2^64-1", from, s)
		}
	} else if o.Seed == 0 {
		o.Seed = 1
	}
	_, _, preemptSet := preemptKnob.get()
	if o.Preemptions == NoPreemption && !preemptSet {
		o.Preemptions = 0
	} else if o.Preemptions, err = preemptKnob.integer("Preemptions", o.Preemptions, 2, 0, 10); err != nil {
		return o, nil, err
	}
	if o.Jobs, err = jobsKnob.integer("Jobs", o.Jobs, 0, 0, maxJobs); err != nil {
		return o, nil, err
	}
	if o.FailDir == "" {
		o.FailDir = filepath.Join("testdata", "pcssim", sanitize(t.Name()))
	}
	var sched sim.Schedule
	if s, from, ok := scheduleKnob.get(); ok {
		if sched, err = decodeStamped(s, recording(sc, o)); err != nil {
			return o, nil, fmt.Errorf("%s: %v", from, err)
		}
	}
	return o, sched, nil
}
