//! Configuration: how the builder trains (`[training]`) and what each widget serves (`[widgets.NAME]`).
//!
//! The same structures are read from `edgerec.toml` by the builder, stored in the snapshot, and
//! overridden per request by the engine's callers. Field names are `snake_case`; JavaScript callers
//! may use the `camelCase` spelling of any field (`priceMax` for `price_max`).
//!
//! Every widget runs a chain of [`Source`]s: the steps of its [`Algorithm`], then its `fallback`
//! list, until `limit` items are found. The filters, exclusions and the algorithm's own constraint
//! (upsell: same category, same price or higher; cross-sell: another category) apply to every step.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The most items one widget returns, whatever the configuration or request asks.
pub const MAX_LIMIT: u32 = 100;

/// Everything a snapshot's `edgerec.toml` configures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", serde(default))]
pub struct Config {
    /// Products that no widget ever shows, by id (a global blacklist).
    pub blacklist: Vec<String>,
    /// How the builder turns events into lists.
    pub training: TrainingConfig,
    /// Tuning of the in-session `for_you` list.
    pub for_you: ForYouParams,
    /// The widgets, by name.
    pub widgets: BTreeMap<String, WidgetConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            blacklist: Vec::new(),
            training: TrainingConfig::default(),
            for_you: ForYouParams::default(),
            widgets: default_widgets(),
        }
    }
}

/// A date range, both ends inclusive, as `YYYY-MM-DD`; a missing end is open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// First day included.
    pub from: Option<String>,
    /// Last day included.
    pub to: Option<String>,
}

/// `[training]`: what the builder counts and keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", serde(default))]
pub struct TrainingConfig {
    /// Weight of each event kind in the blended `popular` list: `view`, `cart`, `purchase` (per
    /// unit), and any custom event name (`wishlist`, ...). Unlisted custom events weigh 0.
    pub weights: BTreeMap<String, f32>,
    /// Popularity counts events of the last `timeframe_days` before the as-of time.
    pub timeframe_days: u32,
    /// An event `half_life_days` old counts half as much as one at the as-of time (0: no decay).
    pub half_life_days: f32,
    /// `most_purchased` counts units bought in the last `recent_days`.
    pub recent_days: u32,
    /// A pair or list entry is kept only when at least this many distinct shoppers support it.
    pub min_count: u32,
    /// Neighbours kept per product and list kind (K).
    pub neighbours: u32,
    /// Length of the global popularity lists.
    pub list_size: u32,
    /// Length of each category's popularity lists.
    pub category_list_size: u32,
    /// Events without a session id are cut into sessions at this many minutes of inactivity.
    pub session_gap_minutes: u32,
    /// Pairs are counted between items at most this many distinct items apart in a session
    /// (bounds the cost of very long sessions).
    pub max_session_items: u32,
    /// "Viewed next" links a view to the views at most this many steps after it.
    pub next_window: u32,
    /// Only events inside this period are used (optional).
    pub period: Option<DateRange>,
    /// Events inside these periods are ignored (promotions, outages, bot attacks).
    pub exclude_periods: Vec<DateRange>,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        let mut weights = BTreeMap::new();
        weights.insert("view".to_string(), 1.0);
        weights.insert("cart".to_string(), 3.0);
        weights.insert("purchase".to_string(), 5.0);
        TrainingConfig {
            weights,
            timeframe_days: 90,
            half_life_days: 14.0,
            recent_days: 30,
            min_count: 3,
            neighbours: 30,
            list_size: 500,
            category_list_size: 100,
            session_gap_minutes: 30,
            max_session_items: 50,
            next_window: 5,
            period: None,
            exclude_periods: Vec::new(),
        }
    }
}

