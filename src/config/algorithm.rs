//! The algorithms a widget runs and the sources (steps) its chain is made of.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::sources::{SourceSpec, SOURCES};
use super::Step;

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
    /// Alike by catalog attributes (`[similarity]`); needs no events.
    Similar,
    /// Most added to cart (time-decayed).
    MostCarted,
    /// Most added to cart in the current product's category.
    MostCartedInCategory,
    /// Added to the catalog lately (`filters.added_within_days`, 30 by default), newest first.
    RecentlyAdded,
    /// The same, in the current product's category.
    RecentlyAddedInCategory,
    /// Demand rising fastest against its own baseline (`[trending]`).
    Trending,
    /// The same, in the current product's category.
    TrendingInCategory,
    /// What shoppers who viewed the current product ultimately bought instead
    /// (`training.journey_days`), not what they bought with it.
    UltimatelyBought,
    /// The products of the bundles (exact combinations bought as one order) that contain the
    /// current product, best bundle first.
    Bundle,
    /// From the shopper's own purchases with times: the products bought regularly whose next
    /// purchase is due (`[recurring]`).
    Recurring,
    /// The products the request's segment (business account) viewed most recently.
    SegmentLastViewed,
    /// The products the request's segment bought in the last `segments.purchased_days`.
    SegmentLastPurchased,
    /// The products the request's segment buys regularly whose next purchase is due.
    SegmentRecurring,
    /// A merchandiser's list (`[lists.NAME]`), in its order: the widget's `list`, else every list.
    Editorial,
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
    /// Alike by catalog attributes.
    Similar,
    /// Global most added to cart.
    MostCarted,
    /// Most added to cart in the anchor's categories.
    MostCartedInCategory,
    /// Newest products.
    RecentlyAdded,
    /// Newest products in the anchor's categories.
    RecentlyAddedInCategory,
    /// Rising demand.
    Trending,
    /// Rising demand in the anchor's categories.
    TrendingInCategory,
    /// Viewed the anchor, then bought this within the journey.
    UltimatelyBought,
    /// In a bundle with the anchor.
    Bundle,
    /// Bought regularly by the shopper and due again.
    Recurring,
    /// Viewed lately by the request's segment.
    SegmentLastViewed,
    /// Bought lately by the request's segment.
    SegmentLastPurchased,
    /// Bought regularly by the request's segment and due again.
    SegmentRecurring,
    /// An editorial list (`[lists.NAME]`).
    Editorial,
}

impl Source {
    /// Every source, in declaration order.
    pub const ALL: [Source; 26] = [
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
        Source::Similar,
        Source::MostCarted,
        Source::MostCartedInCategory,
        Source::RecentlyAdded,
        Source::RecentlyAddedInCategory,
        Source::Trending,
        Source::TrendingInCategory,
        Source::UltimatelyBought,
        Source::Bundle,
        Source::Recurring,
        Source::SegmentLastViewed,
        Source::SegmentLastPurchased,
        Source::SegmentRecurring,
        Source::Editorial,
    ];

    /// The `snake_case` name used in configs and reasons.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The source's row of [`SOURCES`].
    pub fn spec(self) -> &'static SourceSpec {
        &SOURCES[self as usize]
    }

    /// Looks a source up by its config name.
    pub fn from_name(name: &str) -> Option<Source> {
        SOURCES.iter().find(|s| s.name == name).map(|s| s.source)
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
    pub const ALL: [Algorithm; 26] = [
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
        Algorithm::Similar,
        Algorithm::MostCarted,
        Algorithm::MostCartedInCategory,
        Algorithm::RecentlyAdded,
        Algorithm::RecentlyAddedInCategory,
        Algorithm::Trending,
        Algorithm::TrendingInCategory,
        Algorithm::UltimatelyBought,
        Algorithm::Bundle,
        Algorithm::Recurring,
        Algorithm::SegmentLastViewed,
        Algorithm::SegmentLastPurchased,
        Algorithm::SegmentRecurring,
        Algorithm::Editorial,
    ];

    /// The `snake_case` name used in configs.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The algorithm's row of [`ALGORITHMS`].
    pub fn spec(self) -> &'static AlgorithmSpec {
        &ALGORITHMS[self as usize]
    }

    /// Looks an algorithm up by its config name.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        ALGORITHMS.iter().find(|a| a.name == name).map(|a| a.algorithm)
    }

    /// The algorithm's own steps, tried in order before the widget's fallback.
    pub fn steps(self) -> &'static [Source] {
        self.spec().steps
    }

    /// The rule the algorithm applies to every candidate of every step.
    pub fn constraint(self) -> Constraint {
        self.spec().constraint
    }

    /// The fallback chain a widget gets when its config names none.
    pub fn default_fallback(self) -> Vec<Step> {
        self.spec().fallback.iter().map(|&s| Step::Source(s)).collect()
    }

    /// The heading a widget of this algorithm shows when its config gives no title.
    pub fn default_title(self) -> &'static str {
        self.spec().title
    }
}

