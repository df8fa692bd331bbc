// The npm package as a storefront developer gets it, and the recipes of examples/ in Chromium.
//
// - `npm pack --dry-run --json ./pkg`: the engine (wasm, js, d.ts) and the web component
//   (widget.js, widget.d.ts) are in the package, no sources, tests or Cargo files; the packed
//   size is printed. The exports map resolves "edgerec", "edgerec/widget" and
//   "edgerec/edgerec_bg.wasm" from an installed copy.
// - examples/plain-html: the page imports widget.js from a CDN-style path, /npm/edgerec@0.1.0/,
//   where the packed tarball's files are served as they are.
// - examples/vite-ts: `tsc --noEmit` (strict, lib ES2022 + DOM, no skipLibCheck) and `vite build`.
// - examples/react: the <EdgerecWidget> wrapper, built with Vite; a prop change re-renders.
// - examples/shopify: the Liquid section rendered to static HTML (liquidjs), with a cart line.
//
// Each page is served on 127.0.0.1 with /data/model.snap from www/public/data, and must show an
// <edgerec-widget> with at least one item whose id and title are in the demo catalog.csv, and
// log no console error. The examples install their locked dependencies with `npm ci` once
// (target/examples/ keeps a stamp; the first run needs the registry or npm's cache, about a
// minute); later runs refresh only the edgerec package in node_modules from the new tarball.
//
// Needs: ./scripts/build-pkg.sh (pkg/) and ./scripts/demo-store.sh (www/public/data).
// Run: node --test www/tests/examples.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startStaticServer } from "./static-server.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkgDir = join(root, "pkg");
const examplesDir = join(root, "examples");
const dataDir = join(root, "www/public/data");
const cacheDir = join(root, "target/examples");
const cdnDir = join(cacheDir, "cdn"); // the plain-html and shopify sites' root

for (const [file, script] of [
  ["pkg/package.json", "./scripts/build-pkg.sh"],
  ["pkg/widget.js", "./scripts/build-pkg.sh"],
  ["www/public/data/model.snap", "./scripts/demo-store.sh"],
  ["www/public/data/catalog.csv", "./scripts/demo-store.sh"],
]) {
  if (!existsSync(join(root, file))) throw new Error(`the examples test needs ${file} (run ${script})`);
}

const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const cdnPath = `/npm/${manifest.name}@${manifest.version}`;

// catalog.csv lines by id: a rendered title must appear in its product's line (CSV quoting
// doubles quotes).
const catalogLines = new Map(
  readFileSync(join(dataDir, "catalog.csv"), "utf8")
    .split("\n")
    .slice(1)
    .map((line) => [line.slice(0, line.indexOf(",")), line]),
);

