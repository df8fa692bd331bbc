// The demo storefront: a single-page app over the demo store (www/public/data/model.snap).
//
// Routes (History API; the server answers every extension-less path with index.html, so each
// of these URLs also works when opened directly or reloaded):
//   /                     home: departments, buy again soon, your team's lists (with a B2B
//                         account chosen in the footer), picks for you, deals, new arrivals
//   /category/A/B/C       the listing of "A > B > C" (subcategories included), ?page=N
//   /product/ID           the product page and its recommendation widgets
//   /cart                 the cart, cross-sell for the cart and a checkout that records a purchase
//   /search?q=WORDS       the products the words name (search.js), ?page=N
//   /privacy              what this device knows of the shopper, and "Forget everything"
//
// Category and search pages hand their products to `rec.personalize` (personal.js), with a
// "Personalised for you · turn off" control; turned off, they and every widget show the
// unpersonalised order.
//
// Nothing here talks to a server after the first load: the catalogue and every recommendation
// come from the wasm package and the snapshot, the shopper's session from localStorage. The
// recommendation lists are <edgerec-widget> elements (edgerec-widget.js); this module shares
// their Recommender and Session, so a view or cart change here re-renders them at once.

import { getRecommender, getSession, formatPrice, stockState, safeUrl } from "/edgerec-widget.js";
import { personalControl, personalEnabled, personalizeIds, privacyPage, togglePersonal } from "/personal.js";
import {
  ACCOUNT_KEY, SEP, account, breadcrumbs, categoryFromPath, categoryUrl, html, leaf, priceHtml, productCard, productUrl,
  stockHtml, widget,
} from "/store-html.js";
import { searchProducts } from "/search.js";

const STORE = "Edge Goods";
const PAGE_SIZE = 24;

const main = document.getElementById("main");
const cartCount = document.getElementById("cart-count");
const toastBox = document.getElementById("toast");

let rec = null; // Recommender
let session = null; // Session
let categories = []; // [{ name, parent, depth }]
let cartOrder = []; // ids in the order the cart page first showed them (stable while editing)


let toastTimer = 0;
function toast(message) {
  toastBox.textContent = message;
  toastBox.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toastBox.classList.remove("show"), 3500);
}

function cartLines() {
  return session.cart();
}

function updateCartCount() {
  const n = cartLines().reduce((sum, l) => sum + l.quantity, 0);
  cartCount.textContent = String(n);
  document.getElementById("cart-count-text").textContent = `, ${n} item${n === 1 ? "" : "s"}`;
  cartCount.dataset.count = String(n);
}

// ---------------------------------------------------------------------------------------------
// Pages. Each returns { title, html, after? } for the current location.

function homePage() {
  const departments = categories.filter((c) => c.depth === 0);
  const tiles = departments
    .map((d) => {
      const total = rec.products({ category: d.name, limit: 1 }).total;
      return `<li><a class="tile" href="${categoryUrl(d.name)}">
        <img src="/img/${html(d.name.toLowerCase())}.svg" alt="" width="96" height="96">
        <span class="tile-name">${html(d.name)}</span>
        <span class="tile-count">${total.toLocaleString("en")} products</span>
      </a></li>`;
    })
    .join("");
  return {
    title: "Home",
    html: `
      <section class="hero">
        <div>
          <p class="eyebrow">Demo store</p>
          <h1 tabindex="-1">Good things for the kitchen, the trail and home</h1>
          <p class="lede">Browse a few products: the lists below follow you, computed on this device by
          edgerec in well under a millisecond, with no server round trip.</p>
        </div>
      </section>
      <section class="departments-grid" aria-labelledby="dept-heading">
        <h2 id="dept-heading">Shop by department</h2>
        <ul role="list" class="tiles">${tiles}</ul>
      </section>
      <div class="widgets">
        ${widget("recurring", { limit: 6 })}
        ${account() ? widget("segment_recurring", { segment: account(), limit: 6 }) : ""}
        ${account() ? widget("segment_last_purchased", { segment: account(), limit: 6 }) : ""}
        ${widget("previously_viewed", { limit: 6 })}
        ${widget("for_you", { limit: 6 })}
        ${widget("deals", { limit: 6 })}
        ${widget("new_arrivals", { limit: 6 })}
        ${widget("staff_picks", { limit: 6 })}
      </div>`,
  };
}

