// The merchandiser preview and the for_you weights: the export module in Node, then the form in
// Chromium (playwright-core against www/tests/static-server.mjs, as in e2e.test.mjs).
//
// Needs: ./scripts/build-pkg.sh (www/public/pkg) and ./scripts/demo-store.sh (www/public/data,
// target/native/edgerec). Run: node --test --test-concurrency=1 www/tests/

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { checkConfig } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";
import { FOR_YOU_WEIGHTS, toToml } from "../public/preview-toml.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const edgerecBin = join(root, "target/native/edgerec");
for (const [file, script] of [
  ["www/public/pkg/edgerec_bg.wasm", "./scripts/build-pkg.sh"],
  ["www/public/data/model.snap", "./scripts/demo-store.sh"],
  ["target/native/edgerec", "./scripts/demo-store.sh"],
]) {
  if (!existsSync(join(root, file))) throw new Error(`the preview tests need ${file} (run ${script})`);
}

const check = (toml) => checkConfig(root, toml);

const widget = (over) => ({
  algorithm: "for_you",
  title: "Buy it again",
  limit: 10,
  threshold: 0,
  fallback: ["popular"],
  filters: {},
  exclude_purchased: false,
  force_include: [],
  force_include_out_of_stock: false,
  ...over,
});

test("the export writes the filters and weights given, and edgerec accepts them", () => {
  const toml = toToml("buy_again", widget({ for_you: { popular_weight: 2, purchase_decay: 0.995 } }));
  assert.ok(toml.endsWith("\n[widgets.buy_again.for_you]\npurchase_decay = 0.995\npopular_weight = 2.0\n"), toml);
  assert.match(check(toml), /valid/);
  assert.ok(!toToml("popular", widget({ algorithm: "popular" })).includes("for_you]"));
  // Every filter is written by its own key, none from a list to keep in step.
  const filters = { exclude_tags: ["a \"b\""], price_max: 40, stock_min: -2, added: [{ from: "2025-01-01" }, { to: "2025-03-31" }], show_out_of_stock: true };
  const block = toToml("deals", widget({ algorithm: "popular", filters, brands: [] }));
  assert.ok(
    block.endsWith('\n[widgets.deals.filters]\nexclude_tags = ["a \\"b\\""]\nprice_max = 40\nstock_min = -2\n' +
      'added = [{ from = "2025-01-01" }, { to = "2025-03-31" }]\nshow_out_of_stock = true\n'),
    block,
  );
  assert.match(check(block), /valid/);
  // The list the form shows is every weight the engine has.
  assert.equal(FOR_YOU_WEIGHTS.length, 11);
  // Weights on a widget that is not for_you are refused, naming the key, as the export avoids.
  const wrong = toToml("popular", widget({ algorithm: "popular", for_you: { hop_weight: 1 } }));
  assert.throws(() => check(wrong), (e) => /widgets\.popular\.for_you: only a widget of the for_you algorithm/.test(e.stderr));
});

test("the export writes submodels as an inline table, numbers as numbers, off ones left out", () => {
  const submodels = { colors: "$product", price: "50", "size-band": "050", off: "" };
  const toml = toToml("similar", widget({ algorithm: "also_viewed", submodels }));
  assert.ok(toml.includes('\nsubmodels = { colors = "$product", price = 50, size-band = "050" }\n'), toml);
  const defs = '[submodels.colors]\nattribute = "color"\ngroups = [["red"]]\n[submodels.price]\nattribute = "price"\n' +
    'ranges = [[0, 50], [50, 150]]\n[submodels.size-band]\nattribute = "size"\ngroups = [["050"]]\n\n';
  assert.match(check(defs + toml), /valid/);
  assert.ok(!toToml("similar", widget({ algorithm: "also_viewed", submodels: { colors: "" } })).includes("submodels"));
});

test("the export keeps a widget's own similarity weights, and edgerec accepts them", () => {
  const toml = toToml("more_from_brand", widget({ algorithm: "similar", similarity: { brand: 80, category: 20 } }));
  assert.ok(toml.includes("\nsimilarity = { brand = 80, category = 20 }\n"), toml);
  assert.match(check(toml), /valid/);
  assert.ok(!toToml("similar", widget({ algorithm: "similar", similarity: null })).includes("similarity"));
});

