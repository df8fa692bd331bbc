// <edgerec-widget>: drop-in product recommendations computed in the browser.
//
//   <script type="module" src="/edgerec-widget.js"></script>
//   <edgerec-widget widget="upsell" product="P00001" limit="8"></edgerec-widget>
//
// One script tag is all a page needs. The element loads the edgerec package (./pkg/ next to
// this file) and the snapshot once per page, reads the shopper's session from localStorage,
// renders an accessible list and re-renders when the session changes (in this tab or another).
// Every instance on a page shares one package init, one Recommender per snapshot URL and one
// Session per storage key. Documentation: docs/storefront.md.
//
// Attributes: widget (required), product, segment (the shopper's business account, for the
// segment_* widgets), limit, snapshot (default /data/model.snap),
// session-key (default edgerec:session), heading (replaces the widget's title; a list that only
// fallback steps filled shows the title of the step that filled it instead, "Popular right now"),
// currency (ISO code, default USD), cart-button (shows an "Add to cart" button on every card),
// hide-when-fallback (leave the box out when only fallback steps filled it), min-own-items (leave
// it out unless the widget's own steps found that many), personalize="off" (the list without the
// shopper's profile, for a "turn off" control), exclude-shown (leave out what the page's earlier
// <edgerec-widget>s show, in document order, so two boxes never show the same product; it
// re-renders when they do), max-per-brand, max-per-category, rotation ("day" or "session": vary
// the order of near-tied items), submodels (keep the widget's own steps to one group of each
// `[submodels.NAME]`: "colors=$product" for the page product's colour group, several separated
// by ";" as in "colors=$product; price=60", "colors=" to turn off one the widget's config sets;
// a malformed entry or a submodel the snapshot refuses is warned about once and left out).
// A widget of the `bundle` algorithm
// renders the product's bundles, each with its total and an "Add all to cart" button.
// Reflected state: state="loading" | "ready" | "empty" | "error".
// Events (bubbling, composed): edgerec-render, edgerec-select, edgerec-add-to-cart and
// edgerec-add-bundle (cancelable).
// Styling: custom properties --edgerec-accent, --edgerec-text, --edgerec-muted, --edgerec-sale,
// --edgerec-ok, --edgerec-warn, --edgerec-font, --edgerec-card-bg, --edgerec-card-border,
// --edgerec-card-width, --edgerec-card-padding, --edgerec-radius, --edgerec-gap,
// --edgerec-image-bg, --edgerec-heading-size, --edgerec-heading-weight, --edgerec-heading-gap,
// --edgerec-tooltip-bg, --edgerec-tooltip-text; parts root, section, heading, list, item, link,
// image, discount, brand, title, price, compare-at, stock, reason, cart-button.
//
// The module also exports the shared loaders, so a page can use the same package, snapshot and
// session as its widgets: import { getRecommender, getSession } from "/edgerec-widget.js".

export const DEFAULT_SNAPSHOT = "/data/model.snap";
export const DEFAULT_SESSION_KEY = "edgerec:session";
/** Cards say "Only N left" at or below this tracked stock. */
export const LOW_STOCK = 5;

// ---------------------------------------------------------------------------------------------
// Shared loaders: one package init, one Recommender per snapshot URL, one Session per key.

let packagePromise = null;
const recommenders = new Map(); // absolute snapshot URL -> Promise<Recommender>
const sessions = new Map(); // storage key -> Promise<Session>

/** The initialised edgerec package module (imported and instantiated once per page). */
export function loadPackage() {
  // A literal specifier, relative to this module: bundlers follow it, browsers resolve it against
  // this file's URL. In the npm package (widget.js, next to edgerec.js) scripts/package.mjs
  // rewrites it to "./edgerec.js".
  packagePromise ??= import("./pkg/edgerec.js").then(async (pkg) => {
    await pkg.default();
    return pkg;
  });
  return packagePromise;
}

