// A load of concurrent requests on the edge worker in workerd (Miniflare) over loopback only,
// bounded in count and time: `node www/bench/worker-load.mjs [--requests 10000] [--concurrency
// 10000] [--seconds 120] [--json]`. Mixed requests (GET and POST, valid and hostile) on the
// committed fixture snapshot; prints the status counts and latency percentiles and exits 1 on
// any 5xx. www/tests/worker-load.test.mjs runs a small version of it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workerInMiniflare } from "../tests/miniflare.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Runs the load; returns { statuses, p50, p90, p99, max, seconds }. */
export async function load({ requests = 10000, concurrency = 10000, seconds = 120 } = {}) {
  const b = readFileSync(root + "tests/fixtures/small.snap");
  const snapshot = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  const mf = workerInMiniflare({ kvNamespaces: ["SNAPSHOT_KV"], bindings: { SNAPSHOT_TTL: "3600" } });
  try {
    await (await mf.getKVNamespace("SNAPSHOT_KV")).put("model.snap", snapshot);
    const base = (await mf.ready).href.replace(/\/$/, "");
    if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(base)) throw new Error(`not a loopback URL: ${base}`);
    const widgets = ["popular", "cross_sell", "also_viewed", "for_you", "upsell", "trending", "similar"];
    const make = (i) => {
      const p = `P${String((i % 300) + 1).padStart(5, "0")}`;
      const w = widgets[i % widgets.length];
      switch (i % 10) {
        case 7:
          return [`${base}/v1/recommend?widget=${w}&limit=abc`, {}]; // hostile: 400
        case 8:
          return [`${base}/v1/recommend`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"widget":"${w}","viewed":["${p}"],"limit":4}` }];
        case 9:
          return [`${base}/v1/recommend?widget=nope`, {}]; // 404
        default:
          return [`${base}/v1/recommend?widget=${w}&product=${p}&limit=6`, {}];
      }
    };
    await fetch(`${base}/v1/health`); // load the snapshot once
    const deadline = Date.now() + seconds * 1000;
    const statuses = {};
    const times = [];
    let next = 0;
    const started = performance.now();
    async function worker() {
      while (next < requests && Date.now() < deadline) {
        const [url, init] = make(next++);
        const t = performance.now();
        let status;
        try {
          const r = await fetch(url, init);
          await r.arrayBuffer();
          status = r.status;
        } catch (e) {
          status = `network error: ${e.cause?.code ?? e.message}`;
        }
        times.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
    times.sort((a, b) => a - b);
    const q = (f) => Number(times[Math.min(times.length - 1, Math.floor(f * times.length))].toFixed(1));
    return { requests: times.length, statuses, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1), seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
  } finally {
    await mf.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, d) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : d);
  const r = await load({ requests: arg("--requests", 10000), concurrency: arg("--concurrency", 10000), seconds: arg("--seconds", 120) });
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
  else console.log(`worker-load: ${r.requests} requests in ${r.seconds} s, statuses ${JSON.stringify(r.statuses)}; latency ms p50 ${r.p50}, p90 ${r.p90}, p99 ${r.p99}, max ${r.max}`);
  const bad = Object.keys(r.statuses).filter((s) => !/^[24]\d\d$/.test(s));
  if (bad.length) {
    console.error(`worker-load: answers other than 2xx/4xx: ${bad.join(", ")}`);
    process.exit(1);
  }
}
