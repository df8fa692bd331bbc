#!/usr/bin/env bash
# Runs every libFuzzer target in fuzz/ for SECONDS each (default 60), one after the other, and
# prints the executions of each. Exits non-zero when a target crashes, runs out of memory or
# times out, naming the input that did it (fuzz/artifacts/TARGET/...). docs/reliability.md.
#
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Installs cargo-fuzz when missing (cargo install cargo-fuzz --locked). cargo-fuzz passes
# nightly-only flags to rustc (-Zsanitizer, ...); this machine has only the stable toolchain, so
# RUSTC_BOOTSTRAP=1 lets stable rustc accept them. FUZZ_SANITIZER=address|none (default
# address: the ASan runtime ships with stable's rust-std). FUZZ_JOBS=N runs N targets at a time.
# New inputs are kept in fuzz/corpus/TARGET (ignored by git), so later runs start where earlier
# ones stopped; seeds are written at every run from tests/fixtures/small.snap and a small
# `edgerec demo-data` store.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

duration=${1:-60}
[[ $duration =~ ^[1-9][0-9]*$ ]] || { echo "scripts/fuzz.sh: SECONDS must be a whole number of seconds, not \"$duration\"" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
sanitizer=${FUZZ_SANITIZER:-address}
jobs=${FUZZ_JOBS:-1}
all_targets=(snapshot_decode snapshot_section ingest_catalog ingest_events config_toml session_state js_options)
targets=("${@:-${all_targets[@]}}")
nice=(nice -n "${FUZZ_NICE:-10}")

# The longest input worth trying per target: the fixture snapshot is 75 KB, its largest section
# (the catalog) about 40 KB; text inputs stay small so that executions stay fast.
max_len() {
  case $1 in
    snapshot_decode) echo 131072 ;;
    snapshot_section) echo 65536 ;;
    ingest_*) echo 16384 ;;
    *) echo 8192 ;;
  esac
}

if ! command -v cargo-fuzz >/dev/null; then
  echo "scripts/fuzz.sh: installing cargo-fuzz"
  "${nice[@]}" cargo install cargo-fuzz --locked
fi

build=(cargo fuzz build --release --debug-assertions -s "$sanitizer")
echo "scripts/fuzz.sh: building the fuzz targets (sanitizer: $sanitizer)"
"${nice[@]}" "${build[@]}"

# Seeds: made again when the fixture or the seed maker changed (fuzz/examples/seeds.rs, which is
# also the `edgerec` command for `demo-data`).
work=fuzz/target/run
mkdir -p "$work/logs"
if [[ ! -f $work/seeds/.made || tests/fixtures/small.snap -nt $work/seeds/.made || fuzz/examples/seeds.rs -nt $work/seeds/.made ]]; then
  echo "scripts/fuzz.sh: writing the seed corpora into $work/seeds"
  rm -rf "$work/seeds" "$work/store"
  seeds=(cargo run -q --manifest-path fuzz/Cargo.toml --example seeds --)
  "${nice[@]}" "${seeds[@]}" demo-data --out "$work/store" --products 300 --shoppers 40 --days 7 --seed 11 >/dev/null
  "${nice[@]}" "${seeds[@]}" "$work/store" "$work/seeds"
  touch "$work/seeds/.made"
fi

run_one() {
  local t=$1 log="$work/logs/$1.log"
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  # cargo fuzz run rebuilds nothing: the flags match the build above.
  if "${nice[@]}" cargo fuzz run --release --debug-assertions -s "$sanitizer" "$t" "fuzz/corpus/$t" "$work/seeds/$t" -- \
    -max_total_time="$duration" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=30 -max_len="$(max_len "$t")" \
    -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1; then
    echo ok >"$log.result"
  else
    echo failed >"$log.result"
  fi
}

running=0
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "scripts/fuzz.sh: unknown target \"$t\" (targets: ${all_targets[*]})" >&2; exit 2; }
  echo "scripts/fuzz.sh: $t for ${duration}s"
  run_one "$t" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

status=0
total=0
printf '\n%-18s %14s %10s %9s %8s  %s\n' target executions "exec/s" "peak MB" corpus result
for t in "${targets[@]}"; do
  log="$work/logs/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  if [[ -z $execs ]]; then # a crash ends the run before the final stats: take the last status line
    execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
  fi
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  result=$(cat "$log.result" 2>/dev/null || echo failed)
  printf '%-18s %14s %10s %9s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${rss:-?}" "$corpus" "$result"
  total=$((total + ${execs:-0}))
  if [[ $result != ok ]]; then
    status=1
    echo "  $t failed; the end of $log:"
    grep -E "ERROR: |panicked at|Test unit written to|SUMMARY" "$log" | head -20 | sed 's/^/    /'
    tail -5 "$log" | sed 's/^/    /'
  fi
done
printf '%-18s %14s\n' total "$total"
if ((status)); then
  echo "scripts/fuzz.sh: a target failed; its input is the file named after 'Test unit written to' above." >&2
  echo "  Reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run -s $sanitizer TARGET FILE; add it to tests/fuzz_regressions.rs." >&2
fi
exit $status
