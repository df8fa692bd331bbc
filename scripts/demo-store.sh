#!/usr/bin/env bash
# Generates the built-in demo store and its snapshot into www/public/data/ (what the demo site,
# the worker and the browser tests load): catalog.csv, events.csv, bundles.csv, model.snap.
# Usage: scripts/demo-store.sh [extra demo-data flags, e.g. --products 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
out=www/public/data
mkdir -p "$out"
cargo build -q --profile native --features cli --bin edgerec
bin="${CARGO_TARGET_DIR:-target}/native/edgerec"
"$bin" demo-data --out "$out" "$@"
"$bin" build --catalog "$out/catalog.csv" --events "$out/events.csv" --config www/edgerec.toml --out "$out/model.snap" --quiet
"$bin" inspect "$out/model.snap" | sed -n 1,3p
