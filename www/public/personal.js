// Personalisation in the demo storefront (docs/personalization.md): the shopper's "turn off"
// switch, the re-ranking of the lists the store already has (a category page, search results)
// and the privacy page that shows what this device knows.
//
// The profile is computed by the package from the Session each time a list is asked for; it is
// never stored or sent. The only thing kept here is the shopper's choice to turn it off.

import { escapeHtml as html } from "/edgerec-widget.js";

/** The localStorage key of the shopper's choice ("off" when turned off). */
export const PERSONALIZE_KEY = "edgerec-demo:personalize";

/** The choice made on this page when storage is unavailable. */
let memoryChoice = true;

/** Whether the shopper left personalisation on (the default). */
export function personalOn() {
  try {
    return localStorage.getItem(PERSONALIZE_KEY) !== "off";
  } catch {
    return memoryChoice;
  }
}

/** Records the shopper's choice; without storage it lasts until the page is left. */
export function setPersonalOn(on) {
  memoryChoice = on;
  try {
    if (on) localStorage.removeItem(PERSONALIZE_KEY);
    else localStorage.setItem(PERSONALIZE_KEY, "off");
  } catch {
    // Storage unavailable: personalOn() answers from memoryChoice.
  }
}

/** Whether the snapshot has personalisation switched on at all. */
export function personalEnabled(rec, session) {
  try {
    return rec.profile({ session }).enabled;
  } catch {
    return false;
  }
}

/**
 * `ids` re-ranked by the shopper's profile, as `[{ id, reason }]`: the same ids, in the
 * profile's order when the snapshot and the shopper have personalisation on, else as given
 * (reasons null). `segment`: the business account the shopper buys for, if any.
 */
export function personalizeIds(rec, session, ids, { segment } = {}) {
  if (!personalOn() || !ids.length) return ids.map((id) => ({ id, reason: null }));
  const options = { session };
  if (segment) options.segment = segment;
  try {
    return rec.personalize(ids, options).map(({ id, reason }) => ({ id, reason }));
  } catch (e) {
    console.warn("storefront: personalisation failed, showing the list as it is:", e);
    return ids.map((id) => ({ id, reason: null }));
  }
}

/** The "Personalised for you · turn off" control (or "Not personalised · turn on"); its
 * button has `data-action="personalize"`. Empty when the snapshot has personalisation off. */
export function personalControl(enabled) {
  if (!enabled) return "";
  const on = personalOn();
  return `<p class="personal-control" data-personalized="${on}">
    <span>${on ? "Personalised for you" : "Not personalised"}</span> ·
    <button type="button" class="link-button" data-action="personalize" aria-pressed="${on}">${on ? "turn off" : "turn on"}</button>
    · <a href="/privacy">what we know</a>
  </p>`;
}

/** Flips the shopper's choice (the control's button). */
export function togglePersonal() {
  setPersonalOn(!personalOn());
  return personalOn();
}

const FIELD_NAMES = { brand: "Brands", category: "Categories", tag: "Tags", color: "Colours" };
const fieldName = (f) => FIELD_NAMES[f] ?? f[0].toUpperCase() + f.slice(1);
const percent = (x) => `${Math.round(x * 100)}%`;
/** Values shown per field; the rest are counted. */
const SHOWN = 8;
/** A category path as the breadcrumbs show it. */
const valueText = (field, v) => (field === "category" ? v.split(" > ").join(" › ") : v);
const count = (n, one, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/** The privacy page: what the device knows (the profile and the session it is computed from)
 * and a "Forget everything" button (`data-action="forget-everything"`). */
export function privacyPage(rec, session, { segment, title } = {}) {
  const options = { session };
  if (segment) options.segment = segment;
  const profile = rec.profile(options);
  const ctx = session.context();
  const views = ctx.views.length;
  const past = ctx.past_views?.length ?? 0;
  const searches = ctx.searches ?? [];
  const purchases = ctx.purchased.length;
  const sources = [
    count(views, "product viewed this visit", "products viewed this visit"),
    count(past, "product viewed on earlier visits", "products viewed on earlier visits"),
    count(ctx.cart.length, "product in the cart", "products in the cart"),
    count(purchases, "purchase"),
    count(searches.length, "search", "searches"),
  ];
  const fields = profile.fields.filter((f) => f.values.length);
  const own = profile.ownWeight;
  const group =
    fields.length && own < 0.995
      ? `<p class="muted">${percent(own)} of this comes from your own activity, ${100 - Math.round(own * 100)}% from what shoppers
        like you choose (${segment ? `the ${html(segment)} account` : "shoppers who started where you did"}).</p>`
      : "";
  const profileHtml = fields.length
    ? `<div class="profile-fields">${fields
        .map(
          (f) => `<section class="profile-field" data-field="${html(f.field)}">
          <h3>${html(fieldName(f.field))}</h3>
          <ul role="list">${f.values
            .slice(0, SHOWN)
            .map(
              (v) => `<li data-value="${html(v.value)}"><span class="profile-value">${html(valueText(f.field, v.value))}</span>
                <meter min="0" max="1" value="${v.share}" aria-label="${html(v.value)}: ${percent(v.share)}"></meter>
                <span class="profile-share">${percent(v.share)}</span></li>`,
            )
            .join("")}</ul>
          ${f.values.length > SHOWN ? `<p class="muted small">and ${f.values.length - SHOWN} more, ${percent(f.values.slice(SHOWN).reduce((a, v) => a + v.share, 0))} in all</p>` : ""}
        </section>`,
        )
        .join("")}</div>`
    : `<p class="profile-empty" data-empty="true">Nothing. This device knows no preference of yours: lists are in
        their usual order (best sellers, relevance and the store's rules).</p>`;
  const searchList = searches.length
    ? `<p class="small">Your searches: ${searches.map((s) => `<q>${html(typeof s === "string" ? s : s.query)}</q>`).join(", ")}</p>`
    : "";
  return {
    title: title ?? "Your privacy",
    html: `
      <header class="page-head">
        <h1 tabindex="-1">What this device knows about you</h1>
        <p class="lede">Everything below is computed in this browser from your session on this device, each time a
        list is shown. It is not stored anywhere else and is never sent to us.</p>
      </header>
      <section class="privacy-panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">What you seem to prefer</h2>
        ${profileHtml}
        ${group}
        <p class="muted small">Personalisation model <code>${html(profile.model)}</code>${
          profile.enabled ? "" : " (switched off in this store)"
        }; on this device it is ${personalOn() ? "on" : "off"} (the “turn off” link of category and search pages).</p>
      </section>
      <section class="privacy-panel" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Where it comes from</h2>
        <ul class="privacy-sources" role="list">${sources.map((s) => `<li>${html(s)}</li>`).join("")}</ul>
        ${searchList}
      </section>
      <section class="privacy-panel" aria-labelledby="forget-heading">
        <h2 id="forget-heading">Forget it</h2>
        <p>Forgetting clears your views, cart, purchases, searches and earlier visits from this device. Lists go back to
        their usual order at once.</p>
        <button type="button" class="btn primary" data-action="forget-everything">Forget everything</button>
      </section>`,
  };
}
