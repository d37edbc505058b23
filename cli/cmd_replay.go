package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

func strategyDocs() [][2]string {
	var out [][2]string
	for _, id := range pcs.StrategyIDs() {
		s, _ := pcs.NewStrategy(id, pcs.Options{})
		out = append(out, [2]string{id, s.Doc()})
	}
	return out
}

// replaySetup parses the flags of replay and shrink and runs the execution
// they name with tracing.
func replaySetup(name string, args []string, stderr io.Writer) (*scenarios.Scenario, string, string, scenarios.Result, *flagExtras, error) {
	var c common
	var x flagExtras
	fs := newFlagSet(name, "FILE --seed N | --schedule S [flags]", stderr)
	c.register(fs.FlagSet, false)
	fs.StringVar(&c.schedule, "schedule", "", "schedule string printed by run")
	scheduleFile := fs.String("schedule-file", "", "read the schedule from `FILE` (for one longer than the command line allows)")
	if name == "replay" {
		fs.BoolVar(&x.verbose, "v", false, "print the full trace")
		fs.StringVar(&x.trace, "trace", "", "write a Chrome Trace Event JSON file (opens in Perfetto)")
		fs.StringVar(&x.mermaid, "mermaid", "", "write a Mermaid sequence diagram")
		x.html = htmlFlag(fs.FlagSet)
	}
	if name == "shrink" {
		fs.StringVar(&x.property, "property", "", "the violated property to keep while shrinking (default: the execution's first)")
	}
	files, err := parse(fs, args)
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	if len(files) != 1 {
		return nil, "", "", scenarios.Result{}, nil, usagef("give exactly one scenario")
	}
	if *scheduleFile != "" {
		if c.schedule != "" {
			return nil, "", "", scenarios.Result{}, nil, usagef("give --schedule or --schedule-file, not both")
		}
		if c.schedule, err = readSchedule(*scheduleFile); err != nil {
			return nil, "", "", scenarios.Result{}, nil, err
		}
	}
	sc, err := c.loadScenario(files[0])
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	st, err := c.strategyFor(sc)
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	ch, origin, err := c.chooser(sc, st)
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	x.explore, x.recorded, x.origin = c.explore, c.explore, origin
	if c.schedule != "" && c.explore != "swarm" {
		x.explore = "replay"
	}
	x.again = "--seed " + scenarios.ShellQuote(c.seed) + " --explore " + scenarios.ShellQuote(c.explore)
	if c.schedule != "" {
		x.again = "--schedule " + scenarios.ShellQuote(c.schedule)
		if *scheduleFile != "" {
			x.again = "--schedule-file " + scenarios.ShellQuote(*scheduleFile)
		}
		if c.explore == "swarm" {
			x.again += " --explore swarm"
		}
	}
	res, err := scenarios.Execute(sc, st, ch, scenarios.Trace|scenarios.ModeOf(c.explore))
	x.crash = err
	return sc, st, origin, res, &x, nil
}

// crashed prints the crash of the execution that replay or shrink ran
// (replay -v: its trace up to the crash first, on stdout) and returns
// exitCrash.
func (x *flagExtras) crashed(sc *scenarios.Scenario, st string, stdout, stderr io.Writer) int {
	if x.verbose {
		fmt.Fprint(stdout, sim.RenderTrace(crashTrace(x.crash)))
	}
	crashReport(stderr, sc, st, x.recorded, x.origin, x.again, x.crash)
	return exitCrash
}

type flagExtras struct {
	verbose        bool
	trace, mermaid string
	// html is replay's --html (nil for shrink).
	html *string
	// property is shrink's --property: the violation to keep.
	property string
	// explore is the explorer that reports name ("replay" for a schedule);
	// recorded is the one the execution was made by (--explore).
	explore, recorded string
	// origin names the execution ("seed 7", "schedule") and again are the
	// flags that replay it.
	origin, again string
	// crash is the execution's crash, if it crashed.
	crash error
}

