// edgerec edge worker: serves widget lists as JSON from a Cloudflare Worker.
//
//   GET  /v1/recommend?widget=W&product=ID&viewed=ID,ID&cart=ID&purchased=ID&limit=N
//                        [&exclude=ID,ID][&segment=S&segmentToken=HEX][&submodel.NAME=VALUE]...
//   POST /v1/recommend   { widget, product, viewed, cart, purchased, limit, filters, exclude,
//                          segment, segmentToken, submodels }   (purchased: ids or { id, at } with
//                          Unix seconds; exclude: what other widgets of the page show;
//                          submodels: { NAME: VALUE }, the group of each [submodels.NAME] the
//                          widget's own steps keep to, VALUE "$product" for the product's)
//   GET  /v1/widgets     widget names and configuration
//   GET  /v1/health      whether the snapshot is loaded, and its metadata
//
// Everything else is a static asset (the demo storefront) served by the ASSETS binding.
// The snapshot is loaded once per isolate, lazily, from the static asset SNAPSHOT_PATH, or from
// a KV namespace (binding SNAPSHOT_KV) or an R2 bucket (binding SNAPSHOT_BUCKET) when bound,
// under the key SNAPSHOT_KEY. KV/R2 snapshots are re-checked every SNAPSHOT_TTL seconds and a
// new one replaces the old in one assignment: a request uses one snapshot from start to end.
// Every malformed request gets a 4xx JSON error naming the parameter; a snapshot that cannot be
// loaded gives a 503 JSON error saying why, and the next request tries again.
// With SEGMENT_SECRET set, a request naming a segment (a business account) must carry
// segmentToken = hex(HMAC-SHA256(SEGMENT_SECRET, segment)), signed by the store's server for the
// logged-in user's account: 401 without it, 403 with a wrong one (docs/segments.md).

import wasmModule from "../../pkg/edgerec_bg.wasm";
import { initSync, limits, Recommender } from "../../pkg/edgerec.js";

initSync({ module: wasmModule });

// The engine's own bounds: ids per list (viewed, cart, purchased), id length, items per list.
const { maxIdsPerList: MAX_IDS, maxIdLength: MAX_ID_LENGTH, maxLimit: MAX_LIMIT } = limits();
const MAX_BODY = 64 * 1024;
const MAX_URL = 16 * 1024;
const QUERY_PARAMS = new Set(["widget", "product", "viewed", "cart", "purchased", "limit", "exclude", "segment", "segmentToken"]);
const BODY_FIELDS = new Set(["widget", "product", "viewed", "cart", "purchased", "limit", "filters", "exclude", "segment", "segmentToken", "submodels"]);
/** `submodel.colors=$product`: one query parameter per submodel, NAME after the prefix. */
const SUBMODEL_PREFIX = "submodel.";

/** The loaded snapshot of this isolate: { rec, info, version, source, loadedAt, checkedAt }. */
let current = null;
/** The load in progress, shared by concurrent requests. */
let loading = null;
/** The last refresh that found a snapshot it could not use: { at, source, tag, message }. */
let refreshError = null;

class HttpError extends Error {
  constructor(status, error, parameter, detail, headers = {}) {
    super(detail);
    this.status = status;
    this.error = error;
    this.parameter = parameter;
    this.headers = headers;
  }
}

const bad = (parameter, detail) => new HttpError(400, "invalid parameter", parameter, detail);

/** The HTTP status and error of the package's error codes (docs/javascript.md); others are 500s. */
const STATUS_OF_CODE = {
  invalid_option: [400, "invalid parameter"],
  invalid_argument: [400, "invalid parameter"],
  unknown_widget: [404, "unknown widget"],
  unknown_category: [404, "unknown category"],
};

/**
 * A package error as an HttpError: the status from its `code`, the parameter from its `key`, and
 * both passed on (`code`, `key`) for clients that handle errors as data. `filters.priceMax` is a
 * key of the `filters` parameter; `submodels.colors` is the query parameter `submodel.colors`
 * of a GET (`viaQuery`) and the `submodels` field of a POST.
 */
