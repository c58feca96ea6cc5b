#!/usr/bin/env bash
# Conductor overhead end to end: `ensemble run --offline` through the real binary on a chain and a
# fan-out of 1,000 zero-latency rehearsal players, every event recorded in a real SQLite store.
# Prints the wall time of each run (process start to exit: loading, validating, recording the
# score, conducting, and committing every event) and that time per cue.
#
#   bench/run-offline.sh [RUNS]      (ENSEMBLE names a binary already built; else a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
players=1000
ensemble=${ENSEMBLE:-}
if [ -z "$ensemble" ]; then
  cargo build -q --release -p ensemble-cli
  ensemble=target/release/ensemble
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

score() { # shape
  printf 'format = 1\ntitle = "Overhead %s"\n\n[intent]\ngoal = "Measure the conductor"\n' "$1"
  for i in $(seq 0 $((players - 1))); do
    printf '\n[[players]]\nid = "p%d"\nname = "Player %d"\nzone = "improver"\nposition = { x = %d.0, y = %d.0 }\npart = "Check the work handed to you."\ninstrument = { kind = "rehearsal" }\n' \
      "$i" "$i" $((i % 40 * 260)) $((i / 40 * 160))
  done
  for i in $(seq 1 $((players - 1))); do
    if [ "$1" = chain ]; then from=$((i - 1)); else from=0; fi
    printf '\n[[cues]]\nfrom = "p%d"\nto = "p%d"\n' "$from" "$i"
  done
}

for shape in chain fan_out; do
  score "$shape" > "$work/$shape.score.toml"
  for run in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$ensemble" run "$work/$shape.score.toml" --offline --db "$work/store.sqlite3" > /dev/null
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    echo "$shape run $run: ${ms} ms, $(( (end - start) / 1000 / (players - 1) )) µs per cue"
  done
done
