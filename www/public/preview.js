// The merchandiser preview: edit a widget's rules in a form, see its list change on every
// keystroke (Recommender.recommendWith on the current snapshot: no retraining), and export the
// widget as a TOML block for `edgerec build --config`.
//
// The form is the source of truth: readConfig() turns it into a WidgetConfig (snake_case keys,
// as in edgerec.toml), writeForm() loads one into it. Multi-value fields (brands, categories,
// tags, product ids) are token lists kept in `tokens`; the fallback chain in `fallback`; a
// for_you widget's weights in the "fy-" inputs (empty: the snapshot's [for_you] weight); the
// submodel selects in preview-submodels.js.

import { getRecommender, getSession, formatPrice, stockState, escapeHtml as html, safeUrl } from "/edgerec-widget.js";
import { FOR_YOU_WEIGHTS, toToml } from "./preview-toml.js";
import { renderComparison } from "./preview-personal.js";
import { buildSubmodels, readSubmodels, renderApplied, writeSubmodels } from "./preview-submodels.js";

const $ = (id) => document.getElementById(id);

/** Every algorithm and its own steps, from the package's table (`algorithms()`), filled at start. */
let ALGORITHM_STEPS = {};
/** The rule each algorithm applies to every candidate, in words (by its table `constraint`). */
let ALGORITHM_RULES = {};
const CONSTRAINT_TEXT = {
  same_category_pricier: "Only products sharing the page product's category, priced the same or higher.",
  other_category: "Only products from other categories than the page product (or the cart).",
};
/** The sources a fallback chain may use (force_include is a list of products, not a step), and
 * the snapshot's editorial lists as steps (`list:NAME`). */
let SOURCES = [];

/** Reads the algorithm and source tables from the package (the engine's own rows). */
async function loadTables() {
  const { algorithms } = await import("/pkg/edgerec.js");
  const table = algorithms();
  ALGORITHM_STEPS = Object.fromEntries(table.algorithms.map((a) => [a.name, a.steps]));
  ALGORITHM_RULES = Object.fromEntries(
    table.algorithms.filter((a) => CONSTRAINT_TEXT[a.constraint]).map((a) => [a.name, CONSTRAINT_TEXT[a.constraint]]),
  );
  SOURCES = table.sources.map((s) => s.name).filter((n) => n !== "force_include");
}

/** The token-list fields: config key, label, datalist, where in the form. */
const TOKEN_FIELDS = [
  { key: "brands", label: "Only these brands", list: "brand-list", box: "token-filters", filter: true },
  { key: "exclude_brands", label: "Never these brands", list: "brand-list", box: "token-filters", filter: true },
  { key: "categories", label: "Only these categories", list: "category-list", box: "token-filters", filter: true },
  { key: "exclude_categories", label: "Never these categories", list: "category-list", box: "token-filters", filter: true },
  { key: "tags", label: "Only these tags", list: "tag-list", box: "token-filters", filter: true },
  { key: "exclude_tags", label: "Never these tags", list: "tag-list", box: "token-filters", filter: true },
  { key: "products", label: "Only these products", list: "product-list", box: "token-filters", filter: true, ids: true },
  { key: "exclude_products", label: "Never these products", list: "product-list", box: "token-exclusions", filter: true, ids: true },
  { key: "force_include", label: "Show these products first, in this order", list: "product-list", box: "token-force", ids: true },
];
const NUMBER_FILTERS = ["price_min", "price_max", "stock_min", "stock_max", "discount_min", "discount_max", "added_within_days"];
const INTEGER_FILTERS = new Set(["stock_min", "stock_max", "added_within_days"]);

let rec = null;
let session = null;
let widgets = []; // rec.widgets()
const tokens = Object.fromEntries(TOKEN_FIELDS.map((f) => [f.key, []]));
let fallback = [];
let downloadUrl = null;

// ---------------------------------------------------------------------------------------------
// Form <-> configuration