/// One algorithm, as data: the row every consumer (engine, CLI, docs, JS package, preview page)
/// reads instead of keeping its own copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlgorithmSpec {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Its `snake_case` name in configs and requests.
    pub name: &'static str,
    /// The heading of a widget that gives no title.
    pub title: &'static str,
    /// Its own steps, tried in order before the widget's fallback.
    pub steps: &'static [Source],
    /// The rule it applies to every candidate of every step.
    pub constraint: Constraint,
    /// The fallback chain of a widget whose config names none.
    pub fallback: &'static [Source],
    /// Whether the anchors (the current product, the cart, the latest view) are left out of its
    /// list. History lists (previously viewed, the in-session list) may show them.
    pub excludes_anchors: bool,
    /// Whether a widget of this algorithm leaves out what the shopper bought, by default.
    /// History lists (previously viewed, recurring purchases) do not.
    pub excludes_purchased: bool,
    /// The `filters.added_within_days` a widget of this algorithm gets by default.
    pub max_age_days: Option<u32>,
    /// One line for docs and the preview page.
    pub doc: &'static str,
}

const fn row(
    algorithm: Algorithm,
    name: &'static str,
    title: &'static str,
    steps: &'static [Source],
    fallback: &'static [Source],
    doc: &'static str,
) -> AlgorithmSpec {
    AlgorithmSpec {
        algorithm,
        name,
        title,
        steps,
        constraint: Constraint::None,
        fallback,
        excludes_anchors: true,
        excludes_purchased: true,
        max_age_days: None,
        doc,
    }
}

use Source as S;

const TOGETHER: &[Source] = &[S::BoughtTogether, S::CartedTogether, S::ViewedTogether];

