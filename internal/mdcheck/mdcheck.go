// Package mdcheck reads the parts of pcssim's Markdown documents that tests
// check against the program, so that the documents cannot drift from it:
// the pcssim commands they show (with the output shown after them), their
// fenced code blocks, and their tables.
//
// The rule for commands: in a code block (a fenced one, or a run of lines
// indented by four spaces or more, also inside a list item), a line whose
// text starts with "pcssim " or "go run ./cmd/pcssim " is a command. In a
// block that has lines starting with "$ ", only those are commands (the
// text after "$ ", when it invokes pcssim), and the lines after one up to
// the next "$ " line or the end of the block are the output it shows. A
// "#" that starts a word begins a comment.
package mdcheck

import (
	"fmt"
	"slices"
	"strings"
)

// Command is a pcssim command shown in a document.
type Command struct {
	File string // the document
	Line int    // 1-based line of the command
	// Text is the command as written, without "$ " and the comment.
	Text string
	// Args are the command's arguments after the program name, split as a
	// POSIX shell would split them (quotes removed, no expansion).
	Args []string
	// Comment is the text after "#", trimmed.
	Comment string
	// Output is the output shown after a "$ " command in a fenced block.
	Output []string
}

// Block is a fenced code block.
type Block struct {
	File string
	Line int    // 1-based line of the opening fence
	Info string // the info string (language), e.g. "yaml"
	Text string // the lines between the fences
}

// Table is a Markdown table.
type Table struct {
	File   string
	Line   int // 1-based line of the header
	Header []string
	Rows   [][]string // cells trimmed, in header order
}

// programs are the ways a document invokes pcssim.
var programs = []string{"pcssim ", "go run ./cmd/pcssim "}

// Commands returns the pcssim commands of the document src, named file.
func Commands(file string, src string) ([]Command, error) {
	var out []Command
	for _, b := range codeBlocks(src) {
		prompted := slices.ContainsFunc(b.lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "$ ") })
		output := false // the lines after a "$ " pcssim command are its output
		for i, line := range b.lines {
			trimmed := strings.TrimSpace(line)
			text, dollar := strings.CutPrefix(trimmed, "$ ")
			if dollar || !prompted {
				output = false
				if !isCommand(text) {
					continue
				}
				c, err := parse(file, b.first+i, text)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
				output = dollar
				continue
			}
			if output {
				out[len(out)-1].Output = append(out[len(out)-1].Output, strings.TrimRight(line, " \t"))
			}
		}
	}
	return out, nil
}

// codeBlock is the lines of a fenced block, or of a run of lines indented
// by four spaces or more (blank lines inside it included).
type codeBlock struct {
	first int // 1-based line of lines[0]
	lines []string
}

// codeBlocks splits src into its code blocks.
func codeBlocks(src string) []codeBlock {
	var out []codeBlock
	lines := strings.Split(src, "\n")
	indented := func(l string) bool { return strings.HasPrefix(strings.ReplaceAll(l, "\t", "    "), "    ") }
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if f := fenceOf(trimmed); f != "" {
			b := codeBlock{first: i + 2}
			for i++; i < len(lines); i++ {
				if t := strings.TrimSpace(lines[i]); strings.HasPrefix(t, f) && strings.Trim(t, f[:1]) == "" {
					break
				}
				b.lines = append(b.lines, lines[i])
			}
			out = append(out, b)
			continue
		}
		if !indented(lines[i]) || trimmed == "" {
			continue
		}
		b := codeBlock{first: i + 1}
		for ; i < len(lines) && (indented(lines[i]) || strings.TrimSpace(lines[i]) == ""); i++ {
			if fenceOf(strings.TrimSpace(lines[i])) != "" {
				break
			}
			b.lines = append(b.lines, lines[i])
		}
		i--
		for len(b.lines) > 0 && strings.TrimSpace(b.lines[len(b.lines)-1]) == "" {
			b.lines = b.lines[:len(b.lines)-1] // blank lines after the block
		}
		out = append(out, b)
	}
	return out
}

