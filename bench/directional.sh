#!/usr/bin/env bash
# Times the directional check at n = 10⁶: the passing case through the CLI (whole process, min and median of N
# runs, for each method), then locating one planted wrong entry through the library, which a map built in a test
# can reach and the CLI cannot (DirectionalCheckTests/locateAtOneMillion prints its wall time; nothing is asserted
# about it). Usage: bench/directional.sh [runs, default 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
swift build -c release --build-tests --package-path "$root" >/dev/null
bin="$root/.build/release/jacobian"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for method in central richardson complex-step; do
    command=("$bin" check softmax --dim 1000000 --directions 8 --method "$method")
    cost=$("${command[@]}" --json | python3 -c 'import json, sys
r = json.load(sys.stdin)
print(len(r["probes"]), "probes,", r["evaluations"], "evaluations,", r["jacobianVectorProducts"], "products, passed:",
      r["passed"])')
    echo "$cost"
    python3 "$root/bench/mintime.py" --runs="$runs" "${command[@]}"
done
swift test -c release --skip-build --package-path "$root" --filter "DirectionalCheckTests/locateAtOneMillion" 2>&1 \
    | grep "directional check + locate"
