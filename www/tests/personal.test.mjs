// Personalisation in the demo storefront, in Chromium (docs/personalization.md): the category
// and search pages re-ranked by the shopper's profile with a "turn off" control that persists,
// the search box recording queries, the privacy page and its "Forget everything", and the
// preview's side-by-side lists.
//
// Expectations come from the demo catalogue (www/public/data/catalog.csv) and from the pages'
// own unpersonalised order, never from fixed result lists.
//
// Needs: ./scripts/build-pkg.sh and ./scripts/demo-store.sh (www/edgerec.toml switches
// personalisation on). Run: node --test --test-concurrency=1 www/tests/personal.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, launchChromium, openPage, parseCsv, requireFiles, settle } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const publicDir = join(root, "www/public");
requireFiles(
  root,
  [
    ["www/public/pkg/edgerec.js", "./scripts/build-pkg.sh"],
    ["www/public/data/model.snap", "./scripts/demo-store.sh"],
    ["www/public/data/catalog.csv", "./scripts/demo-store.sh"],
  ],
  "the personalisation tests",
);

const catalog = new Map(parseCsv(readFileSync(join(publicDir, "data/catalog.csv"), "utf8")).map((r) => [r.id, r]));
const brandOf = (id) => catalog.get(id).brand;
const SEP = " > ";
/** What a personalised item's reason reads like (the engine's explanation of an affinity). */
const REASON = /^(You often (choose|browse|pick) |Your usual |Shoppers like you |Popular with shoppers like you)/;
const categoryPath = (c) => "/category/" + c.split(SEP).map(encodeURIComponent).join("/");

/**
 * A leaf category outside Fashion (whose override weighs colour over brand) with at least 30
 * products and a brand with at least 8 of them, picked as the brand whose products stand lowest
 * in the unpersonalised first page relative to its share (so moving it up is something to see).
 */
function scenario(order) {
  const share = new Map();
  for (const id of order) share.set(brandOf(id), (share.get(brandOf(id)) ?? 0) + 1);
  const firstPage = order.slice(0, 24);
  const candidates = [...share].filter(([, n]) => n >= 8);
  assert.ok(candidates.length, "the category has a brand with 8 or more products");
  const onFirst = (b) => firstPage.filter((id) => brandOf(id) === b).length;
  candidates.sort((a, b) => onFirst(a[0]) / a[1] - onFirst(b[0]) / b[1] || a[0].localeCompare(b[0]));
  return candidates[0][0];
}

const leafCounts = new Map();
for (const p of catalog.values()) leafCounts.set(p.category, (leafCounts.get(p.category) ?? 0) + 1);
const category = [...leafCounts]
  .filter(([c, n]) => n >= 30 && !c.startsWith("Fashion"))
  .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
assert.ok(category, "the demo catalogue has a leaf category of 30 products outside Fashion");

let server;
let browser;

