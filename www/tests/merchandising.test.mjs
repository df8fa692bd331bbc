// Merchandising in Chromium: <edgerec-widget exclude-shown> leaves out what the page's earlier
// widgets show (and follows them when they change), max-per-brand caps a widget's brands, the
// preview page's Diversity controls change its list and its export, the demo store's
// editorial list ("Staff picks", www/edgerec.toml) shows on the home page and in the preview,
// and submodels keep lists to a colour group: the product page's "In similar colours" box, the
// <edgerec-widget submodels> attribute and the preview's Submodels control.
//
// Expectations come from the demo catalogue and from the same widgets without the option,
// never from fixed result lists.
//
// Needs: ./scripts/build-pkg.sh and ./scripts/demo-store.sh. Run:
// node --test --test-concurrency=1 www/tests/merchandising.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkConfig, eventually, launchChromium, openPage, parseCsv, requireFiles, settle } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";
import { initSync, Recommender } from "../../pkg/edgerec.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const publicDir = join(root, "www/public");
requireFiles(
  root,
  [
    ["www/public/pkg/edgerec.js", "./scripts/build-pkg.sh"],
    ["pkg/edgerec_bg.wasm", "./scripts/build-pkg.sh"],
    ["www/public/data/model.snap", "./scripts/demo-store.sh"],
    ["www/public/data/catalog.csv", "./scripts/demo-store.sh"],
    ["target/native/edgerec", "./scripts/demo-store.sh"],
  ],
  "the diversity tests",
);
const catalog = new Map(parseCsv(readFileSync(join(publicDir, "data/catalog.csv"), "utf8")).map((r) => [r.id, r]));
const brandOf = (id) => catalog.get(id).brand;
const repeats = (ids) => ids.length - new Set(ids.map(brandOf)).size;

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

/** The ids each <edgerec-widget> of the page shows, by its `id` attribute. */
const shown = (page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll("edgerec-widget")].map((w) => [w.id, w.items.map((i) => i.id)])));

test("exclude-shown leaves out what earlier widgets show, and follows them when they change", async () => {
  const t = await openPage(browser);
  const { page } = t;
  await page.goto(server.url + "/plain.html");
  await settle(page);
  await page.evaluate(() => {
    document.body.innerHTML = `
      <edgerec-widget id="first" widget="popular" limit="6"></edgerec-widget>
      <edgerec-widget id="second" widget="popular" limit="6" exclude-shown></edgerec-widget>
      <edgerec-widget id="plain" widget="popular" limit="12"></edgerec-widget>`;
  });
  await settle(page);
  let s = await shown(page);
  assert.equal(s.first.length, 6);
  assert.deepEqual(s.first, s.plain.slice(0, 6), "without exclude-shown the same list repeats");
  await eventually(async () => {
    s = await shown(page);
    assert.deepEqual(s.second, s.plain.slice(6, 12), "the second box goes on where the first stopped");
  });
  // The first box shows fewer: the second re-renders and takes up what it no longer shows.
  await page.evaluate(() => document.getElementById("first").setAttribute("limit", "2"));
  await eventually(async () => {
    s = await shown(page);
    assert.equal(s.first.length, 2);
    assert.deepEqual(s.second, s.plain.slice(2, 8));
  });
  // And a brand cap on the element: at most one product of a brand.
  await page.evaluate(() => document.getElementById("plain").setAttribute("max-per-brand", "1"));
  await eventually(async () => {
    s = await shown(page);
    assert.ok(s.plain.length > 0 && repeats(s.plain) === 0, `one per brand: ${s.plain.map(brandOf)}`);
  });
  await t.done();
});

const check = (toml) => checkConfig(root, toml);