function fromPackage(e, viaQuery) {
  const mapped = STATUS_OF_CODE[e?.code];
  if (!mapped) throw e;
  const key = e.key ?? null;
  let parameter = e.code === "unknown_widget" ? "widget" : (key ?? "").split(/[.[]/)[0] || "options";
  if (viaQuery && parameter === "submodels" && key.startsWith("submodels.")) parameter = SUBMODEL_PREFIX + key.slice("submodels.".length);
  const err = new HttpError(mapped[0], mapped[1], parameter, e.message);
  err.code = e.code;
  err.key = key;
  return err;
}

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].slice(0, 8).map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where the snapshot comes from, and a cheap way to tell whether it changed. */
function source(env) {
  const key = env.SNAPSHOT_KEY || "model.snap";
  if (env.SNAPSHOT_KV) {
    return {
      name: `kv:${key}`,
      missing: `the KV namespace SNAPSHOT_KV has no key "${key}" (upload it with wrangler kv key put)`,
      async read() {
        const bytes = await env.SNAPSHOT_KV.get(key, "arrayBuffer");
        if (!bytes) throw new Error(this.missing);
        return { bytes, tag: await sha256Hex(bytes) };
      },
      async tag() {
        // KV has no ETag: the snapshot's own hash tells (KV reads are cached at the edge).
        const bytes = await env.SNAPSHOT_KV.get(key, "arrayBuffer");
        return bytes ? await sha256Hex(bytes) : null;
      },
    };
  }
  if (env.SNAPSHOT_BUCKET) {
    return {
      name: `r2:${key}`,
      missing: `the R2 bucket SNAPSHOT_BUCKET has no object "${key}" (upload it with wrangler r2 object put)`,
      async read() {
        const obj = await env.SNAPSHOT_BUCKET.get(key);
        if (!obj) throw new Error(this.missing);
        return { bytes: await obj.arrayBuffer(), tag: obj.etag };
      },
      async tag() {
        // R2 gives the object's ETag without reading it.
        const head = await env.SNAPSHOT_BUCKET.head(key);
        return head ? head.etag : null;
      },
    };
  }
  const path = env.SNAPSHOT_PATH || "/data/model.snap";
  return {
    name: `asset:${path}`,
    async read() {
      if (!env.ASSETS) throw new Error("no ASSETS binding: configure [assets] in wrangler.toml, or bind SNAPSHOT_KV / SNAPSHOT_BUCKET");
      const res = await env.ASSETS.fetch(new Request(new URL(path, "https://assets.invalid")));
      const missing = `the static asset ${path} is missing (build it with scripts/demo-store.sh or edgerec build, or set SNAPSHOT_PATH)`;
      if (!res.ok) throw new Error(`${missing}: HTTP ${res.status}`);
      // With single-page-application fallback, a missing file is answered with index.html.
      if ((res.headers.get("content-type") ?? "").startsWith("text/html")) throw new Error(`${missing}: the server answered with an HTML page`);
      return { bytes: await res.arrayBuffer(), tag: null };
    },
    // A new asset means a new deployment, hence new isolates: nothing to re-check.
    tag: null,
  };
}

async function load(env) {
  const src = source(env);
  const { bytes, tag } = await src.read();
  const rec = Recommender.fromBytes(new Uint8Array(bytes));
  const info = rec.info();
  const version = await sha256Hex(bytes);
  const now = Date.now();
  return { rec, info, version, tag, source: src.name, bytes: bytes.byteLength, loadedAt: now, checkedAt: now };
}

