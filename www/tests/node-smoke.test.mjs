// The npm package as a Node ESM user imports it: initSync with the .wasm bytes, then
// Recommender / Session, and fetchSnapshot against a local HTTP server with ETags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { initSync, Recommender, Session, fetchSnapshot } from "../../pkg/edgerec.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
initSync({ module: readFileSync(root + "pkg/edgerec_bg.wasm") });
const fixture = readFileSync(root + "tests/fixtures/small.snap");

test("imports, loads a snapshot and recommends", () => {
  const rec = Recommender.fromBytes(fixture);
  assert.equal(rec.info().products, 300);
  const items = rec.recommend("cross_sell", { product: "P00001", viewed: ["P00003", "P00002", "P00001"], limit: 5 });
  assert.equal(items.length, 5);
  for (const i of items) {
    assert.notEqual(i.id, "P00001");
    assert.equal(typeof i.title, "string");
    assert.ok(i.score > 0 && i.score <= 1);
    assert.match(i.reason, /^[a-z_]+$/);
  }
  assert.throws(() => rec.recommend("nope", {}), /unknown widget "nope"/);
  assert.throws(() => Recommender.fromBytes(new Uint8Array([1, 2, 3])), /3 bytes is shorter than its header/);
});

test("a session in Node lives in memory and feeds recommend", () => {
  const rec = Recommender.fromBytes(fixture);
  const session = Session.load();
  assert.equal(session.storageMode, "memory");
  session.view("P00010");
  session.view("P00011");
  session.addToCart("P00012", 2);
  assert.deepEqual(session.views(), ["P00011", "P00010"]);
  assert.deepEqual(session.cart(), [{ id: "P00012", quantity: 2 }]);
  const items = rec.recommend("for_you", { session, limit: 8 });
  assert.ok(items.length > 0);
  assert.ok(!items.some((i) => i.id === "P00012"), "cart items are never recommended");
  session.purchase(["P00012"]);
  assert.deepEqual(session.cart(), []);
  assert.deepEqual(session.purchased(), ["P00012"]);
});

// docs/javascript.md: "Session.load never throws. With options it cannot use, it logs a warning
// and goes on". A string is such an option: `Session.load("memory")` must not be silently the
// default (localStorage in a browser).
test("Session.load with a non-object argument warns and goes on", () => {
  const warned = [];
  const warn = console.warn;
  console.warn = (...a) => warned.push(a.join(" "));
  try {
    for (const bad of ["memory", 42, ["memory"]]) {
      warned.length = 0;
      const s = Session.load(bad);
      assert.equal(s.storageMode, "memory", "Node has no localStorage");
      assert.equal(warned.length, 1, `one warning for ${JSON.stringify(bad)}: ${warned.join(" | ")}`);
      assert.match(warned[0], /^edgerec: .*using the default session options/);
    }
  } finally {
    console.warn = warn;
  }
});

// Node's fetch has no HTTP cache, so nothing is revalidated here: the request only asks for it.
// The revalidation itself (If-None-Match, 304, cached bytes) is checked in Chromium, in
// e2e.test.mjs.
test("fetchSnapshot asks caches to revalidate and reports HTTP errors", async () => {
  const etag = '"' + createHash("sha1").update(fixture).digest("hex") + '"';
  let requests = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url, ifNoneMatch: req.headers["if-none-match"], cache: req.headers["cache-control"] });
    if (req.url === "/model.snap") {
      res.writeHead(200, { "content-type": "application/octet-stream", etag, "cache-control": "public, max-age=0, must-revalidate" });
      res.end(fixture);
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const rec = await fetchSnapshot(`${base}/model.snap`);
    assert.equal(rec.info().products, 300);
    // cache: "no-cache" asks caches to revalidate; Node's fetch spells that max-age=0.
    assert.match(requests[0].cache ?? "", /^(no-cache|max-age=0)$/, "revalidates by default");
    await assert.rejects(fetchSnapshot(`${base}/missing.snap`), /HTTP 404/);
  } finally {
    server.close();
  }
});
