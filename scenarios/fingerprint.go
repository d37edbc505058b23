package scenarios

import (
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pcssim/pcssim/devmodel"
	"github.com/pcssim/pcssim/pcs"
	"github.com/pcssim/pcssim/sim"
)

// Recording names what an execution was made under: the scenario (its
// world, and the kernel version it follows), the lifetime strategy and the
// explorer. A schedule or a seed names the same execution only under the
// same recording; its Fingerprint lets replay tell which flag differs
// instead of replaying another execution.
type Recording struct {
	Scenario *Scenario
	Strategy string
	// Explore is the explorer that made the execution: random, swarm,
	// pct, dfs, or rapid (pcssimtest.Check).
	Explore string
	// Depth is pct's bug depth (DefaultDepth when zero); other explorers
	// have none.
	Depth int
}

// DefaultDepth is pct's bug depth unless --depth says otherwise.
const DefaultDepth = 3

// ReplayExplorers are the explorers whose schedules replay and shrink
// take: the command line's and pcssimtest.Check's rapid.
var ReplayExplorers = []string{"random", "swarm", "pct", "dfs", "rapid"}

// fingerprintLen is the length of a fingerprint: one character (6 bits)
// per slot of fingerprintParts.
const fingerprintLen = 10

// fingerprintParts are the components of a fingerprint, each a hash of its
// value in base64url characters: the scenario 30 bits (a content
// collision of two versions of one file is 1 in 10^9), strategy and
// explorer 12 bits, the kernel version 6 bits. Known values of the short
// components never collide (TestFingerprintPartsDistinct), so a
// mismatch can name the value recorded.
var fingerprintParts = []struct {
	name  string
	chars int
}{{"scenario", 5}, {"strategy", 2}, {"explore", 2}, {"kernel", 1}}

const fpAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// Fingerprint is the short fingerprint of r: 10 base64url characters
// hashing the scenario's content, the strategy, the explorer (with pct's
// depth) and the kernel version.
func (r Recording) Fingerprint() string {
	vals := r.parts()
	var b strings.Builder
	for i, p := range fingerprintParts {
		b.WriteString(fpHash(p.name, vals[i], p.chars))
	}
	return b.String()
}

// parts are r's values of fingerprintParts.
func (r Recording) parts() [4]string {
	return [4]string{scenarioContent(r.Scenario), r.Strategy, r.explorer(), r.Scenario.Kernel.String()}
}

// explorer is the explore component: the name, with pct's depth.
func (r Recording) explorer() string {
	if r.Explore == "pct" {
		d := r.Depth
		if d == 0 {
			d = DefaultDepth
		}
		return "pct --depth " + strconv.Itoa(d)
	}
	return r.Explore
}

// ExploreLabel names r's explorer in reports: "pct (depth 5)" when pct's
// depth is not the default, else the explorer's name.
func (r Recording) ExploreLabel() string {
	if r.Explore == "pct" && r.Depth != 0 && r.Depth != DefaultDepth {
		return fmt.Sprintf("pct (depth %d)", r.Depth)
	}
	return r.Explore
}

// fpHash hashes value in its component's namespace to chars base64url
// characters.
func fpHash(component, value string, chars int) string {
	h := fnv.New64a()
	h.Write([]byte(component))
	h.Write([]byte{0})
	h.Write([]byte(value))
	v := fmix64(h.Sum64())
	out := make([]byte, chars)
	for i := range out {
		out[i] = fpAlphabet[v>>58]
		v <<= 6
	}
	return string(out)
}

// fmix64 is MurmurHash3's finalizer: FNV-1a alone leaves its top bits
// nearly equal for values that differ in the last byte ("pct --depth 1",
// "pct --depth 2").
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// scenarioContent is what of sc decides its executions: every field of
// the loaded scenario (the world, events, faults, horizon, step budget,
// properties) but its name, description, default strategy, kernel (a
// component of its own), sometimes, unreachable, expect and path, which
// change no execution. Comments and formatting of the file are not in it.
// It is a canonical rendering of the struct, not the scenario format
// (Marshal): a field added to Scenario counts without a word here, and
// counts only where it is set, so the schedules of the scenarios that do
// not use a new feature keep their fingerprints. An empty list the loader
// sets (remove: [], shutdown: []) is set: the driver has no step, where
// without the key it has the default steps, or no ->shutdown.
func scenarioContent(sc *Scenario) string {
	c := *sc
	c.Name, c.Description, c.Strategy, c.Path = "", "", "", ""
	c.Kernel, c.FileKernel = 0, 0
	c.Sometimes, c.Unreachable, c.Expect, c.ExpectOrder = nil, nil, nil, nil
	var b strings.Builder
	canonical(&b, reflect.ValueOf(c))
	return b.String()
}

// canonical writes v: struct fields by name, those at their zero value
// (nil slices, maps and pointers, not empty ones) left out; map entries
// in key order.
func canonical(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		b.WriteByte('{')
		for i := range v.NumField() {
			f, fv := v.Type().Field(i), v.Field(i)
			if !f.IsExported() || fv.IsZero() {
				continue
			}
			b.WriteString(f.Name)
			b.WriteByte(':')
			canonical(b, fv)
			b.WriteByte(';')
		}
		b.WriteByte('}')
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteByte('&')
		canonical(b, v.Elem())
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			canonical(b, v.Index(i))
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
		b.WriteByte('{')
		for _, k := range keys {
			canonical(b, k)
			b.WriteByte(':')
			canonical(b, v.MapIndex(k))
			b.WriteByte(';')
		}
		b.WriteByte('}')
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	default: // numbers and booleans
		fmt.Fprint(b, v.Interface())
	}
}

