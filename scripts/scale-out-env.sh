#!/usr/bin/env bash
# The Python side of the scale-out check: a virtualenv (.venv-scale, gitignored) with DataFusion, DuckDB,
# PySpark (which runs on the machine's Java 17) and PyArrow. Idempotent: a second run checks the
# imports and returns. Prints the venv's python for callers: PY=$(scripts/scale-out-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${EDGEREC_SCALE_VENV:-.venv-scale}"
PACKAGES=("datafusion>=50,<60" "duckdb>=1.1" "pyspark>=4,<5" "pyarrow>=18")
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import datafusion, duckdb, pyspark, pyarrow" 2>/dev/null; then
  echo "$VENV/bin/python"
  exit 0
fi
# Java 17 for Spark and the venv module, from apt when missing (as root or with sudo).
apt_install() {
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v apt-get >/dev/null || { echo "scale-out-env: install $* (no apt-get here)" >&2; exit 1; }
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq "$@" >&2
}
command -v java >/dev/null || apt_install openjdk-17-jre-headless
python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
rm -rf "$VENV"
python3 -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}" >&2
"$VENV/bin/python" -c "import datafusion, duckdb, pyspark, pyarrow" >&2
echo "$VENV/bin/python"
