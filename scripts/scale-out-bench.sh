#!/usr/bin/env bash
# The figures of docs/scale-out.md: edgerec build against the SQL on Spark local[2] (and
# DataFusion, DuckDB) on a generated store of about N million events: wall time and peak memory
# (the whole process tree, sampled), and that the packed snapshot answers as the built one.
#
#   scripts/scale-out-bench.sh [MILLIONS=10] [ENGINES=spark,datafusion,duckdb]
set -euo pipefail
cd "$(dirname "$0")/.."
M="${1:-10}"
ENGINES="${2:-spark,datafusion,duckdb}"
PY=$(scripts/scale-out-env.sh)
cargo build -q --profile native --features cli --bin edgerec
BIN="${CARGO_TARGET_DIR:-target}/native/edgerec"
WORK="${EDGEREC_BENCH_DIR:-/tmp/edgerec-scale-bench-$M}"
mkdir -p "$WORK"
# The demo store makes about 11.3 events per shopper.
SHOPPERS=$(python3 -c "print(int($M * 1e6 / 11.3))")
[ -f "$WORK/store/events.csv" ] || "$BIN" demo-data --out "$WORK/store" --products 20000 --shoppers "$SHOPPERS" >/dev/null
EVENTS=$(($(wc -l < "$WORK/store/events.csv") - 1))
echo "store: $EVENTS events, $(du -h "$WORK/store/events.csv" | cut -f1) of CSV"
# peak COMMAND...: runs it (output as given), then prints "wall s, peak MiB" of its process tree.
exec 3>&1
peak() { local rc=0; "$PY" scripts/scale-out-peak.py "$WORK/peak.txt" "$@" || rc=$?; cat "$WORK/peak.txt" >&3; return $rc; }
echo -n "edgerec build: "
peak "$BIN" build --quiet --no-tune --catalog "$WORK/store/catalog.csv" --events "$WORK/store/events.csv" --out "$WORK/native.snap" >/dev/null
for engine in ${ENGINES//,/ }; do
  "$BIN" sql --dialect "$engine" --out "$WORK/sql-$engine" >/dev/null
  rm -rf "$WORK/counts-$engine"
  echo -n "$engine (SQL, including reading the CSV into Parquet): "
  peak "$PY" scripts/scale-out-run.py "$engine" "$WORK/sql-$engine" "$WORK/store/catalog.csv" "$WORK/store/events.csv" \
    "$WORK/counts-$engine" >"$WORK/$engine.out" 2>"$WORK/$engine.log"
  echo "  $(cat "$WORK/$engine.out")"
  echo -n "edgerec pack ($engine): "
  peak "$BIN" pack --counts "$WORK/counts-$engine" --catalog "$WORK/store/catalog.csv" --out "$WORK/$engine.snap" \
    --compare "$WORK/native.snap" --contexts 2000 > "$WORK/pack-$engine.txt"
  tail -n 1 "$WORK/pack-$engine.txt"
done
