// Package pcs models PCS provider drivers (drivers/net/pcs/), the PCS
// registry a MAC driver looks PCSs up in, and the pluggable lifetime
// strategies that decide what a PCS user holds.
package pcs
