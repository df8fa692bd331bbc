// Faults at the edge, in Miniflare (workerd): a snapshot replaced by a corrupt or truncated one
// while the worker serves keeps the good one serving (never a 5xx) and is reported in
// /v1/health; storage without the snapshot at cold start answers 503 with Retry-After, and the
// next request after the upload recovers. Needs pkg/ (scripts/build-pkg.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workerInMiniflare } from "./miniflare.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const good = (() => {
  const b = readFileSync(root + "tests/fixtures/small.snap");
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
})();
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const url = "http://localhost/v1/recommend?widget=popular&limit=3";

for (const storage of ["kv", "r2"]) {
  for (const [damage, bytes, reason] of [
    ["truncated", good.slice(0, Math.floor(good.byteLength / 2)), /truncated|shorter/],
    ["corrupt", (() => { const c = new Uint8Array(good.slice(0)); c[c.length - 10] ^= 0xff; return c.buffer; })(), /checksum|corrupt/],
    ["an HTML page", new TextEncoder().encode("<!doctype html><title>CDN error</title>").buffer, /not an edgerec snapshot/],
  ]) {
    test(`${storage}: a snapshot replaced by ${damage} one keeps the good one serving and is reported in /v1/health`, async () => {
      const mf = workerInMiniflare({
        ...(storage === "kv" ? { kvNamespaces: ["SNAPSHOT_KV"] } : { r2Buckets: ["SNAPSHOT_BUCKET"] }),
        bindings: { SNAPSHOT_KEY: "model.snap", SNAPSHOT_TTL: "0" },
      });
      try {
        const store = storage === "kv" ? await mf.getKVNamespace("SNAPSHOT_KV") : await mf.getR2Bucket("SNAPSHOT_BUCKET");
        await store.put("model.snap", good);
        const first = await mf.dispatchFetch(url);
        assert.equal(first.status, 200);
        const body = await first.json();
        const { version } = body.snapshot;
        await store.put("model.snap", bytes);
        let health;
        for (let i = 0; i < 60 && !health?.refreshError; i++) {
          await pause(20);
          const r = await mf.dispatchFetch(url);
          assert.equal(r.status, 200, "never a 5xx while a good snapshot is in memory");
          const again = await r.json();
          assert.equal(again.snapshot.version, version, "answered from the good snapshot");
          assert.deepEqual(again.items.map((x) => x.id), body.items.map((x) => x.id));
          health = await (await mf.dispatchFetch("http://localhost/v1/health")).json();
        }
        assert.ok(health.refreshError, "the bad snapshot is reported");
        assert.equal(health.snapshot.version, version);
        assert.match(health.refreshError.message, reason);
        // The good snapshot again: the report clears.
        await store.put("model.snap", good.slice(0));
        for (let i = 0; i < 60 && health.refreshError; i++) {
          await pause(20);
          await mf.dispatchFetch(url);
          health = await (await mf.dispatchFetch("http://localhost/v1/health")).json();
        }
        assert.equal(health.refreshError, null, "cleared once the store holds a good snapshot");
      } finally {
        await mf.dispose();
      }
    });
  }
}

test("no snapshot in storage at cold start: 503 with Retry-After, then recovery on the next request", async () => {
  const mf = workerInMiniflare({ kvNamespaces: ["SNAPSHOT_KV"], bindings: { SNAPSHOT_KEY: "model.snap" } });
  try {
    const r = await mf.dispatchFetch(url);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get("retry-after"), "5");
    const err = await r.json();
    assert.match(err.detail, /SNAPSHOT_KV has no key "model\.snap"/);
    await (await mf.getKVNamespace("SNAPSHOT_KV")).put("model.snap", good);
    const ok = await mf.dispatchFetch(url);
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).items.length, 3);
  } finally {
    await mf.dispose();
  }
});
