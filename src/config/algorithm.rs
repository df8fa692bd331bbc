//! The algorithms a widget runs and the sources (steps) its chain is made of.

use std::fmt;

use serde::{Deserialize, Serialize};

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
