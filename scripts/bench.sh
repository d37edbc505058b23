#!/usr/bin/env bash
# Reproducible exploration benchmark: prints a Markdown table.
#  - for each buggy (scenario, strategy) pair of the canonical worlds and each
#    explorer: executions to the first violation (median and max over 20
#    master seeds) and the wall time that took (executions / measured rate);
#  - dfs: schedules covered, exhaustion, executions and wall time with and
#    without state caching;
#  - for the safe strategy: executions/s with --jobs 1 and --jobs 2.
# Usage: scripts/bench.sh [CAP]   (CAP: executions per master seed, default 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
CAP=${1:-5000}
BIN=$(mktemp -d)/pcssim
go build -o "$BIN" ./cmd/pcssim
WORLDS="rmk-2022-unbind rmk-2022-rmmod rmk-2022-self-pin rmk-2022-nfsroot rmk-2022-get-device pcs-rebind racy-release"
echo "machine: $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
echo
echo "| scenario | strategy | explorer | first violation: median | max | not found | median wall time |"
echo "|---|---|---|---:|---:|---:|---:|"
for w in $WORLDS; do
  # buggy strategies: those the scenario expects to violate something
  for st in $("$BIN" compare "$w" --seeds 200 --format json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(" ".join(r["strategy"] for r in d["strategies"] if r.get("expected")))'); do
    for ex in random pct; do
      rows=()
      for s in $(seq 1 20); do
        rows+=("$("$BIN" run "$w" --strategy "$st" --explore "$ex" --seed "$s" --seeds "$CAP" --jobs 1 --format json 2>"$BIN.err" |
          python3 -c 'import json,sys; d=json.load(sys.stdin)["runs"][0]; v=d["first_violation"]; print(-1 if v is None else v)') $(sed -n 's/.*(\([0-9]*\) executions\/s).*/\1/p' "$BIN.err")")
      done
      printf '%s\n' "${rows[@]}" | python3 -c '
import sys,statistics
w,st,ex,cap=sys.argv[1:5]; cap=int(cap)
found=[]; miss=0; rates=[]
for line in sys.stdin:
    v,r=line.split(); v=int(v); rates.append(float(r))
    if v<0: miss+=1
    else: found.append(v+1)
rate=statistics.median(rates)
if found:
    med=statistics.median(found); mx=max(found)
    print(f"| {w} | {st} | {ex} | {med:g} | {mx} | {miss}/20 | {1000*med/rate:.2f} ms |")
else:
    print(f"| {w} | {st} | {ex} | - | - | 20/20 (cap {cap}) | - |")' "$w" "$st" "$ex" "$CAP"
    done
  done
done
echo
echo "| scenario | strategy | dfs (preemptions 2) | schedules | executions | wall time | executions, no state caching | wall time |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for w in $WORLDS; do
  for st in phylink-notify phylink-notify-racy; do
    row=()
    for cache in true false; do
      s=$(date +%s.%N)
      out=$("$BIN" run "$w" --strategy "$st" --explore dfs --preemptions 2 --state-cache=$cache --format json 2>/dev/null || true)
      e=$(date +%s.%N)
      row+=("$(echo "$out" | python3 -c '
import json,sys
d=json.load(sys.stdin)["runs"][0]; t=float(sys.argv[2])-float(sys.argv[1])
verdict="violation (first at %d)"%d["first_violation"] if d["first_violation"] is not None else "no violation"
ex="exhausted" if d.get("exhausted") else "limit reached"
n,x=d.get("schedules",d["executions"]),d["executions"]
print(f"{ex}, {verdict}|{n}|{x}|{t:.2f} s")' "$s" "$e")")
    done
    IFS='|' read -r v1 n1 x1 t1 <<<"${row[0]}"
    IFS='|' read -r v2 n2 x2 t2 <<<"${row[1]}"
    [ "$v1|$n1" = "$v2|$n2" ] || v1="$v1 (MISMATCH without caching: $v2, $n2 schedules)"
    echo "| $w | $st | $v1 | $n1 | $x1 | $t1 | $x2 | $t2 |"
  done
done
echo
echo "| scenario (phylink-notify, 20000 executions) | exec/s --jobs 1 | exec/s --jobs 2 | speed-up |"
echo "|---|---:|---:|---:|"
for w in $WORLDS soak; do
  # (a run may exit 1: a vacuous "sometimes" on racy-release's safe strategy)
  r1=$( ("$BIN" run "$w" --strategy phylink-notify --seeds 20000 --jobs 1 2>&1 >/dev/null || true) | sed -n 's/.*(\([0-9]*\) executions\/s).*/\1/p')
  r2=$( ("$BIN" run "$w" --strategy phylink-notify --seeds 20000 --jobs 2 2>&1 >/dev/null || true) | sed -n 's/.*(\([0-9]*\) executions\/s).*/\1/p')
  python3 -c "import sys; print(f'| {sys.argv[1]} | {sys.argv[2]} | {sys.argv[3]} | {int(sys.argv[3])/int(sys.argv[2]):.2f}x |')" "$w" "$r1" "$r2"
done
