package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// common holds the flags shared by the subcommands.
type common struct {
	// prog is the command that runs pcssim again (see progName), for the
	// command lines the subcommand prints.
	prog     string
	strategy string
	kernel   string
	explore  string
	depth    int
	seed     string
	seeds    string
	schedule string
	jobs     int
	format   string
	shard    string
	// preemptions bounds dfs; timeBudget stops launching executions.
	preemptions int
	stateCache  bool
	reduction   bool
	timeBudget  time.Duration
}

// cmdFlags is a subcommand's flag set with its usage text.
type cmdFlags struct {
	*flag.FlagSet
	stderr io.Writer
	usage  string
}

// newFlagSet returns the flag set of a subcommand. The flag package prints
// nothing itself: --help prints the usage (parse does), a bad flag gives one
// line (exit 2).
func newFlagSet(name, usage string, stderr io.Writer) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, stderr: stderr, usage: usage}
}

// printUsage writes the usage and the flags to stderr.
func (f *cmdFlags) printUsage() {
	fmt.Fprintf(f.stderr, "usage: pcssim %s %s\n\nflags:\n", f.Name(), f.usage)
	f.SetOutput(f.stderr)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}

func (c *common) register(fs *flag.FlagSet, withSeeds bool) {
	fs.StringVar(&c.strategy, "strategy", "", "lifetime strategy (default: the scenario's)")
	fs.StringVar(&c.kernel, "kernel", "", "kernel version the model follows: "+strings.Join(devmodel.VersionNames, ", ")+" (default: the scenario's kernel:, else "+devmodel.DefaultVersion.String()+")")
	fs.StringVar(&c.explore, "explore", "random", "explorer: random, swarm, pct or dfs")
	fs.IntVar(&c.depth, "depth", 3, "PCT bug depth")
	fs.StringVar(&c.seed, "seed", "", "master seed (run) or execution seed (replay, shrink)")
	if withSeeds {
		fs.StringVar(&c.seeds, "seeds", "", "number of executions (default 1000), or execution seeds like 1,2,5-10; with dfs a limit (default 1000000)")
		fs.StringVar(&c.shard, "shard", "", "run only the I-th of N disjoint slices of the executions (I/N)")
		fs.IntVar(&c.preemptions, "preemptions", 2, "dfs: preemption bound")
		fs.BoolVar(&c.stateCache, "state-cache", true, "dfs: end an execution at a state explored before (false: run every schedule to its end)")
		fs.BoolVar(&c.reduction, "reduction", true, "dfs: partial-order reduction, skip schedules equivalent to explored ones (false: run every schedule within the bound)")
		fs.DurationVar(&c.timeBudget, "time-budget", 0, "stop launching executions after this wall time (e.g. 30s)")
		fs.IntVar(&c.jobs, "jobs", 0, "executions run in parallel (0: one per CPU)")
		fs.StringVar(&c.format, "format", "text", "output format: text or json")
	}
}

