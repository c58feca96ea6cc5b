#!/usr/bin/env bash
# Runs the end-to-end tests against the real studio window:
#   builds the app with its frontend embedded (when sources are newer than the binary),
#   starts a virtual display and tauri-driver, runs every tests/e2e/*.test.mjs, stops both,
#   and prints "N passed, M failed". Screenshots go to tests/artifacts/e2e/.
#
#   tests/e2e/run.sh              build if needed, then test
#   E2E_NO_BUILD=1 tests/e2e/run.sh   test the binary as it is
#   E2E_FILES="share.test.mjs" tests/e2e/run.sh   run only these test files (names in tests/e2e/)
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# The tested app is the one scripts/build-app.sh builds (frontend embedded) into target/studio/.
app="$root/target/studio/ensemble-studio"
cli="$root/target/debug/ensemble"
artifacts="$root/tests/artifacts/e2e"
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/results.tap

[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

if [ "${E2E_NO_BUILD:-0}" != 1 ]; then
  echo "building the app if its sources changed (scripts/build-app.sh)"
  bash "$root/scripts/build-app.sh" >"$artifacts/build.log" 2>&1 \
    || { tail -30 "$artifacts/build.log"; echo "0 passed, 1 failed (build)"; exit 1; }
fi
[ -x "$app" ] || { echo "no app at $app: run without E2E_NO_BUILD=1 first"; echo "0 passed, 1 failed"; exit 1; }
if [ "${E2E_NO_BUILD:-0}" != 1 ] && { [ ! -x "$cli" ] || [ -n "$(find "$root/crates" -newer "$cli" -type f -print -quit)" ]; }; then
  (cd "$root" && cargo build -q -p ensemble-cli) >>"$artifacts/build.log" 2>&1 \
    || { tail -30 "$artifacts/build.log"; echo "0 passed, 1 failed (build of the ensemble CLI)"; exit 1; }
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A display number nobody uses.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >"$artifacts/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

export DISPLAY=":$display"
# The studio chooses its drawing for a machine without a GPU itself (src-tauri/src/rendering.rs),
# and the scenarios test what a person's studio does: no drawing or GL switches of the caller's
# own, and the virtual display only, not a desktop session's Wayland.
unset WEBKIT_DISABLE_COMPOSITING_MODE GDK_GL __EGL_VENDOR_LIBRARY_FILENAMES __EGL_VENDOR_LIBRARY_DIRS \
  GDK_BACKEND WAYLAND_DISPLAY WAYLAND_SOCKET
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
# Where a GPU composites, under the virtual display without DMA-BUF buffers.
export WEBKIT_DISABLE_DMABUF_RENDERER=1
export ENSEMBLE_TEST_PATHS=1
export ENSEMBLE_DB="$work/performances.sqlite3"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
# No session bus: a studio already running on this desktop would otherwise take every launch over
# (the single-instance hand-over). launch.test.mjs starts a private bus for its own studio.
export DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus"
export E2E_APP="$app" E2E_CLI="$cli" E2E_ROOT="$root" E2E_ARTIFACTS="$artifacts" E2E_WORK="$work"
export E2E_DRIVER_PORT="${E2E_DRIVER_PORT:-4444}"

tauri-driver --port "$E2E_DRIVER_PORT" >"$artifacts/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$E2E_DRIVER_PORT/status" 2>/dev/null | grep -q '"ready": *true' && break
  sleep 0.1
done

files=("$here"/*.test.mjs)
if [ -n "${E2E_FILES:-}" ]; then
  files=()
  for name in $E2E_FILES; do files+=("$here/$name"); done
fi

# One session at a time: WebKitWebDriver drives one app.
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$artifacts/results.tap" "${files[@]}"
status=$?

passed=$(grep -c '^ok ' "$artifacts/results.tap" 2>/dev/null); passed=${passed:-0}
failed=$(grep -c '^not ok ' "$artifacts/results.tap" 2>/dev/null); failed=${failed:-0}
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
exit "$status"
