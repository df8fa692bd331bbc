// Cold start and warm request time of the edge worker in workerd (Miniflare), on a 10,000-product
// demo store: `node www/bench/worker-bench.mjs [--products N] [--json]`.
// Cold: a fresh workerd, first request to /v1/recommend (module instantiation, snapshot read
// from KV, validation and decode, the query). Warm: requests over many products and widgets.
// Times are measured by the client over loopback; /v1/health, which does no engine work, gives
// the transport floor, and the difference is the worker's own share.
import { readFileSync, statSync } from "node:fs";
import { workerInMiniflare } from "../tests/miniflare.mjs";
import { root, store } from "./store.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const products = Number(arg("--products", 10000));
const { dir } = store(products);
const file = readFileSync(`${dir}/model.snap`);
const snapshot = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
const ids = readFileSync(`${dir}/catalog.csv`, "utf8").trim().split("\n").slice(1, 2001).map((l) => l.split(",")[0]);

async function start() {
  const mf = workerInMiniflare({
    kvNamespaces: ["SNAPSHOT_KV"],
    bindings: { SNAPSHOT_TTL: "3600" },
  });
  await (await mf.getKVNamespace("SNAPSHOT_KV")).put("model.snap", snapshot);
  await mf.ready;
  return mf;
}

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((s.length - 1) * q))];
};
const median = (xs) => pct(xs, 0.5);

async function timed(mf, path) {
  const t = performance.now();
  const r = await mf.dispatchFetch("http://localhost" + path);
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
  return performance.now() - t;
}

const cold = [];
for (let i = 0; i < 5; i++) {
  const mf = await start();
  cold.push(await timed(mf, `/v1/recommend?widget=cross_sell&product=${ids[i]}&limit=8`));
  await mf.dispose();
}
const mf = await start();
await timed(mf, "/v1/health");
const widgets = ["upsell", "cross_sell", "also_bought", "for_you", "popular_in_category", "previously_viewed"];
const warm = [];
const floor = [];
for (let i = 0; i < 1200; i++) {
  const p = ids[i % ids.length];
  const viewed = [ids[(i * 7) % ids.length], ids[(i * 13) % ids.length], p].join(",");
  const t = await timed(mf, `/v1/recommend?widget=${widgets[i % widgets.length]}&product=${p}&viewed=${viewed}&limit=8`);
  if (i >= 200) warm.push(t);
  if (i % 2 === 0) floor.push(await timed(mf, "/v1/health"));
}
await mf.dispose();
const r = {
  products,
  snapshotBytes: statSync(`${dir}/model.snap`).size,
  coldStartMs: { median: median(cold), runs: cold },
  warmMs: { p50: pct(warm, 0.5), p99: pct(warm, 0.99), mean: warm.reduce((a, b) => a + b, 0) / warm.length },
  transportFloorMs: { p50: pct(floor, 0.5) },
  workerShareMsP50: Math.max(0, pct(warm, 0.5) - pct(floor, 0.5)),
};
if (process.argv.includes("--json")) console.log(JSON.stringify(r, null, 2));
else {
  const f = (x) => x.toFixed(2);
  console.log(`edge worker on ${products} products (${(r.snapshotBytes / 1e6).toFixed(2)} MB snapshot), workerd via Miniflare`);
  console.log(`  cold start (first /v1/recommend, incl. snapshot load): median ${f(r.coldStartMs.median)} ms of ${cold.map(f).join(", ")}`);
  console.log(`  warm /v1/recommend: p50 ${f(r.warmMs.p50)} ms, p99 ${f(r.warmMs.p99)} ms, mean ${f(r.warmMs.mean)} ms (client-side, loopback)`);
  console.log(`  /v1/health (transport floor): p50 ${f(r.transportFloorMs.p50)} ms -> worker share p50 ${f(r.workerShareMsP50)} ms`);
}
