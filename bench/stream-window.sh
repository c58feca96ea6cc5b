#!/usr/bin/env bash
# The window under a fast stream: 50 rehearsal players streaming 100 tokens a second each for
# 30 s, conducted and recorded by the real binary (`ensemble run --offline --events`), checked
# against the store (every printed event recorded, in order), then played into the studio in
# Chromium at its recorded pace (tests/ui/bench-stream.mjs). Prints the figures as JSON.
#
#   bench/stream-window.sh [PLAYERS] [TOKENS_PER_SEC] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
players=${1:-50}
rate=${2:-100}
seconds=${3:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ENSEMBLE names a binary already built; otherwise the release build is made.
ensemble=${ENSEMBLE:-}
if [ -z "$ensemble" ]; then
  cargo build -q --release -p ensemble-cli
  ensemble=target/release/ensemble
fi

# The score: independent players, so all of them stream at once.
{
  printf 'format = 1\ntitle = "Fast stream"\n\n[intent]\ngoal = "Stream fast"\n'
  for i in $(seq 1 "$players"); do
    printf '\n[[players]]\nid = "p%d"\nname = "Player %d"\nzone = "improver"\nposition = { x = %d.0, y = %d.0 }\npart = "Stream."\n\n[players.instrument]\nkind = "rehearsal"\nlatency_ms = %d\ntokens_per_sec = %d\n' \
      "$i" "$i" $(( (i - 1) % 10 * 260 )) $(( (i - 1) / 10 * 160 )) $(( seconds * 1000 )) "$rate"
  done
} > "$work/stream.score.toml"

"$ensemble" run "$work/stream.score.toml" --offline --db "$work/store.sqlite3" --events "$work/events.jsonl" > /dev/null
id=$(head -1 "$work/events.jsonl" | sed -E 's/.*"performance":"([^"]+)".*/\1/')
"$ensemble" show "$id" --db "$work/store.sqlite3" --json > "$work/stored.jsonl"
if ! cmp -s "$work/events.jsonl" "$work/stored.jsonl"; then
  echo "the printed events and the store disagree" >&2
  diff <(wc -l < "$work/events.jsonl") <(wc -l < "$work/stored.jsonl") >&2 || true
  exit 1
fi
echo "recorded: $(wc -l < "$work/events.jsonl") events, all in the store in order" >&2

npm --prefix ui run build > /dev/null
node tests/ui/bench-stream.mjs "$work/events.jsonl"
