package cli

// Strategies outside package pcs register themselves when imported; this
// is the one line that makes a new strategy available on the command line
// (docs/extending.md).
import _ "github.com/pcssim/pcssim/examples/deadflag"