/** The snapshot for this request: loads it once, retries after failures, refreshes KV/R2. */
async function snapshot(env, ctx) {
  if (!current) {
    loading ??= load(env).finally(() => {
      loading = null;
    });
    try {
      current = await loading;
    } catch (e) {
      throw new HttpError(503, "snapshot unavailable", null, `the snapshot could not be loaded: ${e.message}; the next request will try again`, {
        "retry-after": "5",
      });
    }
    return current;
  }
  const src = source(env);
  const ttl = (/^\d{1,7}$/.test(env.SNAPSHOT_TTL ?? "") ? Number(env.SNAPSHOT_TTL) : 60) * 1000;
  if (src.tag && Date.now() - current.checkedAt > ttl && !loading) {
    current.checkedAt = Date.now();
    const refresh = (async () => {
      const tag = await src.tag();
      if (tag === null) {
        // Deleted (or not yet uploaded) while this isolate serves the one it loaded.
        console.warn(`edgerec: keeping the current snapshot (${current.version}), refresh found none: ${src.missing}`);
      } else if (tag === current.tag) {
        // The store holds the snapshot being served again: nothing is wrong any more.
        refreshError = null;
      } else if (tag !== refreshError?.tag) {
        // Replace in one assignment. Requests use a snapshot synchronously once they hold it,
        // so the old one can be freed at once (its wasm memory would otherwise stay held).
        // A snapshot that does not load (corrupt, truncated, another format) leaves the current
        // one serving; /v1/health reports it, and the same object is not tried again.
        let next;
        try {
          next = await load(env);
        } catch (e) {
          refreshError = { at: new Date().toISOString(), source: src.name, tag, message: e.message };
          throw e;
        }
        const old = current;
        current = next;
        refreshError = null;
        old.rec.free();
      }
    })()
      .catch((e) => console.warn(`edgerec: keeping the current snapshot, refresh failed: ${e.message}`))
      .finally(() => {
        loading = null;
      });
    loading = refresh;
    ctx?.waitUntil?.(refresh);
  }
  return current;
}

function corsHeaders(request, env) {
  const origin = request.headers.get("origin");
  const allowed = (env.ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (!origin || allowed.length === 0) return {};
  if (allowed.includes("*")) return { "access-control-allow-origin": "*" };
  if (allowed.includes(origin)) return { "access-control-allow-origin": origin, vary: "Origin" };
  return {};
}

function json(body, status, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-content-type-options": "nosniff", ...headers },
  });
}

/** Decodes one query component; malformed percent-encoding or UTF-8 is a 400 naming it. */
function decode(name, raw) {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    throw bad(name, `\`${name}\` is not valid percent-encoded UTF-8`);
  }
}

/** The query string, checked: known parameters only, each at most once. */
function query(url) {
  const params = new Map();
  const q = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  for (const part of q.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = decode("query", eq < 0 ? part : part.slice(0, eq));
    const value = decode(name, eq < 0 ? "" : part.slice(eq + 1));
    if (!QUERY_PARAMS.has(name) && !name.startsWith(SUBMODEL_PREFIX)) {
      throw bad(name, `unknown parameter \`${name}\`; allowed: ${[...QUERY_PARAMS, SUBMODEL_PREFIX + "NAME"].join(", ")}`);
    }
    if (name === SUBMODEL_PREFIX) throw bad(name, `\`${name}\` needs a submodel name: \`${SUBMODEL_PREFIX}colors=$product\``);
    if (params.has(name)) throw bad(name, `\`${name}\` is given more than once`);
    params.set(name, value);
  }
  return params;
}

function idList(name, value) {
  if (value === undefined || value === null || value === "") return [];
  const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : null;
  if (!list) throw bad(name, `\`${name}\` must be a list of product ids`);
  if (list.length > MAX_IDS) throw bad(name, `\`${name}\` has ${list.length} ids; at most ${MAX_IDS}`);
  return list.map((id) => {
    if (typeof id !== "string") throw bad(name, `\`${name}\` must hold strings`);
    const t = id.trim();
    if (!t || t.length > MAX_ID_LENGTH) throw bad(name, `\`${name}\` holds an empty or over-long id`);
    return t;
  });
}

/** `purchased`: ids, or (in a JSON body) { id, at } objects with `at` in Unix seconds. */
function purchasedList(value) {
  if (!Array.isArray(value) || !value.some((p) => p !== null && typeof p === "object")) return idList("purchased", value);
  if (value.length > MAX_IDS) throw bad("purchased", `\`purchased\` has ${value.length} ids; at most ${MAX_IDS}`);
  return value.map((p) => {
    if (typeof p === "string") return idList("purchased", [p])[0];
    if (p === null || typeof p !== "object" || Array.isArray(p)) throw bad("purchased", "`purchased` must hold ids or { id, at } objects");
    for (const k of Object.keys(p)) {
      if (k !== "id" && k !== "at") throw bad("purchased", `unknown field \`${k}\` in \`purchased\`; allowed: id, at`);
    }
    const [id] = idList("purchased", [p.id ?? ""]);
    if (p.at !== undefined && p.at !== null && !Number.isSafeInteger(p.at)) throw bad("purchased", "`at` must be Unix seconds (a whole number)");
    return p.at === undefined || p.at === null ? { id } : { id, at: p.at };
  });
}

