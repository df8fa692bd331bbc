//! Editorial lists: the snapshot's `[lists.NAME]` resolved to catalog indices once, and the step
//! that offers them in their order, through the widget's rules like every other step.

use std::collections::BTreeMap;

use super::Run;
use crate::catalog::Catalog;
use crate::config::{EditorialList, Source, Step};

/// A list's index in name order; `NO_LIST` matches none (an unknown name gives nothing).
pub(super) type ListIndex = u16;
const NO_LIST: ListIndex = ListIndex::MAX;

/// One step of a compiled chain: the source and, for `editorial`, which list (`None`: every
/// list, in name order).
pub(super) type Link = (Source, Option<ListIndex>);

/// A list with its products as catalog indices (ids not in the catalog dropped).
#[derive(Debug, Clone)]
pub(super) struct List {
    pub title: Option<String>,
    pub products: Vec<u32>,
}

/// The snapshot's lists in name order.
pub(super) fn resolve(lists: &BTreeMap<String, EditorialList>, catalog: &Catalog) -> Vec<List> {
    lists
        .values()
        .map(|l| List {
            title: l.title.clone(),
            products: l.products.iter().filter_map(|id| catalog.index_of(id)).collect(),
        })
        .collect()
}

/// A chain step as the engine runs it: `list:NAME` and the `editorial` step of a widget with a
/// `list` name one list by index.
pub(super) fn link(step: &Step, widget_list: Option<&str>, names: &BTreeMap<String, EditorialList>) -> Link {
    let index = |name: &str| names.keys().position(|n| n == name).map_or(NO_LIST, |i| i as ListIndex);
    match step {
        Step::List(name) => (Source::Editorial, Some(index(name))),
        Step::Source(Source::Editorial) => (Source::Editorial, widget_list.map(index)),
        Step::Source(s) => (*s, None),
    }
}

impl Run<'_> {
    /// The list's products in order, scored (n - i) / n over the products offered, so that
    /// `threshold` keeps the head of the list; each item remembers its list (for its reason).
    pub(super) fn editorial(&mut self, step: u32, list: Option<ListIndex>) {
        let rec = self.rec;
        let lists = &rec.lists;
        let chosen = match list {
            Some(i) => lists.get(i as usize).map(std::slice::from_ref).unwrap_or_default(),
            None => lists.as_slice(),
        };
        let n = chosen.iter().map(|l| l.products.len()).sum::<usize>() as f32;
        let (mut best, mut offset) = (None, 0);
        for (i, l) in chosen.iter().enumerate() {
            let from = self.out.len();
            let scored = l.products.iter().enumerate().map(|(j, &p)| (p, (n - (offset + j) as f32) / n, None));
            let more = self.take_from(Source::Editorial, step, scored, &mut best);
            let index = list.unwrap_or(i as ListIndex);
            for r in &mut self.out[from..] {
                r.list = Some(index);
            }
            offset += l.products.len();
            if !more {
                return;
            }
        }
    }
}

impl super::Recommender {
    /// The title of the editorial list an item came from, when it has one.
    pub(super) fn list_title(&self, r: &super::Recommendation) -> Option<&str> {
        r.list.and_then(|i| self.lists.get(usize::from(i))?.title.as_deref())
    }

