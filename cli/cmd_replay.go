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
func replaySetup(prog, name string, args []string, stderr io.Writer) (*scenarios.Scenario, string, string, scenarios.Result, *flagExtras, error) {
	c := common{prog: prog}
	var x flagExtras
	fs := newFlagSet(name, "FILE --seed N[@FP] | --schedule S[@FP] [flags]", stderr)
	c.register(fs.FlagSet, false)
	fs.StringVar(&c.schedule, "schedule", "", "schedule printed by run (SCHEDULE@FINGERPRINT)")
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
	if !slices.Contains(scenarios.ReplayExplorers, c.explore) {
		return nil, "", "", scenarios.Result{}, nil, usagef("unknown explorer %q (known: %s)", c.explore, strings.Join(scenarios.ReplayExplorers, ", "))
	}
	if c.depth < 1 || c.depth > 10 {
		return nil, "", "", scenarios.Result{}, nil, usagef("--depth must be between 1 and 10")
	}
	sc, err := c.loadScenario(files[0])
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	st, err := c.strategyFor(sc)
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	x.rec = scenarios.Recording{Scenario: sc, Strategy: st, Explore: c.explore, Depth: c.depth}
	ch, origin, stamped, err := c.chooser(x.rec)
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	if c.schedule != "" && !stamped {
		fmt.Fprintf(stderr, "pcssim %s: warning: the schedule carries no @FINGERPRINT: nothing checks that it was recorded on this scenario with these --strategy, --explore and --kernel\n", name)
	}
	x.origin = origin
	// The flag that replays the execution, stamped with what it ran under.
	seed, _ := scenarios.SplitFingerprint(c.seed)
	x.again = "--seed " + scenarios.ShellQuote(seed+"@"+x.rec.Fingerprint())
	if c.schedule != "" {
		sched, _ := scenarios.SplitFingerprint(c.schedule)
		x.again = "--schedule " + scenarios.ShellQuote(sched+"@"+x.rec.Fingerprint())
		if *scheduleFile != "" {
			x.again = "--schedule-file " + scenarios.ShellQuote(*scheduleFile)
		}
	}
	res, err := scenarios.Execute(sc, st, ch, scenarios.Trace|scenarios.ModeOf(c.explore))
	x.crash = err
	return sc, st, origin, res, &x, nil
}

// crashed prints the crash of the execution that replay or shrink ran
// (replay -v: its trace up to the crash first, on stdout) and returns
// exitCrash.
func (x *flagExtras) crashed(prog string, stdout, stderr io.Writer) int {
	if x.verbose {
		fmt.Fprint(stdout, sim.RenderTrace(crashTrace(x.crash)))
	}
	crashReport(stderr, prog, x.rec, x.origin, x.again, x.crash)
	return exitCrash
}

type flagExtras struct {
	verbose        bool
	trace, mermaid string
	// html is replay's --html (nil for shrink).
	html *string
	// property is shrink's --property: the violation to keep.
	property string
	// rec is what the flags say the execution was recorded under.
	rec scenarios.Recording
	// origin names the execution ("seed 7", "schedule") and again is the
	// flag that replays it.
	origin, again string
	// crash is the execution's crash, if it crashed.
	crash error
}

func cmdReplay(prog string, args []string, stdout, stderr io.Writer) (int, error) {
	sc, st, origin, res, x, err := replaySetup(prog, "replay", args, stderr)
	if err != nil {
		return 0, err
	}
	if x.crash != nil {
		return x.crashed(prog, stdout, stderr), nil
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
		if err := replayHTML(*x.html, prog, args, x.rec, origin, &res); err != nil {
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
		scenarios.WriteReport(stdout, prog, x.rec, origin, &res, f)
	}
	return exitViolation, nil
}

func cmdShrink(prog string, args []string, stdout, stderr io.Writer) (int, error) {
	// A signal (or a second one, forcing the exit) may come during a
	// long shrink: it stops the candidate running, and shrink reports the
	// smallest schedule found so far.
	stop := newStopper(0, stderr)
	defer stop.release()
	sc, st, origin, res, x, err := replaySetup(prog, "shrink", args, stderr)
	if err != nil {
		return 0, err
	}
	if x.crash != nil {
		return x.crashed(prog, stdout, stderr), nil
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
		r, err := scenarios.ExecuteUntil(sc, st, sim.NewReplay(s), scenarios.ModeOf(x.rec.Explore)|scenarios.NoRecord, stop.interrupt())
		return err == nil && r.End != sim.EndInterrupted && slices.Contains(r.Violated(), prop)
	}
	small := sim.Shrink(res.Schedule, keep, 20000)
	out, err := scenarios.Traced(sc, st, x.rec.Explore, small)
	if err != nil {
		// The shrunk schedule crashes where the original did not.
		x.origin, x.again, x.crash = "shrunk from "+origin, "--schedule "+x.rec.Stamp(small), err
		return x.crashed(prog, stdout, stderr), nil
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
	scenarios.WriteReport(stdout, prog, x.rec, strings.Replace(origin, "seed", "shrunk from seed", 1), &out, f)
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