/// `[for_you]`: how the in-session list weighs the session's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", serde(default))]
pub struct ForYouParams {
    /// Weight of the i-th most recent session item is `recency_decay ^ i`.
    pub recency_decay: f32,
    /// Weight of "viewed next" transitions.
    pub next_weight: f32,
    /// Weight of "viewed in the same session" neighbours.
    pub together_weight: f32,
    /// Weight of products bought or carted together.
    pub bought_weight: f32,
    /// Score given to a product already in the session (shoppers come back to what they viewed).
    pub repeat_weight: f32,
    /// A cart item counts as this many views.
    pub cart_boost: f32,
    /// Weight of past purchases' neighbours (bought together, viewed next...).
    pub purchase_weight: f32,
    /// Each purchase line weighs `purchase_decay^j`, j = 0 for the most recent line, so an item's
    /// weight blends how often and how lately it was bought.
    pub purchase_decay: f32,
    /// Score of a past purchase itself ("buy again"; only listed when the widget does not
    /// exclude purchases).
    pub rebuy_weight: f32,
    /// Weight of two-hop neighbours (neighbours of the best candidates); 0 turns them off.
    pub hop_weight: f32,
    /// Weight of the popularity prior: the best sellers join the candidates with this share of
    /// their popularity relative to the top seller.
    pub popular_weight: f32,
}

impl ForYouParams {
    /// Weights for repeat purchases, tuned on a validation split of the Ta Feng grocery baskets
    /// (docs/quality.md): past purchases by frequency with a gentle recency decay, their
    /// bought-together neighbours a little, and the best sellers as a prior.
    pub fn buy_again() -> ForYouParams {
        ForYouParams {
            purchase_weight: 0.05,
            purchase_decay: 0.995,
            rebuy_weight: 1.0,
            popular_weight: 1.5,
            ..ForYouParams::default()
        }
    }
}

impl Default for ForYouParams {
    fn default() -> Self {
        ForYouParams {
            recency_decay: 0.7,
            next_weight: 0.7,
            together_weight: 0.5,
            bought_weight: 0.5,
            repeat_weight: 0.5,
            cart_boost: 2.0,
            purchase_weight: 0.3,
            purchase_decay: 0.98,
            rebuy_weight: 1.0,
            hop_weight: 0.3,
            popular_weight: 0.0,
        }
    }
}

/// The recommendation algorithms a widget can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// The session's views, most recent first.
    PreviouslyViewed,
    /// Same category, same price or higher, bought / carted / viewed with the current product.
    Upsell,
    /// Other categories, bought / carted / viewed with the current product or the cart.
    CrossSell,
    /// Viewed in the same sessions as the current product.
    AlsoViewed,
    /// Bought in the same orders as the current product.
    AlsoBought,
    /// Most viewed (time-decayed).
    MostViewed,
    /// Most viewed in the current product's category.
    MostViewedInCategory,
    /// Most units bought in the recent window.
    MostPurchased,
    /// Most units bought in the current product's category.
    MostPurchasedInCategory,
    /// The weighted blend of every event kind (time-decayed).
    Popular,
    /// The blend, in the current product's category.
    PopularInCategory,
    /// From everything in the session so far, recent events weighing more.
    ForYou,
}

/// The steps a widget's chain is made of: the places candidates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A product the merchandiser forced into the list.
    ForceInclude,
    /// The session's views, most recent first.
    PreviouslyViewed,
    /// Bought in the same orders as the anchor.
    BoughtTogether,
    /// Added to cart in the same sessions as the anchor.
    CartedTogether,
    /// Viewed in the same sessions as the anchor.
    ViewedTogether,
    /// The in-session blend.
    ForYou,
    /// Global most viewed.
    MostViewed,
    /// Most viewed in the anchor's categories.
    MostViewedInCategory,
    /// Global most purchased (recent window).
    MostPurchased,
    /// Most purchased in the anchor's categories.
    MostPurchasedInCategory,
    /// Global blended popularity.
    Popular,
    /// Blended popularity in the anchor's categories.
    PopularInCategory,
}

impl Source {
    /// Every source, in declaration order.
    pub const ALL: [Source; 12] = [
        Source::ForceInclude,
        Source::PreviouslyViewed,
        Source::BoughtTogether,
        Source::CartedTogether,
        Source::ViewedTogether,
        Source::ForYou,
        Source::MostViewed,
        Source::MostViewedInCategory,
        Source::MostPurchased,
        Source::MostPurchasedInCategory,
        Source::Popular,
        Source::PopularInCategory,
    ];

