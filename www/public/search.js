// The demo storefront's product search: a small word index over the catalogue the snapshot
// holds (titles, brands, categories, tags and attribute values), built in the browser on the
// first search. A real store has its own search engine; the storefront then hands its results
// to `rec.personalize` exactly as the search page of app.js does.

/** Lower-case words of a text (letters and digits of any script). */
export function words(text) {
  return String(text ?? "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

let index = null; // [{ id, words: Set<string> }] in best-seller order

function buildIndex(rec) {
  const out = [];
  for (let offset = 0; ; offset += 500) {
    const page = rec.products({ offset, limit: 500 });
    for (const p of page.items) {
      const text = [p.title, p.brand, ...p.categories, ...p.tags, ...Object.values(p.attributes)].join(" ");
      out.push({ id: p.id, words: new Set(words(text)) });
    }
    if (page.items.length === 0 || out.length >= page.total) break;
  }
  return out;
}

/** The ids of the products whose words start with every word of `query`, best sellers first
 * (at most `limit`), and how many matched in all. */
export function searchProducts(rec, query, { limit = 200 } = {}) {
  const wanted = words(query);
  if (!wanted.length) return { total: 0, ids: [] };
  index ??= buildIndex(rec);
  const ids = [];
  let total = 0;
  for (const p of index) {
    if (wanted.every((w) => p.words.has(w) || [...p.words].some((x) => x.startsWith(w)))) {
      total++;
      if (ids.length < limit) ids.push(p.id);
    }
  }
  return { total, ids };
}