const hexBytes = (hex) => (/^(?:[0-9a-f]{2})+$/i.test(hex) ? Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16)) : null);

/** Checks the request's segment against its token when the worker has a SEGMENT_SECRET. */
async function checkSegment(segment, token, env) {
  if (segment === undefined) {
    if (token !== undefined) throw bad("segmentToken", "`segmentToken` is given without a `segment`");
    return;
  }
  if (typeof segment !== "string" || !segment.trim() || segment.length > MAX_ID_LENGTH) throw bad("segment", "`segment` must be a segment id");
  const secret = env.SEGMENT_SECRET;
  if (!secret) return;
  if (token === undefined || token === "") {
    throw new HttpError(401, "segment token required", "segmentToken", "this worker requires `segmentToken` (HMAC-SHA256 of the segment, hex) with `segment`");
  }
  const sig = typeof token === "string" ? hexBytes(token) : null;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  // `verify` compares in constant time.
  if (!sig || !(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(segment)))) {
    throw new HttpError(403, "invalid segment token", "segmentToken", "`segmentToken` is not the signature of this segment");
  }
}

function parseLimit(value) {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw bad("limit", `\`limit\` must be a whole number from 1 to ${MAX_LIMIT}`);
  return n;
}

async function readBody(request) {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, "unsupported media type", "content-type", "send the request as application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY) throw new HttpError(413, "body too large", "body", `the body is over ${MAX_BODY} bytes`);
  const buf = await request.arrayBuffer();
  if (buf.byteLength > MAX_BODY) throw new HttpError(413, "body too large", "body", `the body is over ${MAX_BODY} bytes`);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw bad("body", "the body is not valid UTF-8");
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw bad("body", `the body is not valid JSON: ${e.message}`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw bad("body", "the body must be a JSON object");
  for (const k of Object.keys(body)) {
    if (!BODY_FIELDS.has(k)) throw bad(k, `unknown field \`${k}\`; allowed: ${[...BODY_FIELDS].join(", ")}`);
  }
  return body;
}

/** The query's `submodel.NAME=VALUE` parameters as the package's `submodels` option. */
function submodelsOfQuery(params) {
  const out = {};
  for (const [name, value] of params) if (name.startsWith(SUBMODEL_PREFIX)) out[name.slice(SUBMODEL_PREFIX.length)] = value;
  return Object.keys(out).length ? out : undefined;
}

async function recommend(request, env, ctx, url) {
  let input;
  const viaQuery = request.method === "GET" || request.method === "HEAD";
  if (viaQuery) {
    const params = query(url);
    input = Object.fromEntries(params);
    input.submodels = submodelsOfQuery(params);
  } else if (request.method === "POST") {
    if (url.search) throw bad("query", "send the parameters either in the query or in the JSON body, not both");
    input = await readBody(request);
  } else {
    throw new HttpError(405, "method not allowed", "method", `use GET or POST, not ${request.method}`, { allow: "GET, HEAD, POST, OPTIONS" });
  }
  const widget = input.widget;
  if (typeof widget !== "string" || widget === "") throw bad("widget", "`widget` is required");
  if (input.product !== undefined && typeof input.product !== "string") throw bad("product", "`product` must be a product id");
  const product = input.product?.trim() || undefined;
  if (product !== undefined && product.length > MAX_ID_LENGTH) throw bad("product", "`product` must be a product id");
  const viewed = idList("viewed", input.viewed);
  const cart = idList("cart", input.cart);
  const purchased = purchasedList(input.purchased);
  const exclude = idList("exclude", input.exclude);
  const limit = parseLimit(input.limit);
  await checkSegment(input.segment === "" ? undefined : input.segment, input.segmentToken, env);
  const segment = input.segment?.trim() || undefined;
  if (input.filters !== undefined && (typeof input.filters !== "object" || input.filters === null || Array.isArray(input.filters))) {
    throw bad("filters", "`filters` must be an object");
  }
  if (input.submodels !== undefined && (typeof input.submodels !== "object" || input.submodels === null || Array.isArray(input.submodels))) {
    throw bad("submodels", '`submodels` must be an object like { "colors": "$product" }');
  }
  const snap = await snapshot(env, ctx);
  if (product !== undefined && snap.rec.product(product) === undefined) {
    throw new HttpError(404, "unknown product", "product", `product "${product}" is not in the snapshot's catalog`);
  }
  let answer;
  try {
    // The answer as a JSON string (widget, title, fromFallback, hidden, items, ...), spliced into
    // the body: no JS objects built and serialised again.
    const options = { product, viewed, cart, purchased, limit, filters: input.filters, exclude, segment, submodels: input.submodels };
    answer = snap.rec.answerJson(widget, options);
  } catch (e) {
    throw fromPackage(e, viaQuery);
  }
  const personal = viewed.length > 0 || cart.length > 0 || purchased.length > 0 || segment !== undefined;
  const seconds = /^\d{1,7}$/.test(env.CACHE_SECONDS ?? "") ? env.CACHE_SECONDS : "300";
  const cache = personal ? "private, no-store" : `public, max-age=${seconds}`;
  const body = `${answer.slice(0, -1)},"snapshot":${JSON.stringify({ version: snap.version, builtAt: snap.info.builtAt })}}`;
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": cache },
  });
}

