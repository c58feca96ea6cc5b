#!/usr/bin/env bash
# Builds the installable studio: on Linux a .deb with the desktop entry, the two file types it
# opens (.score.toml and .score.zip, with their MIME types and icons) and the app's icons.
# The package is written to target/<profile>/bundle/deb/ and its path printed last.
#
#   scripts/package.sh           the release package (slow: a full optimised build)
#   scripts/package.sh --debug   the same package around a debug build, reusing the build
#                                scripts/build-app.sh makes (what tests/package checks)
#
# An AppImage needs tools the tauri CLI downloads at build time (linuxdeploy and its plugins),
# which cannot be fetched everywhere this project builds; macOS and Windows packages are built
# on those systems (see README.md, "Installing").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

profile=release
flags=()
case "${1:-}" in
  "") ;;
  --debug) profile=debug; flags+=(--debug) ;;
  *) echo "usage: $0 [--debug]" >&2; exit 2 ;;
esac
[ "$(uname -s)" = Linux ] || { echo "this script packages for Linux; see README.md for macOS and Windows" >&2; exit 2; }

tauri="$root/ui/node_modules/.bin/tauri"
[ -x "$tauri" ] || { echo "the tauri CLI is missing: run scripts/install-deps.sh (npm ci in ui/)" >&2; exit 1; }

# The installed studio is built for size: thin link-time optimisation over one code unit, and
# optimised for size. Its binary is a third smaller, and its code takes about 2 MiB less memory at
# idle (13.5 against 15.8 MiB resident, bench/README.md); its conducting, paced by a person
# watching, loses nothing they could see. Set here and not in
# Cargo.toml because the release profile also builds the `ensemble` command and the benchmarks,
# whose conducting is about 10 % faster optimised for speed. A value already set wins.
if [ "$profile" = release ]; then
  export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-thin}"
  export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}"
  export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-s}"
fi

out="${CARGO_TARGET_DIR:-$root/target}/$profile/bundle/deb"
rm -f "$out"/*.deb
# The frontend is ui/ (see scripts/build-app.sh).
(cd "$root" && TAURI_FRONTEND_PATH="$root/ui" "$tauri" build "${flags[@]}" --bundles deb)
debs=("$out"/*.deb)
[ -f "${debs[0]}" ] || { echo "no .deb was written to $out" >&2; exit 1; }
echo "${debs[0]}"
