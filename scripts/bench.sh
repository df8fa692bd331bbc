#!/usr/bin/env bash
# Prints the speed, size, memory and quality figures of docs/benchmarks.md and docs/quality.md.
# Benchmarks, not tests: run it on a quiet machine (a few minutes). Real-data figures are
# skipped with a message when ../shared/data (or $EDGEREC_DATA) is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
DATA=${EDGEREC_DATA:-../shared/data}
section() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
peak() { if [ -x /usr/bin/time ]; then /usr/bin/time -f "  wall %e s, peak RSS %M KB" "$@"; else "$@"; fi; }

./scripts/setup.sh >/dev/null
cargo build -q --profile native --features cli --bin edgerec
./scripts/build-pkg.sh >/dev/null
bin="${CARGO_TARGET_DIR:-target}/native/edgerec"

section "npm package size"
node www/bench/size.mjs

if [ -d "$DATA/diginetica-sessions" ]; then
  section "builder: Diginetica training set (906,140 views), three runs without tuning, one with"
  for _ in 1 2 3; do
    peak "$bin" build --catalog "$DATA/diginetica-sessions/catalog.csv" --events "$DATA/diginetica-sessions/train.csv" \
      --out /tmp/edgerec-diginetica.snap --quiet --no-tune 2>&1 | grep -E "wrote|speed|wall"
  done
  peak "$bin" build --catalog "$DATA/diginetica-sessions/catalog.csv" --events "$DATA/diginetica-sessions/train.csv" \
    --out /tmp/edgerec-diginetica.snap --quiet 2>&1 | grep -E "wrote|tuning|wall"
else
  echo "skipped: $DATA/diginetica-sessions is absent"
fi

section "builder and engine: 100,000-product demo store"
node -e 'import("./www/bench/store.mjs").then(m => m.store(100000))'
peak "$bin" build --catalog .bench/store-100000/catalog.csv --events .bench/store-100000/events.csv \
  --out .bench/store-100000/model.snap --quiet 2>&1 | grep -E "wrote|events  |speed|wall"
"$bin" bench --snapshot .bench/store-100000/model.snap --queries 3000

section "wasm in Node on the same store and contexts"
node www/bench/wasm-bench.mjs --products 100000 --queries 2000

section "edge worker in workerd, 10,000-product store"
node www/bench/worker-bench.mjs --products 10000

if [ -d "$DATA/diginetica-sessions" ]; then
  section "quality: Diginetica next item (min_count 3, the default; then 2)"
  D="$DATA/diginetica-sessions"
  "$bin" evaluate next-item --train "$D/train.csv" --test "$D/test.csv" --catalog "$D/catalog.csv"
  printf '[training]\nmin_count = 2\n' > /tmp/edgerec-min2.toml
  "$bin" evaluate next-item --train "$D/train.csv" --test "$D/test.csv" --catalog "$D/catalog.csv" --config /tmp/edgerec-min2.toml
fi
if [ -d "$DATA/tafeng-baskets" ]; then
  section "quality: Ta Feng next basket (buy_again)"
  T="$DATA/tafeng-baskets"
  "$bin" evaluate basket --history "$T/history.csv" --future "$T/future.csv" --catalog "$T/catalog.csv"
fi