/** The Recommender of a snapshot URL (relative URLs resolve against the page). */
export function getRecommender(snapshot = DEFAULT_SNAPSHOT) {
  const url = new URL(snapshot || DEFAULT_SNAPSHOT, document.baseURI).href;
  let promise = recommenders.get(url);
  if (!promise) {
    promise = loadPackage().then((pkg) => pkg.fetchSnapshot(url));
    recommenders.set(url, promise);
    // Say it once per URL; every waiting widget then shows nothing.
    promise.catch((e) => console.warn(`edgerec-widget: could not load the snapshot ${url}: ${e?.message ?? e}`));
  }
  return promise;
}

/** The page's Session for a localStorage key (memory when storage is unavailable). */
export function getSession(key = DEFAULT_SESSION_KEY) {
  key ||= DEFAULT_SESSION_KEY;
  let promise = sessions.get(key);
  if (!promise) {
    promise = loadPackage().then((pkg) => pkg.Session.load({ key }));
    sessions.set(key, promise);
  }
  return promise;
}

// Widget configurations per Recommender (titles for headings).
const widgetConfigs = new WeakMap();
function widgetConfig(rec, name) {
  let map = widgetConfigs.get(rec);
  if (!map) {
    map = new Map(rec.widgets().map((w) => [w.name, w]));
    widgetConfigs.set(rec, map);
  }
  return map.get(name);
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers (exported for pages that render their own cards the same way).

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML content and quoted attribute values. */
export const escapeHtml = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** A catalog URL safe to put in href/src: relative or http(s), anything else becomes "#". */
export function safeUrl(url) {
  if (!url) return "#";
  try {
    const u = new URL(url, document.baseURI);
    return u.protocol === "http:" || u.protocol === "https:" ? url : "#";
  } catch {
    return "#";
  }
}

const priceFormats = new Map();
/** A price in the store's currency ("$84.99"), or "" when there is none. */
export function formatPrice(value, currency = "USD") {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  const locale = document.documentElement.lang || undefined;
  const key = `${locale}|${currency}`;
  let format = priceFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    priceFormats.set(key, format);
  }
  return format.format(value);
}

/** Whether the title names the brand already (then the brand line is hidden from screen
 * readers, so a card's link is announced by its title alone). */
export const brandInTitle = (p) => !!p.brand && p.title.toLowerCase().includes(p.brand.toLowerCase());

/** "In stock" / "Only 3 left" / "Out of stock" and a level for styling. */
export function stockState(inStock, stock) {
  if (!inStock) return { level: "out", text: "Out of stock" };
  if (typeof stock === "number" && stock <= LOW_STOCK) return { level: "low", text: `Only ${stock} left` };
  return { level: "in", text: "In stock" };
}

// ---------------------------------------------------------------------------------------------
// Styles. Every colour and size is a custom property with a default, so a page restyles the
// widget without touching its internals; ::part() reaches the elements themselves.