test("the preview's Diversity controls cap brands, rotate, and export what edgerec accepts", async () => {
  const t = await openPage(browser);
  const { page } = t;
  await page.goto(`${server.url}/preview.html?widget=popular`);
  await page.waitForSelector("#preview:not([hidden])");
  const results = () => page.$$eval("#results [data-product-id]", (els) => els.map((e) => e.dataset.productId));
  await page.fill("#limit", "20");
  let before;
  await eventually(async () => {
    before = await results();
    assert.equal(before.length, 20);
  });
  assert.ok(repeats(before) > 0, "twenty best sellers repeat a brand, so a cap has something to do");
  await page.fill("#max_per_brand", "1");
  await eventually(async () => {
    const capped = await results();
    assert.ok(capped.length > 0 && repeats(capped) === 0, `one per brand: ${capped.map(brandOf)}`);
  });
  await page.selectOption("#rotation", "day");
  await page.waitForFunction(() => document.getElementById("toml").value.includes('rotation = "day"\n'));
  const toml = await page.inputValue("#toml");
  assert.ok(toml.includes("max_per_brand = 1\n"), toml);
  assert.match(check(toml), /valid/);
  await page.fill("#max_per_category", "101");
  await page.waitForFunction(() => document.getElementById("problems").textContent.includes("a whole number from 0 (no cap) to 100"));
  await t.done();
});

/** The demo store's `[lists.staff_picks]`, read from www/edgerec.toml. */
function staffPicks() {
  const toml = readFileSync(join(root, "www/edgerec.toml"), "utf8");
  const block = toml.slice(toml.indexOf("[lists.staff_picks]"));
  const products = JSON.parse(block.match(/\nproducts = (\[[^\]]*\])/)[1]);
  const title = block.match(/\ntitle = "([^"]*)"/)[1];
  return { block: block.slice(0, block.indexOf("\n\n") + 1), products, title };
}

test("the editorial list shows on the home page in its order, and the preview picks and exports it", async () => {
  const picks = staffPicks();
  assert.ok(picks.products.length >= 4 && picks.products.every((id) => catalog.has(id)), "the list names demo products");
  const inStock = picks.products.filter((id) => Number(catalog.get(id).stock ?? 1) > 0 || catalog.get(id).stock === "");
  const t = await openPage(browser);
  const { page } = t;
  await page.goto(server.url + "/");
  await settle(page);
  const box = page.locator('edgerec-widget[widget="staff_picks"]');
  assert.equal(await box.getAttribute("state"), "ready");
  const ids = await box.evaluate((w) => w.items.map((i) => i.id));
  assert.deepEqual(ids, inStock.slice(0, 6), "the team's order, out-of-stock products left out");
  const heading = await box.evaluate((w) => w.shadowRoot.querySelector("h2")?.textContent.trim());
  assert.equal(heading, picks.title);
  const reasons = await box.evaluate((w) => w.items.map((i) => i.explanation));
  assert.ok(reasons.every((r) => r === `Picked by our team: ${picks.title}`), reasons.join(" | "));

  await page.goto(`${server.url}/preview.html?widget=staff_picks`);
  await page.waitForSelector("#preview:not([hidden])");
  assert.equal(await page.isVisible("#list"), true, "an editorial widget shows the list picker");
  assert.equal(await page.inputValue("#list"), "staff_picks");
  // The preview's page product (never recommended) is left out; the list keeps its order.
  const onPage = await page.inputValue("#product");
  await eventually(async () => {
    const shownIds = await page.$$eval("#results [data-product-id]", (els) => els.map((e) => e.dataset.productId));
    const listed = shownIds.filter((id) => picks.products.includes(id));
    assert.deepEqual(listed, inStock.filter((id) => id !== onPage).slice(0, 6));
  });
  const toml = await page.inputValue("#toml");
  assert.ok(toml.includes('list = "staff_picks"\n'), toml);
  assert.match(check(picks.block + "\n" + toml), /valid/);
  await page.selectOption("#algorithm", "popular");
  await page.waitForFunction(() => !document.getElementById("toml").value.includes("list = "));
  assert.equal(await page.isVisible("#list"), false);
  await t.done();
});

/** The demo store's `[submodels.colors]` groups, read from www/edgerec.toml. */
function colourGroups() {
  const toml = readFileSync(join(root, "www/edgerec.toml"), "utf8");
  const block = toml.slice(toml.indexOf("[submodels.colors]"));
  return { block: block.slice(0, block.indexOf("\n\n") + 1), groups: JSON.parse(block.match(/\ngroups = (\[.*\])\n/)[1]) };
}
const { groups: COLOUR_GROUPS, block: COLOURS_BLOCK } = colourGroups();
/** The colour group (its index) of a product, by its colour in catalog.csv. */
const groupOf = (id) => COLOUR_GROUPS.findIndex((g) => g.includes(catalog.get(id).color));