// isCommand reports whether text invokes pcssim.
func isCommand(text string) bool {
	for _, p := range programs {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

// fenceOf returns the fence a line opens or closes ("```" or "~~~", as
// long as written), or "".
func fenceOf(trimmed string) string {
	for _, c := range []string{"`", "~"} {
		n := len(trimmed) - len(strings.TrimLeft(trimmed, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// parse splits a command line into words as a POSIX shell does (single
// and double quotes, backslash escapes), stopping at a comment.
func parse(file string, line int, text string) (Command, error) {
	c := Command{File: file, Line: line}
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	end := len(text)
	runes := []rune(text)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				w.WriteRune(r)
			}
		case quote == '"':
			switch {
			case r == '"':
				quote = 0
			case r == '\\' && i+1 < len(runes) && strings.ContainsRune(`"\$`+"`", runes[i+1]):
				i++
				w.WriteRune(runes[i])
			default:
				w.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '\\' && i+1 < len(runes):
			i++
			w.WriteRune(runes[i])
			inWord = true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			end = len(string(runes[:i]))
			c.Comment = strings.TrimSpace(string(runes[i+1:]))
			i = len(runes)
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return c, fmt.Errorf("%s:%d: unterminated %c quote in %q", file, line, quote, text)
	}
	if inWord {
		words = append(words, w.String())
	}
	c.Text = strings.TrimSpace(text[:end])
	// Drop the program: "pcssim" or "go run ./cmd/pcssim".
	skip := 1
	if words[0] == "go" {
		skip = 3
	}
	c.Args = words[skip:]
	return c, nil
}

// Blocks returns the fenced code blocks of the document src.
func Blocks(file string, src string) []Block {
	var out []Block
	var cur *Block
	var body []string
	fence := ""
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		f := fenceOf(trimmed)
		switch {
		case cur == nil && f != "":
			fence = f
			cur = &Block{File: file, Line: i + 1, Info: strings.TrimSpace(trimmed[len(f):])}
			body = nil
		case cur != nil && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "":
			cur.Text = strings.Join(body, "\n") + "\n"
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	return out
}

// Tables returns the tables of the document src outside fenced blocks: a
// header row of cells between "|", a delimiter row of dashes, then rows.
func Tables(file string, src string) []Table {
	var out []Table
	lines := strings.Split(src, "\n")
	inFence := ""
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if f := fenceOf(trimmed); f != "" {
			if inFence == "" {
				inFence = f
			} else if strings.HasPrefix(trimmed, inFence) {
				inFence = ""
			}
			continue
		}
		if inFence != "" || !strings.HasPrefix(trimmed, "|") || i+1 == len(lines) || !isDelimiterRow(lines[i+1]) {
			continue
		}
		t := Table{File: file, Line: i + 1, Header: cells(trimmed)}
		for i += 2; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
			t.Rows = append(t.Rows, cells(strings.TrimSpace(lines[i])))
		}
		out = append(out, t)
	}
	return out
}

// isDelimiterRow reports whether line is a table's |---|---| row.
func isDelimiterRow(line string) bool {
	line = strings.TrimSpace(line)
	return strings.HasPrefix(line, "|") && strings.Trim(line, "|-: ") == "" && strings.Contains(line, "---")
}

// cells splits a table row into trimmed cells. A "|" inside backquotes is
// part of its cell, as in GitHub's renderer.
func cells(row string) []string {
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	var out []string
	var c strings.Builder
	code := false
	for _, r := range row {
		switch {
		case r == '`':
			code = !code
			c.WriteRune(r)
		case r == '|' && !code:
			out = append(out, strings.TrimSpace(c.String()))
			c.Reset()
		default:
			c.WriteRune(r)
		}
	}
	return append(out, strings.TrimSpace(c.String()))
}
