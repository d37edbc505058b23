#!/usr/bin/env bash
# Reproducible exploration benchmark: prints Markdown tables.
#  - for every shipped scenario, each strategy its expect: block calls buggy
#    and each seeded explorer: executions to the first violation (median
#    and max over MASTERS master seeds, 10) and the wall time that took
#    (executions / measured rate);
#  - dfs with <= 2 preemptions: schedules, exhaustion and executions with
#    partial-order reduction and state caching (the default), without
#    reduction, and without either (the plain search), with wall times;
#  - for the safe strategy: executions/s with --jobs 1 and --jobs 2, and
#    --jobs 2 against two independent one-job processes side by side.
# Usage: scripts/bench.sh [CAP] [DFSCAP]
#   CAP: executions per master seed (default 5000); DFSCAP: dfs execution
#   limit (default 1000000).
# Environment: BENCH_WORLDS (the scenarios of the first and third tables,
#   default every shipped one), BENCH_DFSWORLDS (those of the dfs table),
#   BENCH_THROUGHPUT=0 (skip the throughput tables).
set -euo pipefail
cd "$(dirname "$0")/.."
CAP=${1:-5000}
DFSCAP=${2:-1000000}
MASTERS=10
BIN=$(mktemp -d)/pcssim
go build -o "$BIN" ./cmd/pcssim
WORLDS=${BENCH_WORLDS:-$(for f in scenarios/*.yaml; do basename "$f" .yaml; done)}
DFSWORLDS=${BENCH_DFSWORLDS-rmk-2022-unbind rmk-2022-rmmod rmk-2022-self-pin rmk-2022-nfsroot rmk-2022-get-device pcs-rebind racy-release fman-qsgmii-2}
echo "machine: $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scenario | strategy | explorer | first violation: median | max | not found | median wall time |"
echo "|---|---|---|---:|---:|---:|---:|"
for w in $WORLDS; do
  # buggy strategies: those the scenario expects to violate something
  for st in $("$BIN" compare "$w" --seeds 50 --format json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(" ".join(r["strategy"] for r in d["strategies"] if r.get("expected")))' || true); do
    for ex in random pct; do
      rows=()
      for s in $(seq 1 "$MASTERS"); do
        # 10 executions first (most pairs violate at once), then CAP: the
        # executions before the first violation are the same either way.
        for n in 10 "$CAP"; do
          row="$("$BIN" run "$w" --strategy "$st" --explore "$ex" --seed "$s" --seeds "$n" --jobs 1 --format json 2>"$BIN.err" |
            python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; v=d["first_violation"]; print(-1 if v is None else v)') $(sed -n 's/.*(\([0-9]*\) executions\/s).*/\1/p' "$BIN.err")"
          [ "${row%% *}" = -1 ] || break
        done
        rows+=("$row")
      done
      printf '%s\n' "${rows[@]}" | python3 -c '
import sys,statistics
w,st,ex,cap,masters=sys.argv[1:6]; cap=int(cap)
found=[]; miss=0; rates=[]
for line in sys.stdin:
    v,r=line.split(); v=int(v); rates.append(float(r))
    if v<0: miss+=1
    else: found.append(v+1)
rate=statistics.median(rates)
if found:
    med=statistics.median(found); mx=max(found)
    print(f"| {w} | {st} | {ex} | {med:g} | {mx} | {miss}/{masters} | {1000*med/rate:.2f} ms |")
else:
    print(f"| {w} | {st} | {ex} | - | - | {masters}/{masters} (cap {cap}) | - |")' "$w" "$st" "$ex" "$CAP" "$MASTERS"
    done
  done
done
echo
echo "| scenario | strategy | dfs (preemptions 2) | schedules | executions | wall time | executions, no reduction | wall time | executions, plain search | wall time |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for w in $DFSWORLDS; do
  for st in phylink-notify phylink-notify-racy; do
    row=()
    for flags in "" "--reduction=false" "--reduction=false --state-cache=false"; do
      s=$(date +%s.%N)
      # shellcheck disable=SC2086
      out=$("$BIN" run "$w" --strategy "$st" --explore dfs --preemptions 2 --seeds "$DFSCAP" $flags --format json 2>/dev/null || true)
      e=$(date +%s.%N)
      row+=("$(echo "$out" | python3 -c '
import json,sys
d=json.load(sys.stdin)[0]; t=float(sys.argv[2])-float(sys.argv[1])
props=sorted(p for p,n in d["counts"].items() if n)
verdict="violation: "+", ".join(props)+" (first at %d)"%d["first_violation"] if props else "no violation"
ex="exhausted" if d.get("exhausted") else "limit reached"
n=d.get("schedules",0); x=d["executions"]
print(f"{ex}, {verdict}|{n}|{x}|{t:.2f} s")' "$s" "$e")")
    done
    IFS='|' read -r v1 n1 x1 t1 <<<"${row[0]}"
    IFS='|' read -r v2 _ x2 t2 <<<"${row[1]}"
    IFS='|' read -r v3 _ x3 t3 <<<"${row[2]}"
    [ "${v1%% (first*}" = "${v2%% (first*}" ] || v1="$v1 (MISMATCH without reduction: $v2)"
    echo "| $w | $st | $v1 | $n1 | $x1 | $t1 | $x2 | $t2 | $x3 | $t3 |"
  done
done
[ "${BENCH_THROUGHPUT:-1}" != 0 ] || exit 0
echo
echo "| scenario (phylink-notify, 20000 executions) | exec/s --jobs 1 | exec/s --jobs 2 | speed-up |"
echo "|---|---:|---:|---:|"
for w in $WORLDS; do
  # (a run may exit 1: a vacuous "sometimes" on racy-release's safe strategy)
  r1=$( ("$BIN" run "$w" --strategy phylink-notify --seeds 20000 --jobs 1 2>&1 >/dev/null || true) | sed -n 's/.*(\([0-9]*\) executions\/s).*/\1/p')
  r2=$( ("$BIN" run "$w" --strategy phylink-notify --seeds 20000 --jobs 2 2>&1 >/dev/null || true) | sed -n 's/.*(\([0-9]*\) executions\/s).*/\1/p')
  python3 -c "import sys; print(f'| {sys.argv[1]} | {sys.argv[2]} | {sys.argv[3]} | {int(sys.argv[3])/int(sys.argv[2]):.2f}x |')" "$w" "$r1" "$r2"
done
echo
# --jobs 2 against this machine's own bound, as ../shared/checks/exploration-perf.sh
# measures it: the best of three trials of one --jobs 2 process of 40000
# executions and of two --jobs 1 processes of 20000 side by side.
el() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; python3 -c "print($EPOCHREALTIME-$s)"; }
run1() { "$BIN" run scenarios/rmk-2022-unbind.yaml --strategy phylink-notify --seeds "$1" --seed "$2" --jobs "$3"; }
best1=999; best2=999; bestp=999
for _ in 1 2 3; do
  a=$(el run1 40000 1 1); b=$(el run1 40000 1 2)
  s=$EPOCHREALTIME; run1 20000 1 1 >/dev/null 2>&1 & run1 20000 7 1 >/dev/null 2>&1; wait; c=$(python3 -c "print($EPOCHREALTIME-$s)")
  best1=$(python3 -c "print(min($best1,$a))"); best2=$(python3 -c "print(min($best2,$b))"); bestp=$(python3 -c "print(min($bestp,$c))")
done
echo "rmk-2022-unbind/phylink-notify, best of 3 (start-up included): one job $(python3 -c "print(int(40000/$best1))") executions/s; --jobs 2 at $(python3 -c "print(round($bestp/$best2,2))") of two independent one-job processes; load $(cut -d' ' -f1-3 /proc/loadavg)"