/** A product whose plain also_viewed list (its viewed-together items) shows more than two
 * colours and whose "In similar colours" box is full (8 viewed-together items of its colour
 * group, so also_viewed limited to 8 is all viewed-together too): found with the package. */
function mixedColourProduct() {
  initSync({ module: readFileSync(join(root, "pkg/edgerec_bg.wasm")) });
  const rec = Recommender.fromBytes(readFileSync(join(publicDir, "data/model.snap")));
  const found = [...catalog.keys()].find((id) => {
    const own = rec.recommend("also_viewed", { product: id }).filter((i) => i.reason === "viewed_together");
    return rec.recommend("similar_colors", { product: id }).length === 8 && new Set(own.map((i) => catalog.get(i.id).color)).size > 2;
  });
  rec.free();
  assert.ok(found, "the demo store has a product viewed together with products of several colours");
  return found;
}
const MIXED = mixedColourProduct();

test('the product page\'s "In similar colours" keeps to the product\'s colour group', async () => {
  const t = await openPage(browser);
  const { page } = t;
  const id = MIXED;
  await page.goto(`${server.url}/product/${id}`);
  await settle(page);
  const box = page.locator('edgerec-widget[widget="similar_colors"]');
  assert.equal(await box.getAttribute("state"), "ready");
  assert.equal(await box.evaluate((w) => w.shadowRoot.querySelector("h2")?.textContent.trim()), "In similar colours");
  const ids = await box.evaluate((w) => w.items.map((i) => i.id));
  assert.equal(ids.length, 8);
  // (Without the submodel the same viewed-together items have more than two colours, so more
  // than one group: the restriction has something to do.)
  for (const x of ids) assert.equal(groupOf(x), groupOf(id), `${x} (${catalog.get(x).color}) is in ${catalog.get(id).color}'s group`);
  await t.done();
});

test("<edgerec-widget submodels> restricts a plain widget, re-renders on change, and warns about what it cannot use", async () => {
  const t = await openPage(browser);
  const { page, warnings } = t;
  await page.goto(server.url + "/plain.html");
  await settle(page);
  const id = MIXED;
  await page.evaluate((p) => {
    document.body.innerHTML = `
      <edgerec-widget id="plain" widget="also_viewed" product="${p}" limit="8"></edgerec-widget>
      <edgerec-widget id="kept" widget="also_viewed" product="${p}" limit="8" submodels="colors=$product"></edgerec-widget>
      <edgerec-widget id="odd" widget="also_viewed" product="${p}" limit="8" submodels=" colors ; colors = $product;; sizes=M "></edgerec-widget>`;
  }, id);
  await settle(page);
  let s = await shown(page);
  assert.ok(s.plain.some((x) => groupOf(x) !== groupOf(id)), `the plain widget shows other colours: ${s.plain.map((x) => catalog.get(x).color)}`);
  assert.equal(s.kept.length, 8);
  for (const x of s.kept) assert.equal(groupOf(x), groupOf(id), `${x} (${catalog.get(x).color}) keeps to the group`);
  const reference = await page.evaluate(async (p) => (await (await import("/edgerec-widget.js")).getRecommender()).recommend("similar_colors", { product: p }).map((i) => i.id), id);
  assert.deepEqual(s.kept, reference, "the same list as the similar_colors widget, whose config carries the submodel");

  // A malformed entry and a submodel the snapshot does not have: warned about, once, naming the
  // attribute; the rest of the attribute still applies and the box renders.
  assert.equal(await page.locator("#odd").getAttribute("state"), "ready");
  assert.deepEqual(s.odd, s.kept);
  const mine = () => warnings.filter((w) => w.includes('submodels=" colors ; colors = $product;; sizes=M "'));
  assert.equal(mine().length, 2, mine().join(" | "));
  assert.ok(mine().some((w) => w.includes('"colors" is not NAME=VALUE')), mine().join(" | "));
  assert.ok(mine().some((w) => w.includes('no submodel "sizes"') && w.includes('leaving "sizes" out')), mine().join(" | "));
  await page.evaluate(() => document.getElementById("odd").setAttribute("limit", "7"));
  await eventually(async () => assert.equal((await shown(page)).odd.length, 7));
  assert.equal(mine().length, 2, "a re-render does not warn again");

  // The attribute changes: another colour group, then off.
  const other = (groupOf(id) + 1) % COLOUR_GROUPS.length;
  await page.evaluate((v) => document.getElementById("kept").setAttribute("submodels", `colors=${v}`), COLOUR_GROUPS[other][0]);
  await eventually(async () => {
    const ids = (await page.evaluate(() => document.getElementById("kept").items.filter((i) => i.reason === "viewed_together").map((i) => i.id)));
    assert.ok(ids.length > 0 && ids.every((x) => groupOf(x) === other), `group ${COLOUR_GROUPS[other]}: ${ids.map((x) => catalog.get(x).color)}`);
  });
  await page.evaluate(() => document.getElementById("kept").removeAttribute("submodels"));
  await eventually(async () => {
    s = await shown(page);
    assert.deepEqual(s.kept, s.plain);
  });
  await t.done();
});