function categoryPage(name) {
  const category = categories.find((c) => c.name === name);
  if (!category) return notFoundPage(`There is no category “${name}”.`);
  const ids = [];
  for (let offset = 0; ; offset += 500) {
    const chunk = rec.products({ category: name, offset, limit: 500 });
    ids.push(...chunk.items.map((p) => p.id));
    if (chunk.items.length === 0 || ids.length >= chunk.total) break;
  }
  const children = categories.filter((c) => c.parent === name);
  const sub = children.length
    ? `<nav class="subcategories" aria-label="Subcategories"><ul role="list">${children
        .map((c) => `<li><a class="chip" href="${categoryUrl(c.name)}">${html(leaf(c.name))}</a></li>`)
        .join("")}</ul></nav>`
    : "";
  const { grid, pager, total } = listing(ids, (p) => `${categoryUrl(name)}${p > 1 ? `?page=${p}` : ""}`);
  return {
    title: leaf(name),
    html: `
      ${breadcrumbs(name)}
      <header class="page-head">
        <h1 tabindex="-1">${html(leaf(name))}</h1>
        <p class="muted">${total.toLocaleString("en")} products · best sellers first</p>
        ${personalControl(personalEnabled(rec, session))}
      </header>
      ${sub}
      ${grid}
      ${pager}
      <div class="widgets">${widget("previously_viewed")}</div>`,
  };
}

/** One page (?page=N) of a list of ids, re-ranked by the shopper's profile: its product grid
 * and pager. `link(n)` is the URL of page n. */
function listing(ids, link) {
  const ranked = personalizeIds(rec, session, ids, { segment: account() });
  const total = ranked.length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const param = parseInt(new URLSearchParams(location.search).get("page") ?? "1", 10) || 1;
  const page = Math.min(pages, Math.max(1, param));
  const cards = ranked
    .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    .map(({ id, reason }) => {
      const p = rec.product(id);
      return p ? productCard(p, reason) : "";
    });
  const pager =
    pages > 1
      ? `<nav class="pager" aria-label="Pages">
          ${page > 1 ? `<a class="btn" href="${link(page - 1)}" rel="prev">← Previous</a>` : `<span></span>`}
          <span>Page ${page} of ${pages}</span>
          ${page < pages ? `<a class="btn" href="${link(page + 1)}" rel="next">Next →</a>` : `<span></span>`}
        </nav>`
      : "";
  return { grid: `<ul role="list" class="product-grid">${cards.join("")}</ul>`, pager, total };
}

function searchPage() {
  const query = new URLSearchParams(location.search).get("q")?.trim() ?? "";
  document.getElementById("search-input").value = query;
  const found = searchProducts(rec, query);
  const link = (p) => `/search?q=${encodeURIComponent(query)}${p > 1 ? `&page=${p}` : ""}`;
  const { grid, pager } = listing(found.ids, link);
  const count =
    found.total > found.ids.length
      ? `${found.total.toLocaleString("en")} products, the ${found.ids.length} best sellers shown`
      : `${found.total.toLocaleString("en")} product${found.total === 1 ? "" : "s"}`;
  return {
    title: query ? `Search: ${query}` : "Search",
    html: `
      <header class="page-head">
        <h1 tabindex="-1">${query ? `Results for “${html(query)}”` : "Search"}</h1>
        <p class="muted" data-total="${found.total}">${query ? count : "Type a brand, a product or a colour in the search box."}</p>
        ${found.total ? personalControl(personalEnabled(rec, session)) : ""}
      </header>
      ${found.total ? grid : query ? `<p class="empty-result">Nothing matches all of these words.</p>` : ""}
      ${pager}
      <div class="widgets">${found.total ? "" : widget("popular")}</div>`,
  };
}

