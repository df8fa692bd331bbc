#!/usr/bin/env bash
# The scale-out guarantee, run for real: the SQL of `edgerec sql` on DataFusion, DuckDB and Spark
# (local[2]) over the demo store's events, each result packed with `edgerec pack` and compared
# with `edgerec build`'s snapshot on every widget over thousands of contexts (same ids, steps,
# sources; scores within the 16-bit quantisation). Installs DataFusion, PySpark and PyArrow into
# .venv-scale first (scripts/scale-out-env.sh).
#
#   scripts/scale-out-check.sh [--engines datafusion,duckdb,spark] [--contexts 5000] [--diginetica [DIR]]
#
# --diginetica runs the same comparison on ../shared/data/diginetica-sessions (or DIR), and says
# so and skips it when the data is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINES="datafusion,duckdb,spark"
CONTEXTS=5000
DIGI=""
while [ $# -gt 0 ]; do
  case "$1" in
    --engines) ENGINES="$2"; shift 2 ;;
    --contexts) CONTEXTS="$2"; shift 2 ;;
    --diginetica)
      if [ $# -gt 1 ] && [ "${2#--}" = "$2" ]; then DIGI="$2"; shift 2; else DIGI="${EDGEREC_DATA:-../shared/data}/diginetica-sessions"; shift; fi ;;
    *) echo "scale-out-check: unknown argument $1" >&2; exit 2 ;;
  esac
done
PY=$(scripts/scale-out-env.sh)
cargo build -q --profile native --features cli --bin edgerec
BIN="${CARGO_TARGET_DIR:-target}/native/edgerec"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/edgerec-scale-out.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# check NAME CATALOG EVENTS [CONFIG]
check() {
  local name="$1" catalog="$2" events="$3" config=("${@:4}")
  local d="$WORK/$name"
  mkdir -p "$d"
  # --no-tune: the tuned for_you weights are not in the count tables (docs/scale-out.md).
  "$BIN" build --quiet --no-tune --catalog "$catalog" --events "$events" "${config[@]}" --out "$d/native.snap" >/dev/null
  for engine in ${ENGINES//,/ }; do
    "$BIN" sql --dialect "$engine" "${config[@]}" --out "$d/sql-$engine" >/dev/null
    "$PY" scripts/scale-out-run.py "$engine" "$d/sql-$engine" "$catalog" "$events" "$d/counts-$engine" 2>"$d/$engine.log" \
      || { tail -20 "$d/$engine.log" >&2; exit 1; }
    echo -n "$name, $engine: "
    "$BIN" pack --counts "$d/counts-$engine" --catalog "$catalog" "${config[@]}" --out "$d/$engine.snap" \
      --compare "$d/native.snap" --contexts "$CONTEXTS" | tail -n +2
  done
}

"$BIN" demo-data --out "$WORK/store" >/dev/null
check demo "$WORK/store/catalog.csv" "$WORK/store/events.csv"
if [ -n "$DIGI" ]; then
  if [ -f "$DIGI/catalog.csv" ] && [ -f "$DIGI/train.csv" ]; then
    check diginetica "$DIGI/catalog.csv" "$DIGI/train.csv"
  else
    echo "scale-out-check: skipping Diginetica: no catalog.csv and train.csv in $DIGI (../shared/data/README.md)"
  fi
fi