    /// The `snake_case` name used in configs and reasons.
    pub fn name(self) -> &'static str {
        match self {
            Source::ForceInclude => "force_include",
            Source::PreviouslyViewed => "previously_viewed",
            Source::BoughtTogether => "bought_together",
            Source::CartedTogether => "carted_together",
            Source::ViewedTogether => "viewed_together",
            Source::ForYou => "for_you",
            Source::MostViewed => "most_viewed",
            Source::MostViewedInCategory => "most_viewed_in_category",
            Source::MostPurchased => "most_purchased",
            Source::MostPurchasedInCategory => "most_purchased_in_category",
            Source::Popular => "popular",
            Source::PopularInCategory => "popular_in_category",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule an algorithm applies to every candidate, on top of the widget's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// No rule of its own.
    None,
    /// Shares one of the anchor's categories and costs at least as much.
    SameCategoryPricier,
    /// Shares none of the anchor's categories.
    OtherCategory,
}

impl Algorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: [Algorithm; 12] = [
        Algorithm::PreviouslyViewed,
        Algorithm::Upsell,
        Algorithm::CrossSell,
        Algorithm::AlsoViewed,
        Algorithm::AlsoBought,
        Algorithm::MostViewed,
        Algorithm::MostViewedInCategory,
        Algorithm::MostPurchased,
        Algorithm::MostPurchasedInCategory,
        Algorithm::Popular,
        Algorithm::PopularInCategory,
        Algorithm::ForYou,
    ];

    /// The `snake_case` name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::PreviouslyViewed => "previously_viewed",
            Algorithm::Upsell => "upsell",
            Algorithm::CrossSell => "cross_sell",
            Algorithm::AlsoViewed => "also_viewed",
            Algorithm::AlsoBought => "also_bought",
            Algorithm::MostViewed => "most_viewed",
            Algorithm::MostViewedInCategory => "most_viewed_in_category",
            Algorithm::MostPurchased => "most_purchased",
            Algorithm::MostPurchasedInCategory => "most_purchased_in_category",
            Algorithm::Popular => "popular",
            Algorithm::PopularInCategory => "popular_in_category",
            Algorithm::ForYou => "for_you",
        }
    }

    /// Looks an algorithm up by its config name.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The algorithm's own steps, tried in order before the widget's fallback.
    pub fn steps(self) -> &'static [Source] {
        use Source::*;
        match self {
            Algorithm::PreviouslyViewed => &[PreviouslyViewed],
            Algorithm::Upsell | Algorithm::CrossSell => &[BoughtTogether, CartedTogether, ViewedTogether],
            Algorithm::AlsoViewed => &[ViewedTogether],
            Algorithm::AlsoBought => &[BoughtTogether],
            Algorithm::MostViewed => &[MostViewed],
            Algorithm::MostViewedInCategory => &[MostViewedInCategory],
            Algorithm::MostPurchased => &[MostPurchased],
            Algorithm::MostPurchasedInCategory => &[MostPurchasedInCategory],
            Algorithm::Popular => &[Popular],
            Algorithm::PopularInCategory => &[PopularInCategory],
            Algorithm::ForYou => &[ForYou],
        }
    }

    /// The rule the algorithm applies to every candidate of every step.
    pub fn constraint(self) -> Constraint {
        match self {
            Algorithm::Upsell => Constraint::SameCategoryPricier,
            Algorithm::CrossSell => Constraint::OtherCategory,
            _ => Constraint::None,
        }
    }

    /// The fallback chain a widget gets when its config names none.
    pub fn default_fallback(self) -> Vec<Source> {
        use Source::*;
        match self {
            Algorithm::PreviouslyViewed | Algorithm::Popular => vec![],
            Algorithm::Upsell => vec![MostPurchasedInCategory, PopularInCategory],
            Algorithm::CrossSell => vec![MostPurchased, Popular],
            Algorithm::AlsoViewed => vec![MostViewedInCategory, MostViewed],
            Algorithm::AlsoBought => vec![MostPurchasedInCategory, MostPurchased],
            Algorithm::MostViewed | Algorithm::MostPurchased | Algorithm::ForYou => vec![Popular],
            Algorithm::MostViewedInCategory | Algorithm::MostPurchasedInCategory | Algorithm::PopularInCategory => {
                vec![Popular]
            }
        }
    }

    /// The heading a widget of this algorithm shows when its config gives no title.
    pub fn default_title(self) -> &'static str {
        match self {
            Algorithm::PreviouslyViewed => "Recently viewed",
            Algorithm::Upsell => "You may also like",
            Algorithm::CrossSell => "Complete your purchase",
            Algorithm::AlsoViewed => "Shoppers also viewed",
            Algorithm::AlsoBought => "Frequently bought together",
            Algorithm::MostViewed => "Most viewed",
            Algorithm::MostViewedInCategory => "Most viewed in this category",
            Algorithm::MostPurchased => "Best sellers",
            Algorithm::MostPurchasedInCategory => "Best sellers in this category",
            Algorithm::Popular => "Popular right now",
            Algorithm::PopularInCategory => "Popular in this category",
            Algorithm::ForYou => "Picked for you",
        }
    }
}

