#!/usr/bin/env bash
# Runs every test of Ensemble Studio, installing what is missing first.
#
# Stages: the Rust workspace (engine, CLI, shell, generated-type drift), the frontend unit tests,
# the browser tests (Chromium), the end-to-end tests of the real app (WebKitGTK under Xvfb)
# and a performance on a real local model (llama.cpp serving SmolLM2).
# Each stage prints its own result; the last line sums them up.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || { echo "installing dependencies failed"; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"

passed=0
failed=0
failures=()
stage() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
  echo "=== $name: $((SECONDS - started)) s"
}

bindings_unchanged() {
  # `cargo test` regenerates ui/src/bindings from the Rust types; a difference means they were stale.
  if ! git diff --exit-code --stat -- ui/src/bindings || [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
    echo "ui/src/bindings is out of date with the Rust types: run 'cargo test' and commit ui/src/bindings"
    return 1
  fi
}

stage "rust workspace" cargo test --workspace --locked
stage "generated TypeScript types" bindings_unchanged
stage "frontend unit tests" npm --prefix ui test
stage "browser tests (builds the frontend)" npm --prefix ui run test:browser
stage "end-to-end (real app window)" bash tests/e2e/run.sh
stage "local model performance" bash tests/local-model/run.sh

echo
if [ "$failed" -gt 0 ]; then
  printf 'failed stage: %s\n' "${failures[@]}"
fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
