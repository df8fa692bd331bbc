#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, release, size profile + wasm-opt -Oz) and copies
# it where the demo site and the worker load it from.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"   # npm's binaryen (wasm-opt 132); Debian's breaks the wasm
wasm-pack build --target web --release --out-dir pkg --out-name edgerec 2>&1 | grep -vE "failed to get wasm-pack version|no README|LICENSE file" || true
test -f pkg/edgerec_bg.wasm || { echo "build-pkg: wasm-pack did not produce pkg/edgerec_bg.wasm" >&2; exit 1; }
node scripts/package.mjs   # adds the web component (widget.js), exports, the Symbol.dispose types
rm -rf www/public/pkg && mkdir -p www/public && cp -r pkg www/public/pkg
