// Renders sections/edgerec-recommendations.liquid the way a theme would, on a product page of
// the demo store with one line in the cart, into dist/index.html: the static HTML equivalent
// that the examples test opens in Chromium. liquidjs stands in for Shopify's renderer; the
// `{% schema %}` block (theme-editor metadata, never output) is read for the settings' defaults.
//
// Usage: node render.mjs [package URL, default /npm/edgerec@0.1.0]

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Liquid } from "liquidjs";

const here = new URL("./", import.meta.url);
const file = "sections/edgerec-recommendations.liquid";
const source = readFileSync(new URL(file, here), "utf8");

const schemaMatch = source.match(/{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/);
if (!schemaMatch) throw new Error(`${file}: no {% schema %} block`);
let schema;
try {
  schema = JSON.parse(schemaMatch[1]);
} catch (e) {
  throw new Error(`${file}: the {% schema %} block is not valid JSON: ${e.message}`);
}
const settings = Object.fromEntries(schema.settings.filter((s) => "id" in s).map((s) => [s.id, s.default ?? ""]));
settings.package_url = process.argv[2] ?? "/npm/edgerec@0.1.0"; // the test serves the package there

// What Shopify would pass on /products/…: the page's product and the shopper's cart.
export const PAGE = {
  product: { id: "P00001", handle: "nordhaven-compact-chef-knife" },
  cart: {
    currency: { iso_code: "USD" },
    items: [{ product_id: "P00005", product: { handle: "p00005" }, quantity: 2 }],
  },
};

const engine = new Liquid({ strictFilters: true });
const html = await engine.parseAndRender(source.replace(schemaMatch[0], ""), {
  ...PAGE,
  section: { id: "template--1__edgerec", settings },
});

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>edgerec: Shopify section (static render)</title>
  </head>
  <body>
    <main>
      <h1>Nordhaven Compact Chef Knife</h1>
${html}
    </main>
  </body>
</html>
`;
mkdirSync(new URL("dist/", here), { recursive: true });
writeFileSync(new URL("dist/index.html", here), page);
console.log("wrote dist/index.html");
