// A small static file server for the browser tests (and for a quick manual look at www/public):
// correct content types (application/wasm included), strong ETags with 304 Not Modified,
// HEAD, and a single-page-application fallback: a path without a file extension that matches
// no file serves /index.html, like the Worker's static assets do in `wrangler dev`.
//
//   import { startStaticServer } from "./static-server.mjs";
//   const server = await startStaticServer({ root: "www/public" });  // random free port
//   ... fetch(server.url + "/product/P00001") ...
//   await server.close();
//
// Or from a shell: node www/tests/static-server.mjs [root=www/public] [port=8080]

import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".toml": "text/plain; charset=utf-8",
  ".snap": "application/octet-stream",
};

/**
 * Starts serving `root` on `host:port` (port 0: a random free one).
 * Resolves to { url, port, requests, close() }; `requests` logs { method, path, status,
 * ifNoneMatch } (the request's If-None-Match header, or null).
 */
export async function startStaticServer({ root, host = "127.0.0.1", port = 0, spaFallback = true, log = false } = {}) {
  const base = resolve(root);
  const cache = new Map(); // file path -> { mtimeMs, size, body, etag }
  const requests = [];

  // The file's bytes and validators, cached until its size or mtime changes; null when missing.
  async function load(file) {
    let s;
    try {
      s = await stat(file);
    } catch {
      return null;
    }
    if (!s.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === s.mtimeMs && hit.size === s.size) return hit;
    const body = await readFile(file);
    const entry = {
      mtimeMs: s.mtimeMs,
      size: s.size,
      body,
      etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
      lastModified: new Date(s.mtimeMs).toUTCString(),
    };
    cache.set(file, entry);
    return entry;
  }

  // A URL path to { file, entry }: the file itself, or a directory's index.html.
  async function find(pathname) {
    // Resolve inside root only: "/../x" and encoded variants never escape it.
    const file = resolve(base, "." + pathname);
    if (file !== base && !file.startsWith(base + sep)) return null;
    for (const candidate of [file, join(file, "index.html")]) {
      const entry = await load(candidate);
      if (entry) return { file: candidate, entry };
    }
    return null;
  }

  const server = createServer(async (req, res) => {
    const send = (status, headers, body) => {
      requests.push({ method: req.method, path: req.url, status, ifNoneMatch: req.headers["if-none-match"] ?? null });
      if (log) console.log(req.method, req.url, status);
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        return send(405, { allow: "GET, HEAD", "content-type": "text/plain" }, "method not allowed");
      }
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
      } catch {
        return send(400, { "content-type": "text/plain" }, "bad request");
      }
      if (pathname.includes("\0")) return send(400, { "content-type": "text/plain" }, "bad request");
      let found = await find(pathname);
      if (!found && spaFallback && extname(pathname) === "") found = await find("/index.html");
      if (!found) return send(404, { "content-type": "text/plain; charset=utf-8" }, `not found: ${pathname}`);
      const { entry } = found;
      const headers = {
        "content-type": CONTENT_TYPES[extname(found.file).toLowerCase()] ?? "application/octet-stream",
        etag: entry.etag,
        "last-modified": entry.lastModified,
        // Always revalidate: a rebuilt snapshot or package is picked up at once.
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      };
      const inm = req.headers["if-none-match"];
      if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === entry.etag || t.trim() === "*")) {
        return send(304, { etag: entry.etag, "cache-control": "no-cache" });
      }
      headers["content-length"] = entry.body.length;
      return send(200, headers, entry.body);
    } catch (e) {
      return send(500, { "content-type": "text/plain" }, String(e));
    }
  });

  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, ok);
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    requests,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}

// CLI: serve a directory for a manual look.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const root = process.argv[2] ?? join(here, "..", "public");
  const port = Number(process.argv[3] ?? 8080);
  const s = await startStaticServer({ root, port, log: true });
  console.log(`serving ${resolve(root)} at ${s.url}`);
}
