package cli

import (
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// defaultProg is the command printed in reproduce and shrink lines when
// pcssim runs from an installed binary, and by Run.
const defaultProg = "pcssim"

// progName is the command that runs this pcssim again, as the reproduce
// and shrink lines print it, for the user who ran it: "go run PKG" when
// the binary is one that go run built (see goRunBinary), else the name the
// binary was run by, without its directory (an absolute path would not
// survive moving the command to another machine; pcssim, or the name of a
// pcssim built with more strategies, is on the user's PATH). arg0 is
// os.Args[0] and bi the binary's build information (nil when it has none).
func progName(arg0 string, bi *debug.BuildInfo) string {
	if goRunBinary(arg0) {
		return "go run " + runTarget(bi)
	}
	name := strings.TrimSuffix(path.Base(filepath.ToSlash(arg0)), ".exe")
	if name == "" || name == "." || name == "/" {
		return defaultProg
	}
	return name
}

// goRunBinary reports whether the binary at arg0 is one go run built: in
// a temporary directory (/tmp/go-build123/b001/exe/pcssim) or, since Go
// 1.24 caches what go run builds, in the build cache
// (~/.cache/go-build/81/<64 hex digits>-d/pcssim).
func goRunBinary(arg0 string) bool {
	p := filepath.ToSlash(arg0)
	dir := path.Dir(p)
	inBuild := false
	for _, c := range strings.Split(dir, "/") {
		inBuild = inBuild || strings.HasPrefix(c, "go-build")
	}
	if !inBuild {
		return false
	}
	base := path.Base(dir)
	if base == "exe" {
		return true
	}
	hash, ok := strings.CutSuffix(base, "-d")
	return ok && len(hash) == 64 && strings.Trim(hash, "0123456789abcdef") == ""
}

// runTarget is the package argument of go run that builds this binary
// again: ./DIR inside the main module (go run ./cmd/pcssim from the
// module's root, as the README does), PKG@VERSION when go run fetched a
// released version (go run github.com/pcssim/pcssim/cmd/pcssim@v1.2.0).
func runTarget(bi *debug.BuildInfo) string {
	if bi == nil || bi.Path == "" {
		return "./cmd/pcssim"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return bi.Path + "@" + v
	}
	if rel, ok := strings.CutPrefix(bi.Path, bi.Main.Path+"/"); ok && bi.Main.Path != "" {
		return "./" + rel
	}
	if bi.Path == bi.Main.Path {
		return "."
	}
	return bi.Path
}
