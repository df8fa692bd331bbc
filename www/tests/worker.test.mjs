// The edge worker in workerd: wrangler's dev server with wrangler.toml (static assets, the
// snapshot as an asset), then Miniflare with a KV namespace for loading, 503 and retry, and
// replacing the snapshot. Needs pkg/ (scripts/build-pkg.sh) and www/public/data/model.snap
// (scripts/demo-store.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { unstable_dev } from "wrangler";
import { workerInMiniflare } from "./miniflare.mjs";
import { initSync, limits, Recommender } from "../../pkg/edgerec.js";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
const root = fileURLToPath(new URL("../../", import.meta.url));
for (const [file, script] of [["pkg/edgerec_bg.wasm", "scripts/build-pkg.sh"], ["www/public/data/model.snap", "scripts/demo-store.sh"]]) {
  if (!existsSync(root + file)) throw new Error(`${file} is missing: run ${script} first`);
}
const catalog = readFileSync(root + "www/public/data/catalog.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0]);
initSync({ module: readFileSync(root + "pkg/edgerec_bg.wasm") });
/** The ids a snapshot file gives for a widget, computed here with the package, not by the worker. */
/** The bounds the worker enforces, the package's own. */
const { maxIdsPerList, maxIdLength } = limits();
const idsOf = (file, widget, options) => Recommender.fromBytes(readFileSync(root + file)).recommend(widget, options).map((i) => i.id);

let worker;
before(async () => {
  worker = await unstable_dev(root + "www/worker/index.js", {
    config: root + "wrangler.toml",
    ip: "127.0.0.1",
    logLevel: "error",
    experimental: { disableExperimentalWarning: true },
  });
});
after(async () => {
  await worker?.stop();
});

const get = (path, init) => worker.fetch(path, init);
/** An exact ArrayBuffer of a file (Miniflare's proxy cannot send Node's pooled Buffers). */
const bytesOf = (file, end) => {
  const b = readFileSync(root + file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + (end ?? b.byteLength));
};

test("GET /v1/recommend returns the widget's list with the snapshot version", async () => {
  const res = await get(`/v1/recommend?widget=cross_sell&product=${catalog[0]}&limit=5`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /application\/json/);
  assert.match(res.headers.get("cache-control"), /^public, max-age=\d+/, "anonymous lists are cacheable");
  const body = await res.json();
  assert.equal(body.widget, "cross_sell");
  assert.equal(body.items.length, 5);
  assert.ok(body.items.every((i) => i.id !== catalog[0] && i.title && i.url && typeof i.price === "number" && i.score > 0 && i.reason));
  assert.match(body.snapshot.version, /^[0-9a-f]{16}$/);
  assert.match(body.snapshot.builtAt, /^\d{4}-\d\d-\d\dT/);
});

test("exclude leaves out what other widgets of the page show, in GET and POST", async () => {
  const first = await (await get("/v1/recommend?widget=popular&limit=6")).json();
  const shown = first.items.slice(0, 3).map((i) => i.id);
  const res = await get(`/v1/recommend?widget=popular&limit=6&exclude=${shown.join(",")}`);
  assert.equal(res.status, 200);
  const ids = (await res.json()).items.map((i) => i.id);
  assert.deepEqual(ids.slice(0, 3), first.items.slice(3).map((i) => i.id), "the list moves up past the excluded ids");
  assert.ok(ids.length === 6 && ids.every((id) => !shown.includes(id)), ids.join(","));
  const post = await get("/v1/recommend", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ widget: "popular", limit: 6, exclude: shown }),
  });
  assert.deepEqual((await post.json()).items.map((i) => i.id), ids);
  const badList = await get("/v1/recommend?widget=popular&exclude=P00001,,P00002");
  assert.equal(badList.status, 400);
  assert.equal((await badList.json()).parameter, "exclude");
});

