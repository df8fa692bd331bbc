//! `edgerec evaluate next-item --holdout-days N` (a validation split cut from the training file)
//! and `--personalize` (the widget without and with the active personalisation model, on the
//! same cases: `crate::evaluate::personal`).

use super::*;
use crate::evaluate::personal::{compare, Target};
use crate::ingest::events::Event;

/// `--target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetArg {
    /// The next view of the session.
    View,
    /// The products of the next order.
    Purchase,
}

/// The training and held-out events, interned alike, and the snapshot built from the first.
struct Split {
    rec: Recommender,
    tuning: Option<Tuning>,
    train: Vec<Event>,
    test: Vec<Event>,
    custom_kinds: Vec<String>,
}

fn split(
    a: &NextItemArgs,
    config: &Config,
    tune: Result<(), String>,
    rejections: &mut Rejections,
) -> Result<Split, Error> {
    if let Some(days) = a.holdout_days {
        let inputs = read_inputs(&a.catalog, std::slice::from_ref(&a.train), a.strict, true)?;
        rejections.add(&inputs.catalog_report).add(&inputs.log.report).add_unknown(&inputs.log);
        let newest = inputs.log.events.iter().map(|e| e.ts).max();
        let newest = newest.ok_or_else(|| format!("{}: no events to hold out days of", a.train.display()))?;
        let cutoff = newest - i64::from(days) * crate::time::DAY;
        let (rec, tuning) = train_on(inputs.catalog, &inputs.log, config, Some(cutoff - 1), tune);
        let (test, train) = inputs.log.events.iter().partition(|e| e.ts >= cutoff);
        return Ok(Split { rec, tuning, train, test, custom_kinds: inputs.log.custom_kinds });
    }
    let test_path = a.test.as_deref().expect("clap requires --test without --holdout-days");
    let (rec, _, tuning) = train(&a.catalog, &a.train, config, a.strict, tune, rejections)?;
    // Both files into one log, so that a shopper's ids intern alike (the training file's
    // rejected rows were counted when training read it).
    let mut log = EventLog::new();
    log.read(&a.train, rec.catalog(), a.strict, &mut |_, _| {})?;
    let at = log.events.len();
    let unknown_before = log.unknown_examples.len();
    rejections.add(&log.read(test_path, rec.catalog(), a.strict, &mut |_, _| {})?);
    rejections.problems.extend(log.unknown_examples[unknown_before..].iter().cloned());
    let test = log.events.split_off(at);
    Ok(Split { rec, tuning, train: log.events, test, custom_kinds: log.custom_kinds })
}

/// Runs `edgerec evaluate next-item` with `--holdout-days` or `--personalize`.
pub(super) fn run(
    a: &NextItemArgs,
    config: &Config,
    widget: &WidgetConfig,
    tune: Result<(), String>,
) -> Result<(), Error> {
    if a.predictions.is_some() || a.report.is_some() {
        return Err("--predictions and --report are not available with --holdout-days or --personalize".into());
    }
    let mut rejections = Rejections::default();
    let t = Instant::now();
    let s = split(a, config, tune, &mut rejections)?;
    let build_secs = t.elapsed().as_secs_f64();
    let rec = &s.rec;
    let p = &rec.snapshot().config.personalization;
    if a.personalize && !p.enabled {
        return Err("--personalize: the configuration's [personalization] is off; set `enabled = true` \
                    (examples/personalization.toml)"
            .into());
    }
    let t = Instant::now();
    let held = if a.holdout_days.is_some() { "held-out days" } else { "test file" };
    let (rows, title, extra) = if a.personalize {
        let target = match a.target {
            TargetArg::View => Target::View,
            TargetArg::Purchase => Target::Purchase,
        };
        let cmp = compare(rec, &a.widget, widget, &s.train, &s.test, target, a.k);
        let (off, on) = (cmp.rows[0].ndcg, cmp.rows[1].ndcg);
        let lift = if off > 0.0 { 100.0 * (on - off) / off } else { 0.0 };
        let what = if target == Target::View { "next views" } else { "next orders" };
        let title = format!(
            "edgerec evaluate next-item --personalize: {} {what} of {} shoppers in the {held}, each with the history its Session holds",
            thousands(cmp.rows[0].cases),
            thousands(cmp.shoppers)
        );
        let line = format!(
            "personalisation (model \"{}\", strength {}): NDCG@{} {:.2} -> {:.2} ({lift:+.1}%); the lists differ in {} of {} cases, on which NDCG@{} is {:.2} -> {:.2}",
            p.active,
            p.strength,
            a.k,
            100.0 * off,
            100.0 * on,
            thousands(cmp.changed),
            thousands(cmp.rows[0].cases),
            a.k,
            100.0 * cmp.changed_ndcg.0,
            100.0 * cmp.changed_ndcg.1,
        );
        let json = json!({
            "personalize": true, "target": if target == Target::View { "view" } else { "purchase" },
            "model": p.active, "strength": p.strength, "shoppers": cmp.shoppers, "changed": cmp.changed,
            "changedNdcg": [cmp.changed_ndcg.0, cmp.changed_ndcg.1],
            "ndcgLiftPercent": lift,
        });
        (cmp.rows, title, Some((line, json)))
    } else {
        let mut log = EventLog::new();
        log.events = s.test.clone();
        log.custom_kinds = s.custom_kinds.clone();
        let sessions = view_sessions(&log, rec.session_gap());
        let rows = next_item(rec, &a.widget, widget, &sessions, a.k, &|_| String::new(), None)?;
        let title = format!("edgerec evaluate next-item: {} sessions in the {held}", thousands(sessions.len() as u64));
        (rows, title, None)
    };
    let eval_secs = t.elapsed().as_secs_f64();
    if a.json {
        let mut v = json!({
            "protocol": "next-item", "k": a.k, "widget": a.widget, "holdoutDays": a.holdout_days,
            "buildSeconds": build_secs, "evaluateSeconds": eval_secs, "results": rows,
            "tuning": s.tuning.as_ref().map(tuning_json),
        });
        if let (Some(o), Some((_, serde_json::Value::Object(x)))) = (v.as_object_mut(), extra.clone()) {
            o.extend(x);
        }
        println!("{}", serde_json::to_string_pretty(&with_rejections(v, &rejections))?);
        return Ok(());
    }
    print(&format!("{title}; build {build_secs:.2} s, evaluate {eval_secs:.2} s"), a.k, &rows, false);
    if let Some((line, _)) = extra {
        println!("  {line}");
    }
    if let Some(t) = &s.tuning {
        println!("  tuning: {}", tuning_line(t));
    }
    print_rejections(&rejections);
    Ok(())
}
