#!/usr/bin/env bash
# The kill harness: `ensemble run` on a slow rehearsal chain, killed with SIGKILL at a random
# moment, ROUNDS times. After each kill: every event printed to --events is in the store, in
# order; the performance shows as interrupted; `ensemble resume ID` finishes it (succeeded).
#
#   bench/kill-harness.sh [ROUNDS]      (default 100; scripts/test.sh runs 10)
#
# Needs python3 (to compare JSON) and builds the `ensemble` binary first. Exits 1 at the first
# round that loses an event or cannot be resumed, saying which.
set -euo pipefail

rounds="${1:-100}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --quiet -p ensemble-cli --manifest-path "$root/Cargo.toml"
ensemble="${CARGO_TARGET_DIR:-$root/target}/debug/ensemble"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
score="$work/slow.score.toml"
{
  printf 'format = 1\ntitle = "Kill harness"\n\n[intent]\ngoal = "Pass a note down the line."\n'
  for id in a b c d e f; do
    printf '\n[[players]]\nid = "%s"\nname = "%s"\nzone = "integrator"\npart = "Add your line."\n\n[players.instrument]\nkind = "rehearsal"\nlatency_ms = 150\n' "$id" "$id"
  done
  for pair in "a b" "b c" "c d" "d e" "e f"; do
    set -- $pair
    printf '\n[[cues]]\nfrom = "%s"\nto = "%s"\n' "$1" "$2"
  done
} > "$score"

declare -A tally
started=$(date +%s)
for round in $(seq 1 "$rounds"); do
  db="$work/round-$round.sqlite3"
  events="$work/round-$round.jsonl"
  "$ensemble" run "$score" --db "$db" --events "$events" --seed "$round" >/dev/null 2>&1 &
  pid=$!
  # A random moment within the performance (about 1 s long): 50 to 950 ms after the start.
  sleep "0.$(printf '%03d' $(( 50 + RANDOM % 900 )))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  kind=$(python3 - "$ensemble" "$db" "$events" "$round" <<'PY'
import json, subprocess, sys
ensemble, db, events_path, round_ = sys.argv[1:]
def run(*args):
    done = subprocess.run([ensemble, *args, "--db", db], capture_output=True, text=True, timeout=120)
    return done
def fail(why):
    print(f"round {round_}: {why}", file=sys.stderr)
    sys.exit(1)
text = open(events_path).read() if __import__("os").path.exists(events_path) else ""
# Only complete lines were printed; a line cut by the kill is not an event yet.
printed = [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines() if line]
listed = json.loads(run("performances", "--json").stdout or "[]")
if not listed:
    if printed:
        fail(f"{len(printed)} events were printed but no performance is stored")
    print("unstarted")  # killed before the performance was recorded: nothing to lose
    sys.exit(0)
perf = listed[0]
pid = perf["id"]
stored = [json.loads(l) for l in run("show", pid, "--json").stdout.splitlines() if l]
if stored[: len(printed)] != printed:
    fail(f"the store lost or changed printed events ({len(printed)} printed, {len(stored)} stored)")
finished = any(e.get("type") == "performance_finished" for e in stored)
if finished:
    print("finished")  # the kill came after the end: nothing to resume
    sys.exit(0)
if perf["status"] != "interrupted":
    fail(f"status {perf['status']!r}, expected interrupted")
resumed = run("resume", pid)
if resumed.returncode != 0:
    fail(f"resume failed ({resumed.returncode}): {resumed.stderr.strip()}")
after = json.loads(run("performances", "--json").stdout)[0]
if (after["status"], after["outcome"]) != ("finished", "succeeded"):
    fail(f"after resume: {after['status']}, {after['outcome']}")
print("resumed")
PY
)
  tally[$kind]=$(( ${tally[$kind]:-0} + 1 ))
done
echo "kill harness: $rounds rounds (${tally[resumed]:-0} killed mid-performance and resumed, ${tally[finished]:-0} after the end, ${tally[unstarted]:-0} before the start); every printed event stored ($(( $(date +%s) - started )) s)"