func cmdReplay(args []string, stdout, stderr io.Writer) (int, error) {
	sc, st, origin, res, x, err := replaySetup("replay", args, stderr)
	if err != nil {
		return 0, err
	}
	if x.crash != nil {
		return x.crashed(sc, st, stdout, stderr), nil
	}
	if res.TraceTruncated && (x.verbose || x.trace != "" || x.mermaid != "") {
		return 0, usagef("the execution ran %d steps; a trace holds at most %d entries (docs/limits.md): replay without -v, --trace and --mermaid, or lower max_steps",
			res.Steps, scenarios.MaxTraceSteps)
	}
	if x.verbose {
		fmt.Fprint(stdout, sim.RenderTrace(res.Trace))
	}
	if x.trace != "" {
		if err := os.WriteFile(x.trace, chromeTrace(sc, st, res.Trace, res.Findings), 0o644); err != nil {
			return 0, usagef("%v", err)
		}
	}
	if x.mermaid != "" {
		if err := os.WriteFile(x.mermaid, []byte(mermaid(sc, res.Trace, res.Findings)), 0o644); err != nil {
			return 0, usagef("%v", err)
		}
	}
	if x.html != nil && *x.html != "" {
		if err := replayHTML(*x.html, args, sc, st, x.explore, origin, &res); err != nil {
			return 0, err
		}
	}
	fmt.Fprintf(stdout, "scenario %s, strategy %s, kernel %s: %d steps, ended at t=%s (%s)\n", sc.Name, st, sc.Kernel, res.Steps, res.EndTime, res.End)
	if len(res.Findings) == 0 {
		fmt.Fprintln(stdout, "no violation")
		return exitOK, nil
	}
	for i, f := range res.Findings {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		scenarios.WriteReport(stdout, sc, st, x.explore, origin, &res, f)
	}
	return exitViolation, nil
}

func cmdShrink(args []string, stdout, stderr io.Writer) (int, error) {
	// A signal (or a second one, forcing the exit) may come during a
	// long shrink: it stops the candidate running, and shrink reports the
	// smallest schedule found so far.
	stop := newStopper(0, stderr)
	defer stop.release()
	sc, st, origin, res, x, err := replaySetup("shrink", args, stderr)
	if err != nil {
		return 0, err
	}
	if x.crash != nil {
		return x.crashed(sc, st, stdout, stderr), nil
	}
	if len(res.Findings) == 0 {
		fmt.Fprintf(stdout, "scenario %s, strategy %s, %s: no violation to shrink\n", sc.Name, st, origin)
		return exitOK, nil
	}
	prop := res.Findings[0].Property
	if x.property != "" {
		if !slices.Contains(scenarios.AllProperties, x.property) {
			return 0, usagef("--property: unknown property %q (known: %s)", x.property, strings.Join(scenarios.AllProperties, ", "))
		}
		if !slices.Contains(res.Violated(), x.property) {
			return 0, usagef("--property %s: %s violates %s, not %s", x.property, origin, strings.Join(res.Violated(), ", "), x.property)
		}
		prop = x.property
	}
	keep := func(s sim.Schedule) bool {
		if stop.why() != "" {
			return false
		}
		r, err := scenarios.ExecuteUntil(sc, st, sim.NewReplay(s), scenarios.ModeOf(x.explore)|scenarios.NoRecord, stop.interrupt())
		return err == nil && r.End != sim.EndInterrupted && slices.Contains(r.Violated(), prop)
	}
	small := sim.Shrink(res.Schedule, keep, 20000)
	out, err := scenarios.Traced(sc, st, x.explore, small)
	if err != nil {
		// The shrunk schedule crashes where the original did not.
		x.origin, x.again, x.crash = "shrunk from "+origin, "--schedule "+small.Encode(), err
		return x.crashed(sc, st, stdout, stderr), nil
	}
	var f sim.Finding
	for _, g := range out.Findings {
		if g.Property == prop {
			f = g
		}
	}
	if why := stop.why(); why != "" {
		fmt.Fprintf(stdout, "shrink stopped (%s): the smallest schedule so far\n", why)
	}
	fmt.Fprintf(stdout, "shrunk %s from %d choices to %d (%d steps to %d)\n\n", prop, len(res.Schedule), len(small), res.Steps, out.Steps)
	scenarios.WriteReport(stdout, sc, st, x.explore, strings.Replace(origin, "seed", "shrunk from seed", 1), &out, f)
	if code := stop.exitCode(); code != 0 {
		return code, nil
	}
	return exitViolation, nil
}

// maxScheduleFile bounds --schedule-file: far more than the schedule of an
// execution at the largest max_steps needs.
const maxScheduleFile = 256 << 20

// readSchedule reads the schedule text of --schedule-file (surrounding
// white space, such as a final newline, ignored).
func readSchedule(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usagef("--schedule-file: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScheduleFile+1))
	if err != nil {
		return "", usagef("--schedule-file: %v", err)
	}
	if len(data) > maxScheduleFile {
		return "", usagef("--schedule-file %s: more than %d bytes", path, maxScheduleFile)
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return "", usagef("--schedule-file %s: empty", path)
	}
	return s, nil
}
