#!/usr/bin/env bash
# Regenerates tests/fixtures/small.snap (and personal.snap: the same store built with
# tests/fixtures/personal.toml, personalisation on), the committed snapshots that the doctest, the wasm tests
# and the format-regression test read. Run it only on purpose: after a FORMAT_VERSION bump (and
# note it in the CHANGELOG), never to make a failing decode test pass.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run -q --features cli --bin edgerec -- demo-data --out "$tmp" --products 300 --shoppers 1500 --seed 11
cargo run -q --features cli --bin edgerec -- build --catalog "$tmp/catalog.csv" --events "$tmp/events.csv" \
  --out tests/fixtures/small.snap --as-of 2026-10-31T23:59:59Z --quiet
cargo run -q --features cli --bin edgerec -- build --catalog "$tmp/catalog.csv" --events "$tmp/events.csv" \
  --config tests/fixtures/personal.toml --out tests/fixtures/personal.snap --as-of 2026-10-31T23:59:59Z --quiet
ls -l tests/fixtures/small.snap tests/fixtures/personal.snap
