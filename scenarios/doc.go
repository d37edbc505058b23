// Package scenarios defines pcssim's scenario format (YAML), its strict
// loader, the builder that turns a scenario into a simulated world, and the
// shipped scenario files, which are embedded in the binary.
package scenarios
