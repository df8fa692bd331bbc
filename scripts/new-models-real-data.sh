#!/usr/bin/env bash
# The newer models (ultimately_bought, bundle, trending) on the real data sets in ../shared/data,
# at the default configuration (min_count 3): how many products get a list, and a bundle holdout.
# Usage: scripts/new-models-real-data.sh [DATA_DIR]   (default ../shared/data, or $EDGEREC_DATA). About a minute.
# Figures: docs/quality.md, "New models on real data".
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-${EDGEREC_DATA:-../shared/data}}
cargo build -q --release --features cli
bin="${CARGO_TARGET_DIR:-target}/release/edgerec"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# name, catalog, events, holdout cut (events before it train, orders from it on are the test)
sets=(
  "diginetica-purchases $data/diginetica-purchases/catalog.csv $data/diginetica-purchases/events.csv 2016-05-01T00:00:00Z"
  "tafeng-baskets $data/tafeng-baskets/catalog.csv $data/tafeng-baskets/history.csv 2000-12-10T00:00:00Z"
)
for s in "${sets[@]}"; do
  read -r name catalog events cut <<<"$s"
  $bin build --catalog "$catalog" --events "$events" --out "$tmp/$name.snap" --quiet
  $bin build --catalog "$catalog" --events "$events" --out "$tmp/$name.cut.snap" --as-of "$cut" --quiet
  python3 - "$bin" "$tmp/$name.snap" "$tmp/$name.cut.snap" "$catalog" "$events" "$cut" "$name" <<'PY'
import csv, json, subprocess, sys
from collections import defaultdict
bin, snap, cut_snap, catalog, events, cut, name = sys.argv[1:]
def run(*a):
    return subprocess.run([bin, *a], check=True, capture_output=True, text=True).stdout
meta = json.loads(run("inspect", "--json", snap))
ids = [r["id"] for r in csv.DictReader(open(catalog))]
def answer(s, widget, p, limit):
    out = json.loads(run("recommend", "--snapshot", s, "--widget", widget, "--product", p, "--limit", str(limit), "--json"))
    return [i["id"] for i in out["items"] if i.get("step", 1) == 1]
# Products with an ultimately_bought list and products in a bundle: ask the snapshot per product
# that was ever bought (others cannot be in a bundle or be an anchor with purchases after a view).
orders, bought = defaultdict(list), set()
for r in csv.DictReader(open(events)):
    if r["event"] == "purchase":
        bought.add(r["product_id"])
        if r["timestamp"] >= cut:
            key = r["order_id"] or r["session_id"] or r["user_id"] + r["timestamp"]
            if r["product_id"] not in orders[key]:
                orders[key].append(r["product_id"])
in_bundle = sum(1 for p in sorted(bought) if answer(snap, "bundle", p, 3))
ub = meta["neighbours"]["ultimately_bought"]
print(f"{name}: {len(ids):,} products, {len(bought):,} ever bought; as of {meta['asOf']}")
print(f"  ultimately_bought  {ub:,} links kept (views in the events: {meta['counts']['views']:,})")
print(f"  bundle             {in_bundle:,} products are in a kept bundle")
print(f"  trending           {meta['popularity']['trending']:,} trending products")
# Holdout: orders of 2 or more products from the cut on; a hit when the bundle answer (top 3) of
# the order's first product, built on the events before the cut, holds another of its products.
cases = [o for o in orders.values() if len(o) >= 2]
hits = answered = 0
for o in cases:
    got = answer(cut_snap, "bundle", o[0], 3)
    answered += bool(got)
    hits += any(q in got for q in o[1:])
print(f"  holdout from {cut}: {len(cases):,} orders of 2+ products, bundle answered {answered:,}, "
      f"hit@3 {hits / max(len(cases), 1):.4f} ({hits:,} hits)")
PY
done
