#!/usr/bin/env bash
# Runs every benchmark: conductor overhead per cue, store appends, diagnosing an ensemble, and
# canvas frame rate.
# Figures and how to read them: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p ensemble-conductor --bench overhead -- --warm-up-time 1 --measurement-time 5
cargo bench -p ensemble-store --bench append -- --warm-up-time 1 --measurement-time 5
cargo bench -p ensemble-diagnostics --bench diagnose
npm --prefix ui run bench:canvas
