#!/usr/bin/env bash
# Installs what is missing, builds Ensemble Studio and opens it with an example score that
# performs offline (rehearsal stand-ins), copied to ~/Ensemble so saving never touches the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  echo "Installing the Rust toolchain (rustup)…"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/install-deps.sh

app=target/studio/ensemble-studio
echo "Building the studio (the first build takes several minutes)…"
bash scripts/build-app.sh

example_dir="$HOME/Ensemble"
example="$example_dir/feature-trio.score.toml"
mkdir -p "$example_dir"
[ -f "$example" ] || cp assets/scores/feature-trio.score.toml "$example"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: run this from a desktop session. The app is built at $app."
  exit 1
fi
echo "Opening $example"
exec "$app" "$example"