function productPage(id) {
  const p = rec.product(id);
  if (!p) return notFoundPage(`We could not find the product “${id}”.`);
  const category = p.categories[0] ?? "";
  const stock = stockState(p.inStock, p.stock);
  const specs = [
    ["Product ID", p.id],
    ["Brand", p.brand],
    ...Object.entries(p.attributes).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v]),
    ["Category", category.split(SEP).join(" › ")],
    p.createdAt ? ["In the store since", new Date(p.createdAt + "T00:00:00Z").toLocaleDateString("en", { dateStyle: "long", timeZone: "UTC" })] : null,
  ].filter(Boolean);
  const description =
    `From ${p.brand}${p.attributes.color ? `, in ${p.attributes.color}` : ""}. ` +
    `Part of our ${leaf(category).toLowerCase()} range.`;
  return {
    title: p.title,
    html: `
      ${breadcrumbs(category, p.title)}
      <article class="product" data-product="${html(p.id)}">
        <div class="product-media">
          <img src="${html(safeUrl(p.image))}" alt="${html(p.title)}" width="560" height="560">
        </div>
        <div class="product-info">
          <p class="product-brand">${html(p.brand)}</p>
          <h1 tabindex="-1">${html(p.title)}</h1>
          ${priceHtml(p, { big: true })}
          <p class="stock big" data-level="${stock.level}">${stock.text}</p>
          <p class="product-description">${html(description)}</p>
          ${p.tags.length ? `<ul class="tags" role="list" aria-label="Tags">${p.tags.map((t) => `<li>${html(t)}</li>`).join("")}</ul>` : ""}
          <div class="actions">
            <button type="button" class="btn primary" data-action="add" data-id="${html(p.id)}" ${p.inStock ? "" : "disabled"}>Add to cart</button>
            <button type="button" class="btn" data-action="buy" data-id="${html(p.id)}" ${p.inStock ? "" : "disabled"}>Buy now</button>
          </div>
          <p class="in-cart" id="in-cart" role="status"></p>
          <dl class="specs">${specs.map(([k, v]) => `<div><dt>${html(k)}</dt><dd>${html(v)}</dd></div>`).join("")}</dl>
        </div>
      </article>
      <div class="widgets">
        ${widget("upsell", { product: p.id })}
        ${widget("bundle", { product: p.id })}
        ${widget("also_bought", { product: p.id })}
        ${widget("cross_sell", { product: p.id })}
        ${widget("similar_colors", { product: p.id })}
        ${widget("more_from_brand", { product: p.id })}
        ${widget("popular_in_category", { product: p.id, heading: `Most popular in ${leaf(category)}` })}
        ${widget("previously_viewed", { product: p.id })}
      </div>`,
    after({ track }) {
      if (track) session.view(p.id);
      updateInCart();
    },
  };
}

function updateInCart() {
  const note = document.getElementById("in-cart");
  const id = main.querySelector("article.product")?.dataset.product;
  if (!note || !id) return;
  const line = cartLines().find((l) => l.id === id);
  note.innerHTML = line ? `In your cart: ${line.quantity} · <a href="/cart">View cart</a>` : "";
}

function cartPage() {
  return {
    title: "Cart",
    html: `
      <header class="page-head"><h1 tabindex="-1">Your cart</h1></header>
      <div id="cart-body">${cartBody()}</div>
      <div class="widgets">
        ${widget("cross_sell", { heading: "Complete your order" })}
        ${widget("previously_viewed")}
      </div>`,
  };
}