before(async () => {
  server = await startStaticServer({ root: publicDir });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function visit(page, path) {
  await page.goto(server.url + path);
  await settle(page);
}

/** The product ids of the page's product grid, in order, and the reasons shown on them. */
async function grid(page) {
  return page.$$eval(".product-grid [data-product-id]", (els) =>
    els.map((e) => ({ id: e.dataset.productId, reason: e.querySelector(".card-why")?.textContent.trim() ?? null })),
  );
}
const ids = async (page) => (await grid(page)).map((c) => c.id);
const countOf = (list, brand, n = 24) => list.slice(0, n).filter((id) => brandOf(id) === brand).length;

/** The control's state ("on" / "off") from its markup. */
const control = (page) => page.$eval(".personal-control", (e) => (e.dataset.personalized === "true" ? "on" : "off"));

/** Views `n` products of `brand` in the category (the least sold first: no best sellers). */
async function viewBrand(page, brand, order, n = 5) {
  const theirs = order.filter((id) => brandOf(id) === brand).slice(-n);
  for (const id of theirs) await visit(page, `/product/${encodeURIComponent(id)}`);
  return theirs;
}

/** A fresh shopper's category page (nothing known: the unpersonalised order) and the brand to
 * prefer, then five views of that brand. */
async function shopperWithBrand(page) {
  await visit(page, categoryPath(category));
  const fresh = await ids(page);
  assert.equal(fresh.length, 24, "a full first page");
  assert.ok((await grid(page)).every((c) => c.reason === null), "a fresh shopper's cards give no reason");
  // The whole category's unpersonalised order, from its pages.
  const order = [...fresh];
  for (let p = 2; order.length < leafCounts.get(category); p++) {
    await visit(page, `${categoryPath(category)}?page=${p}`);
    const more = await ids(page);
    if (!more.length) break;
    order.push(...more);
  }
  const brand = scenario(order);
  const viewed = await viewBrand(page, brand, order);
  return { fresh, brand, viewed };
}

test("after views of one brand the category page moves it up; turn off shows the plain order, on and off persist", async () => {
  const t = await openPage(browser);
  const { page } = t;
  const { fresh, brand } = await shopperWithBrand(page);

  await visit(page, categoryPath(category));
  assert.equal(await control(page), "on");
  const personal = await grid(page);
  const personalIds = personal.map((c) => c.id);
  assert.ok(
    countOf(personalIds, brand) > countOf(fresh, brand),
    `${brand} has more of the first page personalised (${countOf(personalIds, brand)}) than unpersonalised (${countOf(fresh, brand)})`,
  );
  const theirs = personal.filter((c) => brandOf(c.id) === brand);
  assert.ok(theirs.every((c) => c.reason), `every ${brand} card says why it moved`);
  for (const c of personal.filter((c) => c.reason)) assert.match(c.reason, REASON);

  await page.getByRole("button", { name: "turn off" }).click();
  assert.equal(await control(page), "off");
  assert.deepEqual(await ids(page), fresh, "turned off: the unpersonalised order");
  assert.ok((await grid(page)).every((c) => c.reason === null), "turned off: no reasons");
  await page.reload();
  await settle(page);
  assert.equal(await control(page), "off", "off persists across a reload");
  assert.deepEqual(await ids(page), fresh);
  const widgets = await page.$$eval("edgerec-widget", (ws) => ws.map((w) => w.getAttribute("personalize")));
  assert.ok(widgets.length && widgets.every((v) => v === "off"), "the page's widgets are turned off too");

  await page.getByRole("button", { name: "turn on" }).click();
  assert.equal(await control(page), "on");
  assert.deepEqual(await ids(page), personalIds, "turned on: the personalised order again");
  await page.reload();
  await settle(page);
  assert.equal(await control(page), "on", "on persists across a reload");
  assert.deepEqual(await ids(page), personalIds);

  // The search results page re-ranks the same way (a URL opened directly records no search).
  await visit(page, `/search?q=${encodeURIComponent(category.split(SEP).at(-1))}`);
  const found = await ids(page);
  await page.getByRole("button", { name: "turn off" }).click();
  const plainFound = await ids(page);
  assert.equal(found.length, plainFound.length, "as many products either way");
  assert.ok(countOf(found, brand) > countOf(plainFound, brand), `${brand} moves up in the search results too`);
  await page.getByRole("button", { name: "turn on" }).click();
  await t.done();
});

test("the search box records the query and shows its results; the privacy page shows the brand it names", async () => {
  const t = await openPage(browser);
  const { page } = t;
  // A search for the leaf category's name finds its products.
  const query = category.split(SEP).at(-1);
  await visit(page, "/");
  await page.fill("#search-input", query);
  await page.press("#search-input", "Enter");
  await page.waitForURL((u) => u.pathname === "/search" && u.searchParams.get("q") === query);
  await settle(page);
  const plain = await ids(page);
  const total = Number(await page.$eval("[data-total]", (e) => e.dataset.total));
  assert.ok(total >= leafCounts.get(category), `the search "${query}" finds the category's products (${total})`);
  const searches = await page.evaluate(async () => {
    const { getSession } = await import("/edgerec-widget.js");
    return (await getSession()).context().searches.map((s) => (typeof s === "string" ? s : s.query));
  });
  assert.deepEqual(searches, [query], "session.search recorded the query");

  // A brand named in a search shows on the privacy page.
  const other = [...new Set(plain.map(brandOf))].sort().at(-1);
  await page.fill("#search-input", other);
  await page.press("#search-input", "Enter");
  await settle(page);
  await visit(page, "/privacy");
  const brands = await page.$$eval('[data-field="brand"] [data-value]', (els) => els.map((e) => e.dataset.value));
  assert.ok(brands.includes(other), `the searched brand ${other} is in the profile: ${brands.join(", ")}`);
  await t.done();
});

test("the privacy page shows the brand viewed; Forget everything empties it and unpersonalises the lists", async () => {
  const t = await openPage(browser);
  const { page } = t;
  const { fresh, brand } = await shopperWithBrand(page);
  await page.locator("footer a", { hasText: "What this device knows" }).click();
  await page.waitForURL("**/privacy");
  await settle(page);
  const values = await page.$$eval('[data-field="brand"] [data-value]', (els) => els.map((e) => e.dataset.value));
  assert.equal(values[0], brand, `the viewed brand leads the profile: ${values.join(", ")}`);
  const sources = await page.$eval(".privacy-sources", (e) => e.textContent);
  assert.match(sources, /\b\d+ products viewed this visit/);
  assert.equal(await page.locator(".profile-empty").count(), 0);

  await page.getByRole("button", { name: "Forget everything" }).click();
  await eventually(async () => assert.equal(await page.locator(".profile-empty").count(), 1));
  assert.equal(await page.locator("[data-field]").count(), 0, "no field is left");
  assert.match(await page.$eval(".privacy-sources", (e) => e.textContent), /0 products viewed this visit/);

  await visit(page, categoryPath(category));
  assert.deepEqual(await ids(page), fresh, "after forgetting, the category page is in its unpersonalised order");
  assert.ok((await grid(page)).every((c) => c.reason === null));
  await t.done();
});

test("the preview shows the widget's list with and without personalisation, different for a clear preference", async () => {
  const t = await openPage(browser);
  const { page } = t;
  const { brand, viewed } = await shopperWithBrand(page);
  await visit(page, `/preview.html?widget=popular_in_category&product=${encodeURIComponent(viewed[0])}`);
  await page.waitForSelector('#personal-compare [data-list="without"] [data-product-id]');
  const list = (kind) =>
    page.$$eval(`#personal-compare [data-list="${kind}"] [data-product-id]`, (els) => els.map((e) => e.dataset.productId));
  const withP = await list("with");
  const without = await list("without");
  assert.ok(withP.length > 0 && without.length > 0, "both lists are shown");
  assert.notDeepEqual(withP, without, "the lists differ for a shopper with a clear preference");
  assert.deepEqual([...withP].sort(), [...without].sort(), "re-ranked, not refilled: the same products");
  const whys = await page.$$eval('#personal-compare [data-list="with"] [data-personalized="true"] .why', (els) =>
    els.map((e) => e.textContent),
  );
  assert.ok(whys.length > 0, "some personalised items are marked");
  for (const w of whys) assert.match(w, / · (You often|Your usual|Shoppers like you|Popular with shoppers like you)/, "a personalised item says why");
  const plainWhys = await page.$$eval('#personal-compare [data-list="without"] .why', (els) => els.map((e) => e.textContent));
  for (const w of plainWhys) assert.doesNotMatch(w, /You often|Your usual|hoppers like you/, "the plain list gives no profile reason");
  assert.match(await page.$eval("#profile-line", (e) => e.textContent), new RegExp(brand.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));

  // Without the session the context knows nothing: the same order.
  await page.uncheck("#use-session");
  await eventually(async () => assert.deepEqual(await list("with"), await list("without")));
  await t.done();
});
