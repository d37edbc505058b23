// Command mypcssim is pcssim with lifetime strategies of its own: what a
// user outside this repository writes to put a new strategy on the command
// line (docs/extending.md). It is the whole program: a strategy registered
// in init, another one imported for its registration, and cli.Main.
//
//	go build ./examples/mypcssim
//	./mypcssim list                     # bare-pointer and dead-flag among the strategies
//	./mypcssim run rmk-2022-unbind --strategy bare-pointer
//	./mypcssim compare soak --strategies bare-pointer,dead-flag,phylink-notify
package main

import (
	"github.com/pcssim/pcssim/cli"
	"github.com/pcssim/pcssim/pcs"

	// A strategy in a package of its own registers itself when imported.
	_ "github.com/pcssim/pcssim/examples/deadflag"
)

// barePointer keeps the pointer the lookup returned and nothing else:
// pcs.Base gives every hook the do-nothing default (as strategy none).
type barePointer struct{ pcs.Base }

func (barePointer) ID() string  { return "bare-pointer" }
func (barePointer) Doc() string { return "keeps a bare pointer (a strategy outside pcssim)" }

func init() {
	pcs.RegisterStrategy("bare-pointer", func(pcs.Options) pcs.Strategy { return barePointer{} })
}

func main() { cli.Main() }
