#!/usr/bin/env bash
# Builds the studio with its frontend embedded (`tauri build --debug --no-bundle`) and copies
# the binary to target/studio/, where a later plain `cargo build` (which makes a binary that
# expects the dev server) cannot replace it. Skips the build when nothing it embeds changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app="$root/target/studio/ensemble-studio"

if [ -x "$app" ] && [ -z "$(find "$root/src-tauri" "$root/crates" "$root/ui/src" "$root/ui/index.html" \
    "$root/assets" "$root/tauri.conf.json" "$root/Cargo.toml" "$root/Cargo.lock" -newer "$app" -type f -print -quit)" ]; then
  exit 0
fi
tauri="$root/ui/node_modules/.bin/tauri"
[ -x "$tauri" ] || { echo "the tauri CLI is missing: run scripts/install-deps.sh (npm ci in ui/)" >&2; exit 1; }
# The frontend is ui/: said outright, since the tauri CLI would otherwise take the first folder with
# a package.json it finds (tests/e2e and tools/mcp have one too).
(cd "$root" && TAURI_FRONTEND_PATH="$root/ui" "$tauri" build --debug --no-bundle)
mkdir -p "$(dirname "$app")"
cp "$root/target/debug/ensemble-studio" "$app"
echo "built $app"
