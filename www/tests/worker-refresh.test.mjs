// The edge worker in Miniflare (workerd): a refresh that finds the KV/R2 snapshot gone keeps
// serving the loaded one and says so in the log; the package's error codes become HTTP statuses;
// the limits are the package's. Needs pkg/ (scripts/build-pkg.sh) and www/public/data/model.snap
// (scripts/demo-store.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workerInMiniflare } from "./miniflare.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
for (const [file, script] of [["pkg/edgerec_bg.wasm", "scripts/build-pkg.sh"], ["www/public/data/model.snap", "scripts/demo-store.sh"]]) {
  if (!existsSync(root + file)) throw new Error(`${file} is missing: run ${script} first`);
}

/** An exact ArrayBuffer of a file (Miniflare's proxy cannot send Node's pooled Buffers). */
const bytesOf = (file) => {
  const b = readFileSync(root + file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
/** POST /v1/recommend with `body` as JSON. */
const postRecommend = (mf, body) =>
  mf.dispatchFetch("http://localhost/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A worker over `storage` ("kv" or "r2") with a zero TTL, and the log lines it writes. */
function refreshingWorker(storage) {
  const logs = [];
  const mf = workerInMiniflare({
    ...(storage === "kv" ? { kvNamespaces: ["SNAPSHOT_KV"] } : { r2Buckets: ["SNAPSHOT_BUCKET"] }),
    bindings: { SNAPSHOT_KEY: "shop/model.snap", SNAPSHOT_TTL: "0" },
    handleStructuredLogs: ({ level, message }) => {
      logs.push({ level, message });
    },
  });
  const store = async () => (storage === "kv" ? mf.getKVNamespace("SNAPSHOT_KV") : mf.getR2Bucket("SNAPSHOT_BUCKET"));
  return { mf, logs, store };
}

for (const storage of ["kv", "r2"]) {
  test(`${storage}: a refresh that finds the snapshot gone logs it and keeps serving the loaded one`, async () => {
    const { mf, logs, store } = refreshingWorker(storage);
    try {
      const s = await store();
      await s.put("shop/model.snap", bytesOf("tests/fixtures/small.snap"));
      const url = "http://localhost/v1/recommend?widget=popular&limit=3";
      const first = await mf.dispatchFetch(url);
      assert.equal(first.status, 200);
      const v1 = (await first.json()).snapshot.version;
      await s.delete("shop/model.snap");
      let warned;
      for (let i = 0; i < 50 && !warned; i++) {
        await pause(20);
        const r = await mf.dispatchFetch(url);
        assert.equal(r.status, 200, "still served");
        assert.equal((await r.json()).snapshot.version, v1, "from the snapshot it had");
        warned = logs.find((l) => l.level === "warn" && l.message.includes("refresh found none"));
      }
      assert.ok(warned, `a warning is logged; got ${JSON.stringify(logs)}`);
      assert.match(warned.message, /keeping the current snapshot/);
      assert.match(warned.message, /"shop\/model\.snap"/, "it names the key");
      assert.match(warned.message, storage === "kv" ? /KV namespace SNAPSHOT_KV/ : /R2 bucket SNAPSHOT_BUCKET/);
      // It keeps checking: the next refresh warns again.
      const count = () => logs.filter((l) => l.message.includes("refresh found none")).length;
      const before = count();
      for (let i = 0; i < 50 && count() === before; i++) {
        await pause(20);
        assert.equal((await mf.dispatchFetch(url)).status, 200);
      }
      assert.ok(count() > before, "checked again after the TTL");
    } finally {
      await mf.dispose();
    }
  });
}

test("the package's error codes become statuses, with the parameter from the error's key", async () => {
  const { mf, store } = refreshingWorker("kv");
  try {
    await (await store()).put("shop/model.snap", bytesOf("tests/fixtures/small.snap"));
    const post = (body) => postRecommend(mf, body);
    const cases = [
      // unknown_widget
      [{ widget: "nope" }, 404, "unknown widget", "widget", /unknown widget "nope"/],
      // invalid_option, from the deserializer and from the engine's validation
      [{ widget: "popular", filters: { priceMx: 3 } }, 400, "invalid parameter", "filters", /unknown filter "priceMx"/],
      [{ widget: "popular", filters: { priceMin: 50, priceMax: 10 } }, 400, "invalid parameter", "filters", /above price_max/],
      [{ widget: "popular", filters: { added: [{ from: "2024-01-01", to: "soon" }] } }, 400, "invalid parameter", "filters", /filters/],
    ];
    for (const [body, status, error, parameter, detail] of cases) {
      const res = await post(body);
      const text = await res.text();
      assert.equal(res.status, status, text);
      const got = JSON.parse(text);
      assert.equal(got.error, error, text);
      assert.equal(got.parameter, parameter, text);
      assert.match(got.detail, detail, text);
    }
  } finally {
    await mf.dispose();
  }
});

test("the id and limit bounds are the package's", async () => {
  const { mf, store } = refreshingWorker("kv");
  try {
    await (await store()).put("shop/model.snap", bytesOf("tests/fixtures/small.snap"));
    const { initSync, limits } = await import("../../pkg/edgerec.js");
    initSync({ module: readFileSync(root + "pkg/edgerec_bg.wasm") });
    const { maxIdsPerList, maxLimit } = limits();
    const ids = (n) => Array.from({ length: n }, (_, i) => `P${String((i % 300) + 1).padStart(5, "0")}`);
    const post = (body) => postRecommend(mf, body);
    const full = await post({ widget: "for_you", viewed: ids(maxIdsPerList) });
    assert.equal(full.status, 200, await full.text());
    const over = await post({ widget: "for_you", viewed: ids(maxIdsPerList + 1) });
    assert.equal(over.status, 400);
    assert.match((await over.json()).detail, new RegExp(`at most ${maxIdsPerList}`));
    assert.equal((await post({ widget: "popular", limit: maxLimit })).status, 200);
    const big = await post({ widget: "popular", limit: maxLimit + 1 });
    assert.equal(big.status, 400);
    assert.match((await big.json()).detail, new RegExp(`from 1 to ${maxLimit}`));
  } finally {
    await mf.dispose();
  }
});
