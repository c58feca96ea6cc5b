#!/usr/bin/env bash
# Runs every test of Ensemble Studio, installing what is missing first.
#
# Stages: the Rust workspace (engine, CLI, shell, generated-type drift), a check that the engine
# and the CLI compile for Windows, the frontend unit tests, the browser tests (Chromium), the
# end-to-end tests of the real app (WebKitGTK under Xvfb), the installable package (.deb) and a
# performance on a real local model (llama.cpp serving SmolLM2).
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

windows_check() {
  # Debian's rustc-web and cargo-web (scripts/install-deps.sh) build the standard library for the
  # target from its source (-Zbuild-std, which needs RUSTC_BOOTSTRAP on a stable compiler), since
  # the rustup toolchain has only the Linux target. The C parts compile with mingw-w64.
  local sysroot
  sysroot="$(/usr/bin/rustc --print sysroot 2>/dev/null)" || sysroot=""
  if [ ! -x /usr/bin/cargo ] || [ ! -d "$sysroot/lib/rustlib/src/rust/library" ] || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    echo "the Windows check needs rustc-web, cargo-web, rust-web-src and gcc-mingw-w64-x86-64 (scripts/install-deps.sh)"
    return 1
  fi
  env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/windows-check \
    CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar \
    /usr/bin/cargo check --locked --quiet -Zbuild-std=std,panic_abort --target x86_64-pc-windows-gnu \
    -p ensemble-score -p ensemble-instruments -p ensemble-conductor -p ensemble-store -p ensemble-cli
}

stage "rust workspace" cargo test --workspace --locked
# A debug build shares the workspace tests' compiled dependencies; the release figures are in bench/README.md.
stage "fuzz, short pass (5,000 inputs per target)" timeout 900 cargo run --locked --quiet -p ensemble-instruments --example fuzz -- 5000
stage "kill harness, short (10 rounds)" timeout 900 bash bench/kill-harness.sh 10
stage "generated TypeScript types" bindings_unchanged
stage "windows check (x86_64-pc-windows-gnu)" windows_check
stage "frontend unit tests" npm --prefix ui test
stage "browser tests (builds the frontend)" npm --prefix ui run test:browser
stage "end-to-end (real app window)" bash tests/e2e/run.sh
# After the end-to-end stage, whose debug build the package reuses (about a minute when warm).
stage "package (.deb of the debug build)" node --test tests/package/
stage "local model performance" bash tests/local-model/run.sh

echo
if [ "$failed" -gt 0 ]; then
  printf 'failed stage: %s\n' "${failures[@]}"
fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