function cartBody() {
  const ordered = history.state?.ordered;
  const thanks = ordered?.length
    ? `<div class="notice" role="status" tabindex="-1"><strong>Thank you! Your order is recorded.</strong>
        ${ordered.length} product${ordered.length === 1 ? "" : "s"} bought: ${ordered
          .map((id) => `<a href="${productUrl(id)}">${html(rec.product(id)?.title ?? id)}</a>`)
          .join(", ")}. Products you bought are no longer recommended to you.</div>`
    : "";
  const lines = cartLines();
  // Keep lines where they were while quantities change (a change re-adds the line).
  const ids = lines.map((l) => l.id);
  cartOrder = cartOrder.filter((id) => ids.includes(id)).concat(ids.filter((id) => !cartOrder.includes(id)));
  lines.sort((a, b) => cartOrder.indexOf(a.id) - cartOrder.indexOf(b.id));
  if (lines.length === 0) {
    return `${thanks}<div class="empty-cart"><p>Your cart is empty.</p><a class="btn primary" href="/">Continue shopping</a></div>`;
  }
  let subtotal = 0;
  let savings = 0;
  const rows = lines
    .map(({ id, quantity }) => {
      const p = rec.product(id);
      if (!p) return "";
      subtotal += (p.price ?? 0) * quantity;
      if (p.compareAtPrice && p.price !== null) savings += (p.compareAtPrice - p.price) * quantity;
      return `<li class="cart-line" data-cart-id="${html(id)}">
        <img src="${html(safeUrl(p.image))}" alt="" width="88" height="88">
        <div class="cart-line-info">
          <a href="${productUrl(id)}">${html(p.title)}</a>
          <p class="muted">${html(p.brand)} · ${html(formatPrice(p.price))} each</p>
          ${stockHtml(p)}
        </div>
        <div class="qty" role="group" aria-label="Quantity of ${html(p.title)}">
          <button type="button" class="qty-btn" data-action="dec" data-id="${html(id)}" aria-label="One fewer"${quantity <= 1 ? " disabled" : ""}>−</button>
          <output aria-live="polite">${quantity}</output>
          <button type="button" class="qty-btn" data-action="inc" data-id="${html(id)}" aria-label="One more">+</button>
        </div>
        <p class="line-total">${html(formatPrice((p.price ?? 0) * quantity))}</p>
        <button type="button" class="link-button" data-action="remove" data-id="${html(id)}">Remove<span class="sr-only"> ${html(p.title)}</span></button>
      </li>`;
    })
    .join("");
  return `${thanks}
    <div class="cart-layout">
      <ul class="cart-lines" role="list">${rows}</ul>
      <aside class="summary" aria-label="Order summary">
        <dl>
          <div><dt>Subtotal</dt><dd>${html(formatPrice(subtotal))}</dd></div>
          ${savings > 0 ? `<div class="savings"><dt>You save</dt><dd>${html(formatPrice(savings))}</dd></div>` : ""}
          <div><dt>Shipping</dt><dd>Free</dd></div>
        </dl>
        <button type="button" class="btn primary wide" data-action="checkout">Checkout</button>
        <p class="muted small">A demo: checkout records the purchase in your session, nothing is charged.</p>
      </aside>
    </div>`;
}

function rerenderCart() {
  const body = document.getElementById("cart-body");
  if (!body) return;
  // Restore focus to the same control after the re-render.
  const active = document.activeElement;
  const focus = body.contains(active) && active.dataset.action ? [active.dataset.action, active.dataset.id] : null;
  body.innerHTML = cartBody();
  if (focus) {
    const selector = `[data-action="${focus[0]}"]${focus[1] ? `[data-id="${CSS.escape(focus[1])}"]` : ""}`;
    const target = body.querySelector(selector);
    (target && !target.disabled ? target : body.querySelector("[data-action]") ?? main.querySelector("h1"))?.focus();
  }
}

