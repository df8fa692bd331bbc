//! The segment steps: what the request's segment (a business account) viewed and bought lately,
//! and what it buys regularly that is due (`segment_last_viewed`, `segment_last_purchased`,
//! `segment_recurring`). A request names one segment (`Context::segment`); without one, or for
//! a segment the snapshot has no lists for, these steps give nothing and the chain goes on.

use super::Run;
use crate::config::Source;
use crate::recurring::due;

const DAY: i64 = 86_400;

impl Run<'_> {
    /// The segment steps.
    pub(super) fn segment(&mut self, source: Source, step: u32) {
        let Some(row) = self.q.segment else { return };
        let lists = &self.rec.snapshot.segments;
        let cfg = &self.rec.snapshot.config;
        let now = self.q.now;
        match source {
            Source::SegmentLastViewed => {
                self.take_in_order(source, step, lists.viewed.row(row));
            }
            Source::SegmentLastPurchased => {
                // The lists are as of the build: a request after it sees the build's last days.
                let end = now.min(self.rec.snapshot.meta.as_of);
                let from = end - i64::from(cfg.segments.purchased_days) * DAY;
                let bought: Vec<u32> =
                    lists.purchased(row).filter(|b| (from..=now).contains(&b.1)).map(|b| b.0).collect();
                self.take_in_order(source, step, &bought);
            }
            _ => {
                let (show_from, stop_after) = (cfg.recurring.show_from, cfg.recurring.stop_after);
                let cands = lists
                    .recurring(row)
                    .filter_map(|r| Some((r.product, due(now, r.last, r.interval_days, show_from, stop_after)?, None)));
                let cands = cands.collect();
                self.take_ranked(source, step, cands);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::test_catalog;
    use crate::config::{Algorithm, WidgetConfig};
    use crate::engine::{Context, Overrides, Recommender};
    use crate::segments::{segment_key, SegmentLists, SegmentRepurchase};
    use crate::snapshot::Snapshot;

    const DAY: i64 = 86_400;

    /// Products a..e; segment "acme" viewed c then a, bought b on day 95 and d on day 88, and
    /// buys e every 10 days (last on day 100).
    fn rec() -> Recommender {
        rec_as_of(200)
    }

    /// [`rec`], built as of `day`.
    fn rec_as_of(day: i64) -> Recommender {
        let mut segments = SegmentLists::default();
        let regular = SegmentRepurchase { product: 4, last: 100 * DAY, interval_days: 10.0 };
        segments.push(segment_key("acme"), [2, 0], [(1, 95 * DAY), (3, 88 * DAY)], [regular]);
        let mut s = Snapshot { catalog: test_catalog(&["a", "b", "c", "d", "e"]), segments, ..Default::default() };
        s.meta.as_of = day * DAY;
        for a in [Algorithm::SegmentLastViewed, Algorithm::SegmentLastPurchased, Algorithm::SegmentRecurring] {
            s.config.widgets.insert(a.name().into(), WidgetConfig::for_algorithm(a));
        }
        Recommender::new(s)
    }

    fn ask(r: &Recommender, widget: &str, segment: Option<&str>, day: f64) -> Vec<String> {
        let ctx =
            Context { segment: segment.map(String::from), now: Some((day * DAY as f64) as i64), ..Default::default() };
        let out = r.recommend(widget, &ctx, &Overrides::default()).unwrap();
        out.items.iter().map(|i| r.catalog().id(i.product).to_string()).collect()
    }

    #[test]
    fn last_viewed_newest_first_and_nothing_without_a_known_segment() {
        let r = rec();
        assert_eq!(ask(&r, "segment_last_viewed", Some("acme"), 100.0), ["c", "a"]);
        assert!(ask(&r, "segment_last_viewed", Some("globex"), 100.0).is_empty());
        assert!(ask(&r, "segment_last_viewed", None, 100.0).is_empty());
    }

    #[test]
    fn last_purchased_keeps_the_last_ten_days_of_the_request_or_the_build() {
        let r = rec();
        assert_eq!(ask(&r, "segment_last_purchased", Some("acme"), 96.0), ["b", "d"]);
        assert_eq!(ask(&r, "segment_last_purchased", Some("acme"), 90.0), ["d"], "b is bought later");
        assert_eq!(ask(&r, "segment_last_purchased", Some("acme"), 100.0), ["b"], "d is 12 days old");
        assert!(ask(&r, "segment_last_purchased", Some("acme"), 105.1).is_empty(), "b is 10.1 days old");
        // Long after a build as of day 104, its last 10 days are shown.
        assert_eq!(ask(&rec_as_of(104), "segment_last_purchased", Some("acme"), 150.0), ["b"]);
    }

    #[test]
    fn a_ten_day_interval_is_shown_two_days_before_it_ends() {
        let r = rec();
        assert!(ask(&r, "segment_recurring", Some("acme"), 107.9).is_empty());
        assert_eq!(ask(&r, "segment_recurring", Some("acme"), 108.0), ["e"]);
        assert_eq!(ask(&r, "segment_recurring", Some("acme"), 130.0), ["e"], "3 intervals: still shown");
        assert!(ask(&r, "segment_recurring", Some("acme"), 130.1).is_empty(), "past stop_after");
    }
}