let server;
let browser;
before(async () => {
  server = await startStaticServer({ root: join(root, "www/public") });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPreview(widgetName) {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${server.url}/preview.html?widget=${widgetName}`);
  await page.waitForSelector("#preview:not([hidden])");
  return { page, errors };
}

test("the preview shows, edits and exports a for_you widget's weights", async () => {
  const { page, errors } = await openPreview("buy_again");
  assert.equal(await page.isVisible("#for-you-weights"), true);
  const widgets = await page.evaluate(async () => (await import("/edgerec-widget.js")).getRecommender().then((r) => r.widgets()));
  const tuned = widgets.find((w) => w.name === "buy_again").for_you;
  for (const [key] of FOR_YOU_WEIGHTS) assert.equal(Number(await page.inputValue(`#fy-${key}`)), tuned[key], key);
  let toml = await page.inputValue("#toml");
  assert.match(toml, /\n\[widgets\.buy_again\.for_you\]\n/);
  assert.ok(toml.includes("purchase_decay = 0.995\n") && toml.includes("popular_weight = 1.5\n"), toml);

  await page.fill("#fy-popular_weight", "0");
  await page.waitForFunction(() => document.getElementById("toml").value.includes("popular_weight = 0.0\n"));
  assert.equal(await page.isHidden("#problems"), true);
  assert.match(check(await page.inputValue("#toml")), /valid/);

  await page.fill("#fy-hop_weight", "-1");
  await page.waitForFunction(() => document.getElementById("problems").textContent.includes("hop_weight: a number of 0 or more"));

  // Another algorithm: no weights in the form's request or its export.
  await page.selectOption("#algorithm", "popular");
  await page.waitForFunction(() => !document.getElementById("toml").value.includes("for_you]"));
  assert.equal(await page.isHidden("#for-you-weights"), true);
  assert.equal(await page.isHidden("#problems"), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the preview keeps and exports a widget's own similarity weights, and the product page shows its box", async () => {
  const { page, errors } = await openPreview("more_from_brand");
  await page.waitForFunction(() => !document.getElementById("similarity-note").hidden);
  assert.match(await page.textContent("#similarity-note"), /brand 80, category 20/);
  const toml = await page.inputValue("#toml");
  assert.ok(toml.includes("\nsimilarity = { brand = 80, category = 20 }\n"), toml);
  assert.match(check(toml), /valid/);
  // The live list is the widget's own (same brand as the product), not the shared similar one.
  const product = await page.inputValue("#product");
  if (product) {
    const same = await page.evaluate(async (p) => {
      const rec = await (await import("/edgerec-widget.js")).getRecommender();
      const brand = rec.product(p).brand;
      return rec.recommend("more_from_brand", { product: p }).every((i) => i.brand === brand);
    }, product);
    assert.equal(same, true);
  }
  // Another algorithm without a similar step: the weights leave the request and the export.
  await page.selectOption("#algorithm", "popular");
  await page.waitForFunction(() => !document.getElementById("toml").value.includes("similarity ="));
  assert.equal(await page.isHidden("#similarity-note"), true);
  assert.deepEqual(errors, []);
  await page.close();

  // The product page's "More from this brand" box: every card of the product's brand.
  const shop = await browser.newPage();
  await shop.goto(`${server.url}/product/P00100`);
  const box = shop.locator('edgerec-widget[widget="more_from_brand"]');
  await box.locator("li").first().waitFor();
  assert.match(await box.locator("h2").innerText(), /More from this brand/);
  const brands = await box.locator("[part~=brand]").allInnerTexts();
  assert.ok(brands.length > 0 && brands.every((b) => b === brands[0]), brands.join(", "));
  await shop.close();
});

test("a for_you widget without weights of its own exports only the weights set", async () => {
  const { page, errors } = await openPreview("for_you");
  for (const [key] of FOR_YOU_WEIGHTS) assert.equal(await page.inputValue(`#fy-${key}`), "", key);
  assert.ok(!(await page.inputValue("#toml")).includes("for_you.for_you]"));
  await page.fill("#fy-hop_weight", "0");
  await page.waitForFunction(() => document.getElementById("toml").value.endsWith("[widgets.for_you.for_you]\nhop_weight = 0.0\n"));
  assert.equal(await page.isHidden("#problems"), true);
  assert.match(check(await page.inputValue("#toml")), /valid/);
  assert.deepEqual(errors, []);
  await page.close();
});