    /// The heading of the step that gave `r`: its editorial list's title, else its source's.
    pub(super) fn heading(&self, r: &super::Recommendation) -> &str {
        self.list_title(r).unwrap_or(r.source.spec().title)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fixture_with;
    use super::super::{Context, Overrides, Recommendations, Recommender};
    use crate::config::{Config, EditorialList, Filters, Source, Step};

    fn with_lists(lists: &[(&str, Option<&str>, &[&str])]) -> Recommender {
        let mut config = Config::default();
        for &(name, title, products) in lists {
            let products = products.iter().map(|p| p.to_string()).collect();
            config.lists.insert(name.into(), EditorialList { products, title: title.map(String::from) });
        }
        config.validate().unwrap();
        fixture_with(config)
    }

    fn ids(r: &Recommender, got: &Recommendations) -> Vec<String> {
        got.items.iter().map(|i| r.catalog().id(i.product).to_string()).collect()
    }

    fn list(name: &str) -> Overrides {
        Overrides { list: Some(name.into()), fallback: Some(vec![]), ..Default::default() }
    }

    const SUMMER: (&str, Option<&str>, &[&str]) =
        ("summer", Some("Summer sale"), &["knife-b", "nope", "apron", "knife-b", "mug"]);

    #[test]
    fn the_list_keeps_its_order_scored_by_position() {
        let r = with_lists(&[SUMMER]);
        let got = r.recommend("editorial", &Context::default(), &list("summer")).unwrap();
        // "nope" is not in the catalog and the repeat of knife-b is skipped: of the 4 known
        // entries, knife-b is 4/4, apron 3/4, mug 1/4.
        assert_eq!(ids(&r, &got), ["knife-b", "apron", "mug"]);
        let scores: Vec<f32> = got.items.iter().map(|i| i.score).collect();
        assert_eq!(scores, [1.0, 0.75, 0.25]);
        assert!(got.items.iter().all(|i| i.source == Source::Editorial && i.step == 1 && i.list == Some(0)));
        assert_eq!(r.describe(&got.items[0]).explanation, "Picked by our team: Summer sale");
        // The threshold keeps the head of the list.
        let head = Overrides { threshold: Some(0.5), ..list("summer") };
        assert_eq!(ids(&r, &r.recommend("editorial", &Context::default(), &head).unwrap()), ["knife-b", "apron"]);
    }

    #[test]
    fn filters_blacklist_current_product_and_purchases_apply() {
        let all = ["knife-b", "apron", "mug", "board", "knife-d", "knife-c", "sharpener"];
        let mut r = with_lists(&[("all", None, &all)]);
        let mut s = r.snapshot().clone();
        s.config.blacklist = vec!["apron".into()];
        r = Recommender::new(s);
        let ctx = Context { product: Some("knife-b".into()), purchased: vec!["mug".into()], ..Default::default() };
        // knife-b is the page's product, apron blacklisted, mug bought, knife-d out of stock.
        let got = r.recommend("editorial", &ctx, &list("all")).unwrap();
        assert_eq!(ids(&r, &got), ["board", "knife-c", "sharpener"]);
        assert_eq!(r.describe(&got.items[0]).explanation, "Picked by our team");
        let acme = Overrides {
            filters: Some(Filters { brands: Some(vec!["Acme".into()]), ..Default::default() }),
            ..list("all")
        };
        assert_eq!(ids(&r, &r.recommend("editorial", &ctx, &acme).unwrap()), ["board", "knife-c"]);
        let bought = Overrides { exclude_purchased: Some(false), ..list("all") };
        assert_eq!(ids(&r, &r.recommend("editorial", &ctx, &bought).unwrap())[0], "mug");
    }

    #[test]
    fn a_list_as_a_fallback_step_fills_after_the_widgets_own_steps() {
        let r = with_lists(&[SUMMER]);
        let fallback = Some(vec![Step::List("summer".into()), Source::Popular.into()]);
        let over = Overrides { fallback, limit: Some(6), ..Default::default() };
        let got = r
            .recommend("also_bought", &Context { product: Some("knife-a".into()), ..Default::default() }, &over)
            .unwrap();
        // Bought with knife-a: board, knife-b, sharpener (knife-d is out of stock); then the
        // list (knife-b already listed), then popular.
        assert_eq!(ids(&r, &got), ["board", "knife-b", "sharpener", "apron", "mug", "knife-c"]);
        let steps: Vec<(Source, u32)> = got.items.iter().map(|i| (i.source, i.step)).collect();
        assert_eq!(steps[3..], [(Source::Editorial, 2), (Source::Editorial, 2), (Source::Popular, 3)]);
        assert!(!got.from_fallback);
        // Nothing was bought with knife-c: the list fills the widget and gives its heading.
        let got = r
            .recommend("also_bought", &Context { product: Some("knife-c".into()), ..Default::default() }, &over)
            .unwrap();
        assert!(got.from_fallback);
        assert_eq!(got.fallback_title.as_deref(), Some("Summer sale"));
    }

    #[test]
    fn unknown_lists_in_a_request_are_errors_naming_the_option() {
        let r = with_lists(&[SUMMER]);
        let e = r.recommend("editorial", &Context::default(), &list("winter")).unwrap_err();
        assert_eq!(e.to_string(), "invalid option `list`: no list \"winter\"; lists: summer");
        let over = Overrides { fallback: Some(vec![Step::List("winter".into())]), ..Default::default() };
        let e = r.recommend("popular", &Context::default(), &over).unwrap_err();
        assert_eq!(e.to_string(), "invalid option `fallback[0]`: no list \"winter\"; lists: summer");
        // An empty name is every list.
        assert_eq!(r.recommend("editorial", &Context::default(), &list("")).unwrap().items.len(), 3);
    }

    #[test]
    fn the_built_in_widget_shows_every_list_in_name_order_else_popular() {
        let r = with_lists(&[("b", Some("B"), &["board", "mug"]), ("a", None, &["mug"])]);
        let got = r.recommend("editorial", &Context::default(), &list("")).unwrap();
        assert_eq!(ids(&r, &got), ["mug", "board"]);
        assert_eq!(got.items.iter().map(|i| i.list).collect::<Vec<_>>(), [Some(0), Some(1)]);
        assert_eq!(r.describe(&got.items[1]).explanation, "Picked by our team: B");

        let r = fixture_with(Config::default());
        let got = r.recommend("editorial", &Context::default(), &Overrides::default()).unwrap();
        assert!(got.from_fallback && got.items.iter().all(|i| i.source == Source::Popular));
        assert_eq!(ids(&r, &got)[..3], ["mug", "board", "knife-c"]);
        assert_eq!(got.fallback_title.as_deref(), Some("Popular right now"));
    }
}
