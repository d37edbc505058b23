// Package pcssimtest runs pcssim scenarios inside Go tests.
//
// Run explores executions of a scenario under a lifetime strategy and fails
// the test on the first violated property, with the KASAN-style report and
// two ways to replay it: the pcssim command line and the go test command
// with -pcssim.schedule. The failing schedule is persisted under
// testdata/pcssim/<TestName>/ (in the style of rapid's fail files) and
// every persisted schedule is replayed first on the next run, so a fixed
// bug stays fixed.
//
// Flags, each with an environment-variable twin that applies when the flag
// is not given:
//
//	-pcssim.seeds N     PCSSIM_SEEDS     executions per Run (default 200)
//	-pcssim.seed S      PCSSIM_SEED      master seed (default 1)
//	-pcssim.explore E   PCSSIM_EXPLORE   random, swarm or pct (default random)
//	-pcssim.schedule X  PCSSIM_SCHEDULE  replay only this schedule
//
// Check is the rapid integration: pgregory.net/rapid's bitstream answers
// every scheduling question, so rapid shrinks the interleaving and its
// -rapid.seed and fail files work as usual.
package pcssimtest
