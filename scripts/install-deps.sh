#!/usr/bin/env bash
# Installs what building and testing the studio needs on Debian/Ubuntu, and nothing that is
# already there: system libraries for Tauri (WebKitGTK), the end-to-end test tools (Xvfb,
# WebKitWebDriver, tauri-driver, ImageMagick, Chromium), the Windows check's toolchain, Node, and
# the npm packages (the UI's, the end-to-end tests', and the reference MCP servers in tools/mcp).
# Safe to run again. Run as root or as a user who may sudo.
#
#   scripts/install-deps.sh          everything
#   scripts/install-deps.sh --build  only what building the app needs
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
with_tests=1
case "${1:-}" in
  --build) with_tests=0 ;;
  ""|--test) ;;
  *) echo "usage: $0 [--build|--test]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi

build_packages=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libssl-dev build-essential pkg-config curl file)
test_packages=(xvfb webkit2gtk-driver imagemagick chromium dbus gnome-keyring)
# The Windows check in scripts/test.sh: rustup cannot fetch the Windows standard library
# everywhere the tests run, so Debian's Rust (rustc-web 1.96 from bookworm-security) builds it
# from its source (rust-web-src), and mingw-w64 compiles the C inside some crates (SQLite, ring).
# Only for testing: it puts a second rustc and cargo in /usr/bin, behind rustup's on PATH.
windows_check_packages=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64)
wanted=("${build_packages[@]}")
[ "$with_tests" -eq 1 ] && wanted+=("${test_packages[@]}" "${windows_check_packages[@]}")

# Node 20 or newer: Vite 7 needs it.
node_ok() { command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; }
node_ok || wanted+=(nodejs npm)

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
node_ok || { echo "Node 20 or newer is needed; found $(node --version 2>/dev/null || echo none)" >&2; exit 1; }

if [ "$with_tests" -eq 1 ] && ! command -v tauri-driver >/dev/null; then
  echo "installing tauri-driver"
  cargo install tauri-driver --locked --version '^2' --quiet
fi

# npm ci when node_modules is missing or older than the lock file.
npm_ci() {
  local dir="$1"
  [ -f "$dir/package.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "npm ci in ${dir#"$root"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules"
  fi
}
npm_ci "$root/ui"
# The reference MCP servers the example scores and the tool tests start.
npm_ci "$root/tools/mcp"
[ "$with_tests" -eq 1 ] && npm_ci "$root/tests/e2e"
echo "dependencies are in place"