const STYLES = `
:host {
  display: block;
  font-family: var(--edgerec-font, inherit);
  color: var(--edgerec-text, #1d1d22);
  container-type: inline-size;
}
:host([state="empty"]), :host([state="error"]), :host([state="loading"]) { display: none; }
* { box-sizing: border-box; }
section { margin: 0; }
h2 {
  font-size: var(--edgerec-heading-size, 1.25rem);
  font-weight: var(--edgerec-heading-weight, 650);
  letter-spacing: -0.01em;
  margin: 0 0 var(--edgerec-heading-gap, 0.75rem);
}
ul {
  list-style: none;
  margin: 0;
  padding: 0;
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(var(--edgerec-card-width, 160px), 1fr));
  gap: var(--edgerec-gap, 16px);
}
li {
  position: relative;
  display: flex;
  flex-direction: column;
  gap: 4px;
  background: var(--edgerec-card-bg, #fff);
  border: 1px solid var(--edgerec-card-border, #e4e4ea);
  border-radius: var(--edgerec-radius, 12px);
  padding: var(--edgerec-card-padding, 10px);
  transition: box-shadow 0.15s, transform 0.15s;
}
li:hover, li:focus-within {
  box-shadow: 0 6px 20px rgb(20 20 40 / 0.10);
  transform: translateY(-1px);
}
a {
  color: inherit;
  text-decoration: none;
  display: flex;
  flex-direction: column;
  gap: 4px;
  border-radius: calc(var(--edgerec-radius, 12px) - 4px);
}
a:focus-visible {
  outline: 3px solid var(--edgerec-accent, #2f54d6);
  outline-offset: 3px;
}
a:hover .title { color: var(--edgerec-accent, #2f54d6); }
.media { position: relative; }
img {
  display: block;
  width: 100%;
  aspect-ratio: 1;
  object-fit: cover;
  border-radius: calc(var(--edgerec-radius, 12px) - 4px);
  background: var(--edgerec-image-bg, #f3f3f6);
}
.badge {
  position: absolute;
  top: 8px;
  left: 8px;
  background: var(--edgerec-sale, #c4322b);
  color: #fff;
  font-size: 0.75rem;
  font-weight: 700;
  padding: 2px 7px;
  border-radius: 999px;
}
.brand {
  margin-top: 4px;
  font-size: 0.75rem;
  text-transform: uppercase;
  letter-spacing: 0.04em;
  color: var(--edgerec-muted, #676775);
}
.title {
  font-size: 0.92rem;
  line-height: 1.3;
  font-weight: 550;
  display: -webkit-box;
  -webkit-line-clamp: 2;
  -webkit-box-orient: vertical;
  overflow: hidden;
}
p { margin: 0; }
.price { font-size: 0.95rem; font-weight: 700; display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
.price.sale .now { color: var(--edgerec-sale, #c4322b); }
s { font-weight: 400; font-size: 0.82rem; color: var(--edgerec-muted, #676775); }
.stock { font-size: 0.8rem; color: var(--edgerec-ok, #1d7a43); }
.stock[data-level="low"] { color: var(--edgerec-warn, #a35800); }
.stock[data-level="out"] { color: var(--edgerec-muted, #676775); }
.why {
  position: absolute;
  left: 6px;
  right: 6px;
  top: 6px;
  z-index: 2;
  background: var(--edgerec-tooltip-bg, rgb(22 22 30 / 0.92));
  color: var(--edgerec-tooltip-text, #fff);
  font-size: 0.78rem;
  line-height: 1.35;
  padding: 7px 9px;
  border-radius: 8px;
  visibility: hidden;
  opacity: 0;
  transform: translateY(-4px);
  transition: opacity 0.15s, transform 0.15s, visibility 0.15s;
  pointer-events: none;
}
li:hover .why, li:focus-within .why { visibility: visible; opacity: 1; transform: none; }
button {
  margin-top: auto;
  font: inherit;
  font-size: 0.85rem;
  font-weight: 600;
  padding: 7px 10px;
  border-radius: 8px;
  border: 1px solid var(--edgerec-accent, #2f54d6);
  background: transparent;
  color: var(--edgerec-accent, #2f54d6);
  cursor: pointer;
}
button:hover { background: var(--edgerec-accent, #2f54d6); color: #fff; }
button:focus-visible { outline: 3px solid var(--edgerec-accent, #2f54d6); outline-offset: 2px; }
button:disabled { opacity: 0.5; cursor: not-allowed; background: transparent; color: var(--edgerec-muted, #676775); border-color: currentColor; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
/* Narrow containers: one swipeable row instead of a tall column of cards. */
@container (max-width: 560px) {
  ul {
    grid-auto-flow: column;
    grid-template-columns: none;
    grid-auto-columns: minmax(140px, 44%);
    overflow-x: auto;
    overscroll-behavior-x: contain;
    scroll-snap-type: x mandatory;
    padding-bottom: 6px;
  }
  li { scroll-snap-align: start; }
  li:hover, li:focus-within { transform: none; }
}
@media (prefers-reduced-motion: reduce) { li, .why { transition: none; } li:hover, li:focus-within { transform: none; } }
`;