/** The form as a widget configuration, and the problems that would make the export invalid. */
function readConfig() {
  const problems = [];
  const filters = {};
  for (const f of TOKEN_FIELDS) if (f.filter && tokens[f.key].length) filters[f.key] = [...tokens[f.key]];
  for (const key of NUMBER_FILTERS) {
    const raw = $(key).value.trim();
    if (raw === "") {
      if ($(key).validity.badInput) problems.push(`${labelOf(key)}: not a number`);
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) problems.push(`${labelOf(key)}: not a number`);
    else if (INTEGER_FILTERS.has(key) && !Number.isInteger(n)) problems.push(`${labelOf(key)}: a whole number, please`);
    else if (key === "added_within_days" && n < 0) problems.push(`${labelOf(key)}: 0 or more`);
    else filters[key] = n;
  }
  const added = [];
  for (const row of $("added").querySelectorAll("li")) {
    const from = row.querySelector("[data-end=from]").value;
    const to = row.querySelector("[data-end=to]").value;
    if (from || to) added.push(Object.assign({}, from && { from }, to && { to }));
  }
  if (added.length) filters.added = added;
  if ($("show_out_of_stock").checked) filters.show_out_of_stock = true;

  const limitRaw = $("limit").value.trim();
  let limit = Number(limitRaw);
  if (limitRaw === "" || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    problems.push("Limit: a whole number from 1 to 100");
    limit = Math.min(100, Math.max(1, Math.round(Number.isFinite(limit) ? limit : 8) || 8));
  }
  const caps = {};
  for (const key of ["max_per_brand", "max_per_category"]) {
    const raw = $(key).value.trim();
    const n = raw === "" ? 0 : Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 100) problems.push(`${labelOf(key)}: a whole number from 0 (no cap) to 100`);
    else caps[key] = n;
  }
  const name = $("export-name").value.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(name)) problems.push("Name in the config: letters, digits, _ and - only");
  for (const f of TOKEN_FIELDS.filter((f) => f.ids)) {
    const unknown = tokens[f.key].filter((id) => !rec.product(id));
    if (unknown.length) problems.push(`${f.label}: not in the catalogue: ${unknown.join(", ")}`);
  }
  const weights = {};
  if ($("algorithm").value === "for_you") {
    for (const [key] of FOR_YOU_WEIGHTS) {
      const input = $(`fy-${key}`);
      const raw = input.value.trim();
      const n = Number(raw);
      if (raw === "") {
        if (input.validity.badInput) problems.push(`${labelOf(input.id)}: not a number`);
      } else if (!Number.isFinite(n) || n < 0) problems.push(`${labelOf(input.id)}: a number of 0 or more`);
      else weights[key] = n;
    }
  }
  const config = {
    algorithm: $("algorithm").value,
    title: $("title").value,
    limit,
    threshold: Number($("threshold").value),
    fallback: [...fallback],
    filters,
    exclude_purchased: $("exclude_purchased").checked,
    personalize: $("personalize").checked,
    force_include: [...tokens.force_include],
    force_include_out_of_stock: $("force_include_out_of_stock").checked,
    ...caps,
    rotation: $("rotation").value,
  };
  // An editorial widget's list; none: every list.
  if (config.algorithm === "editorial" && $("list").value) config.list = $("list").value;
  if (Object.keys(weights).length) config.for_you = weights;
  const submodels = readSubmodels();
  if (submodels) config.submodels = submodels;
  // The loaded widget's own similarity weights, while the widget still has a `similar` step:
  // the build computed their table, so the preview keeps them as they are.
  if (loadedSimilarity && (config.algorithm === "similar" || config.fallback.includes("similar"))) config.similarity = loadedSimilarity;
  $("similarity-note").hidden = !config.similarity;
  $("similarity-note").textContent = config.similarity
    ? `Similarity weights of this widget: ${Object.entries(config.similarity).map(([k, v]) => `${k} ${v}`).join(", ")} (set in edgerec.toml; the build computes their table).`
    : "";
  return { name, config, problems };
}

function labelOf(id) {
  return document.querySelector(`label[for="${id}"]`)?.textContent.trim() ?? id;
}

/** The similarity weights of the widget loaded into the form (null: the shared ones). */
let loadedSimilarity = null;