function notFoundPage(message = "This page does not exist.") {
  return {
    kind: "not-found",
    title: "Not found",
    html: `<section class="not-found">
      <h1 tabindex="-1">Not found</h1>
      <p>${html(message)}</p>
      <p><a class="btn primary" href="/">Back to the store</a></p>
    </section>
    <div class="widgets">${widget("popular")}</div>`,
  };
}

// ---------------------------------------------------------------------------------------------
// Routing

const ROUTES = [
  [/^\/(?:index\.html)?$/, "home", () => homePage()],
  [/^\/category\/(.+)$/, "category", (m) => categoryPage(categoryFromPath(m[1]))],
  [/^\/product\/([^/]+)\/?$/, "product", (m) => productPage(decodeURIComponent(m[1]))],
  [/^\/cart\/?$/, "cart", () => cartPage()],
  [/^\/search\/?$/, "search", () => searchPage()],
  [/^\/privacy\/?$/, "privacy", () => privacyPage(rec, session, { segment: account() })],
];

/** The route of a path as { kind, page() }, or null when no route matches. */
function findRoute(pathname) {
  for (const [re, kind, page] of ROUTES) {
    const m = pathname.match(re);
    if (m) return { kind, page: () => page(m) };
  }
  return null;
}

/** What a renderer that threw shows: an error, never mistaken for a "Not found" page. */
function errorPage() {
  return {
    kind: "error",
    title: "Something went wrong",
    html: `<section class="not-found">
      <h1 tabindex="-1">Something went wrong</h1>
      <p>This page could not be shown. Reload it, or go back to the store.</p>
      <p><a class="btn primary" href="/">Back to the store</a></p>
    </section>`,
  };
}

/** Shows the page of the current URL; `track: false` re-renders without recording a view.
 * `main[data-view]` says which kind of page is shown (home, category, product, cart,
 * not-found, or error when a renderer threw, which is also logged with console.error). */
function render({ focus = false, track = true } = {}) {
  let view;
  try {
    const route = findRoute(location.pathname);
    view = route ? { kind: route.kind, ...route.page() } : notFoundPage();
  } catch (e) {
    console.error("storefront: the page could not be shown:", e);
    view = errorPage();
  }
  main.dataset.view = view.kind;
  main.innerHTML = view.html;
  document.title = `${view.title} · ${STORE}`;
  markDepartment();
  view.after?.({ track });
  if (focus) {
    window.scrollTo(0, 0);
    main.querySelector("h1")?.focus({ preventScroll: true });
  }
}

function navigate(url, state = {}) {
  // A link to the page already shown replaces the history entry instead of adding one.
  const same = url === location.pathname + location.search + location.hash;
  history[same ? "replaceState" : "pushState"](state, "", url);
  render({ focus: true });
}

function markDepartment() {
  const path = decodeURIComponent(location.pathname);
  let current = null;
  if (path.startsWith("/category/")) current = categoryFromPath(location.pathname.slice(10))?.split(SEP)[0];
  else if (path.startsWith("/product/")) current = rec.product(path.slice(9))?.categories[0]?.split(SEP)[0];
  for (const a of document.querySelectorAll("#departments a")) {
    a.classList.toggle("active", a.dataset.department === current);
  }
}

// Same-origin links to app routes navigate in place. composedPath() finds links inside the
// widgets' shadow roots too.
document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.composedPath().find((el) => el instanceof HTMLAnchorElement);
  if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download") || !rec) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !findRoute(url.pathname)) return;
  // In-page anchors (the skip link) keep their default behaviour.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener("popstate", () => render({ focus: true }));