// parse parses flags anywhere among the positional arguments and checks
// their values (flagChecks).
func parse(fs *cmdFlags, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printUsage()
				return nil, err
			}
			return nil, flagError(fs.FlagSet, err)
		}
		if fs.NArg() == 0 {
			return pos, checkFlags(fs.FlagSet)
		}
		if err := boolValueApart(fs.FlagSet, args, len(args)-fs.NArg()); err != nil {
			return nil, err
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// strategyFor picks the strategy for sc: the flag, else the scenario's.
func (c *common) strategyFor(sc *scenarios.Scenario) (string, error) {
	st := c.strategy
	if st == "" {
		st = sc.Strategy
	}
	if st == "" {
		st = "none"
	}
	if _, err := pcs.NewStrategy(st, pcs.Options{}); err != nil {
		return "", usagef("%v (known: %s)", err, strings.Join(pcs.StrategyIDs(), ", "))
	}
	return st, nil
}

// Limits of the command line (docs/limits.md).
const (
	// maxJobs bounds --jobs: each job is a thread.
	maxJobs = 1024
	// maxExecutions bounds the executions of one run (--seeds).
	maxExecutions = 1_000_000_000_000
)

// useCPUs makes --jobs N use N CPUs (GOMAXPROCS, so the garbage collector
// too stays within them: a CI job running several shards side by side gets
// what it asked for). It returns the function that restores the setting,
// or a usage error when --jobs is out of range.
func (c *common) useCPUs() (func(), error) {
	if c.jobs < 0 || c.jobs > maxJobs {
		return nil, usagef("--jobs %d out of range (0 to %d; 0: one per CPU)", c.jobs, maxJobs)
	}
	if c.jobs == 0 {
		return func() {}, nil
	}
	prev := runtime.GOMAXPROCS(c.jobs)
	// N workers share one live heap, so at the same GC percentage they
	// collect N times as often per execution as N single-job processes
	// would: scale the target so --jobs N pays what N processes pay.
	if c.jobs > 1 && os.Getenv("GOGC") == "" {
		gc := debug.SetGCPercent(gcPercent * c.jobs)
		return func() { runtime.GOMAXPROCS(prev); debug.SetGCPercent(gc) }, nil
	}
	return func() { runtime.GOMAXPROCS(prev) }, nil
}

// seedsArg is --seeds with its default.
func (c *common) seedsArg() string {
	if c.seeds == "" {
		return "1000"
	}
	return c.seeds
}

// seedList expands --seed/--seeds into the number of executions and the
// execution seed of each: a count N means executions 0..N-1 of the master
// seed (--seed, default 1); a list like 1,2,5-10 gives execution seeds.
func (c *common) seedList() (int, func(i int) uint64, error) {
	master := uint64(1)
	if c.seed != "" {
		v, err := strconv.ParseUint(c.seed, 10, 64)
		if err != nil {
			return 0, nil, usagef("--seed %q is not a non-negative integer", c.seed)
		}
		master = v
	}
	seeds := c.seedsArg()
	if n, err := strconv.Atoi(seeds); err == nil {
		if n < 1 || n > maxExecutions {
			return 0, nil, usagef("--seeds %d out of range (1 to 10^12)", n)
		}
		return n, func(i int) uint64 { return sim.ExecutionSeed(master, i) }, nil
	}
	// A list is kept as its ranges (never expanded: 0-10000000 is two
	// numbers), ends[k] counting the seeds of ranges 0..k.
	var ranges [][2]uint64
	var ends []int
	total := 0
	for _, part := range strings.Split(seeds, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.ParseUint(lo, 10, 64)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.ParseUint(hi, 10, 64)
		}
		if err1 != nil || err2 != nil || b < a {
			return 0, nil, usagef("--seeds %q: want a count or a list like 1,2,5-10", seeds)
		}
		if b-a >= maxExecutions || total+int(b-a)+1 > maxExecutions {
			return 0, nil, usagef("--seeds %q: more than 10^12 executions", seeds)
		}
		total += int(b-a) + 1
		ranges = append(ranges, [2]uint64{a, b})
		ends = append(ends, total)
	}
	return total, func(i int) uint64 {
		k, _ := slices.BinarySearch(ends, i+1)
		start := 0
		if k > 0 {
			start = ends[k-1]
		}
		return ranges[k][0] + uint64(i-start)
	}, nil
}

// chooser returns the chooser for replay/shrink, --schedule or --seed,
// and the name of the execution ("schedule", "seed 7"). A value stamped
// with a fingerprint (SCHEDULE@FP, SEED@FP) must have been recorded under
// rec: otherwise the error names the flags that differ. stamped reports
// whether it was.
func (c *common) chooser(rec scenarios.Recording) (ch sim.Chooser, origin string, stamped bool, err error) {
	switch {
	case c.schedule != "" && c.seed != "":
		return nil, "", false, usagef("give --seed or --schedule, not both")
	case c.schedule != "":
		text, fp := scenarios.SplitFingerprint(c.schedule)
		s, err := sim.DecodeSchedule(text)
		if err != nil {
			return nil, "", false, usagef("--schedule: %v", err)
		}
		if fp != "" {
			if err := rec.Check("schedule", fp); err != nil {
				return nil, "", false, usagef("--schedule: %v", err)
			}
		}
		return sim.NewReplay(s), "schedule", fp != "", nil
	case c.seed != "":
		text, fp := scenarios.SplitFingerprint(c.seed)
		v, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			return nil, "", false, usagef("--seed %q is not a non-negative integer, optionally with @FINGERPRINT", c.seed)
		}
		if fp != "" {
			if err := rec.Check("seed", fp); err != nil {
				return nil, "", false, usagef("--seed: %v", err)
			}
		}
		ex, err := c.seededExplorer(rec.Scenario, rec.Strategy)
		if err != nil {
			return nil, "", false, err
		}
		return ex.New(v), "seed " + text, fp != "", nil
	}
	return nil, "", false, usagef("give --seed N or --schedule S")
}

// loadScenario opens a scenario: the problems of a bad file come back as
// the *scenarios.LoadError, which Run prints as FILE:LINE:COL: lines with
// nothing before them (exit 2).
func loadScenario(arg string) (*scenarios.Scenario, error) {
	sc, err := scenarios.Open(arg)
	if err != nil {
		var le *scenarios.LoadError
		if errors.As(err, &le) {
			return nil, le
		}
		return nil, usagef("%v", err)
	}
	return sc, nil
}

// loadScenario loads a scenario and applies --kernel.
func (c *common) loadScenario(arg string) (*scenarios.Scenario, error) {
	sc, err := loadScenario(arg)
	if err != nil || c.kernel == "" {
		return sc, err
	}
	v, err := devmodel.ParseVersion(c.kernel)
	if err != nil {
		return nil, usagef("--kernel: %v", err)
	}
	if sc, err = sc.WithKernel(v); err != nil {
		return nil, err // a *scenarios.LoadError
	}
	return sc, nil
}

// flagSet reports whether flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