async function route(request, env, ctx) {
  if (request.url.length > MAX_URL) throw new HttpError(414, "URI too long", "query", `the URL is over ${MAX_URL} characters`);
  const url = new URL(request.url);
  const cors = corsHeaders(request, env);
  if (request.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: { ...cors, "access-control-allow-methods": "GET, HEAD, POST, OPTIONS", "access-control-allow-headers": "content-type", "access-control-max-age": "86400" },
    });
  }
  let res;
  switch (url.pathname) {
    case "/v1/recommend":
      res = await recommend(request, env, ctx, url);
      break;
    case "/v1/widgets": {
      if (request.method !== "GET" && request.method !== "HEAD") {
        throw new HttpError(405, "method not allowed", "method", `use GET, not ${request.method}`, { allow: "GET, HEAD, OPTIONS" });
      }
      if (url.search) throw bad("query", "/v1/widgets takes no parameters");
      const snap = await snapshot(env, ctx);
      res = json({ widgets: snap.rec.widgets(), snapshot: { version: snap.version, builtAt: snap.info.builtAt } }, 200, {
        "cache-control": "public, max-age=60",
      });
      break;
    }
    case "/v1/health": {
      if (request.method !== "GET" && request.method !== "HEAD") {
        throw new HttpError(405, "method not allowed", "method", `use GET, not ${request.method}`, { allow: "GET, HEAD, OPTIONS" });
      }
      const snap = await snapshot(env, ctx);
      res = json(
        {
          ok: true,
          snapshot: { version: snap.version, source: snap.source, bytes: snap.bytes, loadedAt: new Date(snap.loadedAt).toISOString(), ...snap.info },
          // A newer snapshot that could not be used: the one above keeps serving.
          refreshError,
        },
        200,
        { "cache-control": "no-store" },
      );
      break;
    }
    default:
      if (url.pathname.startsWith("/v1/")) throw new HttpError(404, "not found", "path", `no endpoint ${url.pathname}; see /v1/recommend, /v1/widgets, /v1/health`);
      if (env.ASSETS) return env.ASSETS.fetch(request);
      throw new HttpError(404, "not found", "path", `nothing at ${url.pathname}`);
  }
  for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
  return res;
}

export default {
  async fetch(request, env, ctx) {
    try {
      return await route(request, env, ctx);
    } catch (e) {
      const cors = corsHeaders(request, env);
      if (e instanceof HttpError) {
        // A package error adds its code and key (docs/edge-worker.md#errors).
        const fromPkg = e.code ? { code: e.code, key: e.key } : {};
        return json({ error: e.error, parameter: e.parameter, detail: e.message, ...fromPkg }, e.status, {
          "cache-control": "no-store",
          ...e.headers,
          ...cors,
        });
      }
      console.error("edgerec worker: unexpected error", e);
      return json({ error: "internal error", detail: String(e?.message ?? e) }, 500, { "cache-control": "no-store", ...cors });
    }
  },
};
