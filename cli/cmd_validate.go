package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/pcssim/pcssim/scenarios"
)

// stdin is what `pcssim validate -` reads (a variable for tests).
var stdin io.Reader = os.Stdin

// stdinName names the scenario read from standard input in errors.
const stdinName = "<stdin>"

// cmdValidate loads each scenario and prints "FILE: ok" or its problems,
// one FILE:LINE:COL: line each; "-" reads the scenario from standard input.
func cmdValidate(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("validate", "FILE... | -", stderr)
	files, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, usagef("no scenario given (a file, a shipped scenario's name, or - for standard input)")
	}
	bad := false
	for _, f := range files {
		name := f
		var err error
		if f == "-" {
			name = stdinName
			_, err = loadStdin()
		} else {
			_, err = loadScenario(f)
		}
		if err != nil {
			fmt.Fprintln(stdout, err)
			bad = true
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", name)
	}
	if bad {
		return exitUsage, nil
	}
	return exitOK, nil
}

// loadStdin loads the scenario on standard input, named <stdin>.
func loadStdin() (*scenarios.Scenario, error) {
	// One byte more than the loader accepts: it says the file is too big.
	data, err := io.ReadAll(io.LimitReader(stdin, scenarios.MaxFileSize+1))
	if err != nil {
		return nil, usagef("reading standard input: %v", err)
	}
	return scenarios.Load(stdinName, data)
}
