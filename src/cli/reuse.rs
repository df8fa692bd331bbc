//! `edgerec build --reuse SNAPSHOT`: applies a configuration change that needs no re-count of
//! events to a built snapshot, without reading the catalog or the events again: switching the
//! active personalisation model, its strength, `group_until_events`, switching personalisation
//! off, and any setting of a model without group profiles (`igp = false`). Anything the builder
//! counted for is refused, naming the key, with the advice to build from the events.

use std::path::Path;

use serde_json::Value;

use super::inspect::load;
use super::output::write_atomic;
use super::Error;
use crate::config::{Config, PersonalizationConfig, PersonalizationModel};
use crate::engine::Recommender;
use crate::snapshot::Snapshot;

/// Rewrites `old` (a snapshot file) with `config` into `out`, atomically; prints what changed.
pub fn run(old: &Path, config: Config, config_file: &str, out: &Path, json: bool) -> Result<(), Error> {
    let (_, mut s) = load(old)?;
    let changed = reusable(&s.config, &config)
        .map_err(|(key, why)| format!("{config_file}: {key}: {why}; build from the events instead (drop --reuse)"))?;
    let c = &s.catalog;
    config
        .personalization
        .check_catalog("personalization", c.attribute_names(), |p| c.category_index(p).is_some())
        .map_err(|e| format!("{config_file}: {e}"))?;
    s.config = config;
    let bytes = s.encode();
    // What is written must load as the browser and the worker load it.
    Recommender::new(Snapshot::decode(&bytes).map_err(|e| format!("{}: {e}", out.display()))?);
    write_atomic(out, &bytes)?;
    if json {
        let v = serde_json::json!({ "out": out.display().to_string(), "bytes": bytes.len(), "changed": changed });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else if changed.is_empty() {
        println!(
            "{}: the configuration is the one {} was built with; rewritten as it was",
            out.display(),
            old.display()
        );
    } else {
        println!(
            "{}: {} changed, from {} with no re-count of events",
            out.display(),
            changed.join(", "),
            old.display()
        );
    }
    Ok(())
}

/// The keys that changed between the configuration a snapshot was built with and `new`, when
/// every change is one the snapshot's counts still serve; else the first key that needs a build
/// from the events, and why.
pub fn reusable(built: &Config, new: &Config) -> Result<Vec<String>, (String, String)> {
    let as_json = |c: &Config| {
        let mut v = serde_json::to_value(c).expect("a configuration serializes");
        v.as_object_mut().expect("an object").remove("personalization");
        v
    };
    let mut outside = Vec::new();
    diff(&as_json(built), &as_json(new), "", &mut outside);
    if let Some(key) = outside.into_iter().next() {
        return Err((key, "changed, and the snapshot's counts were made with the old value".into()));
    }
    let (old, p) = (&built.personalization, &new.personalization);
    if p.enabled {
        for (name, m) in p.models.iter().filter(|(_, m)| m.igp) {
            let key = format!("personalization.models.{name}");
            let Some(o) = old.models.get(name).filter(|o| old.enabled && o.igp) else {
                return Err((key, "needs group profiles (igp = true), which the snapshot was built without".into()));
            };
            if let Some(k) = group_inputs_changed(o, m) {
                return Err((
                    format!("{key}.{k}"),
                    "changed, and its group profiles were built with the old value".into(),
                ));
            }
        }
    }
    let mut changed = Vec::new();
    diff(&personalization_json(old), &personalization_json(p), "personalization", &mut changed);
    Ok(changed)
}

/// The first setting of a model that its group profiles depend on and that differs.
fn group_inputs_changed(o: &PersonalizationModel, m: &PersonalizationModel) -> Option<&'static str> {
    if o.fields != m.fields {
        Some("fields")
    } else if o.events != m.events {
        Some("events")
    } else if o.decay_days != m.decay_days {
        Some("decay_days")
    } else if o.icp != m.icp {
        Some("icp")
    } else if o.categories != m.categories {
        Some("categories")
    } else {
        None
    }
}

fn personalization_json(p: &PersonalizationConfig) -> Value {
    serde_json::to_value(p).expect("a configuration serializes")
}

/// Appends to `out` the dotted keys at which `a` and `b` differ (leaves and whole arrays).
fn diff(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    let join = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                diff(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), &join(k), out);
            }
        }
        _ if a != b => out.push(at.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> Config {
        let mut c = Config::default();
        c.personalization.enabled = true;
        let second = PersonalizationModel { igp: false, ..PersonalizationModel::default() };
        c.personalization.models.insert("second".into(), second);
        c
    }

    #[test]
    fn switching_the_active_model_or_strength_reuses_the_counts() {
        let mut new = on();
        new.personalization.active = "second".into();
        new.personalization.strength = 0.6;
        let changed = reusable(&on(), &new).unwrap();
        assert_eq!(changed, ["personalization.active", "personalization.strength"]);
        // A model without group profiles may change in any way; switching off is always fine.
        new.personalization.models.get_mut("second").unwrap().fields = [("brand".to_string(), 100)].into();
        assert!(reusable(&on(), &new).is_ok());
        new.personalization.enabled = false;
        assert!(reusable(&on(), &new).is_ok());
        assert_eq!(reusable(&on(), &on()).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn changes_the_counts_depend_on_are_refused_with_the_key() {
        let mut new = on();
        new.training.min_count += 1;
        assert_eq!(reusable(&on(), &new).unwrap_err().0, "training.min_count");
        let mut new = on();
        new.personalization.models.get_mut("default").unwrap().decay_days = 7.0;
        assert_eq!(reusable(&on(), &new).unwrap_err().0, "personalization.models.default.decay_days");
        let mut new = on();
        new.personalization.models.get_mut("second").unwrap().igp = true;
        assert_eq!(reusable(&on(), &new).unwrap_err().0, "personalization.models.second");
        // Switching on a snapshot built with personalisation off: no group profiles to use.
        let mut off = on();
        off.personalization.enabled = false;
        assert_eq!(reusable(&off, &on()).unwrap_err().0, "personalization.models.default");
    }
}