/** Loads a widget configuration into the form. */
function writeForm(name, w) {
  loadedSimilarity = w.similarity ?? null;
  $("export-name").value = name;
  $("algorithm").value = w.algorithm;
  $("title").value = w.title;
  $("limit").value = String(w.limit);
  $("threshold").value = String(w.threshold);
  $("exclude_purchased").checked = w.exclude_purchased;
  $("personalize").checked = !!w.personalize;
  $("force_include_out_of_stock").checked = w.force_include_out_of_stock;
  $("max_per_brand").value = w.max_per_brand ? String(w.max_per_brand) : "";
  $("max_per_category").value = w.max_per_category ? String(w.max_per_category) : "";
  $("rotation").value = w.rotation ?? "off";
  const f = w.filters ?? {};
  for (const field of TOKEN_FIELDS) {
    tokens[field.key] = [...((field.filter ? f[field.key] : w[field.key]) ?? [])];
    renderTokens(field);
  }
  for (const key of NUMBER_FILTERS) $(key).value = f[key] ?? "";
  $("show_out_of_stock").checked = !!f.show_out_of_stock;
  $("added").innerHTML = "";
  for (const r of f.added ?? []) addRange(r);
  if (!f.added?.length) addRange({});
  for (const [key] of FOR_YOU_WEIGHTS) $(`fy-${key}`).value = w.for_you?.[key] ?? "";
  $("list").value = w.list ?? "";
  writeSubmodels(w);
  fallback = [...w.fallback];
  renderFallback();
}

// ---------------------------------------------------------------------------------------------
// Token lists

function buildTokenField(field) {
  const id = `tok-${field.key}`;
  const wrap = document.createElement("div");
  wrap.className = "field token-field";
  wrap.dataset.key = field.key;
  wrap.innerHTML = `
    <label for="${id}">${html(field.label)}</label>
    <div class="token-box">
      <ul class="tokens" role="list" aria-label="${html(field.label)}"></ul>
      <input id="${id}" list="${field.list}" autocomplete="off" spellcheck="false" data-token="${field.key}"
        placeholder="${field.ids ? "Id, then Enter" : "Type, then Enter"}">
    </div>`;
  const input = wrap.querySelector("input");
  const add = () => {
    const value = input.value.trim();
    if (!value) return;
    if (!tokens[field.key].includes(value)) tokens[field.key].push(value);
    input.value = "";
    renderTokens(field);
    update();
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && input.value === "" && tokens[field.key].length) {
      tokens[field.key].pop();
      renderTokens(field);
      update();
    }
  });
  // Picking a suggestion from the datalist adds it at once.
  input.addEventListener("input", (e) => {
    if (e.inputType === "insertReplacementText" || e.inputType === undefined) {
      const options = document.getElementById(field.list)?.options ?? [];
      if ([...options].some((o) => o.value === input.value)) add();
    }
  });
  input.addEventListener("blur", add);
  wrap.querySelector(".tokens").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-index]");
    if (!button) return;
    tokens[field.key].splice(Number(button.dataset.index), 1);
    renderTokens(field);
    update();
    input.focus();
  });
  $(field.box).append(wrap);
}

