package scenarios

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

//go:embed *.yaml
var shipped embed.FS

// Shipped lists the names of the scenarios embedded in the binary.
func Shipped() []string {
	entries, _ := fs.Glob(shipped, "*.yaml")
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.TrimSuffix(e, ".yaml")
	}
	slices.Sort(out)
	return out
}

// Open loads a scenario from a path, or a shipped scenario by name. A path
// that does not exist and names a shipped file as reports print it
// ("scenarios/NAME.yaml") loads the embedded copy, so a printed replay
// command works from any directory.
func Open(arg string) (*Scenario, error) {
	data, err := os.ReadFile(arg)
	dir, file := path.Split(arg)
	if errors.Is(err, fs.ErrNotExist) && (dir == "" || dir == "scenarios/") {
		name := strings.TrimSuffix(file, ".yaml") + ".yaml"
		if d, e := shipped.ReadFile(path.Clean(name)); e == nil {
			return Load("scenarios/"+name, d)
		}
	}
	if err != nil {
		return nil, err
	}
	return Load(arg, data)
}
