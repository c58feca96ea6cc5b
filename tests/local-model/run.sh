#!/usr/bin/env bash
# End to end on a real model: llama-server with SmolLM2-135M on loopback, and the
# `ensemble` CLI performing a score against it.
#
# Why: the openai instrument, the conductor, the store and the CLI are each tested
# against fakes; this is the one place a whole performance meets a real
# OpenAI-compatible server that streams tokens from a real model.
#
# Usage: tests/local-model/run.sh [SCORE...]
#   Plays tests/local-model/bakery.score.toml (every player must play),
#   tests/local-model/tools.score.toml (a real call of the reference filesystem MCP
#   server, approved with --approve-tools) and the feature-trio example (players
#   behind an unmatched verdict may be skipped) when no score is given. The first run
#   on a machine builds llama-server (see scripts/local-model.sh); later runs reuse
#   the cache in ${ENSEMBLE_CACHE:-~/.cache/ensemble-studio}/local-model.
# Ends with a line `N passed, M failed` and exits non-zero when anything failed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LOCAL_MODEL="$ROOT/scripts/local-model.sh"
CACHE="${ENSEMBLE_CACHE:-$HOME/.cache/ensemble-studio}/local-model"
PYTHON="${PYTHON:-python3}"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'ok      %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAILED  %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  printf '%s passed, %s failed\n' "$passed" "$failed"
  [[ "$failed" -eq 0 ]]
}

if [[ $# -gt 0 ]]; then
  scores=("$@")
else
  scores=("$HERE/bakery.score.toml" "$HERE/tools.score.toml" "$ROOT/assets/scores/feature-trio.score.toml")
fi

work="$(mktemp -d)"
port=""
cleanup() {
  if [[ -n "$port" ]]; then
    "$LOCAL_MODEL" stop "$port" >/dev/null 2>&1 || true
    rm -f "$CACHE/run/llama-server-$port.log"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- the server -------------------------------------------------------------

if "$LOCAL_MODEL" install; then
  pass "local model installed (cached after the first run)"
else
  fail "local model install"
  finish
  exit 1
fi

# Port 0 makes the kernel pick a free port; it is free again once the socket closes.
port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
server_log="$CACHE/run/llama-server-$port.log"

if "$LOCAL_MODEL" start "$port"; then
  pass "server started on port $port"
else
  fail "server start on port $port"
  finish
  exit 1
fi

check "/health answers 200" curl -fsS --max-time 5 -o /dev/null "$base/health"

# --- the raw stream ---------------------------------------------------------

stream="$work/stream.txt"
curl -sS -N --max-time 120 "$base/v1/chat/completions" \
  -H 'Content-Type: application/json' \
  -d '{"model":"smollm2","stream":true,"temperature":0,"max_tokens":16,
       "stream_options":{"include_usage":true},
       "messages":[{"role":"user","content":"Say hello in five words."}]}' \
  >"$stream" || true

data_lines="$(grep -c '^data: {' "$stream" || true)"
content_chunks="$(grep '^data: {' "$stream" | grep -c '"content":"[^"]' || true)"
last_data="$(grep '^data: ' "$stream" | tail -n 1 || true)"
check "stream has several data: chunks ($data_lines)" test "$data_lines" -ge 2
check "stream carries content tokens ($content_chunks chunks)" test "$content_chunks" -ge 1
check "stream ends with data: [DONE]" test "$last_data" = "data: [DONE]"
check "stream reports usage" grep -q '"usage":{[^}]*"completion_tokens":[1-9]' "$stream"

bad_status="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$base/v1/chat/completions" \
  -H 'Content-Type: application/json' -d '{"messages": 7}' || true)"
check "a bad request body answers 4xx ($bad_status)" test "${bad_status:0:1}" = 4

# --- a performance through the CLI ------------------------------------------

ensemble_bin=""
if command -v ensemble >/dev/null; then
  ensemble_bin="$(command -v ensemble)"
elif (cd "$ROOT" && cargo build -q -p ensemble-cli); then
  target_dir="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
    | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
  ensemble_bin="$target_dir/debug/ensemble"
fi
if [[ -x "$ensemble_bin" ]]; then
  pass "ensemble CLI available ($ensemble_bin)"
else
  fail "ensemble CLI could not be built"
  finish
  exit 1
fi

# llama-server logs one `processing task` line per completion it starts.
served_requests() { grep -c 'processing task' "$server_log" 2>/dev/null || true; }

for score in "${scores[@]}"; do
  name="$(basename "$score")"
  events="$work/$name.events.jsonl"
  db="$work/$name.sqlite"
  before="$(served_requests)"
  # The scores kept beside this test cue every player unconditionally.
  strictness=()
  [[ "$(cd "$(dirname "$score")" && pwd)" == "$HERE" ]] && strictness=(--every-player)
  # The tools score starts the reference filesystem server (a program, so it needs trust); its
  # one call asks, and --approve-tools approves it. Its listing of this folder must come back.
  run_flags=()
  if [[ "$name" == "tools.score.toml" ]]; then
    run_flags=(--trust --approve-tools)
    strictness+=(--tool-result "[FILE] $name")
    if [[ ! -f "$ROOT/tools/mcp/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js" ]]; then
      fail "$name: the reference filesystem MCP server is installed (run scripts/install-deps.sh)"
      continue
    fi
  fi
  status=0
  "$ensemble_bin" run "$score" --endpoint "$base/v1" --model smollm2 "${run_flags[@]}" \
    --events "$events" --db "$db" >"$work/$name.out" 2>"$work/$name.err" || status=$?
  if [[ "$status" -eq 0 ]]; then
    pass "$name: ensemble run exits 0"
  else
    fail "$name: ensemble run exits 0 (got $status)"
    sed 's/^/    /' "$work/$name.err" | tail -n 20
  fi
  check "$name: performance store written" test -s "$db"
  after="$(served_requests)"
  requests=$(( ${after:-0} - ${before:-0} ))

  if [[ -s "$events" ]]; then
    while IFS= read -r line; do
      case "$line" in
        "PASS "*) pass "$name: ${line#PASS }" ;;
        "FAIL "*) fail "$name: ${line#FAIL }" ;;
        *) printf '        %s\n' "$line" ;;
      esac
    done < <("$PYTHON" "$HERE/check_events.py" "${strictness[@]}" "$events" "$requests" 2>&1)
  else
    fail "$name: events file written"
  fi
done

finish
