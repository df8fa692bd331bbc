// The two entry points of the edgerec package, type-checked with strict, lib ES2022 + DOM:
// "edgerec/widget" registers <edgerec-widget> and shares its engine, snapshot and session with
// the page; "edgerec" has the engine's own types.
import { getRecommender, getSession, type EdgerecWidget } from "edgerec/widget";
import type { RecommendedItem } from "edgerec";

const productId = new URLSearchParams(location.search).get("product") ?? "P00001";
const status = document.querySelector<HTMLParagraphElement>("#status")!;

// querySelectorAll("edgerec-widget") is typed EdgerecWidget through HTMLElementTagNameMap.
const widgets: EdgerecWidget[] = [...document.querySelectorAll("edgerec-widget")];
for (const widget of widgets) {
  widget.setAttribute("product", productId);
  widget.addEventListener("edgerec-render", (event) => {
    const items: RecommendedItem[] = event.detail.items;
    status.textContent = `${event.detail.widget}: ${items.length} items`;
  });
}

document.addEventListener("edgerec-select", (event) => {
  console.info(`clicked ${event.detail.id} at position ${event.detail.position} (${event.detail.reason})`);
});

// The same Recommender and Session as the widgets: the page shows the product and records the view.
const [rec, session] = await Promise.all([getRecommender(), getSession()]);
const product = rec.product(productId);
if (product) {
  document.querySelector("#product-title")!.textContent = product.title;
  session.view(productId);
} else {
  status.textContent = `${productId} is not in the snapshot's catalog`;
}
