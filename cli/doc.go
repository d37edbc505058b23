// Package cli is the pcssim command line: flags, output and exit codes of
// run, replay, shrink, compare, merge, validate and list. cmd/pcssim is
// Main and nothing else, so a user builds their own pcssim with their own
// lifetime strategies in a few lines (docs/extending.md):
//
//	package main
//
//	import (
//		"github.com/pcssim/pcssim/cli"
//		_ "example.com/mystrategy" // calls pcs.RegisterStrategy in init
//	)
//
//	func main() { cli.Main() }
//
// examples/mypcssim is such a program, built and tested with the rest of
// the repository.
package cli
