//! The sources a widget's chain is made of, as data: one row per [`Source`] with its name,
//! heading, the snapshot sections it reads and its explanation.

use super::algorithm::Source;

/// One source (a step of a chain), as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceSpec {
    /// The source.
    pub source: Source,
    /// Its `snake_case` name in configs and in every item's `reason`.
    pub name: &'static str,
    /// The heading that says where a list came from when this step filled it (a fallback step
    /// does not claim the widget's own title).
    pub title: &'static str,
    /// The snapshot sections it reads: without them it gives nothing and the chain goes on.
    pub sections: &'static [&'static str],
    /// Why an item of this source is there, in words.
    pub explain: Explain,
}

/// An item's reason in words: with the anchor's title between two parts, or plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explain {
    /// Before and after the anchor's title (`Often bought together with ` *title*), for sources
    /// that have an anchor; for an editorial list, around the list's title.
    pub anchored: Option<(&'static str, &'static str)>,
    /// Without an anchor, or for sources that never have one.
    pub plain: &'static str,
}

use Source as S;

/// Every source, in declaration order (`Source as usize` indexes it).
pub const SOURCES: [SourceSpec; 26] = [
    SourceSpec {
        source: S::ForceInclude,
        explain: Explain { anchored: None, plain: "Featured by the store" },
        name: "force_include",
        title: "Featured",
        sections: &[],
    },
    SourceSpec {
        source: S::PreviouslyViewed,
        explain: Explain { anchored: None, plain: "You viewed this recently" },
        name: "previously_viewed",
        title: "Recently viewed",
        sections: &[],
    },
    SourceSpec {
        source: S::BoughtTogether,
        explain: Explain {
            anchored: Some(("Often bought together with ", "")),
            plain: "Often bought together with this product",
        },
        name: "bought_together",
        title: "Frequently bought together",
        sections: &["neighbours.bought_together"],
    },
    SourceSpec {
        source: S::CartedTogether,
        explain: Explain {
            anchored: Some(("Often added to cart with ", "")),
            plain: "Often added to cart with this product",
        },
        name: "carted_together",
        title: "Often added to cart together",
        sections: &["neighbours.carted_together"],
    },
    SourceSpec {
        source: S::ViewedTogether,
        explain: Explain {
            anchored: Some(("Shoppers who viewed ", " also viewed this")),
            plain: "Shoppers who viewed this product also viewed this",
        },
        name: "viewed_together",
        title: "Shoppers also viewed",
        sections: &["neighbours.viewed_together"],
    },
    SourceSpec {
        source: S::ForYou,
        explain: Explain { anchored: Some(("Related to ", ", from your visit")), plain: "Based on your visit" },
        name: "for_you",
        title: "Picked for you",
        sections: &[
            "neighbours.viewed_next",
            "neighbours.viewed_together",
            "neighbours.carted_together",
            "neighbours.bought_together",
            "popularity.popular",
        ],
    },
    SourceSpec {
        source: S::MostViewed,
        explain: Explain { anchored: None, plain: "Among the most viewed" },
        name: "most_viewed",
        title: "Most viewed",
        sections: &["popularity.views"],
    },
    SourceSpec {
        source: S::MostViewedInCategory,
        explain: Explain { anchored: None, plain: "Among the most viewed in this category" },
        name: "most_viewed_in_category",
        title: "Most viewed in this category",
        sections: &["popularity.views"],
    },
    SourceSpec {
        source: S::MostPurchased,
        explain: Explain { anchored: None, plain: "A best seller" },
        name: "most_purchased",
        title: "Best sellers",
        sections: &["popularity.purchases"],
    },
    SourceSpec {
        source: S::MostPurchasedInCategory,
        explain: Explain { anchored: None, plain: "A best seller in this category" },
        name: "most_purchased_in_category",
        title: "Best sellers in this category",
        sections: &["popularity.purchases"],
    },
    SourceSpec {
        source: S::Popular,
        explain: Explain { anchored: None, plain: "Popular right now" },
        name: "popular",
        title: "Popular right now",
        sections: &["popularity.popular"],
    },
    SourceSpec {
        source: S::PopularInCategory,
        explain: Explain { anchored: None, plain: "Popular in this category" },
        name: "popular_in_category",
        title: "Popular in this category",
        sections: &["popularity.popular"],
    },
    SourceSpec {
        source: S::Similar,
        explain: Explain { anchored: Some(("Similar to ", "")), plain: "Similar to this product" },
        name: "similar",
        title: "Similar products",
        sections: &["neighbours.similar"],
    },
    SourceSpec {
        source: S::MostCarted,
        explain: Explain { anchored: None, plain: "Often added to cart" },
        name: "most_carted",
        title: "Most added to cart",
        sections: &["popularity.carts"],
    },
    SourceSpec {
        source: S::MostCartedInCategory,
        explain: Explain { anchored: None, plain: "Often added to cart in this category" },
        name: "most_carted_in_category",
        title: "Most added to cart in this category",
        sections: &["popularity.carts"],
    },
    SourceSpec {
        source: S::RecentlyAdded,
        explain: Explain { anchored: None, plain: "New in" },
        name: "recently_added",
        title: "New arrivals",
        sections: &["catalog.recent"],
    },
    SourceSpec {
        source: S::RecentlyAddedInCategory,
        explain: Explain { anchored: None, plain: "New in this category" },
        name: "recently_added_in_category",
        title: "New in this category",
        sections: &["catalog.recent"],
    },
    SourceSpec {
        source: S::Trending,
        explain: Explain { anchored: None, plain: "Trending now" },
        name: "trending",
        title: "Trending now",
        sections: &["popularity.trending"],
    },
    SourceSpec {
        source: S::TrendingInCategory,
        explain: Explain { anchored: None, plain: "Trending in this category" },
        name: "trending_in_category",
        title: "Trending in this category",
        sections: &["popularity.trending"],
    },
    SourceSpec {
        source: S::UltimatelyBought,
        explain: Explain {
            anchored: Some(("Shoppers who viewed ", " ultimately bought this")),
            plain: "Shoppers who viewed this product ultimately bought this",
        },
        name: "ultimately_bought",
        title: "Ultimately bought",
        sections: &["neighbours.ultimately_bought"],
    },
    SourceSpec {
        source: S::Bundle,
        explain: Explain { anchored: Some(("Bought as a set with ", "")), plain: "Bought as a set with this product" },
        name: "bundle",
        title: "Frequently bought together",
        sections: &["bundles"],
    },
    SourceSpec {
        source: S::Recurring,
        explain: Explain { anchored: None, plain: "Time to buy this again: you buy it regularly" },
        name: "recurring",
        title: "Buy again soon",
        sections: &["recurring"],
    },
    SourceSpec {
        source: S::SegmentLastViewed,
        explain: Explain { anchored: None, plain: "Viewed lately by your team" },
        name: "segment_last_viewed",
        title: "Your team viewed",
        sections: &["segments"],
    },
    SourceSpec {
        source: S::SegmentLastPurchased,
        explain: Explain { anchored: None, plain: "Bought lately by your team" },
        name: "segment_last_purchased",
        title: "Your team bought",
        sections: &["segments"],
    },
    SourceSpec {
        source: S::SegmentRecurring,
        explain: Explain { anchored: None, plain: "Your team buys this regularly: due again" },
        name: "segment_recurring",
        title: "Your team's regular order",
        sections: &["segments"],
    },
    SourceSpec {
        source: S::Editorial,
        explain: Explain { anchored: Some(("Picked by our team: ", "")), plain: "Picked by our team" },
        name: "editorial",
        title: "Staff picks",
        sections: &[],
    },
];