/// Merchandising filters. Every field is optional; a request's filters replace the widget's
/// field by field. Prices are in the catalog's currency units, discounts in percent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    /// Only these brands.
    pub brands: Option<Vec<String>>,
    /// Never these brands.
    #[serde(alias = "excludeBrands")]
    pub exclude_brands: Option<Vec<String>>,
    /// Only these products (ids).
    pub products: Option<Vec<String>>,
    /// Never these products (ids).
    #[serde(alias = "excludeProducts")]
    pub exclude_products: Option<Vec<String>>,
    /// Only products in one of these categories or their subcategories (full paths, `A > B`).
    pub categories: Option<Vec<String>>,
    /// Never products in these categories or their subcategories.
    #[serde(alias = "excludeCategories")]
    pub exclude_categories: Option<Vec<String>>,
    /// Only products with one of these tags.
    pub tags: Option<Vec<String>>,
    /// Never products with one of these tags.
    #[serde(alias = "excludeTags")]
    pub exclude_tags: Option<Vec<String>>,
    /// Lowest price, inclusive. Products without a price fail a price filter.
    #[serde(alias = "priceMin")]
    pub price_min: Option<f64>,
    /// Highest price, inclusive.
    #[serde(alias = "priceMax")]
    pub price_max: Option<f64>,
    /// Lowest stock, inclusive. Products whose stock is not tracked always pass.
    #[serde(alias = "stockMin")]
    pub stock_min: Option<i64>,
    /// Highest stock, inclusive. Products whose stock is not tracked always pass.
    #[serde(alias = "stockMax")]
    pub stock_max: Option<i64>,
    /// Lowest discount in percent (`1 - price / compare_at_price`); no compare-at price is 0 %.
    #[serde(alias = "discountMin")]
    pub discount_min: Option<f64>,
    /// Highest discount in percent.
    #[serde(alias = "discountMax")]
    pub discount_max: Option<f64>,
    /// Only products added to the catalog inside one of these date ranges (inclusive).
    pub added: Option<Vec<DateRange>>,
    /// Only products added in the last N days before the request's time.
    #[serde(alias = "addedWithinDays")]
    pub added_within_days: Option<u32>,
    /// Show products whose tracked stock is 0 or less (off by default).
    #[serde(alias = "showOutOfStock")]
    pub show_out_of_stock: Option<bool>,
}

impl Filters {
    /// `self` with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &Filters) -> Filters {
        macro_rules! pick {
            ($($f:ident),*) => { Filters { $($f: over.$f.clone().or_else(|| self.$f.clone())),* } };
        }
        pick!(
            brands,
            exclude_brands,
            products,
            exclude_products,
            categories,
            exclude_categories,
            tags,
            exclude_tags,
            price_min,
            price_max,
            stock_min,
            stock_max,
            discount_min,
            discount_max,
            added,
            added_within_days,
            show_out_of_stock
        )
    }
}