function renderTokens(field) {
  const list = document.querySelector(`.token-field[data-key="${field.key}"] .tokens`);
  list.innerHTML = tokens[field.key]
    .map((value, i) => {
      const title = field.ids ? rec.product(value)?.title : null;
      return `<li class="token${field.ids && !title ? " unknown" : ""}"${title ? ` title="${html(title)}"` : ""}>
        <span>${html(value)}</span>
        <button type="button" data-index="${i}" aria-label="Remove ${html(value)}">×</button>
      </li>`;
    })
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Fallback chain and date ranges

/** The for_you weights panel, after the fallback chain: one number per weight. */
function buildWeights() {
  const panel = document.createElement("fieldset");
  panel.className = "panel";
  panel.id = "for-you-weights";
  panel.innerHTML = `<legend>For-you weights</legend>
    <p class="hint">How the in-session list weighs the session. An empty weight takes the snapshot's <code>[for_you]</code>.</p>
    <div class="grid-2">${FOR_YOU_WEIGHTS.map(
      ([key, hint]) => `<div class="field">
        <label for="fy-${key}">${key}</label>
        <input id="fy-${key}" name="fy-${key}" type="number" min="0" step="any" inputmode="decimal" aria-describedby="fy-${key}-hint">
        <p class="hint" id="fy-${key}-hint">${html(hint)}</p>
      </div>`,
    ).join("")}</div>`;
  $("fallback").closest("fieldset").after(panel);
}

function renderFallback() {
  const algorithm = $("algorithm").value;
  // Only the for_you algorithm has weights (edgerec refuses them on other widgets).
  // (style, not `hidden`: the stylesheet gives every panel a display.)
  $("for-you-weights").style.display = algorithm === "for_you" ? "" : "none";
  $("list-field").style.display = algorithm === "editorial" ? "" : "none";
  const steps = ALGORITHM_STEPS[algorithm] ?? [];
  $("steps-hint").innerHTML =
    `The algorithm's own steps come first: ${steps.map((s) => `<code>${s}</code>`).join(" → ")}. ` +
    `Then these sources, in order, until the limit is reached.` +
    (ALGORITHM_RULES[algorithm] ? ` ${ALGORITHM_RULES[algorithm]}` : "");
  $("fallback").innerHTML = fallback.length
    ? fallback
        .map(
          (s, i) => `<li data-source="${s}">
          <span class="step-name"><code>${s}</code></span>
          <span class="step-buttons">
            <button type="button" class="icon-btn" data-move="-1" data-index="${i}" aria-label="Move ${s} up"${i === 0 ? " disabled" : ""}>↑</button>
            <button type="button" class="icon-btn" data-move="1" data-index="${i}" aria-label="Move ${s} down"${i === fallback.length - 1 ? " disabled" : ""}>↓</button>
            <button type="button" class="icon-btn" data-remove="${i}" aria-label="Remove ${s}">×</button>
          </span>
        </li>`,
        )
        .join("")
    : `<li class="empty">No fallback: the widget shows only what its algorithm finds.</li>`;
  const free = SOURCES.filter((s) => !fallback.includes(s));
  $("fallback-add").innerHTML = free.map((s) => `<option value="${s}">${s}</option>`).join("");
  $("fallback-add").disabled = $("fallback-add-button").disabled = free.length === 0;
}

$("fallback").addEventListener("click", (e) => {
  const button = e.target.closest("button");
  if (!button) return;
  if (button.dataset.remove !== undefined) {
    fallback.splice(Number(button.dataset.remove), 1);
  } else {
    const i = Number(button.dataset.index);
    const j = i + Number(button.dataset.move);
    if (j < 0 || j >= fallback.length) return;
    [fallback[i], fallback[j]] = [fallback[j], fallback[i]];
    renderFallback();
    update();
    // Keep the keyboard on the moved step.
    $("fallback").querySelector(`button[data-index="${j}"][data-move="${button.dataset.move}"]:not(:disabled)`)?.focus() ??
      $("fallback").querySelector(`li:nth-child(${j + 1}) button:not(:disabled)`)?.focus();
    return;
  }
  renderFallback();
  update();
});

$("fallback-add-button").addEventListener("click", () => {
  const s = $("fallback-add").value;
  if (s && !fallback.includes(s)) fallback.push(s);
  renderFallback();
  update();
});

let rangeCount = 0;
function addRange({ from = "", to = "" } = {}) {
  const n = ++rangeCount;
  const li = document.createElement("li");
  li.className = "range";
  li.innerHTML = `
    <label><span class="sr-only">Range ${n}: </span>from <input type="date" data-end="from" id="added-from-${n}" value="${html(from)}"></label>
    <label>to <input type="date" data-end="to" id="added-to-${n}" value="${html(to)}"></label>
    <button type="button" class="icon-btn" data-remove-range aria-label="Remove this date range">×</button>`;
  $("added").append(li);
}

$("added").addEventListener("click", (e) => {
  if (!e.target.closest("[data-remove-range]")) return;
  e.target.closest("li").remove();
  if (!$("added").children.length) addRange({});
  update();
});
$("added-add").addEventListener("click", () => {
  addRange({});
  $("added").lastElementChild.querySelector("input").focus();
});

// ---------------------------------------------------------------------------------------------
// The live list and the export

function update() {
  if (!rec) return;
  const { name, config, problems } = readConfig();
  $("threshold-value").textContent = Number(config.threshold).toFixed(2);
  const product = $("product").value.trim();
  const p = product ? rec.product(product) : undefined;
  $("product-summary").innerHTML = !product
    ? "No product: widgets anchored on a product use the session instead."
    : p
      ? `${html(p.title)} · ${html(p.categories[0]?.split(" > ").join(" › ") ?? "")} · ${html(formatPrice(p.price))}${p.stock !== null ? ` · stock ${p.stock}` : ""}`
      : `<span class="warn">Not in the catalogue.</span>`;
  const useSession = $("use-session").checked;
  const ctx = session.context();
  $("session-summary").textContent = `(${ctx.views.length} viewed, ${ctx.cart.length} in cart, ${ctx.purchased.length} bought)`;

  const options = {};
  if (product) options.product = product;
  if (useSession) options.session = session;
  let items = null;
  let error = null;
  const t0 = performance.now();
  try {
    items = rec.recommendWith(config, options);
  } catch (e) {
    error = String(e?.message ?? e).replace(/^invalid (option|widget configuration): (Error: )?/, "");
  }
  const ms = performance.now() - t0;
  const all = error ? [error, ...problems] : problems;
  $("problems").hidden = all.length === 0;
  $("problems").innerHTML = all.length
    ? `<p><strong>${error ? "This configuration is not valid:" : "Fix before exporting:"}</strong></p><ul>${all.map((m) => `<li>${html(m)}</li>`).join("")}</ul>`
    : "";
  renderResults($("widget").value, config, items, ms);
  if (items) renderApplied(rec, $("widget").value, product, config.submodels);
  renderComparison($("personal-compare"), rec, config, options);
  renderExport(name, config, all.length === 0);
}

function renderResults(widgetName, config, items, ms) {
  const box = $("results");
  if (!items) {
    box.classList.add("stale");
    $("results-status").textContent = "Showing the last valid list.";
    return;
  }
  box.classList.remove("stale");
  const steps = [...new Set(items.map((i) => i.step))];
  $("results-status").textContent =
    `${items.length} of ${config.limit} item${config.limit === 1 ? "" : "s"} · ${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms` +
    (steps.length ? ` · steps ${steps.join(", ")}` : "");
  if (!items.length) {
    box.innerHTML = `<section data-widget="${html(widgetName)}"><p class="empty-result">No products pass these rules for this page.</p></section>`;
    return;
  }
  const rows = items.map((item, i) => {
    const p = rec.product(item.id);
    const stock = stockState(item.inStock, p?.stock ?? null);
    const sale = item.compareAtPrice !== null && item.discount > 0;
    return `<li class="result" data-product-id="${html(item.id)}" data-reason="${item.reason}" data-step="${item.step}">
      <span class="rank">${i + 1}</span>
      <img src="${html(safeUrl(item.image))}" alt="" width="56" height="56" loading="lazy">
      <div class="result-main">
        <a href="${html(safeUrl(item.url))}" target="_blank" rel="noopener">${html(item.title)}</a>
        <p class="muted small">${html(item.id)} · ${html(item.brand)} · ${html(p?.categories[0]?.split(" > ").join(" › ") ?? "")}</p>
        <p class="small"><span class="result-price${sale ? " sale" : ""}">${html(formatPrice(item.price))}</span>
          ${sale ? `<s class="price-was">${html(formatPrice(item.compareAtPrice))}</s> <span class="badge sale">−${item.discount}%</span>` : ""}
          <span class="stock" data-level="${stock.level}">${stock.text}${p?.stock !== null && p?.stock !== undefined ? ` (${p.stock})` : ""}</span></p>
        <p class="why small">${html(item.explanation)}</p>
      </div>
      <div class="result-meta">
        <span class="reason" data-reason="${item.reason}">${item.reason}</span>
        <span class="small muted">step ${item.step}</span>
        <span class="score small"><meter min="0" max="1" value="${item.score}" aria-label="Score"></meter> ${item.score.toFixed(2)}</span>
      </div>
    </li>`;
  });
  box.innerHTML = `<section data-widget="${html(widgetName)}" aria-label="${html(config.title)}">
    <h3 class="result-title">${html(config.title)}</h3>
    <ol class="result-list" role="list">${rows.join("")}</ol>
  </section>`;
}

function renderExport(name, config, valid) {
  const text = toToml(name || "my_widget", config);
  $("toml").value = text;
  $("toml").rows = Math.max(8, text.split("\n").length);
  $("toml").setAttribute("aria-invalid", valid ? "false" : "true");
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(new Blob([text], { type: "application/toml" }));
  $("download").href = downloadUrl;
  $("download").download = `edgerec-${name || "widget"}.toml`;
}

$("copy").addEventListener("click", async () => {
  const text = $("toml").value;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    $("toml").select();
    document.execCommand?.("copy");
  }
  $("results-status").textContent = "TOML copied to the clipboard.";
});

