// Package deadflag is a worked example of adding a lifetime strategy to
// pcssim (docs/extending.md walks through it): the 2022 follow-up design in
// which the PCS core, not the provider, owns the object phylink holds.
//
// pcs_register() finds or creates a core-owned, refcounted struct
// pcs_handle for the PCS's name (its fwnode), points it at the provider's
// struct phylink_pcs and clears its dead flag. Every op phylink calls goes
// through the handle: under the handle's mutex it checks the flag and either
// forwards to the provider's PCS or reports link down. pcs_unregister()
// takes the same mutex, sets the flag and drops the pointer before devres
// frees the provider's memory; a later pcs_register() of the same name
// revives the handle and tells its phylink, which configures the new
// hardware, so the MAC gets its link back.
//
// Import the package for its side effect to make the strategy "dead-flag"
// available to scenarios and to pcssimtest:
//
//	import _ "github.com/pcssim/pcssim/examples/deadflag"
package deadflag
