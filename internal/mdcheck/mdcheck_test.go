package mdcheck

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const doc = "# Title\n" +
	"\n" +
	"pcssim is prose, not a command.\n" +
	"\n" +
	"    go run ./cmd/pcssim run scenarios/a.yaml --strategy none   # exit 1: a violation\n" +
	"    go test ./...\n" +
	"\n" +
	"1. A list item:\n" +
	"\n" +
	"       pcssim replay a.yaml --schedule 'A B' \"x\\\"y\"\n" +
	"\n" +
	"```\n" +
	"$ pcssim run racy-release --explore dfs\n" +
	"first line\n" +
	"...\n" +
	"last line   \n" +
	"$ go version\n" +
	"go version go1.26\n" +
	"```\n" +
	"\n" +
	"```yaml\n" +
	"name: x\n" +
	"```\n" +
	"\n" +
	"| world | verdict |\n" +
	"|---|---|\n" +
	"| a | `x|y`, z |\n" +
	"| b | no violation |\n" +
	"\n" +
	"| not a table |\n" +
	"\n" +
	"    $ pcssim replay a.yaml --schedule AA@X   # exit 2\n" +
	"    pcssim replay: an error that starts like a command\n"

func TestCommands(t *testing.T) {
	got, err := Commands("doc.md", doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []Command{
		{File: "doc.md", Line: 5, Text: "go run ./cmd/pcssim run scenarios/a.yaml --strategy none",
			Args: []string{"run", "scenarios/a.yaml", "--strategy", "none"}, Comment: "exit 1: a violation"},
		{File: "doc.md", Line: 10, Text: `pcssim replay a.yaml --schedule 'A B' "x\"y"`,
			Args: []string{"replay", "a.yaml", "--schedule", "A B", `x"y`}},
		{File: "doc.md", Line: 13, Text: "pcssim run racy-release --explore dfs",
			Args: []string{"run", "racy-release", "--explore", "dfs"}, Output: []string{"first line", "...", "last line"}},
		{File: "doc.md", Line: 32, Text: "pcssim replay a.yaml --schedule AA@X", Comment: "exit 2",
			Args: []string{"replay", "a.yaml", "--schedule", "AA@X"}, Output: []string{"    pcssim replay: an error that starts like a command"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestCommandsUnterminatedQuote(t *testing.T) {
	if _, err := Commands("doc.md", "    pcssim run 'a\n"); err == nil {
		t.Error("an unterminated quote gave no error")
	}
}

func TestBlocks(t *testing.T) {
	got := Blocks("doc.md", doc)
	want := []Block{
		{File: "doc.md", Line: 12, Text: "$ pcssim run racy-release --explore dfs\nfirst line\n...\nlast line   \n$ go version\ngo version go1.26\n"},
		{File: "doc.md", Line: 21, Info: "yaml", Text: "name: x\n"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestTables(t *testing.T) {
	got := Tables("doc.md", doc)
	want := []Table{{File: "doc.md", Line: 25, Header: []string{"world", "verdict"},
		Rows: [][]string{{"a", "`x|y`, z"}, {"b", "no violation"}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}
