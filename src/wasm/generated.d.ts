// Generated from the Rust types and tables by src/typescript.rs: do not edit. After changing
// them, run `UPDATE_TS=1 cargo test --lib typescript`. Hand-written declarations: src/wasm/types.rs.

/** The name of a source list: why an item is in a widget. */
export type SourceName = "force_include" | "previously_viewed" | "bought_together" | "carted_together"
  | "viewed_together" | "for_you" | "most_viewed" | "most_viewed_in_category" | "most_purchased"
  | "most_purchased_in_category" | "popular" | "popular_in_category" | "similar" | "most_carted"
  | "most_carted_in_category" | "recently_added" | "recently_added_in_category" | "trending"
  | "trending_in_category" | "ultimately_bought" | "bundle" | "recurring" | "segment_last_viewed"
  | "segment_last_purchased" | "segment_recurring" | "editorial";

/** A fallback step: a source, or an editorial list by name (`"list:summer_sale"`). */
export type StepName = SourceName | `list:${string}`;

/** The algorithms a widget can run. */
export type AlgorithmName = "previously_viewed" | "upsell" | "cross_sell" | "also_viewed" | "also_bought"
  | "most_viewed" | "most_viewed_in_category" | "most_purchased" | "most_purchased_in_category" | "popular"
  | "popular_in_category" | "for_you" | "similar" | "most_carted" | "most_carted_in_category"
  | "recently_added" | "recently_added_in_category" | "trending" | "trending_in_category"
  | "ultimately_bought" | "bundle" | "recurring" | "segment_last_viewed" | "segment_last_purchased"
  | "segment_recurring" | "editorial";

/** How a widget varies the order of near-tied items: never, per day, or per shopper session. */
export type Rotation = "off" | "day" | "session";

/** The `code` of an error thrown by edgerec (stable; the message may change). */
export type ErrorCode = "invalid_option" | "invalid_argument" | "unknown_widget" | "unknown_category"
  | "invalid_snapshot" | "fetch_failed" | "internal";