test("POST /v1/recommend takes the same fields as JSON, and sessions are not cached", async () => {
  const viewed = catalog.slice(10, 14);
  const res = await get("/v1/recommend", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ widget: "previously_viewed", product: viewed[3], viewed, filters: { showOutOfStock: true } }),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "private, no-store");
  const body = await res.json();
  assert.deepEqual(body.items.map((i) => i.id), viewed.slice(0, 3).reverse(), "most recent first, without the current product");
  // GET with the same ids agrees: the same list, out-of-stock items left out as GET has no filters.
  const query = `widget=previously_viewed&product=${viewed[3]}&viewed=${viewed.join(",")}`;
  const g = await (await get(`/v1/recommend?${query}`)).json();
  const inStock = body.items.filter((i) => i.inStock).map((i) => i.id);
  assert.ok(inStock.length > 0, "the test views include products in stock");
  assert.deepEqual(g.items.map((i) => i.id), inStock);
  // And item for item, POST without filters.
  const p = await get("/v1/recommend", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ widget: "previously_viewed", product: viewed[3], viewed }),
  });
  assert.deepEqual(g.items, (await p.json()).items);
});

test("submodel.NAME keeps the widget's own steps to a group; a bad submodel is a 400 with the package's code and key", async () => {
  // A product whose plain also_viewed list shows other colour groups, found with the package.
  const rec = Recommender.fromBytes(readFileSync(root + "www/public/data/model.snap"));
  const colors = rec.submodels().find((s) => s.name === "colors");
  assert.ok(colors, "the demo store's www/edgerec.toml has [submodels.colors]");
  const groupOf = (id) => colors.groups.findIndex((g) => g.includes(rec.product(id).attributes.color));
  const own = (items) => items.filter((i) => i.reason === "viewed_together");
  const product = catalog.find((id) => {
    const items = own(rec.recommend("also_viewed", { product: id }));
    return items.length >= 3 && items.some((i) => groupOf(i.id) !== groupOf(id));
  });
  assert.ok(product, "a product viewed together with products of other colours");
  const group = groupOf(product);
  assert.ok(group >= 0, `${product} has a colour of a group`);

  const res = await get(`/v1/recommend?widget=also_viewed&product=${product}&submodel.colors=$product`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("cache-control"), /^public/, "a submodel does not make the list personal");
  const body = await res.json();
  assert.deepEqual(body.submodels, [`colors: ${colors.groups[group].join(", ")}`]);
  assert.ok(own(body.items).length > 0, "viewed-together items of the product's colour group");
  for (const i of own(body.items)) assert.equal(groupOf(i.id), group, `${i.id} (${rec.product(i.id).attributes.color}) is in the group`);
  const post = await get("/v1/recommend", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ widget: "also_viewed", product, submodels: { colors: "$product" } }),
  });
  assert.deepEqual((await post.json()).items, body.items, "POST's submodels field agrees");
  // Two submodels at once: the colour group and a price range (a number selects its range).
  const both = await (await get(`/v1/recommend?widget=also_viewed&product=${product}&submodel.colors=$product&submodel.price=60`)).json();
  assert.deepEqual(both.submodels, [`colors: ${colors.groups[group].join(", ")}`, "price: 50 to 150"]);
  for (const i of own(both.items)) assert.ok(groupOf(i.id) === group && i.price >= 50 && i.price <= 150, `${i.id} at ${i.price}`);

  for (const [query, parameter, key] of [
    ["submodel.nope=x", "submodel.nope", "submodels.nope"],
    ["submodel.price=cheap", "submodel.price", "submodels.price"],
  ]) {
    const bad = await get(`/v1/recommend?widget=also_viewed&product=${product}&${query}`);
    const text = await bad.text();
    assert.equal(bad.status, 400, text);
    const e = JSON.parse(text);
    assert.deepEqual([e.error, e.parameter, e.code, e.key], ["invalid parameter", parameter, "invalid_option", key], text);
  }
  const badPost = await get("/v1/recommend", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ widget: "also_viewed", submodels: { price: "cheap" } }),
  });
  const e = await badPost.json();
  assert.deepEqual([badPost.status, e.parameter, e.code, e.key], [400, "submodels", "invalid_option", "submodels.price"]);
});

