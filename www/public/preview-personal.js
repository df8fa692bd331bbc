// The merchandiser preview's "with and without personalisation" panel: for the widget being
// edited and the page's context (product, the store session when "use my session" is ticked),
// the list re-ranked by the shopper's profile next to the list without it, each item with its
// explanation, and what the profile is.

import { escapeHtml as html, safeUrl } from "/edgerec-widget.js";

const percent = (x) => `${Math.round(x * 100)}%`;

/** The profile of the context in a line: each field's two strongest values. */
function profileLine(profile) {
  const fields = profile.fields.filter((f) => f.values.length);
  if (!fields.length) return "The context says nothing of the shopper's tastes: both lists are in the same order.";
  const parts = fields.map(
    (f) => `${html(f.field)}: ${f.values
      .slice(0, 2)
      .map((v) => `${html(v.value)} ${percent(v.share)}`)
      .join(", ")}`,
  );
  const group = profile.ownWeight < 0.995 ? ` (${percent(1 - profile.ownWeight)} from the shopper's group)` : "";
  return `Profile of this context${group}: ${parts.join(" · ")}.`;
}

function column(heading, kind, items, other) {
  const rank = new Map(other.map((item, i) => [item.id, i]));
  const rows = items.map((item, i) => {
    const before = rank.get(item.id);
    const moved =
      before === undefined ? "new" : before > i ? `↑${before - i}` : before < i ? `↓${i - before}` : "";
    return `<li class="result" data-product-id="${html(item.id)}" data-personalized="${item.personalized}">
      <span class="rank">${i + 1}</span>
      <img src="${html(safeUrl(item.image))}" alt="" width="40" height="40" loading="lazy">
      <div class="result-main">
        <a href="${html(safeUrl(item.url))}" target="_blank" rel="noopener">${html(item.title)}</a>
        <p class="muted small">${html(item.id)} · ${html(item.brand)}${
          moved && kind === "with" ? ` · <span class="moved">${moved}</span>` : ""
        }</p>
        <p class="why small">${html(item.explanation)}</p>
      </div>
    </li>`;
  });
  return `<section data-list="${kind}" aria-label="${html(heading)}">
    <h3>${html(heading)}</h3>
    ${rows.length ? `<ol class="result-list" role="list">${rows.join("")}</ol>` : `<p class="empty-result">No products.</p>`}
  </section>`;
}

/**
 * Fills `box` with the two lists of `config` for `options` (as given to `recommendWith`):
 * personalised (`personalize: true`) and not (`personalize: false`). Returns whether they differ,
 * or null when they could not be computed (the live result shows the error).
 */
export function renderComparison(box, rec, config, options) {
  let profile, withP, without;
  try {
    const context = options.session ? { session: options.session } : {};
    profile = rec.profile(context);
    withP = rec.recommendWith(config, { ...options, personalize: true });
    without = rec.recommendWith(config, { ...options, personalize: false });
  } catch {
    box.classList.add("stale");
    return null;
  }
  box.classList.remove("stale");
  if (!profile.enabled) {
    box.innerHTML = `<p class="hint">Personalisation is off in this snapshot (<code>[personalization] enabled = false</code>).</p>`;
    return false;
  }
  const same = withP.length === without.length && withP.every((item, i) => item.id === without[i].id);
  const note = same
    ? profile.fields.some((f) => f.values.length)
      ? " The order is the same: the profile does not move these items (history lists are never re-ranked)."
      : ""
    : "";
  box.dataset.differ = String(!same);
  box.innerHTML = `<p class="hint" id="profile-line">${profileLine(profile)}${note}</p>
    <div class="compare">
      ${column(`Personalised (model ${profile.model})`, "with", withP, without)}
      ${column("Not personalised", "without", without, withP)}
    </div>`;
  return !same;
}
