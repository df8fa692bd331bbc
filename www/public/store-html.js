// The demo storefront's markup helpers (app.js renders its pages with them): URLs of the
// routes, prices, stock, breadcrumbs, product cards and <edgerec-widget> elements, and the
// business account the shopper buys for.

import { formatPrice, stockState, brandInTitle, escapeHtml, safeUrl } from "/edgerec-widget.js";
import { personalOn } from "/personal.js";

/** The catalogue's category level separator. */
export const SEP = " > ";

// The demo's B2B sign-in: the business account (segment) the shopper buys for, kept on this
// device. A real store knows it from the logged-in user.
export const ACCOUNT_KEY = "edgerec-demo:account";
/** The business account the shopper buys for ("" when buying for themselves). */
export function account() {
  try {
    return localStorage.getItem(ACCOUNT_KEY) || "";
  } catch {
    return "";
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Escapes text for HTML. */
export const html = escapeHtml;

/** "/category/Kitchen/Knives" for "Kitchen > Knives". */
export function categoryUrl(name) {
  return "/category/" + name.split(SEP).map(encodeURIComponent).join("/");
}

/** "Kitchen > Knives" for "/Kitchen/Knives" (the path after /category), or null if malformed. */
export function categoryFromPath(path) {
  try {
    return path.split("/").filter(Boolean).map(decodeURIComponent).join(SEP);
  } catch {
    return null;
  }
}

/** The last level of a category path. */
export const leaf = (name) => name.split(SEP).at(-1);
/** The URL of a product page. */
export const productUrl = (id) => `/product/${encodeURIComponent(id)}`;

/** Price, struck-through compare-at price and (unless the card shows it on the image) the
 * discount badge. */
export function priceHtml(p, { big = false, badge = true } = {}) {
  if (p.price === null || p.price === undefined) return `<p class="price-row">Price on request</p>`;
  const sale = p.compareAtPrice !== null && p.discount > 0;
  return `<p class="price-row${big ? " big" : ""}${sale ? " sale" : ""}">
    <span class="price-now"><span class="sr-only">${sale ? "Sale price" : "Price"}: </span>${html(formatPrice(p.price))}</span>
    ${sale ? `<s class="price-was"><span class="sr-only">was </span>${html(formatPrice(p.compareAtPrice))}</s>` : ""}
    ${sale && badge ? `<span class="badge sale">−${p.discount}%<span class="sr-only"> off</span></span>` : ""}
    ${sale && !badge ? `<span class="sr-only">, ${p.discount}% off</span>` : ""}
  </p>`;
}

/** The stock line of a product. */
export function stockHtml(p, extra = "") {
  const s = stockState(p.inStock, p.stock);
  return `<p class="stock ${extra}" data-level="${s.level}">${s.text}</p>`;
}

/** The breadcrumb trail to a category (and a current page's title). */
export function breadcrumbs(category, current) {
  const parts = category ? category.split(SEP) : [];
  const crumbs = [`<li><a href="/">Home</a></li>`];
  parts.forEach((part, i) => {
    const name = parts.slice(0, i + 1).join(SEP);
    const last = i === parts.length - 1 && !current;
    crumbs.push(last ? `<li aria-current="page">${html(part)}</li>` : `<li><a href="${categoryUrl(name)}">${html(part)}</a></li>`);
  });
  if (current) crumbs.push(`<li aria-current="page">${html(current)}</li>`);
  return `<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>${crumbs.join("")}</ol></nav>`;
}

/** A recommendation widget; `cart-button` lets shoppers add a card's product to the cart, and
 * `personalize="off"` shows its list unpersonalised when the shopper turned personalisation off. */
export function widget(name, { product, segment, heading, limit } = {}) {
  const attrs = [`widget="${html(name)}"`, "cart-button"];
  if (product) attrs.push(`product="${html(product)}"`);
  if (segment) attrs.push(`segment="${html(segment)}"`);
  if (heading) attrs.push(`heading="${html(heading)}"`);
  if (limit) attrs.push(`limit="${limit}"`);
  if (!personalOn()) attrs.push(`personalize="off"`);
  return `<edgerec-widget ${attrs.join(" ")}></edgerec-widget>`;
}

/** A product card; `reason`: why personalisation moved it ("You often choose Fleetfoot"). */
export function productCard(p, reason = null) {
  const sale = p.compareAtPrice !== null && p.discount > 0;
  const why = reason ? ` data-personalized="true" title="${html(reason)}"` : "";
  return `<li class="product-card" data-product-id="${html(p.id)}"${why}>
    <a class="card-link" href="${html(safeUrl(p.url || productUrl(p.id)))}">
      <span class="card-media">
        <img src="${html(safeUrl(p.image))}" alt="" width="240" height="240" loading="lazy" decoding="async">
        ${sale ? `<span class="badge sale" aria-hidden="true">−${p.discount}%</span>` : ""}
      </span>
      <span class="card-brand"${brandInTitle(p) ? ' aria-hidden="true"' : ""}>${html(p.brand)}</span>
      <span class="card-title">${html(p.title)}</span>
    </a>
    ${priceHtml(p, { badge: false })}
    ${stockHtml(p)}
    ${reason ? `<p class="card-why">${html(reason)}</p>` : ""}
  </li>`;
}
