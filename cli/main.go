package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"

	"github.com/pcssim/pcssim/scenarios"
)

// Exit statuses of DESIGN.md.
const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
	exitCrash     = 3
	// exitInterrupted is the shell's status for SIGINT (128+2).
	exitInterrupted = 130
	// exitTerminated and exitHangup are the shell's statuses for SIGTERM
	// (128+15) and SIGHUP (128+1).
	exitTerminated = 143
	exitHangup     = 129
)

// usageError is bad input: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const topUsage = `pcssim — deterministic simulator of PCS lifetimes in the Linux driver model

usage:
  pcssim run FILE... [flags]        explore executions, report violations
  pcssim replay FILE --seed N[@FP] | --schedule S[@FP]
  pcssim shrink FILE --seed N[@FP] | --schedule S[@FP]
  pcssim compare FILE [--strategies a,b] [--seeds N]
  pcssim merge SHARD.json...        combine the JSON of --shard runs
  pcssim validate FILE... | -       check scenario files (-: standard input)
  pcssim list [--format json]

FILE is a scenario path or the name of a shipped scenario.
Run 'pcssim COMMAND --help' for the flags of a command.
`

// gcPercent is the garbage collector's target unless GOGC is set: every
// execution builds a small world (~10 KB) and drops it, the live heap stays
// a few megabytes, so the default target (100) runs a collection every few
// hundred executions; at 400 throughput rises ~20 % on one job and ~70 % on
// two (docs/performance.md).
const gcPercent = 400

// memLimit is the garbage collector's soft memory limit unless GOMEMLIMIT
// is set: with gcPercent the heap may grow to five times what is live,
// which for the one traced execution of a report at the largest limits
// (a trace of scenarios.MaxTraceSteps, ~200 MB live) meant 0.9 GB; the
// limit collects more often instead once the heap nears it
// (docs/limits.md). Campaigns, whose live heap is a few MB, never reach it.
const memLimit = 512 << 20

// Main is the pcssim command: it runs Run on the process's arguments and
// exits with its status. A program that imports packages registering more
// lifetime strategies (pcs.RegisterStrategy in their init) and calls Main is
// a pcssim that knows those strategies by name (docs/extending.md).
func Main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memLimit)
	}
	bi, _ := debug.ReadBuildInfo()
	prog := progName(os.Args[0], bi)
	// PCSSIM_CPUPROFILE=FILE writes a CPU profile of the whole run (for
	// `go tool pprof`), to measure where time goes.
	if f := os.Getenv("PCSSIM_CPUPROFILE"); f != "" {
		if out, err := os.Create(f); err == nil {
			pprof.StartCPUProfile(out)
			code := run(prog, os.Args[1:], os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			out.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(prog, os.Args[1:], os.Stdout, os.Stderr))
}

// Run runs the pcssim command line args (without the program name),
// writing to stdout and stderr, and returns the exit status of DESIGN.md.
// The commands it prints to replay or shrink a violation start with
// "pcssim"; Main prints how the user ran it ("go run ./cmd/pcssim" under
// go run).
func Run(args []string, stdout, stderr io.Writer) int {
	return run(defaultProg, args, stdout, stderr)
}

// run is Run for the program prog (see progName).
func run(prog string, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, topUsage)
		return exitOK
	case "help": // pcssim help [CMD]
		if len(args) == 1 {
			fmt.Fprint(stdout, topUsage)
			return exitOK
		}
		args = []string{args[1], "--help"}
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	}
	cmds := map[string]func(string, []string, io.Writer, io.Writer) (int, error){
		"run": cmdRun, "replay": cmdReplay, "shrink": cmdShrink, "compare": cmdCompare,
		"validate": noProg(cmdValidate), "list": noProg(cmdList), "merge": noProg(cmdMerge),
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		names := make([]string, 0, len(cmds))
		for n := range cmds {
			names = append(names, n)
		}
		slices.Sort(names)
		fmt.Fprintf(stderr, "pcssim: unknown command %q%s\n%s", args[0], scenarios.DidYouMean(args[0], names), topUsage)
		return exitUsage
	}
	out := &checkedWriter{w: stdout}
	if asksHelp(args[1:]) {
		stderr = out // help asked for goes to stdout
	}
	code, err := cmd(prog, args[1:], out, stderr)
	if out.err != nil {
		// Results that did not reach stdout (a full disk, a closed pipe)
		// must not pass for a clean run.
		fmt.Fprintf(stderr, "pcssim %s: writing the results: %v\n", args[0], out.err)
		if code < exitInterrupted {
			code = exitUsage
		}
		return code
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var le *scenarios.LoadError
	if errors.As(err, &le) {
		// FILE:LINE:COL: message, nothing before it: what editors'
		// problem matchers and go vet's users expect.
		fmt.Fprintln(stderr, le)
		return exitUsage
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "pcssim %s: %v\n", args[0], err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "pcssim %s: %v\n", args[0], err)
		return exitCrash
	}
	return code
}

// noProg adapts a command that prints no command line to the signature of
// those that do (their first argument: the program, see progName).
func noProg(cmd func([]string, io.Writer, io.Writer) (int, error)) func(string, []string, io.Writer, io.Writer) (int, error) {
	return func(_ string, args []string, stdout, stderr io.Writer) (int, error) { return cmd(args, stdout, stderr) }
}

// checkedWriter passes writes to w until one fails, keeps that error and
// drops the writes after it.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	c.err = err
	return n, err
}

// asksHelp reports whether a subcommand's arguments ask for its help.
func asksHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help", "--h":
			return true
		case "--":
			return false
		}
	}
	return false
}

// versionLine is --version: the module path, its version and the VCS
// revision the binary was built from (debug.ReadBuildInfo).
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "pcssim (no build information)"
	}
	rev, dirty := "unknown", ""
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " (modified)"
			}
		}
	}
	return fmt.Sprintf("pcssim %s (module %s, revision %s%s, %s)", bi.Main.Version, bi.Main.Path, rev, dirty, bi.GoVersion)
}