/** Runs a command (niced: the machine is shared) and returns its stdout; failures name it. */
function run(cmd, args, cwd) {
  try {
    return execFileSync("nice", ["-n", "10", cmd, ...args], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

let packed; // npm pack --json's entry for the tarball
let tarball;
let browser;
const servers = [];

before(async () => {
  mkdirSync(cacheDir, { recursive: true });
  [packed] = JSON.parse(run("npm", ["pack", pkgDir, "--json", "--pack-destination", cacheDir], root));
  tarball = join(cacheDir, packed.filename);
  // The CDN-style site: the tarball's files under /npm/edgerec@VERSION/, the snapshot, the pages.
  rmSync(cdnDir, { recursive: true, force: true });
  const served = join(cdnDir, cdnPath);
  mkdirSync(served, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", served, "--strip-components=1"], root);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

/**
 * Installs an example's locked dependencies (`npm ci`, once per package-lock.json) and puts the
 * freshly packed edgerec into its node_modules, as `npm ci` would (install-links copies the
 * packed files), then runs its build script.
 */
function installAndBuild(name) {
  const dir = join(examplesDir, name);
  const lock = readFileSync(join(dir, "package-lock.json"));
  const stamp = createHash("sha256").update(readFileSync(join(dir, "package.json"))).update(lock).digest("hex");
  const stampFile = join(cacheDir, `${name}.installed`);
  const installed = existsSync(join(dir, "node_modules")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp;
  if (!installed) {
    run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], dir);
    writeFileSync(stampFile, stamp);
  }
  const edgerec = join(dir, "node_modules/edgerec");
  if (existsSync(edgerec) || JSON.parse(lock).packages?.["node_modules/edgerec"]) {
    rmSync(edgerec, { recursive: true, force: true });
    mkdirSync(edgerec, { recursive: true });
    run("tar", ["-xzf", tarball, "-C", edgerec, "--strip-components=1"], dir);
  }
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  const output = run("npm", ["run", "build", "--", ...(name === "shopify" ? [cdnPath] : [])], dir);
  return { dir, dist: join(dir, "dist"), output };
}

/** Serves `dir` with the demo snapshot at /data/model.snap and the catalog's images at /img/. */
async function serve(dir) {
  mkdirSync(join(dir, "data"), { recursive: true });
  cpSync(join(dataDir, "model.snap"), join(dir, "data/model.snap"));
  cpSync(join(root, "www/public/img"), join(dir, "img"), { recursive: true });
  const server = await startStaticServer({ root: dir, spaFallback: false });
  servers.push(server);
  return server;
}

/**
 * Opens `url` in a fresh context, waits until every <edgerec-widget> has finished loading, and
 * returns the page, the requests it made and, per widget, its state and items { id, title }.
 * Asserts no console error or page error.
 */
async function open(url, { before: setup } = {}) {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  const requests = [];
  // Chromium asks for /favicon.ico by itself; the examples have none.
  const favicon = (m) => m.location()?.url?.endsWith("/favicon.ico");
  page.on("console", (m) => m.type() === "error" && !favicon(m) && errors.push(`console.error: ${m.text()}`));
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  // An image a widget dropped when it re-rendered (a new cart, a new product) is aborted by the
  // browser: not a failure. Anything else that fails is.
  const aborted = (r) => r.resourceType() === "image" && r.failure()?.errorText === "net::ERR_ABORTED";
  page.on("requestfailed", (r) => aborted(r) || errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => requests.push({ path: new URL(r.url()).pathname, status: r.status() }));
  await setup?.(page);
  await page.goto(url);
  await page.waitForFunction(() => {
    const widgets = [...document.querySelectorAll("edgerec-widget")];
    return widgets.length > 0 && widgets.every((w) => !["loading", null].includes(w.getAttribute("state")));
  });
  // The widget says why it shows nothing with a console.warn: keep it with the result.
  const widgets = (await renderedWidgets(page)).map((w) => ({ ...w, warnings }));
  const bad = requests.filter((r) => r.status >= 400 && r.path !== "/favicon.ico");
  assert.deepEqual(bad, [], "no request failed");
  return {
    page,
    requests,
    widgets,
    async close() {
      await context.close();
      assert.deepEqual(errors, [], "no console errors or page errors");
    },
  };
}

/** Every <edgerec-widget> on the page: its attributes, state and rendered items. */
function renderedWidgets(page) {
  return page.$$eval("edgerec-widget", (els) =>
    els.map((el) => ({
      widget: el.getAttribute("widget"),
      product: el.getAttribute("product"),
      state: el.getAttribute("state"),
      heading: el.shadowRoot.querySelector("[part~=heading]")?.textContent ?? null,
      items: [...el.shadowRoot.querySelectorAll("[part~=item]")].map((li) => ({
        id: li.dataset.productId,
        title: li.querySelector("[part~=title]").textContent,
      })),
    })),
  );
}

/** The widget rendered items, each a product of the demo catalog with its catalog title. */
function assertCatalogItems(widget) {
  assert.equal(widget.state, "ready", `${widget.widget} is ready (page warnings: ${widget.warnings?.join("; ") || "none"})`);
  assert.ok(widget.items.length > 0, `${widget.widget} shows items`);
  for (const { id, title } of widget.items) {
    const line = catalogLines.get(id);
    assert.ok(line, `${widget.widget}: ${id} is in catalog.csv`);
    assert.ok(title.trim().length > 0, `${widget.widget}: ${id} has a title`);
    assert.ok(line.includes(title.replaceAll('"', '""')), `${widget.widget}: "${title}" is ${id}'s title in catalog.csv`);
  }
}

test("npm pack: the engine and the web component, nothing else", () => {
  const [dry] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", pkgDir], root));
  const files = dry.files.map((f) => f.path).sort();
  for (const file of ["edgerec_bg.wasm", "edgerec.js", "edgerec.d.ts", "disposable.d.ts", "widget.js", "widget.d.ts", "package.json"]) {
    assert.ok(files.includes(file), `${file} is in the package (files: ${files.join(", ")})`);
  }
  const leftovers = files.filter((f) => /(^|\/)(src|tests?|target|node_modules|snippets)\/|\.rs$|^Cargo\.|\.test\.|\.snap$/.test(f));
  assert.deepEqual(leftovers, [], "no sources, tests, Cargo files or snapshots");
  assert.deepEqual(
    files.filter((f) => !/^(README\.md|LICENSE|package\.json|edgerec(_bg\.wasm|\.js|\.d\.ts)|disposable\.d\.ts|widget\.(js|d\.ts))$/.test(f)),
    [],
    "only the listed files",
  );
  assert.equal(dry.size, packed.size, "the dry run describes the tarball the examples use");
  console.log(
    `npm pack: ${dry.filename}, ${files.length} files, ${(dry.size / 1024).toFixed(1)} KB packed, ` +
      `${(dry.unpackedSize / 1024).toFixed(1)} KB unpacked`,
  );

  // The widget in the package imports the engine next to it, and declares every export.
  const widget = readFileSync(join(pkgDir, "widget.js"), "utf8");
  assert.ok(/import\("\.\/edgerec\.js"\)/.test(widget), "widget.js imports ./edgerec.js");
  assert.ok(!/["']\.\/pkg\//.test(widget), "widget.js imports nothing from the demo site's ./pkg/");
  const dts = readFileSync(join(pkgDir, "widget.d.ts"), "utf8");
  const exported = [...widget.matchAll(/^export (?:async )?(?:function|const|class|let) (\w+)/gm)].map((m) => m[1]);
  assert.ok(exported.includes("EdgerecWidget") && exported.includes("getSession"), `exports found: ${exported}`);
  for (const name of exported) {
    assert.match(dts, new RegExp(`export (function|const|class) ${name}\\b`), `widget.d.ts declares ${name}`);
  }
  assert.match(dts, /interface HTMLElementTagNameMap \{\s*"edgerec-widget": EdgerecWidget;/);
});

test("the exports map resolves the engine, the widget and the wasm from an install", () => {
  const site = join(cdnDir, cdnPath);
  assert.deepEqual(JSON.parse(readFileSync(join(site, "package.json"), "utf8")).exports["./widget"], {
    types: "./widget.d.ts",
    default: "./widget.js",
  });
  // Resolve as a dependency of an app whose node_modules holds the unpacked tarball.
  const app = join(cacheDir, "resolve-app");
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, "node_modules"), { recursive: true });
  cpSync(site, join(app, "node_modules", manifest.name), { recursive: true });
  const require = createRequire(join(app, "index.js"));
  const installed = join(app, "node_modules", manifest.name);
  assert.equal(require.resolve("edgerec"), join(installed, "edgerec.js"));
  assert.equal(require.resolve("edgerec/widget"), join(installed, "widget.js"));
  assert.equal(require.resolve("edgerec/edgerec_bg.wasm"), join(installed, "edgerec_bg.wasm"));
  assert.throws(() => require.resolve("edgerec/edgerec_bg.wasm.d.ts"), /ERR_PACKAGE_PATH_NOT_EXPORTED|not exported/);
});

test("plain HTML: widget.js from a CDN-style path", async () => {
  const dir = join(cdnDir, "plain-html");
  cpSync(join(examplesDir, "plain-html"), dir, { recursive: true });
  const server = await serve(cdnDir);
  const { widgets, requests, close } = await open(`${server.url}/plain-html/`);
  assert.deepEqual(
    widgets.map((w) => w.widget),
    ["upsell", "popular"],
  );
  widgets.forEach(assertCatalogItems);
  assert.ok(!widgets[0].items.some((i) => i.id === "P00001"), "upsell leaves out the page's product");
  assert.equal(widgets[1].heading, "Popular right now");
  for (const file of ["widget.js", "edgerec.js", "edgerec_bg.wasm"]) {
    assert.ok(requests.some((r) => r.path === `${cdnPath}/${file}`), `${file} came from ${cdnPath}/`);
  }
  await close();
});

test("Vite + TypeScript (strict, lib ES2022 + DOM): tsc and vite build, then the page", async () => {
  const { dist, output } = installAndBuild("vite-ts");
  assert.match(output, /built in/, "vite build ran");
  const server = await serve(dist);
  const { page, widgets, requests, close } = await open(`${server.url}/`);
  assert.deepEqual(
    widgets.map((w) => [w.widget, w.product]),
    [
      ["upsell", "P00001"],
      ["cross_sell", "P00001"],
    ],
  );
  widgets.forEach(assertCatalogItems);
  // The page's own use of the engine (getRecommender from "edgerec/widget"): the product's title.
  const title = await page.textContent("#product-title");
  assert.ok(catalogLines.get("P00001").includes(title), `the heading is P00001's title, not "${title}"`);
  assert.ok(requests.some((r) => /^\/assets\/edgerec_bg-.*\.wasm$/.test(r.path)), "the wasm is a Vite asset");
  await close();
});

test("React: <EdgerecWidget> renders, and a new product prop re-renders it", async () => {
  const { dist } = installAndBuild("react");
  const server = await serve(dist);
  const { page, widgets, close } = await open(`${server.url}/`);
  assert.deepEqual(
    widgets.map((w) => [w.widget, w.product]),
    [
      ["upsell", "P00001"],
      ["cross_sell", "P00001"],
    ],
  );
  widgets.forEach(assertCatalogItems);
  // onRender reached the React state.
  await page.waitForFunction(() => /Upsell shows: P\d+/.test(document.querySelector("#shown").textContent));
  await page.getByRole("button", { name: "P00003" }).click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll("edgerec-widget")].every((w) => w.getAttribute("product") === "P00003"),
  );
  const upsell = (await renderedWidgets(page))[0];
  assertCatalogItems(upsell);
  const expected = `Upsell shows: ${upsell.items.map((i) => i.id).join(", ")}`;
  await page.waitForFunction((text) => document.querySelector("#shown").textContent === text, expected);
  assert.ok(!upsell.items.some((i) => i.id === "P00003"), "the new product is left out of its upsell");
  await close();
});

test("Shopify: the Liquid section, rendered, passes the product and the cart", async () => {
  const { dist } = installAndBuild("shopify");
  cpSync(join(dist, "index.html"), join(cdnDir, "shopify/index.html"));
  const server = await serve(cdnDir);
  const { page, close } = await open(`${server.url}/shopify/`);
  // A cart line from an earlier visit that is no longer in Shopify's cart: the next page drops it.
  await page.evaluate(async (url) => (await (await import(url)).getSession()).addToCart("P00009"), `${cdnPath}/widget.js`);
  await page.reload();
  await page.waitForFunction(() => document.querySelector("edgerec-widget")?.getAttribute("state") === "ready");
  const widgets = await renderedWidgets(page);
  assert.deepEqual(
    widgets.map((w) => [w.widget, w.product]),
    [["upsell", "P00001"]],
  );
  widgets.forEach(assertCatalogItems);
  const session = await page.evaluate(async (url) => {
    const { getSession } = await import(url);
    const s = await getSession();
    return { cart: s.cart(), views: s.views() };
  }, `${cdnPath}/widget.js`);
  assert.deepEqual(session.cart, [{ id: "P00005", quantity: 2 }], "the session's cart is the page's cart");
  assert.deepEqual(session.views, ["P00001"], "the product page recorded one view");
  await page.waitForFunction(() => {
    const w = document.querySelector("edgerec-widget");
    return ![...w.shadowRoot.querySelectorAll("[part~=item]")].some((li) => li.dataset.productId === "P00005");
  });
  await close();
});
