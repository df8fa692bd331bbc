//! The TypeScript declarations of the shapes that cross the boundary (wasm-bindgen appends them
//! to the package's .d.ts): those generated from the Rust types and tables (generated.d.ts, made
//! and checked by the test in src/typescript.rs), then those written here by hand, for the
//! shapes that no Rust type has (answers and other JSON written by hand, the session context).

use wasm_bindgen::prelude::*;

/// Generated: do not edit generated.d.ts, run `UPDATE_TS=1 cargo test --lib typescript`.
#[wasm_bindgen(typescript_custom_section)]
const GENERATED: &str = include_str!("generated.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Merchandising filters. Prices in currency units, discounts in percent. Every field optional. */
export interface Filters {
  brands?: string[]; excludeBrands?: string[];
  products?: string[]; excludeProducts?: string[];
  /** Full category paths ("Kitchen > Knives"); subcategories included. */
  categories?: string[]; excludeCategories?: string[];
  tags?: string[]; excludeTags?: string[];
  priceMin?: number; priceMax?: number;
  /** Products whose stock is not tracked always pass stock filters. */
  stockMin?: number; stockMax?: number;
  discountMin?: number; discountMax?: number;
  /** Inclusive date ranges, YYYY-MM-DD; a missing end is open. */
  added?: { from?: string; to?: string }[];
  addedWithinDays?: number;
  /** Show products whose tracked stock is 0 or less (default false). */
  showOutOfStock?: boolean;
}

/** One view in a session context, most recent first. `at` is Unix seconds. */
export interface ViewedItem { id: string; at?: number }

/** One purchase of a product, with when (Unix seconds) if known. */
export interface PurchasedItem { id: string; at?: number }

/** What `Session.context()` returns, and what `session` may be given as (ids alone are
 * accepted where an item is expected, meaning "time unknown"). */
export interface SessionContext {
  /** Most recent first. */
  views: (ViewedItem | string)[]; cart: string[];
  /** Most recent first; an id appears once per time it was bought. */
  purchased: (PurchasedItem | string)[];
  /** The shopper's segment (a business account), if any. */
  segment?: string | null;
  /** Views of past sessions, most recent first (personalisation's stored history). */
  past_views?: (ViewedItem | string)[];
  /** Searches, most recent first (`Session.search`). */
  searches?: ({ query: string; at?: number } | string)[];
  /** The current session's seed for `rotation: "session"` (its start time). */
  seed?: number;
  /** Products to leave out (empty from `Session.context()`). */
  exclude?: string[];
  /** Filled by `Session.context()`; ignored when given to `recommend`. */
  product?: string | null; now?: number;
}

/** Options of `Recommender.recommend`. */
export interface RecommendOptions {
  /** The product on the page. */
  product?: string;
  /** A Session (or its `context()`): views, cart and purchases come from it. */
  session?: Session | SessionContext;
  /** Without a session: views, oldest first (ids, or `{ id, at }` with Unix seconds). */
  viewed?: (string | ViewedItem)[];
  /** Without a session: the cart. */
  cart?: string[];
  /** Without a session: past purchases, oldest first (ids, or `{ id, at }` with Unix seconds;
   * the recurring models need the times). */
  purchased?: (string | PurchasedItem)[];
  /** The shopper's segment (a business account) for the segment models. */
  segment?: string;
  /** Current time, Unix seconds (default: now). */
  now?: number;
  /** Products to leave out: what other widgets of the page already show. */
  exclude?: string[];
  /** The seed of `rotation: "session"` (default: the session's start time). */
  seed?: number;
  /** How many items at most (1 to 100). */
  limit?: number;
  /** Relative relevance threshold, 0 to 1. */
  threshold?: number;
  /** Replaces the widget's fallback chain. */
  fallback?: StepName[];
  /** The editorial list an `editorial` widget shows (`rec.lists()`); "" for every list. */
  list?: string;
  /** Filters; each field given replaces the widget's. */
  filters?: Filters;
  excludePurchased?: boolean;
  forceInclude?: string[];
  forceIncludeOutOfStock?: boolean;
  /** Withhold the list (answer() says `hidden`) when only fallback steps filled it. */
  hideWhenFallback?: boolean;
  /** Withhold the list unless the widget's own steps found at least this many items. */
  minOwnItems?: number;
  /** Re-rank by the shopper's profile (default: the widget's `personalize`); false shows the
   * list without personalisation, for a "turn off" control or a comparison. */
  personalize?: boolean;
  /** At most this many items of one brand (0: no cap); the list fills from further down. */
  maxPerBrand?: number;
  /** At most this many items of one category (0: no cap). */
  maxPerCategory?: number;
  /** Vary the order of near-tied items (scores within 10%) per day or per session. */
  rotation?: Rotation;
  /** Keep the widget's own steps to one group per submodel (`[submodels.NAME]`): a value of the
   * submodel's attribute, or "$product" for the current product's; "" leaves a submodel the
   * widget sets out. */
  submodels?: { [name: string]: string | number };
}

/** Options of `Recommender.personalize` and `Recommender.profile`. */
export interface PersonalizeOptions {
  session?: Session | SessionContext;
  viewed?: (string | ViewedItem)[]; cart?: string[]; purchased?: (string | PurchasedItem)[];
  segment?: string; now?: number;
  /** A personalisation model by name (default: the snapshot's active one). */
  model?: string;
}

/** One id of a list re-ranked by `Recommender.personalize`. */
export interface PersonalizedId {
  id: string;
  /** The shopper's affinity for the product, 0 to 1 (0 for ids not in the catalog). */
  affinity: number;
  /** Why it moved, when worth saying ("You often choose Fleetfoot"), else null. */
  reason: string | null;
}

/** What the device knows of the shopper (`session.profile(rec)`); computed, never stored. */
export interface ProfileView {
  /** Whether the snapshot has personalisation switched on. */
  enabled: boolean;
  model: string;
  /** Events counted, each weighted by its decay. */
  events: number;
  /** The weight of the shopper's own data against their group's (1: own data only). */
  ownWeight: number;
  fields: { field: string; values: { value: string; share: number }[] }[];
}

/** A recommended product with why it is there. */
export interface RecommendedItem {
  id: string; title: string; url: string; image: string; brand: string;
  price: number | null; compareAtPrice: number | null; discount: number; inStock: boolean;
  /** Relevance relative to the best item of the same step, in (0, 1]. */
  score: number;
  /** The list that produced the item. */
  reason: SourceName;
  /** The step of the widget's chain (0: force-included, then 1, 2, ...). */
  step: number;
  /** The page or session product that led to it. */
  because: string | null;
  /** The reason in words, for a tooltip. */
  explanation: string;
  /** The shopper's profile moved it up (the explanation says why). */
  personalized: boolean;
}

/** A widget's configuration (as in edgerec.toml, snake_case keys). */
export interface WidgetConfig {
  algorithm: AlgorithmName; title: string; limit: number; threshold: number; fallback: StepName[];
  /** The editorial list an `editorial` widget shows; null: every list. */
  list: string | null;
  filters: { [key: string]: unknown }; exclude_purchased: boolean; force_include: string[];
  force_include_out_of_stock: boolean;
  hide_when_fallback: boolean; min_own_items: number;
  /** Caps on items of one brand / one category (0: no cap). */
  max_per_brand: number; max_per_category: number;
  rotation: Rotation;
  /** The submodel groups the widget's own steps keep to: a value, or "$product". */
  submodels: { [name: string]: string };
  /** The widget's own similar-product weights (attribute to weight, summing to 100) for its
   * `similar` steps; null: the snapshot's [similarity]. Set in edgerec.toml: the builder computes
   * their table, so `recommendWith` accepts only weights this snapshot has a table for. */
  similarity: { [attribute: string]: number } | null;
  /** Whether the shopper's profile re-ranks the list (when the snapshot has personalisation on). */
  personalize: boolean;
  /** The widget's own weights (for_you algorithm only); null: the snapshot's [for_you]. */
  for_you: ForYouWeights | null;
}

/** Weights of the for_you algorithm (as in edgerec.toml's [for_you]). */
export interface ForYouWeights {
  recency_decay: number; next_weight: number; together_weight: number; bought_weight: number;
  repeat_weight: number; cart_boost: number; purchase_weight: number; purchase_decay: number;
  rebuy_weight: number; hop_weight: number; popular_weight: number;
}

/** A widget and its name. */
export interface WidgetInfo extends WidgetConfig { name: string }

/** A catalog product. */
export interface Product {
  id: string; title: string; url: string; image: string; brand: string;
  price: number | null; compareAtPrice: number | null; discount: number;
  stock: number | null; inStock: boolean; categories: string[]; tags: string[];
  createdAt: string | null; attributes: { [name: string]: string };
}

/** A page of products. */
export interface ProductPage { total: number; items: Product[] }

/** A category of the catalog. */
export interface CategoryInfo { name: string; parent: string | null; depth: number }

/** Snapshot metadata. */
export interface SnapshotInfo {
  formatVersion: number; edgerecVersion: string; builtAt: string; asOf: string;
  products: number; categories: number; widgets: string[];
  /** Minutes of inactivity that end a session: where the builder cut sessions. A `Session`
   * passed to this recommender adopts it. */
  sessionGapMinutes: number;
  /** What the snapshot learnt from: catalogRows, eventRows, rejectedRows, unknownProducts,
   * outsidePeriod, eventsUsed, views, carts, purchases, custom, sessions, orders, shoppers. */
  counts: { [name: string]: number };
  holdout: { days: number; cases: number; metrics: { [name: string]: number } } | null;
  /** The for_you weights the build fitted on a validation split of its own training events
   * (used by every for_you widget without weights of its own), or null when it tuned none. */
  tuned: TunedForYou | null;
}

/** HR@20 and MRR@20 on the build's validation split. */
export interface ValidationFigures { hr20: number; mrr20: number }

/** The for_you weights a build fitted (`edgerec build`, without a [for_you] table). */
export interface TunedForYou extends ValidationFigures {
  weights: ForYouWeights;
  /** Refinements by session shape that only tuning sets. */
  shape: { latest_boost: number; next_decay: number; repeat_seen: number };
  /** Next-view cases of the validation split, and weight settings tried. */
  cases: number; evaluations: number;
  /** The built-in weights on the same cases. */
  defaults: ValidationFigures;
  /** The session's own items, then popularity, on the same cases. */
  inSession: ValidationFigures;
}

/** Options of `Session.load`. */
export interface SessionOptions {
  /** The localStorage key (default "edgerec:session"); one per store. */
  key?: string;
  /** "local" (default; falls back to memory when unavailable) or "memory". */
  storage?: "local" | "memory";
  /** Minutes of inactivity that end a session (1 to 10080), used until the session is first
   * passed to a recommender, which sets its snapshot's `session_gap_minutes`. Default: the
   * stored gap, else 30. */
  gapMinutes?: number;
}

/** A cart line. */
export interface CartLine { id: string; quantity: number }

/** What edgerec throws: an `Error` with a stable `code` and, when an option is at fault, its `key`. */
export interface EdgerecError extends Error {
  code: ErrorCode;
  /** The option at fault, as a path: "limit", "filters.priceMax", "filters.added[0].from". */
  key?: string;
}

/** The bounds the engine applies to a request (`limits()`). */
export interface Limits {
  /** Ids read per list (viewed, cart, purchased); the rest are ignored. */
  maxIdsPerList: number;
  /** Characters of a product id. */
  maxIdLength: number;
  /** Items of one list (the `limit` option). */
  maxLimit: number;
}

/** What `answer()` returns: a widget's list and what a renderer needs around it. */
export interface WidgetAnswer {
  widget: string;
  /** The heading to show: the widget's title, or the fallback step's ("Popular right now") when
   * only fallback steps filled the list. */
  title: string;
  widgetTitle: string;
  /** Only fallback steps filled the list: the widget's own steps found nothing. */
  fromFallback: boolean;
  /** Why the list is withheld ("hide_when_fallback", "min_own_items"): leave the box out. */
  hidden: string | null;
  /** Snapshot sections the widget's steps needed and this snapshot lacks. */
  absentSections: string[];
  /** The submodel groups the widget's own steps kept to ("colors: lime, green, olive"). */
  submodels: string[];
  unknownIds: string[];
  items: RecommendedItem[];
}

/** What `bundles()` returns: a product page's bundles, best first. */
export interface BundlesAnswer {
  widget: string; title: string;
  /** Why there is none ("no_product", "no_bundle", "filtered"), or null. */
  reason: string | null;
  unknownIds: string[];
  bundles: { orders: number; price: number | null; compareAtPrice: number | null; items: Product[] }[];
}

/** One of `rec.lists()`: an editorial list (`[lists.NAME]`). */
export interface EditorialList { name: string; title: string | null; products: string[] }

/** A submodel (`[submodels.NAME]`): groups of one attribute's values (nominal) or ranges
 * `[from, to)` of a numeric one (the last including its `to`); one of the two is empty. */
export interface SubmodelInfo { name: string; attribute: string; groups: string[][]; ranges: [number, number][] }

/** What `algorithms()` returns: the algorithm and source tables. */
export interface AlgorithmTable {
  algorithms: { name: AlgorithmName; title: string; steps: SourceName[]; fallback: SourceName[];
    constraint: "none" | "same_category_pricier" | "other_category"; excludesAnchors: boolean;
    maxAgeDays: number | null; doc: string }[];
  sources: { name: SourceName; title: string; sections: string[] }[];
}
"#;
