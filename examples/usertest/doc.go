// Package usertest shows pcssim used from a Go test of one's own module, as
// docs/testing.md describes: a board's topology in testdata/, the lifetime
// scheme under review, and CI that explores it on every change.
package usertest
