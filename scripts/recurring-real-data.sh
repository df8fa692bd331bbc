#!/usr/bin/env bash
# recurring against buy_again on Ta Feng next baskets (../shared/data/tafeng-baskets): a
# validation split cut from history.csv (each shopper's last past basket) picks the recurring
# settings and whether the blend "recurring, then buy_again" wins; the test figures are on
# future.csv. Ta Feng's clock is synthetic (one day between a shopper's baskets), so "days" here
# are baskets. Usage: scripts/recurring-real-data.sh [DATA_DIR]. About two minutes.
# Figures: docs/recurring.md, "Against buy_again".
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-${EDGEREC_DATA:-../shared/data}}
T="$data/tafeng-baskets"
if [ ! -f "$T/history.csv" ]; then
  echo "recurring-real-data: $T is absent; nothing to measure" >&2
  exit 0
fi
cargo build -q --release --features cli
bin="${CARGO_TARGET_DIR:-target}/release/edgerec"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$T/history.csv" "$tmp" <<'PY'
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
by = defaultdict(list)
for r in rows:
    by[r["user_id"]].append(r)
hist, fut = [], []
for rs in by.values():
    orders = sorted({(r["timestamp"], r["order_id"]) for r in rs})
    last = orders[-1][1] if len(orders) > 1 else None
    for r in rs:
        (fut if r["order_id"] == last else hist).append(r)
for name, part in (("val_history.csv", hist), ("val_future.csv", fut)):
    with open(f"{sys.argv[2]}/{name}", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(part)
PY
config() { # min_period show_from stop_after max_spread
  cat <<TOML
# soon_then_again's for_you fallback uses buy_again's weights.
[for_you]
purchase_weight = 0.05
purchase_decay = 0.995
rebuy_weight = 1.0
popular_weight = 1.5
[recurring]
min_period_days = $1
show_from = $2
stop_after = $3
max_spread = $4
[widgets.soon_then_again]
algorithm = "recurring"
fallback = ["for_you"]
limit = 10
exclude_purchased = false
TOML
}
evaluate() { # history future config widget -> "Recall NDCG"
  "$bin" evaluate basket --history "$1" --future "$2" --catalog "$T/catalog.csv" --config "$3" --widget "$4" |
    awk '/\(edgerec\)/ { print $4, $5 }'
}
V=("$tmp/val_history.csv" "$tmp/val_future.csv")
config 4 0.8 3 1 >"$tmp/default.toml"
echo "validation (each shopper's last past basket), Recall@10 NDCG@10:"
for w in buy_again recurring soon_then_again; do echo "  $w (defaults): $(evaluate "${V[@]}" "$tmp/default.toml" "$w")"; done
best="" best_r=0
for mp in 1 2 4; do for sf in 0.5 0.8 1.0; do for sa in 2 3 5; do for ms in 1 2; do
  config "$mp" "$sf" "$sa" "$ms" >"$tmp/g.toml"
  r=$(evaluate "${V[@]}" "$tmp/g.toml" soon_then_again)
  if awk -v a="${r%% *}" -v b="$best_r" 'BEGIN { exit !(a > b) }'; then best_r=${r%% *} best="$mp $sf $sa $ms"; fi
done; done; done; done
echo "  soon_then_again, best of 54 settings (min_period show_from stop_after max_spread = $best): Recall@10 $best_r"
config $best >"$tmp/best.toml"
echo "test (future.csv), Recall@10 NDCG@10:"
for w in buy_again recurring soon_then_again; do echo "  $w (defaults): $(evaluate "$T/history.csv" "$T/future.csv" "$tmp/default.toml" "$w")"; done
echo "  soon_then_again (validation's best): $(evaluate "$T/history.csv" "$T/future.csv" "$tmp/best.toml" soon_then_again)"
echo "  recurring (validation's best): $(evaluate "$T/history.csv" "$T/future.csv" "$tmp/best.toml" recurring)"
