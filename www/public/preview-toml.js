// The merchandiser preview's TOML export: a widget configuration (snake_case keys, as in
// edgerec.toml) as the `[widgets.NAME]` block `edgerec build --config` reads. No DOM: the preview
// page (preview.js) and the Node tests import it.

/** The weights of the for_you algorithm (`[widgets.NAME.for_you]`), with what each one weighs. */
export const FOR_YOU_WEIGHTS = [
  ["recency_decay", "Recency decay: the i-th most recent view weighs this to the power i"],
  ["next_weight", "Viewed next"],
  ["together_weight", "Viewed in the same session"],
  ["bought_weight", "Bought or carted together"],
  ["repeat_weight", "Products already in the session"],
  ["cart_boost", "A cart item counts as this many views"],
  ["purchase_weight", "Neighbours of past purchases"],
  ["purchase_decay", "Each older purchase line weighs this much less"],
  ["rebuy_weight", "Past purchases themselves (buy again)"],
  ["hop_weight", "Neighbours of the best candidates (two hops)"],
  ["popular_weight", "Best sellers as a prior"],
];

const TOML_ESCAPES = { "\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };

/** A TOML basic string. */
export function tomlString(s) {
  return `"${String(s).replace(/[\\"\u0000-\u001f\u007f]/g, (c) => TOML_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}
const tomlKey = (k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k));
const tomlArray = (xs) => `[${xs.map(tomlString).join(", ")}]`;
const tomlFloat = (x) => (Number.isInteger(x) ? x.toFixed(1) : String(x));
/** A submodel value: a plain decimal as a TOML number (`price = 60`), anything else a string. */
const tomlValue = (v) => (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(v) ? v : tomlString(v));

/**
 * The `[widgets.NAME]` block (with `[widgets.NAME.filters]` when a filter is set, and
 * `[widgets.NAME.for_you]` with the weights given, for a for_you widget) of a configuration. The
 * widget keys are always written (so the block means the same whatever the algorithm's
 * defaults; `personalize` when the configuration has it); force_include and its switch, the
 * diversity keys, `similarity` (a widget's own weights) and `submodels`
 * (`submodels = { colors = "$product" }`) only when set; every
 * filter set, by its own key (no list of filter names to keep in step here); weights left out
 * take the widget's own or the file's `[for_you]`.
 */
export function toToml(name, c) {
  const table = `widgets.${tomlKey(name)}`;
  const lines = [
    `[${table}]`,
    `algorithm = ${tomlString(c.algorithm)}`,
    `title = ${tomlString(c.title)}`,
    `limit = ${c.limit}`,
    `threshold = ${tomlFloat(c.threshold)}`,
    `fallback = ${tomlArray(c.fallback)}`,
    `exclude_purchased = ${c.exclude_purchased}`,
  ];
  if (c.personalize !== undefined) lines.push(`personalize = ${c.personalize}`);
  if (c.list) lines.push(`list = ${tomlString(c.list)}`);
  if (c.force_include.length) lines.push(`force_include = ${tomlArray(c.force_include)}`);
  if (c.force_include_out_of_stock) lines.push("force_include_out_of_stock = true");
  if (c.max_per_brand) lines.push(`max_per_brand = ${c.max_per_brand}`);
  if (c.max_per_category) lines.push(`max_per_category = ${c.max_per_category}`);
  if (c.rotation && c.rotation !== "off") lines.push(`rotation = ${tomlString(c.rotation)}`);
  // A widget's own similarity weights (set in edgerec.toml; the build computes their table).
  const similarity = Object.entries(c.similarity ?? {});
  if (similarity.length) lines.push(`similarity = { ${similarity.map(([k, v]) => `${tomlKey(k)} = ${v}`).join(", ")} }`);
  const submodels = Object.entries(c.submodels ?? {}).filter(([, v]) => v !== "");
  if (submodels.length) lines.push(`submodels = { ${submodels.map(([k, v]) => `${tomlKey(k)} = ${tomlValue(String(v))}`).join(", ")} }`);
  // Every filter the form set, whatever its key: lists, numbers, switches and date ranges.
  const filterLines = [];
  for (const [key, v] of Object.entries(c.filters ?? {})) {
    if (v === undefined || v === null || (Array.isArray(v) && !v.length)) continue;
    if (key === "added") {
      const ranges = v.map((r) => `{ ${[r.from && `from = ${tomlString(r.from)}`, r.to && `to = ${tomlString(r.to)}`].filter(Boolean).join(", ")} }`);
      filterLines.push(`added = [${ranges.join(", ")}]`);
    } else filterLines.push(`${key} = ${Array.isArray(v) ? tomlArray(v) : typeof v === "string" ? tomlString(v) : v}`);
  }
  if (filterLines.length) lines.push("", `[${table}.filters]`, ...filterLines);
  const weights = FOR_YOU_WEIGHTS.filter(([key]) => c.for_you?.[key] !== undefined && c.for_you[key] !== null);
  if (weights.length) lines.push("", `[${table}.for_you]`, ...weights.map(([key]) => `${key} = ${tomlFloat(c.for_you[key])}`));
  return lines.join("\n") + "\n";
}