test("the preview's Submodels control changes the list to the group chosen and exports it", async () => {
  const t = await openPage(browser);
  const { page } = t;
  const id = MIXED;
  await page.goto(`${server.url}/preview.html?widget=similar_colors&product=${id}`);
  await page.waitForSelector("#preview:not([hidden])");
  assert.equal(await page.isVisible("#submodels-panel"), true);
  assert.equal(await page.inputValue("#submodel-colors"), "$product", "the widget's own submodel");
  assert.equal(await page.inputValue("#submodel-price"), "");
  const results = () => page.$$eval("#results [data-product-id]", (els) => els.map((e) => e.dataset.productId));
  const colours = (ids) => ids.map((x) => catalog.get(x).color).join(",");
  let ids = await results();
  assert.ok(ids.length > 0 && ids.every((x) => groupOf(x) === groupOf(id)), colours(ids));
  assert.equal(await page.textContent("#results-submodels"), `Submodels: the widget's own steps keep to colors: ${COLOUR_GROUPS[groupOf(id)].join(", ")}.`);
  assert.ok((await page.inputValue("#toml")).includes('submodels = { colors = "$product" }\n'));

  const other = (groupOf(id) + 1) % COLOUR_GROUPS.length;
  await page.selectOption("#submodel-colors", COLOUR_GROUPS[other][0]);
  await eventually(async () => {
    ids = await results();
    assert.ok(ids.length > 0 && ids.every((x) => groupOf(x) === other), colours(ids));
  });
  assert.equal(await page.textContent("#results-submodels"), `Submodels: the widget's own steps keep to colors: ${COLOUR_GROUPS[other].join(", ")}.`);
  await page.selectOption("#submodel-price", { label: "50 to 150" });
  await page.waitForFunction(() => document.getElementById("toml").value.includes("price = 50 }"));
  const toml = await page.inputValue("#toml");
  assert.ok(toml.includes(`submodels = { colors = "${COLOUR_GROUPS[other][0]}", price = 50 }\n`), toml);
  assert.match(check(COLOURS_BLOCK + '\n[submodels.price]\nattribute = "price"\nranges = [[0, 50], [50, 150], [150, 100000]]\n\n' + toml), /valid/);
  for (const x of await results()) assert.ok(catalog.get(x).price >= 50 && catalog.get(x).price <= 150, `${x} at ${catalog.get(x).price}`);

  // Off: the viewed-together list in every colour, and no submodels key.
  await page.selectOption("#submodel-colors", "");
  await page.selectOption("#submodel-price", "");
  await page.waitForFunction(() => !document.getElementById("toml").value.includes("submodels"));
  await eventually(async () => assert.ok(new Set((await results()).map(groupOf)).size > 1, colours(await results())));
  assert.match(await page.textContent("#results-submodels"), /none applies/);
  await t.done();

  // A snapshot without submodels: no control.
  const t2 = await openPage(browser);
  await t2.page.route("**/data/model.snap", (route) => route.fulfill({ path: join(root, "tests/fixtures/small.snap"), contentType: "application/octet-stream" }));
  await t2.page.goto(`${server.url}/preview.html?widget=also_viewed`);
  await t2.page.waitForSelector("#preview:not([hidden])");
  assert.equal(await t2.page.isVisible("#submodels-panel"), false);
  assert.equal(await t2.page.isVisible("#results-submodels"), false);
  assert.ok(!(await t2.page.inputValue("#toml")).includes("submodels"));
  await t2.done();
});
