// Package pcssimtest runs pcssim scenarios inside Go tests.
//
// Run explores executions of a scenario under a lifetime strategy and fails
// the test on the first violated property, with the KASAN-style report and
// two ways to replay it: the pcssim command line and the go test command
// with -pcssim.schedule. The failing schedule is persisted under
// testdata/pcssim/<TestName>/ (in the style of rapid's fail files) and
// every persisted schedule is replayed first on the next run, so a fixed
// bug stays fixed. A campaign that never reaches one of the scenario's
// sometimes situations (or those of Options.Sometimes) fails as vacuous.
//
// # Options
//
// Every field of Options may be left zero for its default:
//
//	Strategy     lifetime strategy                    the scenario's, else none
//	Seeds        executions (dfs: the most it takes)  200 (dfs: 1 000 000)
//	Seed         master seed                          1
//	Explore      random, swarm, pct or dfs            random
//	Preemptions  dfs preemption bound, 0 to 10        2 (NoPreemption: 0)
//	Jobs         executions run in parallel           0: one per CPU
//	Sometimes    situations the campaign must reach   the scenario's only
//	FailDir      where failing schedules persist      testdata/pcssim/<TestName>
//
// # Flags and environment
//
// A flag of the test binary, or its environment twin, overrides the
// Options field for every Run of the binary: the flag wins over the
// environment variable, which wins over Options, which wins over the
// default (as rapid's -rapid.checks does), so a long campaign is a
// command line away without editing the test:
//
//	-pcssim.seeds N        PCSSIM_SEEDS        Seeds, 1 to 10^12
//	-pcssim.seed S         PCSSIM_SEED         Seed, 0 to 2^64-1
//	-pcssim.explore E      PCSSIM_EXPLORE      Explore
//	-pcssim.preemptions K  PCSSIM_PREEMPTIONS  Preemptions, 0 to 10
//	-pcssim.jobs N         PCSSIM_JOBS         Jobs, 0 to 1024
//	-pcssim.schedule X     PCSSIM_SCHEDULE     replay only this schedule (printed by a failure)
//
// An empty value counts as not given. A value that does not parse or is
// out of range, whether it comes from a flag, the environment or Options,
// stops the test with t.Fatal naming its source and what it wants; it
// never falls back to a default. So does a schedule (SCHEDULE@FP, as a
// failure prints it) whose fingerprint says it was recorded under another
// strategy, explorer, kernel or scenario than the settings resolved.
//
// # rapid
//
// Check is the rapid integration: pgregory.net/rapid's bitstream answers
// every scheduling question, so rapid shrinks the interleaving and its
// -rapid.seed, -rapid.checks and fail files work as usual. RapidChooser
// drives scenarios.Execute from a rapid property of your own.
package pcssimtest