/// Every algorithm, in declaration order (`Algorithm as usize` indexes it).
pub const ALGORITHMS: [AlgorithmSpec; 26] = [
    AlgorithmSpec {
        excludes_anchors: false,
        excludes_purchased: false,
        ..row(
            Algorithm::PreviouslyViewed,
            "previously_viewed",
            "Recently viewed",
            &[S::PreviouslyViewed],
            &[],
            "The session's views, most recent first.",
        )
    },
    AlgorithmSpec {
        constraint: Constraint::SameCategoryPricier,
        ..row(
            Algorithm::Upsell,
            "upsell",
            "You may also like",
            TOGETHER,
            &[S::MostPurchasedInCategory, S::PopularInCategory],
            "Same category, same price or higher, bought / carted / viewed with the current product.",
        )
    },
    AlgorithmSpec {
        constraint: Constraint::OtherCategory,
        ..row(
            Algorithm::CrossSell,
            "cross_sell",
            "Complete your purchase",
            TOGETHER,
            &[S::MostPurchased, S::Popular],
            "Other categories, bought / carted / viewed with the current product or the cart.",
        )
    },
    row(
        Algorithm::AlsoViewed,
        "also_viewed",
        "Shoppers also viewed",
        &[S::ViewedTogether],
        &[S::Similar, S::MostViewedInCategory, S::MostViewed],
        "Viewed in the same sessions as the current product.",
    ),
    row(
        Algorithm::AlsoBought,
        "also_bought",
        "Frequently bought together",
        &[S::BoughtTogether],
        &[S::MostPurchasedInCategory, S::MostPurchased],
        "Bought in the same orders as the current product.",
    ),
    row(
        Algorithm::MostViewed,
        "most_viewed",
        "Most viewed",
        &[S::MostViewed],
        &[S::Popular],
        "Most viewed (time-decayed).",
    ),
    row(
        Algorithm::MostViewedInCategory,
        "most_viewed_in_category",
        "Most viewed in this category",
        &[S::MostViewedInCategory],
        &[S::Popular],
        "Most viewed in the current product's category.",
    ),
    row(
        Algorithm::MostPurchased,
        "most_purchased",
        "Best sellers",
        &[S::MostPurchased],
        &[S::Popular],
        "Most units bought in the recent window.",
    ),
    row(
        Algorithm::MostPurchasedInCategory,
        "most_purchased_in_category",
        "Best sellers in this category",
        &[S::MostPurchasedInCategory],
        &[S::Popular],
        "Most units bought in the current product's category.",
    ),
    row(
        Algorithm::Popular,
        "popular",
        "Popular right now",
        &[S::Popular],
        &[],
        "The weighted blend of every event kind (time-decayed).",
    ),
    row(
        Algorithm::PopularInCategory,
        "popular_in_category",
        "Popular in this category",
        &[S::PopularInCategory],
        &[S::Popular],
        "The blend, in the current product's category.",
    ),
    AlgorithmSpec {
        excludes_anchors: false,
        ..row(
            Algorithm::ForYou,
            "for_you",
            "Picked for you",
            &[S::ForYou],
            &[S::Popular],
            "From everything in the session so far, recent events weighing more.",
        )
    },
    row(
        Algorithm::Similar,
        "similar",
        "Similar products",
        &[S::Similar],
        &[S::MostViewedInCategory, S::PopularInCategory],
        "Alike by catalog attributes (category, brand, title, price, ...); works for products with no events.",
    ),
    row(
        Algorithm::MostCarted,
        "most_carted",
        "Most added to cart",
        &[S::MostCarted],
        &[S::Popular],
        "Most added to cart (time-decayed).",
    ),
    row(
        Algorithm::MostCartedInCategory,
        "most_carted_in_category",
        "Most added to cart in this category",
        &[S::MostCartedInCategory],
        &[S::Popular],
        "Most added to cart in the current product's category.",
    ),
    AlgorithmSpec {
        max_age_days: Some(30),
        ..row(
            Algorithm::RecentlyAdded,
            "recently_added",
            "New arrivals",
            &[S::RecentlyAdded],
            &[],
            "Added to the catalog within filters.added_within_days (30) of now, newest first; needs no events.",
        )
    },
    AlgorithmSpec {
        max_age_days: Some(30),
        ..row(
            Algorithm::RecentlyAddedInCategory,
            "recently_added_in_category",
            "New in this category",
            &[S::RecentlyAddedInCategory],
            &[S::RecentlyAdded],
            "The same, in the current product's category.",
        )
    },
    row(
        Algorithm::Trending,
        "trending",
        "Trending now",
        &[S::Trending],
        &[S::Popular],
        "Demand in the last window_days rising fastest against its own baseline, with a floor of distinct shoppers.",
    ),
    row(
        Algorithm::TrendingInCategory,
        "trending_in_category",
        "Trending in this category",
        &[S::TrendingInCategory],
        &[S::Trending, S::PopularInCategory],
        "The same, in the current product's category.",
    ),
    row(
        Algorithm::UltimatelyBought,
        "ultimately_bought",
        "What shoppers ultimately bought",
        &[S::UltimatelyBought],
        &[S::MostPurchasedInCategory, S::MostPurchased],
        "Bought by shoppers after viewing the current product (journey_days), not together with it.",
    ),
    row(
        Algorithm::Bundle,
        "bundle",
        "Frequently bought together",
        &[S::Bundle],
        &[],
        "The products of the exact combinations bought as one order that contain the current product.",
    ),
    AlgorithmSpec {
        excludes_anchors: false,
        excludes_purchased: false,
        ..row(
            Algorithm::Recurring,
            "recurring",
            "Buy again soon",
            &[S::Recurring],
            &[],
            "The shopper's own regular purchases whose next purchase is due (from show_from of the interval).",
        )
    },
    AlgorithmSpec {
        excludes_anchors: false,
        excludes_purchased: false,
        ..row(
            Algorithm::SegmentLastViewed,
            "segment_last_viewed",
            "Your team viewed",
            &[S::SegmentLastViewed],
            &[],
            "The most recent distinct products viewed by anyone in the request's segment, newest first.",
        )
    },
    AlgorithmSpec {
        excludes_anchors: false,
        excludes_purchased: false,
        ..row(
            Algorithm::SegmentLastPurchased,
            "segment_last_purchased",
            "Your team bought",
            &[S::SegmentLastPurchased],
            &[],
            "The products bought by anyone in the request's segment in the last segments.purchased_days, newest first.",
        )
    },
    AlgorithmSpec {
        excludes_anchors: false,
        excludes_purchased: false,
        ..row(
            Algorithm::SegmentRecurring,
            "segment_recurring",
            "Your team's regular order",
            &[S::SegmentRecurring],
            &[],
            "The products the request's segment buys regularly whose next purchase is due (from the segment's demand per day).",
        )
    },
    row(
        Algorithm::Editorial,
        "editorial",
        "Staff picks",
        &[S::Editorial],
        &[S::Popular],
        "A merchandiser's list ([lists.NAME], the widget's list = \"NAME\"; every list without one), in its order.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_indexed_by_the_enums() {
        for (i, a) in Algorithm::ALL.iter().enumerate() {
            assert_eq!(ALGORITHMS[i].algorithm, *a, "row {i} of ALGORITHMS");
            assert_eq!(Algorithm::from_name(a.name()), Some(*a));
        }
        for (i, s) in Source::ALL.iter().enumerate() {
            assert_eq!(SOURCES[i].source, *s, "row {i} of SOURCES");
            assert_eq!(Source::from_name(s.name()), Some(*s));
        }
        let names: Vec<&str> = ALGORITHMS.iter().map(|a| a.name).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "algorithm names are unique");
    }

    #[test]
    fn every_section_a_source_reads_is_a_snapshot_section() {
        for s in SOURCES {
            for section in s.sections {
                assert!(crate::snapshot::SECTIONS.iter().any(|x| x.name == *section), "{}: {section}", s.name);
            }
        }
    }
}