// Flags are the command-line flags that select r beyond the scenario
// file: --strategy always, --kernel when the scenario follows another
// kernel than its file says, --explore unless random, and --depth for pct
// unless the default. Values are shell-quoted.
func (r Recording) Flags() string {
	s := " --strategy " + ShellQuote(r.Strategy) + KernelFlag(r.Scenario)
	if r.Explore != "" && r.Explore != "random" {
		s += " --explore " + ShellQuote(r.Explore)
	}
	if r.Explore == "pct" && r.Depth != 0 && r.Depth != DefaultDepth {
		s += " --depth " + strconv.Itoa(r.Depth)
	}
	return s
}

// Stamp is the text of schedule that replay and shrink take: the encoded
// schedule, '@' and r's fingerprint.
func (r Recording) Stamp(schedule sim.Schedule) string {
	return schedule.Encode() + "@" + r.Fingerprint()
}

// StampSeed is the text of an execution seed that replay and shrink take:
// the seed, '@' and r's fingerprint.
func (r Recording) StampSeed(seed uint64) string {
	return strconv.FormatUint(seed, 10) + "@" + r.Fingerprint()
}

// ReplayCommand is the command line, run by prog ("pcssim", "go run
// ./cmd/pcssim"), that replays schedule under r: the file name and the
// flag values shell-quoted (see ShellQuote), the schedule stamped.
func (r Recording) ReplayCommand(prog string, schedule sim.Schedule) string {
	return fmt.Sprintf("%s replay %s%s --schedule %s", prog, ShellQuote(r.Scenario.Path), r.Flags(), r.Stamp(schedule))
}

// SplitFingerprint splits the text of a --schedule or --seed into its
// value and its fingerprint ("" when it carries none).
func SplitFingerprint(text string) (value, fingerprint string) {
	if i := strings.LastIndexByte(text, '@'); i >= 0 {
		return text[:i], text[i+1:]
	}
	return text, ""
}

// ErrNoFingerprint is Check's error for a fingerprint that is not one.
var ErrNoFingerprint = errors.New("not a pcssim fingerprint (10 characters of A-Z, a-z, 0-9, - and _)")

// CheckFingerprintSyntax returns an error wrapping ErrNoFingerprint when
// fp, the text after '@' in a --schedule or --seed, cannot be a
// fingerprint: the command line rejects it before reading any file.
func CheckFingerprintSyntax(fp string) error {
	if len(fp) != fingerprintLen || strings.Trim(fp, fpAlphabet) != "" {
		return fmt.Errorf("%q after @ is %w", fp, ErrNoFingerprint)
	}
	return nil
}

// Check compares fingerprint fp, of a schedule or seed (what), with r and
// returns nil when they agree, else an error that names each flag that
// differs and the value recorded when it is one pcssim knows: "this
// schedule was recorded with --strategy module-ref, not phylink-notify".
func (r Recording) Check(what, fp string) error {
	if err := CheckFingerprintSyntax(fp); err != nil {
		return err
	}
	vals := r.parts()
	var diffs []string
	at := 0
	for i, p := range fingerprintParts {
		rec := fp[at : at+p.chars]
		at += p.chars
		if rec == fpHash(p.name, vals[i], p.chars) {
			continue
		}
		diffs = append(diffs, r.describe(p.name, rec, p.chars))
	}
	if len(diffs) == 0 {
		return nil
	}
	return fmt.Errorf("this %s was recorded %s: replaying it here would run another execution", what, strings.Join(diffs, ", and "))
}

// describe says how component name, recorded as hash rec, differs from r.
func (r Recording) describe(name, rec string, chars int) string {
	known := func(cands []string) string {
		for _, c := range cands {
			if fpHash(name, c, chars) == rec {
				return c
			}
		}
		return ""
	}
	switch name {
	case "scenario":
		s := "on another scenario than " + r.Scenario.Path + " (or another version of it: its world, faults, events, horizon, max_steps or properties differ)"
		for _, n := range Shipped() {
			if o, err := Open(n); err == nil && fpHash(name, scenarioContent(o), chars) == rec {
				return fmt.Sprintf("on the shipped scenario scenarios/%s.yaml, not %s", n, r.Scenario.Path)
			}
		}
		return s
	case "strategy":
		if v := known(pcs.StrategyIDs()); v != "" {
			return fmt.Sprintf("with --strategy %s, not %s", v, r.Strategy)
		}
		return fmt.Sprintf("with another --strategy than %s (one this pcssim does not know: a pcssim built with more strategies?)", r.Strategy)
	case "explore":
		var cands []string
		for _, e := range ReplayExplorers {
			if e == "pct" {
				for d := 1; d <= 10; d++ {
					cands = append(cands, (Recording{Explore: "pct", Depth: d}).explorer())
				}
				continue
			}
			cands = append(cands, e)
		}
		if v := known(cands); v != "" {
			return fmt.Sprintf("with --explore %s, not --explore %s", v, r.explorer())
		}
		return fmt.Sprintf("with another --explore than %s", r.explorer())
	default: // kernel
		if v := known(devmodel.VersionNames); v != "" {
			return fmt.Sprintf("with --kernel %s, not %s", v, r.Scenario.Kernel)
		}
		return fmt.Sprintf("with another --kernel than %s", r.Scenario.Kernel)
	}
}
