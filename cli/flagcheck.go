package cli

import (
	"flag"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/scenarios"
	"github.com/pcssim/pcssim/sim"
)

// flagChecks validate the value of each flag, by name, whatever command
// has it: parse runs them on every flag (given or default) before the
// command reads a file, so a bad value is a usage error (exit 2) that
// names the flag, never a silent default.
var flagChecks = map[string]func(v string, fs *flag.FlagSet) error{
	"jobs":        intRange("--jobs", 0, maxJobs, " (0: one per CPU)"),
	"depth":       intRange("--depth", 1, 10, ""),
	"preemptions": intRange("--preemptions", 0, 10, ""),
	"time-budget": func(v string, _ *flag.FlagSet) error {
		if d, _ := time.ParseDuration(v); d < 0 {
			return usagef("--time-budget %s: want a positive duration such as 30s or 5m (0: no budget)", v)
		}
		return nil
	},
	"format": oneOf("--format", "output format", []string{"text", "json"}),
	"explore": func(v string, fs *flag.FlagSet) error {
		if replays(fs) {
			// rapid's schedules (pcssimtest.Check) replay too.
			return oneOf("--explore", "explorer", scenarios.ReplayExplorers)(v, fs)
		}
		return oneOf("--explore", "explorer", exploreIDs())(v, fs)
	},
	"kernel":   oneOf("--kernel", "kernel version", devmodel.VersionNames),
	"property": oneOf("--property", "property", scenarios.AllProperties),
	"strategy": func(v string, _ *flag.FlagSet) error { return knownStrategy("--strategy", v) },
	"strategies": func(v string, _ *flag.FlagSet) error {
		if v == "" {
			return nil
		}
		ids := strings.Split(v, ",")
		for i, id := range ids {
			if id == "" {
				return usagef("--strategies %q: an empty name (want a,b,...)", v)
			}
			if slices.Contains(ids[:i], id) {
				return usagef("--strategies %q: %s named twice", v, id)
			}
			if err := knownStrategy("--strategies", id); err != nil {
				return err
			}
		}
		return nil
	},
	"seed": func(v string, fs *flag.FlagSet) error {
		if v == "" {
			return nil
		}
		text, fp := v, ""
		if replays(fs) {
			// An execution seed as run printed it: SEED@FINGERPRINT.
			text, fp = scenarios.SplitFingerprint(v)
		}
		if _, err := strconv.ParseUint(text, 10, 64); err != nil {
			if replays(fs) {
				return usagef("--seed %q is not a non-negative integer below 2^64, optionally with @FINGERPRINT", v)
			}
			return usagef("--seed %q is not a non-negative integer below 2^64", v)
		}
		return fingerprintSyntax("--seed", v, fp)
	},
	"schedule": func(v string, _ *flag.FlagSet) error {
		if v == "" {
			return nil
		}
		text, fp := scenarios.SplitFingerprint(v)
		if _, err := sim.DecodeSchedule(text); err != nil {
			return usagef("--schedule: %v", err)
		}
		return fingerprintSyntax("--schedule", v, fp)
	},
	"seeds": func(v string, fs *flag.FlagSet) error {
		if v == "" {
			return nil
		}
		if exploreOf(fs) == "dfs" {
			if n, err := strconv.Atoi(v); err != nil || n < 1 {
				return usagef("--seeds %q: with --explore dfs, --seeds is a limit on executions (a count of at least 1)", v)
			}
			return nil
		}
		_, _, err := (&common{seeds: v}).seedList()
		return err
	},
	"shard": func(v string, fs *flag.FlagSet) error {
		if v != "" && exploreOf(fs) == "dfs" {
			return usagef("--shard applies to seeded explorers (random, swarm, pct), not dfs")
		}
		_, _, err := (&common{shard: v}).shardRange(0)
		return err
	},
}

// replays reports whether fs is replay's or shrink's: their --seed and
// --schedule name one execution, stamped with a fingerprint.
func replays(fs *flag.FlagSet) bool { return fs.Name() == "replay" || fs.Name() == "shrink" }