/// `[widgets.NAME]`: one widget, fully resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetConfig {
    /// What the widget computes.
    pub algorithm: Algorithm,
    /// The heading the storefront shows.
    pub title: String,
    /// How many items at most (1 to 100).
    pub limit: u32,
    /// Drop a candidate scoring below `threshold` times the best candidate of its step (0 to 1).
    pub threshold: f32,
    /// Further sources tried in order until `limit` items are found.
    pub fallback: Vec<Source>,
    /// Merchandising filters.
    pub filters: Filters,
    /// Leave out products the shopper already bought.
    pub exclude_purchased: bool,
    /// Products shown first, in this order, whatever the filters say.
    pub force_include: Vec<String>,
    /// Show forced products even when out of stock.
    pub force_include_out_of_stock: bool,
    /// This widget's own `for_you` weights (`[widgets.NAME.for_you]`), replacing the top-level
    /// `[for_you]` ones; keys not given take the built-in defaults.
    pub for_you: Option<ForYouParams>,
}

impl WidgetConfig {
    /// The widget an algorithm gets by default.
    pub fn for_algorithm(algorithm: Algorithm) -> WidgetConfig {
        WidgetConfig {
            algorithm,
            title: algorithm.default_title().to_string(),
            limit: 8,
            threshold: 0.0,
            fallback: algorithm.default_fallback(),
            filters: Filters::default(),
            exclude_purchased: algorithm != Algorithm::PreviouslyViewed,
            force_include: Vec::new(),
            force_include_out_of_stock: false,
            for_you: None,
        }
    }

    /// The built-in "Buy it again" widget: the in-session list tuned for repeat purchases (how
    /// often and how lately each product was bought, then best sellers), purchases allowed.
    pub fn buy_again() -> WidgetConfig {
        WidgetConfig {
            title: "Buy it again".to_string(),
            limit: 10,
            exclude_purchased: false,
            for_you: Some(ForYouParams::buy_again()),
            ..WidgetConfig::for_algorithm(Algorithm::ForYou)
        }
    }

    /// The source steps in order: the algorithm's own, then the fallback (repeats removed).
    pub fn chain(&self) -> Vec<Source> {
        let mut chain: Vec<Source> = Vec::with_capacity(4);
        for &s in self.algorithm.steps().iter().chain(self.fallback.iter()) {
            if s != Source::ForceInclude && !chain.contains(&s) {
                chain.push(s);
            }
        }
        chain
    }
}

impl ForYouParams {
    /// Appends the weights as a JSON object (snake_case keys, as in edgerec.toml).
    pub fn write_json(&self, out: &mut String) {
        let f = |x: f32| f64::from(x);
        crate::json::Object::new(out)
            .num("recency_decay", f(self.recency_decay), 6)
            .num("next_weight", f(self.next_weight), 6)
            .num("together_weight", f(self.together_weight), 6)
            .num("bought_weight", f(self.bought_weight), 6)
            .num("repeat_weight", f(self.repeat_weight), 6)
            .num("cart_boost", f(self.cart_boost), 6)
            .num("purchase_weight", f(self.purchase_weight), 6)
            .num("purchase_decay", f(self.purchase_decay), 6)
            .num("rebuy_weight", f(self.rebuy_weight), 6)
            .num("hop_weight", f(self.hop_weight), 6)
            .num("popular_weight", f(self.popular_weight), 6)
            .end();
    }
}

impl Filters {
    /// Appends the filters as a JSON object with the keys that are set (snake_case).
    pub fn write_json(&self, out: &mut String) {
        let mut o = crate::json::Object::new(out);
        for (k, v) in [
            ("brands", &self.brands),
            ("exclude_brands", &self.exclude_brands),
            ("products", &self.products),
            ("exclude_products", &self.exclude_products),
            ("categories", &self.categories),
            ("exclude_categories", &self.exclude_categories),
            ("tags", &self.tags),
            ("exclude_tags", &self.exclude_tags),
        ] {
            if let Some(list) = v {
                o.strs(k, list);
            }
        }
        for (k, v) in [
            ("price_min", self.price_min),
            ("price_max", self.price_max),
            ("discount_min", self.discount_min),
            ("discount_max", self.discount_max),
        ] {
            if let Some(x) = v {
                o.num(k, x, 6);
            }
        }
        for (k, v) in [
            ("stock_min", self.stock_min),
            ("stock_max", self.stock_max),
            ("added_within_days", self.added_within_days.map(i64::from)),
        ] {
            if let Some(x) = v {
                o.int(k, x);
            }
        }
        if let Some(ranges) = &self.added {
            crate::json::array(o.key("added"), ranges, |out, r| {
                crate::json::Object::new(out).opt_str("from", r.from.as_deref()).opt_str("to", r.to.as_deref()).end();
            });
        }
        if let Some(b) = self.show_out_of_stock {
            o.bool("show_out_of_stock", b);
        }
        o.end();
    }
}

