#!/usr/bin/env bash
# The demo: installs what is missing, generates the built-in demo store, builds its snapshot and
# the wasm package, and serves the storefront (www/public) and the /v1 API from the edge worker
# in a local workerd (wrangler dev) on http://127.0.0.1:${PORT:-8787}/. Ctrl-C stops it.
#   scripts/demo.sh            run until stopped
#   scripts/demo.sh --smoke    start, check that the pages and the API answer, stop (used by the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8787}
./scripts/setup.sh
./scripts/demo-store.sh >/dev/null
./scripts/build-pkg.sh >/dev/null
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
url="http://127.0.0.1:$PORT"
if [ "${1:-}" = "--smoke" ]; then
  log=$(mktemp)
  node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$PORT" >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
  for _ in $(seq 1 60); do curl -sf "$url/v1/health" >/dev/null && break; sleep 0.5; done
  for path in / /product/P00001 /preview.html /plain.html /pkg/edgerec_bg.wasm /data/model.snap /v1/health "/v1/recommend?widget=cross_sell&product=P00001"; do
    code=$(curl -sL -o /dev/null -w '%{http_code}' "$url$path")
    echo "demo: GET $path -> $code"
    [ "$code" = 200 ] || { echo "demo: $path failed; wrangler said:" >&2; cat "$log" >&2; exit 1; }
  done
  echo "demo: smoke test passed"
  exit 0
fi
cat <<EOT

  edgerec demo: open $url/
    storefront            $url/
    merchandiser preview  $url/preview.html
    web component alone   $url/plain.html
    edge API              $url/v1/recommend?widget=cross_sell&product=P00001
  (Ctrl-C to stop)

EOT
exec node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$PORT"