// ---------------------------------------------------------------------------------------------
// Start

function loadWidget(name) {
  const w = widgets.find((x) => x.name === name);
  if (!w) return;
  writeForm(name, w);
  update();
}

/** The first best seller for which a widget fills its list (a telling first example). */
function fullListProduct(name, products) {
  const w = widgets.find((x) => x.name === name);
  const candidates = products.slice(0, 50).filter((p) => p.inStock);
  return (
    candidates.find((p) => rec.recommend(name, { product: p.id, viewed: [] }).length >= (w?.limit ?? 1)) ?? candidates[0]
  )?.id;
}

async function start() {
  try {
    [rec, session] = await Promise.all([getRecommender(), getSession()]);
  } catch (e) {
    $("loading").textContent = `The snapshot could not be loaded (${e?.message ?? e}). Run ./scripts/demo-store.sh and reload.`;
    return;
  }
  await loadTables();
  widgets = rec.widgets();
  const params = new URLSearchParams(location.search);

  $("widget").innerHTML = widgets
    .map((w) => `<option value="${html(w.name)}">${html(w.name)} — ${html(w.title)}</option>`)
    .join("");
  $("algorithm").innerHTML = Object.keys(ALGORITHM_STEPS).map((a) => `<option value="${a}">${a}</option>`).join("");
  const lists = rec.lists();
  $("list").innerHTML =
    `<option value="">Every list, in name order</option>` +
    lists.map((l) => `<option value="${html(l.name)}">${html(l.name)}${l.title ? ` — ${html(l.title)}` : ""}</option>`).join("");
  SOURCES.push(...lists.map((l) => `list:${l.name}`));

  // Suggestions for the token fields, from the catalogue.
  const products = [];
  for (let offset = 0; ; offset += 500) {
    const page = rec.products({ offset, limit: 500 });
    products.push(...page.items);
    if (page.items.length === 0 || products.length >= page.total) break;
  }
  const brands = [...new Set(products.map((p) => p.brand))].sort();
  const tags = [...new Set(products.flatMap((p) => p.tags))].sort();
  const option = (value, label) => `<option value="${html(value)}"${label ? ` label="${html(label)}"` : ""}></option>`;
  $("product-list").innerHTML = products.map((p) => option(p.id, p.title)).join("");
  $("brand-list").innerHTML = brands.map((b) => option(b)).join("");
  $("tag-list").innerHTML = tags.map((t) => option(t)).join("");
  $("category-list").innerHTML = rec.categories().map((c) => option(c.name)).join("");
  for (const field of TOKEN_FIELDS) buildTokenField(field);
  buildWeights();
  buildSubmodels(rec);

  const widgetName = widgets.some((w) => w.name === params.get("widget")) ? params.get("widget") : "upsell";
  $("widget").value = widgets.some((w) => w.name === widgetName) ? widgetName : widgets[0].name;
  $("product").value = params.get("product") ?? session.views()[0] ?? fullListProduct($("widget").value, products) ?? "";

  const form = $("rules");
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("input", (e) => {
    if (e.target.dataset.token) return; // a token being typed: nothing changes until it is added
    if (e.target.id === "widget") return;
    if (e.target.id === "algorithm") renderFallback();
    update();
  });
  form.addEventListener("change", (e) => {
    if (e.target.id === "widget") loadWidget(e.target.value);
  });
  $("reset").addEventListener("click", () => loadWidget($("widget").value));
  session.onChange(update);

  $("loading").hidden = true;
  $("preview").hidden = false;
  loadWidget($("widget").value);
}

start();