impl WidgetConfig {
    /// Appends the widget as a JSON object (snake_case keys, as in edgerec.toml), with `name`
    /// first when given.
    pub fn write_json(&self, name: Option<&str>, out: &mut String) {
        let mut o = crate::json::Object::new(out);
        if let Some(n) = name {
            o.str("name", n);
        }
        o.str("algorithm", self.algorithm.name())
            .str("title", &self.title)
            .int("limit", i64::from(self.limit))
            .num("threshold", f64::from(self.threshold), 6)
            .strs("fallback", &self.fallback.iter().map(|s| s.name()).collect::<Vec<_>>());
        self.filters.write_json(o.key("filters"));
        o.bool("exclude_purchased", self.exclude_purchased)
            .strs("force_include", &self.force_include)
            .bool("force_include_out_of_stock", self.force_include_out_of_stock);
        match &self.for_you {
            Some(p) => p.write_json(o.key("for_you")),
            None => o.key("for_you").push_str("null"),
        }
        o.end();
    }
}

/// The widgets every snapshot has unless its config says `default_widgets = false`: one per
/// algorithm, named after it, and `buy_again`.
pub fn default_widgets() -> BTreeMap<String, WidgetConfig> {
    let mut w: BTreeMap<String, WidgetConfig> =
        Algorithm::ALL.into_iter().map(|a| (a.name().to_string(), WidgetConfig::for_algorithm(a))).collect();
    w.insert("buy_again".to_string(), WidgetConfig::buy_again());
    w
}

/// What is wrong with a configuration, naming the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The dotted key (`widgets.upsell.threshold`).
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

fn err(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError { key: key.into(), message: message.into() }
}

/// A number for a message: whole numbers as such, others to at most 4 decimals. Written with
/// integer formatting only, which keeps float formatting code out of the WebAssembly build.
pub fn show_number(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "infinity".into()
        } else {
            "-infinity".into()
        };
    }
    let scaled = (x.abs() * 10_000.0).round();
    if scaled >= 9e15 {
        return if x < 0.0 { "-a huge number".into() } else { "a huge number".into() };
    }
    let scaled = scaled as u64;
    let sign = if x < 0.0 && scaled > 0 { "-" } else { "" };
    let (int, frac) = (scaled / 10_000, scaled % 10_000);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let digits = format!("{frac:04}");
    format!("{sign}{int}.{}", digits.trim_end_matches('0'))
}

fn check_range(key: &str, v: Option<f64>, lo: f64, hi: f64) -> Result<(), ConfigError> {
    match v {
        Some(x) if !(lo..=hi).contains(&x) => Err(err(
            key,
            format!("{} is out of range: allowed {} to {}", show_number(x), show_number(lo), show_number(hi)),
        )),
        _ => Ok(()),
    }
}

fn check_dates(key: &str, range: &DateRange) -> Result<(), ConfigError> {
    let mut bounds = [None, None];
    for (i, (end, value)) in [("from", &range.from), ("to", &range.to)].into_iter().enumerate() {
        if let Some(v) = value {
            bounds[i] = Some(
                crate::time::parse_date(v)
                    .map_err(|e| err(format!("{key}.{end}"), format!("\"{v}\": {e} (expected YYYY-MM-DD)")))?,
            );
        }
    }
    if let [Some(a), Some(b)] = bounds {
        if a > b {
            return Err(err(key, "`from` is after `to`"));
        }
    }
    Ok(())
}

