package main

import (
	"github.com/pcssim/pcssim/cli"
	// Strategies outside package pcs register themselves when imported;
	// this is the one line that makes a new strategy available on the
	// command line (docs/extending.md).
	_ "github.com/pcssim/pcssim/examples/deadflag"
)

func main() { cli.Main() }
