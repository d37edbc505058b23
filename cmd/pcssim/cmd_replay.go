package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"pcssim/pcs"
	"pcssim/scenarios"
	"pcssim/sim"
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
	if name == "replay" {
		fs.BoolVar(&x.verbose, "v", false, "print the full trace")
		fs.StringVar(&x.trace, "trace", "", "write a Chrome Trace Event JSON file (opens in Perfetto)")
		fs.StringVar(&x.mermaid, "mermaid", "", "write a Mermaid sequence diagram")
	}
	files, err := parse(fs, args)
	if err != nil {
		return nil, "", "", scenarios.Result{}, nil, err
	}
	if len(files) != 1 {
		return nil, "", "", scenarios.Result{}, nil, usagef("give exactly one scenario")
	}
	sc, err := loadScenario(files[0])
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
	x.explore = c.explore
	if c.schedule != "" && c.explore != "swarm" {
		x.explore = "replay"
	}
	res, err := scenarios.Execute(sc, st, ch, scenarios.Trace|scenarios.ModeOf(c.explore))
	if err != nil {
		again := "--seed " + c.seed + " --explore " + c.explore
		if c.schedule != "" {
			again = "--schedule " + c.schedule
			if c.explore == "swarm" {
				again += " --explore swarm"
			}
		}
		crashReport(stderr, sc, st, origin, again, err)
		return nil, "", "", res, nil, fmt.Errorf("simulator crash")
	}
	return sc, st, origin, res, &x, nil
}

type flagExtras struct {
	verbose        bool
	trace, mermaid string
	explore        string
}

func cmdReplay(args []string, stdout, stderr io.Writer) (int, error) {
	sc, st, origin, res, x, err := replaySetup("replay", args, stderr)
	if err != nil {
		return 0, err
	}
	if x.verbose {
		fmt.Fprint(stdout, sim.RenderTrace(res.Trace))
	}
	if x.trace != "" {
		if err := os.WriteFile(x.trace, chromeTrace(res.Trace), 0o644); err != nil {
			return 0, usagef("%v", err)
		}
	}
	if x.mermaid != "" {
		if err := os.WriteFile(x.mermaid, []byte(mermaid(sc, res.Trace)), 0o644); err != nil {
			return 0, usagef("%v", err)
		}
	}
	fmt.Fprintf(stdout, "scenario %s, strategy %s: %d steps, ended at t=%s (%s)\n", sc.Name, st, res.Steps, res.EndTime, res.End)
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
	sc, st, origin, res, x, err := replaySetup("shrink", args, stderr)
	if err != nil {
		return 0, err
	}
	if len(res.Findings) == 0 {
		fmt.Fprintf(stdout, "scenario %s, strategy %s, %s: no violation to shrink\n", sc.Name, st, origin)
		return exitOK, nil
	}
	prop := res.Findings[0].Property
	keep := func(s sim.Schedule) bool {
		r, err := scenarios.Execute(sc, st, sim.NewReplay(s), scenarios.ModeOf(x.explore)|scenarios.NoRecord)
		return err == nil && slices.Contains(r.Violated(), prop)
	}
	small := sim.Shrink(res.Schedule, keep, 20000)
	out, err := scenarios.Traced(sc, st, x.explore, small)
	if err != nil {
		return 0, err
	}
	var f sim.Finding
	for _, g := range out.Findings {
		if g.Property == prop {
			f = g
		}
	}
	fmt.Fprintf(stdout, "shrunk %s from %d choices to %d (%d steps to %d)\n\n", prop, len(res.Schedule), len(small), res.Steps, out.Steps)
	scenarios.WriteReport(stdout, sc, st, x.explore, strings.Replace(origin, "seed", "shrunk from seed", 1), &out, f)
	return exitViolation, nil
}