// fingerprintSyntax rejects a value v of flag name stamped with fp (""
// when v has none) that cannot be a fingerprint; whether it is the
// fingerprint of this scenario and these flags is checked once the
// scenario is loaded.
func fingerprintSyntax(name, v, fp string) error {
	if strings.Contains(v, "@") {
		if err := scenarios.CheckFingerprintSyntax(fp); err != nil {
			return usagef("%s: %v", name, err)
		}
	}
	return nil
}

// checkFlags runs flagChecks on the flags of fs, in name order.
func checkFlags(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if check := flagChecks[f.Name]; check != nil && err == nil {
			err = check(f.Value.String(), fs)
		}
	})
	return err
}

func intRange(name string, lo, hi int, note string) func(string, *flag.FlagSet) error {
	return func(v string, _ *flag.FlagSet) error {
		if n, err := strconv.Atoi(v); err != nil || n < lo || n > hi {
			return usagef("%s %s out of range (%d to %d%s)", name, v, lo, hi, note)
		}
		return nil
	}
}

// oneOf accepts "" (the default) and the names of known, each a what.
func oneOf(name, what string, known []string) func(string, *flag.FlagSet) error {
	return func(v string, _ *flag.FlagSet) error {
		if v == "" || slices.Contains(known, v) {
			return nil
		}
		return usagef("%s: unknown %s %q%s; known: %s", name, what, v, scenarios.DidYouMean(v, known), strings.Join(known, ", "))
	}
}

// knownStrategy rejects a strategy nobody registered ("" is the
// scenario's).
func knownStrategy(name, id string) error {
	if _, err := pcs.NewStrategy(id, pcs.Options{}); id != "" && err != nil {
		return usagef("%s: %v%s; known: %s", name, err, scenarios.DidYouMean(id, pcs.StrategyIDs()), strings.Join(pcs.StrategyIDs(), ", "))
	}
	return nil
}

// exploreOf is the value of the command's --explore ("" if it has none).
func exploreOf(fs *flag.FlagSet) string {
	if f := fs.Lookup("explore"); f != nil {
		return f.Value.String()
	}
	return ""
}

func exploreIDs() []string {
	var ids []string
	for _, e := range scenarios.Explorers {
		ids = append(ids, e[0])
	}
	return ids
}

// badValue matches the flag package's errors for a value it cannot parse.
var badValue = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]+): `)

// flagError rewrites an error of the flag package as pcssim says it: an
// unknown flag with the closest known one, a bad value with what the flag
// wants.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		var known []string
		fs.VisitAll(func(f *flag.Flag) { known = append(known, "--"+f.Name) })
		name = "--" + strings.TrimLeft(name, "-")
		hint := ""
		if best := scenarios.DidYouMean(name, known); best != "" {
			hint = strings.ReplaceAll(best, `"`, "")
		}
		return usagef("unknown flag %s%s; see 'pcssim %s --help'", name, hint, fs.Name())
	}
	if m := badValue.FindStringSubmatch(msg); m != nil {
		value, name := m[1], m[2]
		want := "a value"
		if g, ok := fs.Lookup(name).Value.(flag.Getter); ok {
			switch g.Get().(type) {
			case bool:
				want = "true or false (written --" + name + "=false)"
			case int:
				want = "an integer"
			case time.Duration:
				want = "a duration such as 30s or 5m"
			}
		}
		return usagef("--%s %s: want %s; see 'pcssim %s --help'", name, value, want, fs.Name())
	}
	return usagef("%s; see 'pcssim %s --help'", strings.Replace(msg, " -", " --", 1), fs.Name())
}

// boolValueApart rejects "--state-cache false": a boolean flag takes its
// value after "=", so the flag package would set it to true and take
// "false" for a file. args[i] is the first positional argument.
func boolValueApart(fs *flag.FlagSet, args []string, i int) error {
	if i == 0 || (args[i] != "true" && args[i] != "false") {
		return nil
	}
	name := strings.TrimLeft(args[i-1], "-")
	if f := fs.Lookup(name); f != nil && !strings.Contains(name, "=") {
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			return usagef("write --%s=%s: a boolean flag takes its value after '='", name, args[i])
		}
	}
	return nil
}
