#!/usr/bin/env bash
# The installable studio's figures for bench/README.md: the binary's size, cold start to first
# paint, and memory after 10 s idle, on a virtual display (Xvfb, no GPU).
#
#   bench/app-start.sh [APP] [RUNS]    APP defaults to target/release/ensemble-studio
#                                      (built by scripts/package.sh), RUNS to 5
#
# Start to first paint: a new WebDriver session through tauri-driver starts the program; the
# clock stops when the welcome view is in the page and two animation frames have passed
# (bench/first-paint.mjs). Every run is a new process; the disk cache is warm after the first.
# Memory: the program started on its own (no WebDriver), left alone 10 s after its window
# appeared, then PSS and RSS summed over it and every process it started (WebKit's web and
# network processes), from /proc/PID/smaps_rollup. PSS counts shared pages once across them;
# its private part (Pss_Anon) leaves out the pages of libraries mapped from disk.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app="$(realpath "${1:-$root/target/release/ensemble-studio}")"
runs="${2:-5}"
[ -x "$app" ] || { echo "no studio at $app: build it with scripts/package.sh" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

display=120
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
export DISPLAY=":$display"
# A profile of its own, and no session bus, so no running studio takes the launch over.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export ENSEMBLE_DB="$work/performances.sqlite3"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus"

# Start times move with the machine's load (memory hardly does): say what it was.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
size=$(stat -c %s "$app")
echo "binary: $app, $((size / 1024 / 1024)) MiB ($size bytes)"

port=4744
tauri-driver --port "$port" --native-port $((port + 1)) >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/status" 2>/dev/null | grep -q '"ready": *true' && break
  sleep 0.1
done
times=()
for run in $(seq "$runs"); do
  ms=$(node "$root/bench/first-paint.mjs" "$app" "$port" | sed -n 's/.*"ms":\([0-9]*\).*/\1/p')
  [ -n "$ms" ] || { echo "run $run: no figure" >&2; exit 1; }
  times+=("$ms")
  echo "start to first paint, run $run: $ms ms"
  sleep 1
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "start to first paint: median ${sorted[$((runs / 2))]} ms, min ${sorted[0]} ms, max ${sorted[$((runs - 1))]} ms"

# Every process started by `root_pid`, itself included.
tree() {
  local pid="$1" child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree "$child"; done
}

"$app" >"$work/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
for _ in $(seq 300); do
  xwininfo -root -tree 2>/dev/null | grep -q '"Ensemble Studio"' && break
  sleep 0.1
done
sleep 10
pss=0
rss=0
anon=0
echo "after 10 s idle:"
for pid in $(tree "$app_pid"); do
  [ -r "/proc/$pid/smaps_rollup" ] || continue
  p=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  r=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
  a=$(awk '/^Pss_Anon:/ {print $2}' "/proc/$pid/smaps_rollup")
  printf '  %-24s PSS %7d KiB (private %7d KiB)  RSS %7d KiB\n' "$(cat /proc/"$pid"/comm)" "$p" "$a" "$r"
  pss=$((pss + p))
  rss=$((rss + r))
  anon=$((anon + a))
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "idle memory: PSS $((pss / 1024)) MiB (of which private, not file-backed: $((anon / 1024)) MiB), RSS $((rss / 1024)) MiB (summed over the processes above)"
