// The merchandiser preview's Submodels control: one select per `[submodels.NAME]` of the
// snapshot (`rec.submodels()`), each offering off, the page product's group ($product) and
// every group (nominal attributes) or range (numeric ones). The choices are the widget key
// `submodels` of the configuration the preview sends to `recommendWith` and exports as TOML;
// the groups the answer applied are shown over the live list.

import { escapeHtml as html } from "/edgerec-widget.js";

const $ = (id) => document.getElementById(id);

/** The snapshot's submodels, read once at start. */
let submodels = [];

/** The options of a submodel: a value of each group (a value selects its group) or the start of
 * each range (in it: ranges are [from, to)), labelled with the whole group or range. */
function choices(s) {
  const own = s.ranges.length
    ? s.ranges.map(([from, to]) => [String(from), `${from} to ${to}`])
    : s.groups.map((g) => [g[0], g.join(", ")]);
  return [["", "Off"], ["$product", "The product's group ($product)"], ...own];
}

function renderOptions(s, extra) {
  const options = choices(s);
  // A value the widget's configuration names that is not one of the options above ("green" of
  // the group "blue, green", 60 in the range 50 to 150): kept as it is.
  if (extra && !options.some(([v]) => v === extra)) options.push([extra, `${extra} (as configured)`]);
  $(`submodel-${s.name}`).innerHTML = options.map(([v, label]) => `<option value="${html(v)}">${html(label)}</option>`).join("");
}

/** Builds one select per submodel; the panel stays hidden when the snapshot has none. */
export function buildSubmodels(rec) {
  submodels = rec.submodels();
  // (style, not `hidden`: the stylesheet gives every panel a display.)
  $("submodels-panel").style.display = submodels.length ? "" : "none";
  $("submodels").innerHTML = submodels
    .map(
      (s) => `<div class="field">
        <label for="submodel-${html(s.name)}">${html(s.name)} <span class="hint">(by ${html(s.attribute)})</span></label>
        <select id="submodel-${html(s.name)}" data-submodel="${html(s.name)}"></select>
      </div>`,
    )
    .join("");
  for (const s of submodels) renderOptions(s);
}

/** The widget key `submodels` of the form: the submodels not off, or undefined for none. */
export function readSubmodels() {
  const chosen = {};
  for (const s of submodels) {
    const value = $(`submodel-${s.name}`).value;
    if (value) chosen[s.name] = value;
  }
  return Object.keys(chosen).length ? chosen : undefined;
}

/** Loads a widget configuration's `submodels` into the selects. */
export function writeSubmodels(w) {
  for (const s of submodels) {
    const value = w.submodels?.[s.name] ?? "";
    renderOptions(s, value);
    $(`submodel-${s.name}`).value = value;
  }
}

/**
 * Shows the groups the list keeps to ("colors: red"), as the package's answer describes them.
 * `recommendWith` returns items only, so this asks `answer` of the snapshot's widget of the same
 * name with every submodel given (off as "", which drops one the widget sets): the groups
 * depend only on those choices and the page product.
 */
export function renderApplied(rec, widget, product, chosen) {
  const line = $("results-submodels");
  if (!submodels.length) {
    line.hidden = true;
    return;
  }
  const all = Object.fromEntries(submodels.map((s) => [s.name, chosen?.[s.name] ?? ""]));
  let applied;
  try {
    applied = rec.answer(widget, { ...(product && { product }), submodels: all, limit: 1 }).submodels;
  } catch {
    applied = null;
  }
  line.hidden = applied === null;
  line.textContent = !applied?.length
    ? "Submodels: none applies, the widget's own steps use the whole catalogue."
    : `Submodels: the widget's own steps keep to ${applied.join("; ")}.`;
}
