// Recommend latency of the npm package (wasm in Node) on the same snapshot and contexts as
// `edgerec bench`, the wasm / native ratio, and snapshot decode time.
//   node www/bench/wasm-bench.mjs [--products 100000] [--queries 2000] [--json]
// Needs pkg/ (scripts/build-pkg.sh). The native figures come from `edgerec bench --json` run on
// the same contexts; the ratio compares like with like: the native side also writes each list's
// items as JSON, which is what the JavaScript API does before handing them over.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, root, store } from "./store.mjs";
import { initSync, Recommender } from "../../pkg/edgerec.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const products = Number(arg("--products", 100000));
const queries = Number(arg("--queries", 2000));
const { snapshot } = store(products);
const contextsFile = join(tmpdir(), `edgerec-contexts-${process.pid}.json`);
const native = JSON.parse(
  execFileSync(bin, ["bench", "--snapshot", snapshot, "--queries", String(queries), "--contexts-out", contextsFile, "--json"], {
    maxBuffer: 64 << 20,
  }).toString(),
);
const contexts = JSON.parse(readFileSync(contextsFile, "utf8"));

const t0 = performance.now();
initSync({ module: readFileSync(root + "pkg/edgerec_bg.wasm") });
const instantiateMs = performance.now() - t0;
const bytes = readFileSync(snapshot);
const decode = [];
let rec;
for (let i = 0; i < 6; i++) {
  rec?.free();
  const t = performance.now();
  rec = Recommender.fromBytes(bytes);
  decode.push(performance.now() - t);
}
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((s.length - 1) * q))];
};

const options = contexts.map((c) => ({ product: c.product ?? undefined, viewed: c.viewed, cart: c.cart, purchased: c.purchased }));
const widgets = {};
for (const w of rec.info().widgets) {
  for (let i = 0; i < 300; i++) rec.recommend(w, options[i % options.length]); // warm up (tier-up)
  const times = new Float64Array(options.length);
  let items = 0;
  for (let i = 0; i < options.length; i++) {
    const t = process.hrtime.bigint();
    items += rec.recommend(w, options[i]).length;
    times[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  // The same lists as a JSON string (recommendJson): the work the native figure measures.
  const jsonTimes = new Float64Array(options.length);
  for (let i = 0; i < options.length; i++) {
    const t = process.hrtime.bigint();
    rec.recommendJson(w, options[i]);
    jsonTimes[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  const n = native.plainWithJsonOutput[w];
  widgets[w] = {
    p50Us: pct(times, 0.5),
    p99Us: pct(times, 0.99),
    jsonP50Us: pct(jsonTimes, 0.5),
    avgItems: items / options.length,
    nativeP50Us: n.p50Us,
    nativeEngineOnlyP50Us: native.plain[w].p50Us,
    ratio: pct(jsonTimes, 0.5) / n.p50Us,
    objectsRatio: pct(times, 0.5) / n.p50Us,
  };
}
const ratios = Object.values(widgets).map((w) => w.ratio);
const objectRatios = Object.values(widgets).map((w) => w.objectsRatio);
const r = {
  products,
  snapshotBytes: statSync(snapshot).size,
  queries: options.length,
  wasmBytes: statSync(root + "pkg/edgerec_bg.wasm").size,
  instantiateMs,
  decodeMs: { first: decode[0], median: pct(decode.slice(1), 0.5) },
  nativeDecodeMs: native.decodeMs,
  widgets,
  medianRatio: pct(ratios, 0.5),
  worstRatio: Math.max(...ratios),
  medianObjectsRatio: pct(objectRatios, 0.5),
};
writeFileSync(contextsFile, "");
if (process.argv.includes("--json")) console.log(JSON.stringify(r, null, 2));
else {
  const f = (x) => x.toFixed(2);
  console.log(`wasm (Node ${process.version}) on ${products} products, ${(r.snapshotBytes / 1e6).toFixed(1)} MB snapshot, ${r.queries} contexts shared with edgerec bench`);
  console.log(`  instantiate ${f(instantiateMs)} ms; decode first ${f(r.decodeMs.first)} ms, then median ${f(r.decodeMs.median)} ms (native ${f(native.decodeMs)} ms)`);
  console.log(`  ${"widget (us p50)".padEnd(28)} ${"objects".padStart(8)} ${"p99".padStart(8)} ${"JSON".padStart(8)} ${"native".padStart(8)} ${"ratio".padStart(6)}`);
  for (const [w, x] of Object.entries(widgets)) {
    console.log(`  ${w.padEnd(28)} ${f(x.p50Us).padStart(8)} ${f(x.p99Us).padStart(8)} ${f(x.jsonP50Us).padStart(8)} ${f(x.nativeP50Us).padStart(8)} ${f(x.ratio).padStart(6)}`);
  }
  console.log("  objects: recommend() (JS objects); JSON: recommendJson() (a string); native: the engine and the same JSON");
  console.log(`  wasm / native p50 ratio (JSON vs JSON): median ${f(r.medianRatio)}, worst ${f(r.worstRatio)}; objects vs native JSON: median ${f(r.medianObjectsRatio)}`);
}