let sharedSheet = null;
function styleSheet() {
  if (sharedSheet === null) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(STYLES);
    } catch {
      sharedSheet = false; // no constructable sheets: a <style> element per instance
    }
  }
  return sharedSheet;
}

// ---------------------------------------------------------------------------------------------
// The element.

let instances = 0;

export class EdgerecWidget extends HTMLElement {
  static observedAttributes = [
    "widget", "product", "segment", "limit", "snapshot", "session-key", "heading", "currency", "cart-button",
    "hide-when-fallback", "min-own-items", "personalize", "exclude-shown", "max-per-brand", "max-per-category",
    "rotation", "submodels",
  ];

  #root;
  #content;
  #uid = `edgerec-${++instances}`;
  #rec = null;
  #session = null;
  #loading = null; // the "snapshot|key" being loaded
  #renderQueued = false;
  /** The `submodels` attribute last parsed, and its entries as the `submodels` option. */
  #submodelsText = null;
  #submodels = {};
  /** The bundles last rendered (a bundle widget). */
  #bundles = [];
  #items = [];
  #onSessionChange = () => this.#scheduleRender();
  /** An earlier widget of the page rendered: what an exclude-shown widget leaves out changed. */
  #onOtherRender = (e) => {
    const other = e.target;
    if (other === this || !(other instanceof EdgerecWidget) || !this.hasAttribute("exclude-shown")) return;
    if (other.compareDocumentPosition(this) & Node.DOCUMENT_POSITION_FOLLOWING) this.#scheduleRender();
  };

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    const sheet = styleSheet();
    if (sheet) this.#root.adoptedStyleSheets = [sheet];
    else this.#root.innerHTML = `<style>${STYLES}</style>`;
    this.#content = document.createElement("div");
    this.#content.setAttribute("part", "root");
    this.#root.append(this.#content);
    this.#root.addEventListener("click", (e) => this.#onClick(e));
  }

  /** The items last rendered (RecommendedItem objects). */
  get items() {
    return this.#items.slice();
  }

  connectedCallback() {
    if (!this.hasAttribute("state")) this.setAttribute("state", "loading");
    this.#connect();
  }

  disconnectedCallback() {
    document.removeEventListener("edgerec-render", this.#onOtherRender);
    this.#session?.offChange(this.#onSessionChange);
    this.#session = null;
    this.#rec = null;
    this.#loading = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) return;
    if (name === "snapshot" || name === "session-key") {
      this.disconnectedCallback();
      this.#connect();
    } else {
      this.#scheduleRender();
    }
  }

  /** Re-renders now (after changing the session from outside the shared Session, say). */
  refresh() {
    this.#render();
  }

  async #connect() {
    document.addEventListener("edgerec-render", this.#onOtherRender);
    this.#submodelsText = null; // another snapshot may know the submodels the last one refused
    const snapshot = this.getAttribute("snapshot") || DEFAULT_SNAPSHOT;
    const key = this.getAttribute("session-key") || DEFAULT_SESSION_KEY;
    const loading = `${snapshot}|${key}`;
    this.#loading = loading;
    let rec, session;
    try {
      [rec, session] = await Promise.all([getRecommender(snapshot), getSession(key)]);
    } catch (e) {
      // getRecommender already warned once for the URL; a package failure is warned here.
      if (this.#loading === loading) {
        if (!String(e?.message ?? "").includes(snapshot)) console.warn(`edgerec-widget: ${e?.message ?? e}`);
        this.#show("error", "");
      }
      return;
    }
    // Disconnected or re-pointed while loading: a newer #connect owns the element.
    if (this.#loading !== loading || !this.isConnected) return;
    this.#rec = rec;
    this.#session = session;
    session.onChange(this.#onSessionChange);
    this.#render();
  }

  #scheduleRender() {
    if (this.#renderQueued || !this.#rec) return;
    this.#renderQueued = true;
    queueMicrotask(() => {
      this.#renderQueued = false;
      this.#render();
    });
  }

  #render() {
    const rec = this.#rec;
    if (!rec) return;
    const widget = this.getAttribute("widget") || "";
    const options = { session: this.#session };
    const product = this.getAttribute("product");
    if (product) options.product = product;
    const segment = this.getAttribute("segment");
    if (segment) options.segment = segment;
    const limit = parseInt(this.getAttribute("limit") ?? "", 10);
    if (Number.isFinite(limit)) options.limit = Math.min(100, Math.max(1, limit));
    if (this.hasAttribute("hide-when-fallback")) options.hideWhenFallback = true;
    // personalize="off": the list without the shopper's profile (a "turn off" control).
    if (["off", "false"].includes(this.getAttribute("personalize"))) options.personalize = false;
    const minOwn = parseInt(this.getAttribute("min-own-items") ?? "", 10);
    if (Number.isFinite(minOwn)) options.minOwnItems = Math.max(0, minOwn);
    for (const [attr, key] of [["max-per-brand", "maxPerBrand"], ["max-per-category", "maxPerCategory"]]) {
      const cap = parseInt(this.getAttribute(attr) ?? "", 10);
      if (Number.isFinite(cap)) options[key] = Math.min(100, Math.max(0, cap));
    }
    const rotation = this.getAttribute("rotation");
    if (rotation) options.rotation = rotation;
    if (this.hasAttribute("exclude-shown")) options.exclude = this.#shownBefore();
    const submodels = this.#submodelsOption();
    if (Object.keys(submodels).length) options.submodels = submodels;
    const isBundle = widgetConfig(rec, widget)?.algorithm === "bundle";
    let answer, bundles;
    for (;;) {
      try {
        if (isBundle) bundles = rec.bundles({ ...options, widget });
        else answer = rec.answer(widget, options);
        break;
      } catch (e) {
        // A submodel of the attribute that the snapshot refuses: leave it out and answer again.
        if (this.#refusedSubmodel(e)) continue;
        console.warn(`edgerec-widget: widget "${widget}": ${e?.message ?? e}`);
        this.#items = [];
        this.#bundles = [];
        this.#show("error", "");
        return;
      }
    }
    const items = answer ? answer.items : bundles.bundles.flatMap((b) => b.items);
    this.#items = items;
    this.#bundles = bundles ? bundles.bundles : [];
    // A list that only fallback steps filled gets the heading of the step that filled it, not
    // the widget's own (which would claim, say, "Frequently bought together").
    const fromFallback = !!answer?.fromFallback;
    const title = fromFallback ? answer.title : this.getAttribute("heading") ?? (answer ?? bundles).title ?? widget;
    if (items.length === 0) {
      this.#show("empty", "");
    } else if (bundles) {
      this.#show("ready", this.#bundleMarkup(widget, title, bundles.bundles));
    } else {
      this.#show("ready", this.#markup(widget, title, items, fromFallback));
    }
    this.dispatchEvent(
      new CustomEvent("edgerec-render", {
        bubbles: true,
        composed: true,
        detail: {
          widget,
          product: product || null,
          items: items.slice(),
          title,
          fromFallback,
          hidden: answer?.hidden ?? null,
          submodels: answer?.submodels ?? [],
          bundles: bundles ? bundles.bundles : undefined,
        },
      }),
    );
  }

  /**
   * The `submodels` attribute as the `submodels` option: `NAME=VALUE` entries separated by ";"
   * (spaces around names and values ignored, an empty value turns a submodel off). Parsed when
   * the attribute changes, warning once about each malformed entry, which is left out.
   */
  #submodelsOption() {
    const text = this.getAttribute("submodels") ?? "";
    if (text === this.#submodelsText) return this.#submodels;
    this.#submodelsText = text;
    this.#submodels = {};
    for (const raw of text.split(";")) {
      const entry = raw.trim();
      if (!entry) continue;
      const eq = entry.indexOf("=");
      const name = eq < 0 ? "" : entry.slice(0, eq).trim();
      if (!/^[A-Za-z0-9_-]+$/.test(name)) {
        this.#warnSubmodels(`"${entry}" is not NAME=VALUE (a submodel name, "=", then a value or $product)`);
      } else {
        if (name in this.#submodels) this.#warnSubmodels(`"${name}" is given twice; the last one counts`);
        this.#submodels[name] = entry.slice(eq + 1).trim();
      }
    }
    return this.#submodels;
  }

  /** Whether `e` refuses one of the attribute's submodels (code invalid_option, key
   * `submodels.NAME`); if so that entry is warned about and left out from now on. */
  #refusedSubmodel(e) {
    const name = e?.code === "invalid_option" && e.key?.startsWith("submodels.") ? e.key.slice("submodels.".length) : null;
    if (name === null || !Object.hasOwn(this.#submodels, name)) return false;
    delete this.#submodels[name];
    this.#warnSubmodels(`${e.message}; leaving "${name}" out`);
    return true;
  }

  #warnSubmodels(why) {
    console.warn(`edgerec-widget: widget "${this.getAttribute("widget") ?? ""}", attribute submodels="${this.#submodelsText}": ${why}`);
  }

  /** The products the page's earlier widgets show (document order). */
  #shownBefore() {
    const ids = new Set();
    for (const el of document.querySelectorAll("edgerec-widget")) {
      if (el === this) break;
      for (const item of el.items ?? []) ids.add(item.id);
    }
    return [...ids];
  }

  #show(state, html) {
    // Keep focus on the same card across a re-render when possible.
    const focused = this.#root.activeElement?.closest?.("li")?.dataset.productId;
    const focusedPart = this.#root.activeElement?.getAttribute?.("part");
    this.#content.innerHTML = html;
    if (this.getAttribute("state") !== state) this.setAttribute("state", state);
    if (focused && focusedPart) {
      const li = this.#root.querySelector(`li[data-product-id="${CSS.escape(focused)}"]`);
      li?.querySelector(`[part~="${focusedPart}"]`)?.focus();
    }
  }

  /** A product page's bundles: each a row of products with its total and "Add all to cart". */
  #bundleMarkup(widget, title, bundles) {
    const currency = this.getAttribute("currency") || "USD";
    const headingId = `${this.#uid}-h`;
    const rows = bundles.map((b, i) => {
      const names = b.items.map((p) => escapeHtml(p.title)).join(" + ");
      const total = b.price == null ? "" : formatPrice(b.price, currency);
      const before = b.compareAtPrice != null && b.price != null && b.compareAtPrice > b.price
        ? ` <s part="compare-at">${formatPrice(b.compareAtPrice, currency)}</s>` : "";
      const cards = b.items.map((p) => `
          <li part="item" data-product-id="${escapeHtml(p.id)}">
            <a part="link" href="${safeUrl(p.url)}">
              <img part="image" src="${safeUrl(p.image)}" alt="" loading="lazy" width="160" height="160">
              <span part="title" class="title">${escapeHtml(p.title)}</span>
            </a>
          </li>`);
      return `
      <div part="bundle" class="bundle" data-bundle="${i}">
        <ul part="list" role="list" aria-label="${names}">${cards.join("")}
        </ul>
        <p part="bundle-total"><span part="price">${total}</span>${before}
          <span part="bundle-orders">bought together by ${b.orders} shoppers</span></p>
        <button part="cart-button" type="button" data-add-bundle="${i}">Add all to cart<span class="sr-only">: ${names}</span></button>
      </div>`;
    });
    return `
    <section part="section" data-widget="${escapeHtml(widget)}" aria-labelledby="${headingId}">
      <h2 part="heading" id="${headingId}">${escapeHtml(title)}</h2>${rows.join("")}
    </section>`;
  }

  #markup(widget, title, items, fromFallback = false) {
    const rec = this.#rec;
    const currency = this.getAttribute("currency") || "USD";
    const cartButton = this.hasAttribute("cart-button");
    const headingId = `${this.#uid}-h`;
    const cards = items.map((item, i) => {
      const whyId = `${this.#uid}-why-${i}`;
      const product = rec.product(item.id);
      const stock = stockState(item.inStock, product?.stock ?? null);
      const onSale = item.compareAtPrice !== null && item.discount > 0;
      const price = formatPrice(item.price, currency);
      return `
      <li part="item" data-product-id="${escapeHtml(item.id)}" data-reason="${escapeHtml(item.reason)}" data-step="${item.step}">
        <a part="link" href="${escapeHtml(safeUrl(item.url))}" aria-describedby="${whyId}" data-position="${i}">
          <span class="media">
            <img part="image" src="${escapeHtml(safeUrl(item.image))}" alt="" width="160" height="160" loading="lazy" decoding="async">
            ${onSale ? `<span part="discount" class="badge" aria-hidden="true">−${item.discount}%</span>` : ""}
          </span>
          <span part="brand" class="brand"${brandInTitle(item) ? ' aria-hidden="true"' : ""}>${escapeHtml(item.brand)}</span>
          <span part="title" class="title">${escapeHtml(item.title)}</span>
        </a>
        <p part="price" class="price${onSale ? " sale" : ""}">
          ${price ? `<span class="now"><span class="sr-only">${onSale ? "Sale price" : "Price"}: </span>${escapeHtml(price)}</span>` : ""}
          ${onSale ? `<s part="compare-at"><span class="sr-only">was </span>${escapeHtml(formatPrice(item.compareAtPrice, currency))}</s><span class="sr-only">, ${item.discount}% off</span>` : ""}
        </p>
        <p part="stock" class="stock" data-level="${stock.level}">${stock.text}</p>
        <p part="reason" class="why" role="tooltip" id="${whyId}">${escapeHtml(item.explanation)}</p>
        ${cartButton ? `<button part="cart-button" type="button" data-add="${escapeHtml(item.id)}"${item.inStock ? "" : " disabled"}>Add to cart<span class="sr-only">: ${escapeHtml(item.title)}</span></button>` : ""}
      </li>`;
    });
    return `
    <section part="section" data-widget="${escapeHtml(widget)}"${fromFallback ? " data-from-fallback" : ""} aria-labelledby="${headingId}">
      <h2 part="heading" id="${headingId}">${escapeHtml(title)}</h2>
      <ul part="list" role="list">${cards.join("")}
      </ul>
    </section>`;
  }

  #onClick(e) {
    const widget = this.getAttribute("widget") || "";
    const addBundle = e.target.closest?.("button[data-add-bundle]");
    if (addBundle) {
      const bundle = this.#bundles[Number(addBundle.dataset.addBundle)];
      const ids = bundle ? bundle.items.map((p) => p.id) : [];
      const event = new CustomEvent("edgerec-add-bundle", { bubbles: true, composed: true, cancelable: true, detail: { ids, widget } });
      if (this.dispatchEvent(event)) {
        const inCart = new Set((this.#session?.cart() ?? []).map((l) => l.id));
        for (const id of ids) if (!inCart.has(id)) this.#session?.addToCart(id);
      }
      return;
    }
    const add = e.target.closest?.("button[data-add]");
    if (add) {
      const id = add.dataset.add;
      const event = new CustomEvent("edgerec-add-to-cart", {
        bubbles: true,
        composed: true,
        cancelable: true,
        detail: { id, widget },
      });
      // A store with its own cart cancels the event and adds the item itself.
      if (this.dispatchEvent(event)) this.#session?.addToCart(id);
      return;
    }
    const link = e.target.closest?.("a[part~=link]");
    if (link) {
      const li = link.closest("li");
      const item = this.#items.find((i) => i.id === li?.dataset.productId);
      this.dispatchEvent(
        new CustomEvent("edgerec-select", {
          bubbles: true,
          composed: true,
          detail: {
            id: item?.id ?? li?.dataset.productId,
            widget,
            position: Number(link.dataset.position),
            reason: item?.reason,
            step: item?.step,
            url: link.getAttribute("href"),
          },
        }),
      );
    }
  }
}

if (!customElements.get("edgerec-widget")) customElements.define("edgerec-widget", EdgerecWidget);
