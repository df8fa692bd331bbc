#!/usr/bin/env bash
# Runs every test edgerec has, on a fresh machine too (it installs what is missing first):
# formatting, lints (native and wasm32), Rust unit/integration/property/doc tests, benchmark
# compilation, the npm package build and size budget, wasm tests in Node and headless Chromium,
# the Node ESM smoke test, the edge worker in workerd, the storefront in Chromium, and the
# count-table SQL on DataFusion, DuckDB and Spark (scripts/scale-out-check.sh).
# Tests that need ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
step() { printf '\n\033[1;32m== %s\033[0m\n' "$*"; }

step "setup"
./scripts/setup.sh

step "cargo fmt --check"
cargo fmt --check

step "clippy (native, all targets and features)"
cargo clippy --all-targets --all-features -- -D warnings

step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings

step "Rust tests (unit, integration, property, doc)"
cargo test --features cli

step "benchmarks compile and run once (criterion --test)"
cargo bench --features cli --bench engine -- --test

step "npm package (wasm-pack build) and its size budget"
./scripts/build-pkg.sh
node www/bench/size.mjs

step "demo store and snapshot (www/public/data)"
./scripts/demo-store.sh

step "scale-out: the SQL on DataFusion, DuckDB and Spark local[2], packed, answers as edgerec build (scripts/scale-out-check.sh)"
./scripts/scale-out-check.sh

step "wasm tests in Node"
wasm-pack test --node

step "wasm tests in headless Chromium"
wasm-pack test --headless --chrome

step "JavaScript tests (Node ESM package, worker in workerd, storefront in Chromium)"
node --test --test-concurrency=1 www/tests/

step "fuzz targets, 20 s each (scripts/fuzz.sh 20; docs/reliability.md)"
./scripts/fuzz.sh 20

step "the README's demo command answers (scripts/demo.sh --smoke)"
PORT=${DEMO_PORT:-8797} ./scripts/demo.sh --smoke

step "all tests passed"
