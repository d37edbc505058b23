// Command pcssim runs pcssim scenarios: it explores interleavings of a
// simulated Linux driver model and reports lifetime bugs of shared PCS
// objects with a command that replays them exactly.
//
// Usage:
//
//	pcssim run FILE... [--seed N] [--seeds N|LIST] [--strategy ID] [--explore random|swarm|pct|dfs]
//	           [--depth D] [--preemptions K] [--state-cache=false] [--jobs N] [--shard I/N] [--time-budget 30s] [--format text|json]
//	pcssim merge SHARD.json... [--format text|json]
//	pcssim replay FILE --seed N[@FP] | --schedule S[@FP] [-v] [--trace OUT.json] [--mermaid OUT.md]
//	pcssim shrink FILE --seed N[@FP] | --schedule S[@FP] [--property P]
//	pcssim compare FILE [--strategies a,b,...] [--seeds N]
//	pcssim validate FILE...
//	pcssim list [--format text|json]
//
// Schedules (and seeds, optionally) carry @FP, a fingerprint of the
// scenario's content, strategy, explorer and kernel they were recorded
// with: replay and shrink refuse another combination and name the flag
// that differs (exit 2). The commands pcssim prints start with the program
// as it was run: pcssim, or go run ./cmd/pcssim under go run.
//
// Exit status: 0 no violation (compare: every row as the file's expect:
// says), 1 a property was violated, a result disagrees with expect: (run
// --strategy S checks the file's expectation for S; compare every row) or
// the campaign was vacuous, 2 usage or input error, 3 the simulator itself
// failed (a crash report with the replay command on stderr), 130
// interrupted (partial summary).
package main