impl Filters {
    /// Checks ranges and dates; `key` is the filters' own dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        let k = |f: &str| format!("{key}.{f}");
        for (name, v) in [("price_min", self.price_min), ("price_max", self.price_max)] {
            check_range(&k(name), v, 0.0, 1e9)?;
        }
        for (name, v) in [("discount_min", self.discount_min), ("discount_max", self.discount_max)] {
            check_range(&k(name), v, 0.0, 100.0)?;
        }
        if let (Some(a), Some(b)) = (self.price_min, self.price_max) {
            if a > b {
                return Err(err(k("price_min"), format!("{} is above price_max {}", show_number(a), show_number(b))));
            }
        }
        if let (Some(a), Some(b)) = (self.stock_min, self.stock_max) {
            if a > b {
                return Err(err(k("stock_min"), format!("{a} is above stock_max {b}")));
            }
        }
        for (i, r) in self.added.iter().flatten().enumerate() {
            check_dates(&format!("{key}.added[{i}]"), r)?;
        }
        Ok(())
    }
}

impl ForYouParams {
    /// Checks that every weight is a number of 0 or more; `key` is the table's dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        for (name, v) in [
            ("recency_decay", self.recency_decay),
            ("next_weight", self.next_weight),
            ("together_weight", self.together_weight),
            ("bought_weight", self.bought_weight),
            ("repeat_weight", self.repeat_weight),
            ("cart_boost", self.cart_boost),
            ("purchase_weight", self.purchase_weight),
            ("purchase_decay", self.purchase_decay),
            ("rebuy_weight", self.rebuy_weight),
            ("hop_weight", self.hop_weight),
            ("popular_weight", self.popular_weight),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(format!("{key}.{name}"), "must be a number of 0 or more"));
            }
        }
        Ok(())
    }
}

impl WidgetConfig {
    /// Checks limits, threshold and filters; `key` is the widget's dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(err(
                format!("{key}.limit"),
                format!("{} is out of range: allowed 1 to {MAX_LIMIT}", self.limit),
            ));
        }
        check_range(&format!("{key}.threshold"), Some(self.threshold as f64), 0.0, 1.0)?;
        if self.fallback.contains(&Source::ForceInclude) {
            return Err(err(
                format!("{key}.fallback"),
                "force_include is not a fallback step: list the products in force_include",
            ));
        }
        if let Some(f) = &self.for_you {
            f.validate(&format!("{key}.for_you"))?;
        }
        self.filters.validate(&format!("{key}.filters"))
    }
}

