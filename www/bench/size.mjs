// Prints the size of the npm package's .wasm (raw and gzip -9) and JS glue, and fails when the
// gzipped .wasm is over the budget (245 KB; the goal is under 100 KB, issue "Performance").
// Usage: node www/bench/size.mjs [--json]
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const BUDGET = 245 * 1000;
const GOAL = 100 * 1000;
const wasm = readFileSync(root + "pkg/edgerec_bg.wasm");
const glue = readFileSync(root + "pkg/edgerec.js");
const gz = (b) => gzipSync(b, { level: 9 }).length;
const r = {
  wasmBytes: wasm.length,
  wasmGzipBytes: gz(wasm),
  glueBytes: glue.length,
  glueGzipBytes: gz(glue),
  budgetGzipBytes: BUDGET,
  goalGzipBytes: GOAL,
};
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(r, null, 2));
} else {
  const kb = (n) => (n / 1000).toFixed(1) + " KB";
  console.log(`pkg/edgerec_bg.wasm ${kb(r.wasmBytes)} raw, ${kb(r.wasmGzipBytes)} gzip -9 (budget ${kb(BUDGET)}, goal ${kb(GOAL)})`);
  console.log(`pkg/edgerec.js      ${kb(r.glueBytes)} raw, ${kb(r.glueGzipBytes)} gzip -9`);
}
if (r.wasmGzipBytes > BUDGET) {
  console.error(`size: the gzipped .wasm is ${r.wasmGzipBytes} bytes, over the ${BUDGET} byte budget`);
  process.exit(1);
}