test("widgets, health, CORS and static assets", async () => {
  const w = await (await get("/v1/widgets")).json();
  assert.ok(w.widgets.some((x) => x.name === "upsell" && x.algorithm === "upsell"));
  const h = await get("/v1/health");
  assert.equal(h.status, 200);
  const health = await h.json();
  assert.equal(health.ok, true);
  assert.equal(health.snapshot.products, catalog.length);
  assert.equal(health.snapshot.source, "asset:/data/model.snap");
  const cors = await get("/v1/widgets", { headers: { origin: "https://shop.example" } });
  assert.equal(cors.headers.get("access-control-allow-origin"), "*");
  const pre = await get("/v1/recommend", { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST" } });
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get("access-control-allow-methods"), /POST/);
  const snap = await get("/data/model.snap");
  assert.equal(snap.status, 200);
  assert.equal(new Uint8Array(await snap.arrayBuffer()).length, readFileSync(root + "www/public/data/model.snap").length);
});

const hostile = [
  ["no widget", "/v1/recommend", {}, 400, "widget"],
  ["unknown widget", "/v1/recommend?widget=nope", {}, 404, "widget"],
  ["unknown product", "/v1/recommend?widget=upsell&product=NOPE-404", {}, 404, "product"],
  ["over-long product", `/v1/recommend?widget=upsell&product=${"x".repeat(maxIdLength + 1)}`, {}, 400, "product"],
  ["non-numeric limit", "/v1/recommend?widget=popular&limit=ten", {}, 400, "limit"],
  ["huge limit", "/v1/recommend?widget=popular&limit=100000", {}, 400, "limit"],
  ["negative limit", "/v1/recommend?widget=popular&limit=-1", {}, 400, "limit"],
  ["fractional limit", "/v1/recommend?widget=popular&limit=1.5", {}, 400, "limit"],
  ["zero limit", "/v1/recommend?widget=popular&limit=0", {}, 400, "limit"],
  ["too many ids", `/v1/recommend?widget=for_you&viewed=${Array.from({ length: maxIdsPerList + 1 }, (_, i) => `P${i}`).join(",")}`, {}, 400, "viewed"],
  ["POST thousands of ids", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ widget: "for_you", cart: Array.from({ length: 3000 }, (_, i) => `P${i}`) }) }, 400, "cart"],
  ["invalid UTF-8", "/v1/recommend?widget=popular&viewed=%FF%FE", {}, 400, "viewed"],
  ["broken escape", "/v1/recommend?widget=popular&cart=%zz", {}, 400, "cart"],
  ["empty id in a list", "/v1/recommend?widget=popular&purchased=P00001,,P00002", {}, 400, "purchased"],
  ["unknown parameter", "/v1/recommend?widget=popular&colour=red", {}, 400, "colour"],
  ["repeated parameter", "/v1/recommend?widget=popular&widget=upsell", {}, 400, "widget"],
  ["submodel without a name", "/v1/recommend?widget=popular&submodel.=red", {}, 400, "submodel."],
  ["repeated submodel", "/v1/recommend?widget=popular&submodel.colors=red&submodel.colors=blue", {}, 400, "submodel.colors"],
  ["unknown submodel", "/v1/recommend?widget=popular&submodel.sizes=M", {}, 400, "submodel.sizes"],
  ["POST submodels not an object", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","submodels":"colors"}' }, 400, "submodels"],
  ["POST submodel value not a value", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","submodels":{"colors":[1]}}' }, 400, "submodels"],
  ["wrong method", "/v1/recommend?widget=popular", { method: "DELETE" }, 405, "method"],
  ["wrong method on widgets", "/v1/widgets", { method: "PUT", body: "x" }, 405, "method"],
  ["parameters on widgets", "/v1/widgets?x=1", {}, 400, "query"],
  ["unknown endpoint", "/v1/nothing", {}, 404, "path"],
  ["URL too long", `/v1/recommend?widget=popular&product=${"y".repeat(20000)}`, {}, 414, "query"],
  ["POST as text", "/v1/recommend", { method: "POST", headers: { "content-type": "text/plain" }, body: "widget=popular" }, 415, "content-type"],
  ["POST invalid JSON", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: "{widget:" }, 400, "body"],
  ["POST invalid UTF-8", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }, 400, "body"],
  ["POST array", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: "[1,2]" }, 400, "body"],
  ["POST oversized", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ widget: "popular", viewed: ["x".repeat(100000)] }) }, 413, "body"],
  ["POST unknown field", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","sessionId":"abc"}' }, 400, "sessionId"],
  ["POST ids not strings", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"for_you","viewed":[1,2]}' }, 400, "viewed"],
  ["POST ids not a list", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"for_you","cart":{"a":1}}' }, 400, "cart"],
  ["POST widget not a string", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":["popular"]}' }, 400, "widget"],
  ["POST filters not an object", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","filters":"cheap"}' }, 400, "filters"],
  ["POST unknown filter", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","filters":{"priceMx":3}}' }, 400, "filters"],
  ["POST contradictory filters", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","filters":{"priceMin":50,"priceMax":10}}' }, 400, "filters"],
  ["POST filter of the wrong type", "/v1/recommend", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular","filters":{"priceMin":"cheap"}}' }, 400, "filters"],
  ["POST query and body", "/v1/recommend?widget=popular", { method: "POST", headers: { "content-type": "application/json" }, body: '{"widget":"popular"}' }, 400, "query"],
];

test("every hostile request gets a 4xx JSON error naming the parameter, never a 5xx", async () => {
  for (const [name, path, init, status, parameter] of hostile) {
    const res = await get(path, init);
    const text = await res.text();
    assert.ok(res.status < 500, `${name}: got ${res.status} ${text}`);
    assert.equal(res.status, status, `${name}: ${text}`);
    const body = JSON.parse(text);
    assert.equal(body.parameter, parameter, `${name}: ${text}`);
    assert.ok(body.error && body.detail, `${name}: ${text}`);
  }
});

async function kvWorker(ttl) {
  return workerInMiniflare({
    kvNamespaces: ["SNAPSHOT_KV"],
    bindings: { SNAPSHOT_KEY: "model.snap", SNAPSHOT_TTL: String(ttl), ALLOWED_ORIGINS: "https://shop.example" },
  });
}

test("a KV snapshot: 503 while missing, loaded on the next request, replaced when it changes", async () => {
  const mf = await kvWorker(0);
  try {
    const url = "http://localhost/v1/recommend?widget=popular&limit=3";
    const missing = await mf.dispatchFetch(url);
    assert.equal(missing.status, 503);
    const err = await missing.json();
    assert.match(err.detail, /no key "model.snap".*next request will try again/);
    const kv = await mf.getKVNamespace("SNAPSHOT_KV");
    await kv.put("model.snap", bytesOf("tests/fixtures/small.snap"));
    const first = await mf.dispatchFetch(url);
    assert.equal(first.status, 200);
    const v1 = (await first.json()).snapshot.version;
    // What each snapshot answers to this request: an answer must be one of them, whole.
    const oldIds = idsOf("tests/fixtures/small.snap", "popular", { limit: 3 });
    const newIds = idsOf("www/public/data/model.snap", "popular", { limit: 3 });
    assert.notDeepEqual(oldIds, newIds, "the two snapshots answer differently");
    // Only the configured origin is allowed.
    const other = await mf.dispatchFetch(url, { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const mine = await mf.dispatchFetch(url, { headers: { origin: "https://shop.example" } });
    assert.equal(mine.headers.get("access-control-allow-origin"), "https://shop.example");
    await mine.text();
    // Deploy a different snapshot: after the (zero) TTL the worker picks it up in the background.
    await kv.put("model.snap", bytesOf("www/public/data/model.snap"));
    let v2 = v1;
    for (let i = 0; i < 50 && v2 === v1; i++) {
      const r = await mf.dispatchFetch(url);
      const body = await r.json();
      assert.equal(r.status, 200);
      // Every answer comes whole from the snapshot it names: exactly that snapshot's list.
      assert.deepEqual(body.items.map((it) => it.id), body.snapshot.version === v1 ? oldIds : newIds, `answer ${i}`);
      v2 = body.snapshot.version;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.notEqual(v2, v1, "the new snapshot replaced the old one");
    const health = await (await mf.dispatchFetch("http://localhost/v1/health")).json();
    assert.equal(health.snapshot.products, catalog.length);
    assert.equal(health.snapshot.source, "kv:model.snap");
  } finally {
    await mf.dispose();
  }
});

/**
 * Whether `got` agrees with a documented example: every key shown has the value shown ("…"
 * keys, values and array elements stand for what the docs leave out); the snapshot's identity and
 * clocks (version, builtAt, loadedAt) change with every build and are not compared.
 */
function agrees(doc, got, path = "") {
  if (Array.isArray(doc)) {
    assert.ok(Array.isArray(got), `${path}: an array`);
    const gap = doc.indexOf("…");
    const [head, tail] = gap < 0 ? [doc, []] : [doc.slice(0, gap), doc.slice(gap + 1)];
    if (gap < 0) assert.equal(got.length, doc.length, `${path}: length`);
    head.forEach((d, i) => agrees(d, got[i], `${path}[${i}]`));
    tail.forEach((d, i) => agrees(d, got[got.length - tail.length + i], `${path}[-${tail.length - i}]`));
  } else if (doc !== null && typeof doc === "object") {
    for (const [k, v] of Object.entries(doc)) {
      if (k === "…" || ["version", "builtAt", "loadedAt"].includes(k)) continue;
      assert.ok(got && k in got, `${path}.${k}: present`);
      agrees(v, got[k], `${path}.${k}`);
    }
  } else if (doc !== "…") {
    assert.deepEqual(got, doc, path);
  }
}

test("docs/edge-worker.md's examples are what the worker answers for tests/fixtures/small.snap", async () => {
  const doc = readFileSync(root + "docs/edge-worker.md", "utf8");
  /** The first ```lang block after `heading`. */
  const block = (heading, lang) => {
    const at = doc.indexOf(heading);
    assert.ok(at >= 0, `the docs have ${heading}`);
    const m = doc.slice(at).match(new RegExp("```" + lang + "\n([\\s\\S]*?)```"));
    assert.ok(m, `a ${lang} block after ${heading}`);
    return m[1];
  };
  const mf = await kvWorker(60);
  try {
    const kv = await mf.getKVNamespace("SNAPSHOT_KV");
    await kv.put("model.snap", bytesOf("tests/fixtures/small.snap"));
    const answer = async (path, init) => {
      const r = await mf.dispatchFetch("http://localhost" + path, init);
      assert.equal(r.status, 200, path);
      return r.json();
    };
    const get = block("## `GET /v1/recommend`", "sh").match(/8787(\/v1\/[^'\s]*)/)[1];
    agrees(JSON.parse(block("## `GET /v1/recommend`", "json")), await answer(get), "GET /v1/recommend");
    const body = block("## `POST /v1/recommend`", "sh").match(/-d '([^']*)'/)[1];
    const post = { method: "POST", headers: { "content-type": "application/json" }, body };
    agrees(JSON.parse(block("## `POST /v1/recommend`", "json")), await answer("/v1/recommend", post), "POST /v1/recommend");
    agrees(JSON.parse(block("## `GET /v1/widgets`", "json")), await answer("/v1/widgets"), "GET /v1/widgets");
    agrees(JSON.parse(block("## `GET /v1/health`", "json")), await answer("/v1/health"), "GET /v1/health");
  } finally {
    await mf.dispose();
  }
});

test("a corrupt snapshot gives a 503 that says why", async () => {
  const mf = await kvWorker(60);
  try {
    const kv = await mf.getKVNamespace("SNAPSHOT_KV");
    const full = bytesOf("tests/fixtures/small.snap");
    await kv.put("model.snap", full.slice(0, full.byteLength - 10));
    const res = await mf.dispatchFetch("http://localhost/v1/widgets");
    assert.equal(res.status, 503);
    assert.match((await res.json()).detail, /truncated/);
    await kv.put("model.snap", full);
    assert.equal((await mf.dispatchFetch("http://localhost/v1/widgets")).status, 200);
  } finally {
    await mf.dispose();
  }
});

test("an R2 snapshot is reloaded only when its ETag changes", async () => {
  const mf = workerInMiniflare({
    r2Buckets: ["SNAPSHOT_BUCKET"],
    bindings: { SNAPSHOT_TTL: "0" },
  });
  try {
    const bucket = await mf.getR2Bucket("SNAPSHOT_BUCKET");
    await bucket.put("model.snap", bytesOf("tests/fixtures/small.snap"));
    const health = async () => (await (await mf.dispatchFetch("http://localhost/v1/health")).json()).snapshot;
    const first = await health();
    assert.equal(first.source, "r2:model.snap");
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const again = await health();
      assert.equal(again.loadedAt, first.loadedAt, "unchanged: not reloaded");
    }
    await bucket.put("model.snap", bytesOf("www/public/data/model.snap"));
    let now = first;
    for (let i = 0; i < 50 && now.version === first.version; i++) {
      await new Promise((r) => setTimeout(r, 20));
      now = await health();
    }
    assert.notEqual(now.version, first.version, "changed: reloaded");
    assert.equal(now.products, catalog.length);
  } finally {
    await mf.dispose();
  }
});

test("a missing snapshot asset gives a 503 that says which file and how to build it", async () => {
  const w = await unstable_dev(root + "www/worker/index.js", {
    config: root + "wrangler.toml",
    ip: "127.0.0.1",
    logLevel: "error",
    vars: { SNAPSHOT_PATH: "/data/not-built.snap" },
    experimental: { disableExperimentalWarning: true },
  });
  try {
    const res = await w.fetch("/v1/health");
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.match(body.detail, /the static asset \/data\/not-built\.snap is missing \(build it with scripts\/demo-store\.sh/);
  } finally {
    await w.stop();
  }
});

test("segment requests: a valid token reads the account's list, a missing one is 401, a forged one 403", async () => {
  const secret = "test-secret-of-the-store";
  const mf = await workerInMiniflare({
    kvNamespaces: ["SNAPSHOT_KV"],
    bindings: { SNAPSHOT_KEY: "model.snap", SEGMENT_SECRET: secret },
  });
  try {
    const kv = await mf.getKVNamespace("SNAPSHOT_KV");
    await kv.put("model.snap", bytesOf("www/public/data/model.snap"));
    const { createHmac } = await import("node:crypto");
    const sign = (segment) => createHmac("sha256", secret).update(segment).digest("hex");
    const ask = (segment, token, widget = "segment_last_viewed") => {
      const q = new URLSearchParams({ widget, segment, limit: "5" });
      if (token !== undefined) q.set("segmentToken", token);
      return mf.dispatchFetch(`http://localhost/v1/recommend?${q}`);
    };
    // The demo store's "acme" account: what its users viewed, exactly as the package answers it.
    const ok = await ask("acme", sign("acme"));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("cache-control"), "private, no-store", "an account's list is not cached publicly");
    const items = (await ok.json()).items.map((i) => i.id);
    assert.equal(items.length, 5);
    assert.deepEqual(items, idsOf("www/public/data/model.snap", "segment_last_viewed", { segment: "acme", limit: 5 }));
    // Another account's list differs, and needs its own token.
    const globex = await (await ask("globex", sign("globex"))).json();
    assert.notDeepEqual(globex.items.map((i) => i.id), items);
    const missing = await ask("acme");
    assert.equal(missing.status, 401);
    assert.equal((await missing.json()).parameter, "segmentToken");
    for (const forged of [sign("globex"), sign("acme").replace(/.$/, (c) => (c === "0" ? "1" : "0")), "zz", "00"]) {
      const res = await ask("acme", forged);
      assert.equal(res.status, 403, forged);
      assert.equal((await res.json()).error, "invalid segment token");
    }
    // POST with purchase times: the recurring widget at the edge.
    const post = await mf.dispatchFetch("http://localhost/v1/recommend", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ widget: "segment_recurring", segment: "acme", segmentToken: sign("acme"), purchased: [{ id: catalog[0], at: 1 }] }),
    });
    assert.equal(post.status, 200);
    const bad = await mf.dispatchFetch("http://localhost/v1/recommend", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ widget: "recurring", purchased: [{ id: catalog[0], at: "yesterday" }] }),
    });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).parameter, "purchased");
  } finally {
    await mf.dispose();
  }
});