// Buttons of the pages (event delegation on <main>).
main.addEventListener("click", (e) => {
  const button = e.target.closest("button[data-action]");
  if (!button || !session) return;
  const id = button.dataset.id;
  const title = id ? rec.product(id)?.title ?? id : "";
  switch (button.dataset.action) {
    case "add":
      session.addToCart(id);
      toast(`Added “${title}” to your cart`);
      break;
    case "buy":
      session.purchase([id]);
      navigate("/cart", { ordered: [id] });
      break;
    case "checkout": {
      const ids = cartLines().map((l) => l.id);
      session.purchase(ids);
      history.replaceState({ ordered: ids }, "", "/cart");
      rerenderCart();
      main.querySelector(".notice")?.focus();
      break;
    }
    case "inc":
      session.addToCart(id, 1);
      break;
    case "dec": {
      const line = cartLines().find((l) => l.id === id);
      if (line && line.quantity > 1) session.setQuantity(id, line.quantity - 1);
      break;
    }
    case "remove":
      session.removeFromCart(id);
      toast(`Removed “${title}” from your cart`);
      break;
    case "personalize": {
      const on = togglePersonal();
      toast(on ? "Personalisation is on: lists follow what you tend to choose." : "Personalisation is off on this device.");
      render({ track: false });
      main.querySelector('[data-action="personalize"]')?.focus();
      break;
    }
    case "forget-everything":
      forget();
      break;
  }
});

// A widget card's "Add to cart" (the widget adds it to the shared session itself).
document.addEventListener("edgerec-add-to-cart", (e) => {
  toast(`Added “${rec.product(e.detail.id)?.title ?? e.detail.id}” to your cart`);
});

const accountSelect = document.getElementById("account");
accountSelect.value = account();
accountSelect.addEventListener("change", () => {
  try {
    if (accountSelect.value) localStorage.setItem(ACCOUNT_KEY, accountSelect.value);
    else localStorage.removeItem(ACCOUNT_KEY);
  } catch {
    // Storage unavailable: the choice lasts until the page is left.
  }
  toast(accountSelect.value ? `Buying for the ${accountSelect.value} account` : "Buying for yourself");
  render({ track: false });
});

/** Forgets the session (views, cart, purchases, searches, earlier visits) and re-renders. */
function forget() {
  if (!session) return;
  session.clear();
  cartOrder = [];
  toast("Your session is forgotten: no views, cart, purchases or searches on this device.");
  render({ track: false });
}
document.getElementById("forget-session").addEventListener("click", forget);

// The header's search box: the query is recorded in the session (personalisation reads the
// brands, categories and colours it names) and the results page is shown.
document.getElementById("search").addEventListener("submit", (e) => {
  e.preventDefault();
  const query = document.getElementById("search-input").value.trim();
  if (!session || !query) return;
  session.search(query);
  navigate(`/search?q=${encodeURIComponent(query)}`);
});

// ---------------------------------------------------------------------------------------------
// Start

function renderDepartments() {
  const list = document.getElementById("departments");
  list.innerHTML = categories
    .filter((c) => c.depth === 0)
    .map((d) => `<li><a href="${categoryUrl(d.name)}" data-department="${html(d.name)}">${html(d.name)}</a></li>`)
    .join("");
}

async function start() {
  try {
    [rec, session] = await Promise.all([getRecommender(), getSession()]);
  } catch (e) {
    console.warn("storefront: the store could not load", e);
    main.innerHTML = `<section class="not-found"><h1>The store is unavailable</h1>
      <p>The product data could not be loaded (${html(e?.message ?? e)}). Run <code>./scripts/demo-store.sh</code> and reload.</p></section>`;
    return;
  }
  categories = rec.categories();
  renderDepartments();
  updateCartCount();
  // Changes from this tab and from other tabs (storage events) alike.
  session.onChange(() => {
    updateCartCount();
    if (document.getElementById("cart-body")) rerenderCart();
    updateInCart();
  });
  const info = rec.info();
  const footer = document.querySelector(".site-footer p");
  footer?.insertAdjacentHTML(
    "beforeend",
    ` <span class="muted">Snapshot of ${info.products.toLocaleString("en")} products, built ${html(info.builtAt.slice(0, 10))}; session kept in ${html(session.storageMode)} storage.</span>`,
  );
  render();
}

start();
