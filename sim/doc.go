// Package sim is pcssim's deterministic discrete-event engine. It knows
// nothing about the kernel: it runs tasks as coroutines one step at a time,
// keeps a virtual clock and an event queue, asks a single Chooser every
// nondeterministic question, records a trace and reports findings.
package sim