impl Config {
    /// Checks every value that the types alone do not constrain.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let t = &self.training;
        if t.min_count == 0 {
            return Err(err("training.min_count", "0 is out of range: allowed 1 or more (3 is the industry default)"));
        }
        if t.neighbours == 0 || t.neighbours > 1000 {
            return Err(err("training.neighbours", format!("{} is out of range: allowed 1 to 1000", t.neighbours)));
        }
        if t.list_size == 0 || t.category_list_size == 0 {
            return Err(err("training.list_size", "list sizes must be at least 1"));
        }
        if !(t.half_life_days >= 0.0 && t.half_life_days.is_finite()) {
            return Err(err("training.half_life_days", "must be 0 (no decay) or a positive number of days"));
        }
        if t.timeframe_days == 0 || t.recent_days == 0 || t.session_gap_minutes == 0 {
            return Err(err("training", "timeframe_days, recent_days and session_gap_minutes must be at least 1"));
        }
        if t.max_session_items < 2 {
            return Err(err("training.max_session_items", "must be at least 2"));
        }
        if t.next_window == 0 || t.next_window > 50 {
            return Err(err("training.next_window", format!("{} is out of range: allowed 1 to 50", t.next_window)));
        }
        for (name, w) in &t.weights {
            if !(w.is_finite() && *w >= 0.0) {
                return Err(err(format!("training.weights.{name}"), "must be a number of 0 or more"));
            }
        }
        if let Some(p) = &t.period {
            check_dates("training.period", p)?;
        }
        for (i, p) in t.exclude_periods.iter().enumerate() {
            check_dates(&format!("training.exclude_periods[{i}]"), p)?;
        }
        self.for_you.validate("for_you")?;
        for (name, w) in &self.widgets {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(err(format!("widgets.{name}"), "widget names use letters, digits, `_` and `-`"));
            }
            w.validate(&format!("widgets.{name}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_cover_every_algorithm() {
        let c = Config::default();
        c.validate().unwrap();
        for a in Algorithm::ALL {
            let w = &c.widgets[a.name()];
            assert_eq!(w.algorithm, a);
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
            assert!(!w.chain().is_empty());
        }
    }

    #[test]
    fn numbers_in_messages() {
        assert_eq!(show_number(2.0), "2");
        assert_eq!(show_number(1.5), "1.5");
        assert_eq!(show_number(-0.125), "-0.125");
        assert_eq!(show_number(1e9), "1000000000");
        assert_eq!(show_number(49.775359788512084), "49.7754");
        assert_eq!(show_number(f64::NAN), "NaN");
    }

    #[cfg(feature = "cli")]
    #[test]
    fn widget_json_matches_serde() {
        let mut widgets = default_widgets();
        let w = widgets.get_mut("upsell").unwrap();
        w.filters = Filters {
            brands: Some(vec!["A\"x".into()]),
            price_min: Some(10.5),
            stock_max: Some(-3),
            added: Some(vec![DateRange { from: Some("2024-01-01".into()), to: None }]),
            added_within_days: Some(7),
            show_out_of_stock: Some(true),
            ..Default::default()
        };
        w.force_include = vec!["p1".into()];
        for (name, w) in &widgets {
            let mut s = String::new();
            w.write_json(Some(name), &mut s);
            let mine: serde_json::Value = serde_json::from_str(&s).unwrap();
            let mut theirs = serde_json::to_value(w).unwrap();
            // serde writes unset filters as null; the writer leaves them out.
            theirs["filters"].as_object_mut().unwrap().retain(|_, v| !v.is_null());
            theirs.as_object_mut().unwrap().insert("name".into(), serde_json::json!(name));
            let close = |a: &serde_json::Value, b: &serde_json::Value| match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-6,
                _ => a == b,
            };
            for (k, v) in theirs.as_object().unwrap() {
                if let (Some(a), Some(b)) = (mine[k].as_object(), v.as_object()) {
                    assert_eq!(a.len(), b.len(), "{name}.{k}");
                    for (kk, vv) in b {
                        assert!(close(&a[kk], vv), "{name}.{k}.{kk}: {} vs {vv}", a[kk]);
                    }
                } else {
                    assert!(close(&mine[k], v), "{name}.{k}: {} vs {v}", mine[k]);
                }
            }
        }
    }

    #[test]
    fn chain_has_no_repeats() {
        let mut w = WidgetConfig::for_algorithm(Algorithm::Upsell);
        w.fallback = vec![Source::ViewedTogether, Source::Popular, Source::Popular];
        assert_eq!(
            w.chain(),
            vec![Source::BoughtTogether, Source::CartedTogether, Source::ViewedTogether, Source::Popular]
        );
    }

    #[test]
    fn merged_filters_take_each_set_field_from_the_override() {
        let base = Filters { price_min: Some(10.0), brands: Some(vec!["A".into()]), ..Default::default() };
        let over = Filters { price_min: Some(20.0), tags: Some(vec!["x".into()]), ..Default::default() };
        let m = base.merged(&over);
        assert_eq!(m.price_min, Some(20.0));
        assert_eq!(m.brands, Some(vec!["A".into()]));
        assert_eq!(m.tags, Some(vec!["x".into()]));
    }

    #[test]
    fn validation_names_the_key() {
        let mut c = Config::default();
        c.widgets.get_mut("upsell").unwrap().threshold = 1.5;
        let e = c.validate().unwrap_err();
        assert_eq!(e.key, "widgets.upsell.threshold");
        assert!(e.message.contains("allowed 0 to 1"), "{e}");

        let mut c = Config::default();
        c.widgets.get_mut("popular").unwrap().filters.added =
            Some(vec![DateRange { from: Some("2024-02-30".into()), to: None }]);
        let e = c.validate().unwrap_err();
        assert_eq!(e.key, "widgets.popular.filters.added[0].from");

        let mut c = Config::default();
        c.training.min_count = 0;
        assert_eq!(c.validate().unwrap_err().key, "training.min_count");
    }
}
