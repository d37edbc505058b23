package scenarios

import "strings"

// ShellQuote returns s as one word of a POSIX shell command line: s itself
// when it holds only characters no shell treats specially (letters,
// digits and -_./:@%+=,), else s in single quotes (a single quote inside
// is closed, escaped with a backslash and reopened). Every command pcssim
// prints (reproduce lines) quotes the file names and flag values in it
// this way, so pasting it runs pcssim and nothing else, whatever the file
// is called.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !shellSafe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func shellSafe(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("-_./:@%+=,", r)
}
