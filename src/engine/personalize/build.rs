//! Resolving the configured personalisation models against a snapshot's catalog: the catalog
//! columns used as fields, each model's field weights, category overrides and group profiles.

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::config::{PersonalizationConfig, PersonalizationModel};
use crate::personalization::GroupProfiles;

use super::{Column, Field, Model, Personalizer, NONE};

impl Personalizer {
    /// Resolves the configured models, their fields and their group profiles against `catalog`.
    /// A field or category the catalog does not have is left out (the builder refuses them).
    pub fn new(config: &PersonalizationConfig, groups: &GroupProfiles, catalog: &Catalog) -> Personalizer {
        let mut columns: Vec<Column> = Vec::new();
        for name in config.fields() {
            if crate::config::BUILT_IN_FIELDS.contains(&name) {
                continue;
            }
            let Some(k) = catalog.attribute_names().iter().position(|a| a == name) else { continue };
            let values: Vec<&str> = (0..catalog.len() as u32)
                .map(|p| catalog.attributes(p).find(|(n, _)| *n == catalog.attribute_names()[k]).map_or("", |x| x.1))
                .collect();
            // Value ids in first-seen order (no sort: each sort is a copy of the sort in the wasm).
            let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
            let mut vocab: Vec<String> = Vec::new();
            let of = values
                .iter()
                .map(|&v| {
                    if v.is_empty() {
                        return NONE;
                    }
                    *ids.entry(v).or_insert_with(|| {
                        vocab.push(v.to_string());
                        vocab.len() as u32 - 1
                    })
                })
                .collect();
            let ids = ids.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            columns.push(Column { name: name.to_string(), vocab, ids, of });
        }
        let field_of = |name: &str| -> Option<Field> {
            match name {
                "brand" => Some(Field::Brand),
                "category" => Some(Field::Category),
                "tag" => Some(Field::Tag),
                n => columns.iter().position(|c| c.name == n).map(|i| Field::Column(i as u16)),
            }
        };
        let weights = |m: &std::collections::BTreeMap<String, u32>| -> Vec<(Field, f32)> {
            m.iter().filter(|(_, &w)| w > 0).filter_map(|(k, &w)| Some((field_of(k)?, w as f32 / 100.0))).collect()
        };
        let mut models = Vec::new();
        for (name, m) in &config.models {
            let mut overrides: Vec<(u32, Vec<(Field, f32)>)> = m
                .categories
                .iter()
                .filter_map(|(path, c)| Some((catalog.category_index(path)?, weights(&c.fields))))
                .collect();
            let depth = |c: u32| catalog.category_name(c).matches(crate::catalog::LEVEL_SEPARATOR).count();
            // Deepest first (a handful: an insertion sort).
            for i in 1..overrides.len() {
                let mut j = i;
                while j > 0 && depth(overrides[j - 1].0) < depth(overrides[j].0) {
                    overrides.swap(j - 1, j);
                    j -= 1;
                }
            }
            let fields = weights(&m.fields);
            let mut used: Vec<Field> = Vec::new();
            for f in fields.iter().chain(overrides.iter().flat_map(|o| &o.1)).map(|f| f.0) {
                if !used.contains(&f) {
                    used.push(f);
                }
            }
            let mut model = Model {
                name: name.clone(),
                fields,
                overrides,
                used,
                events: event_weights(m),
                decay_days: m.decay_days,
                in_session: m.in_session,
                icp: m.icp,
                igp: m.igp,
                groups: FxHashMap::default(),
            };
            if let Some(g) = groups.of(name) {
                for group in &g.groups {
                    let mut fields = Vec::new();
                    for fs in &group.fields {
                        let Some(f) = field_of(&fs.field) else { continue };
                        let value = |v: &str| match f {
                            Field::Brand => catalog.brand_index(v),
                            Field::Category => catalog.category_index(v),
                            Field::Tag => catalog.tag_index(v),
                            Field::Column(i) => columns[i as usize].ids.get(v).copied(),
                        };
                        fields.push((f, fs.values.iter().filter_map(|(v, s)| Some((value(v)?, *s))).collect()));
                    }
                    model.groups.insert(group.key.clone(), fields);
                }
            }
            models.push(model);
        }
        let active = models.iter().position(|m| m.name == config.active).unwrap_or(0);
        Personalizer {
            enabled: config.enabled && !models.is_empty(),
            strength: config.strength,
            group_until: config.group_until_events,
            active,
            models,
            columns,
        }
    }
}

fn event_weights(m: &PersonalizationModel) -> [f32; 4] {
    let mut w = [0.0; 4];
    for (i, name) in crate::config::EVENTS.iter().enumerate() {
        w[i] = m.events.get(*name).map_or(0.0, |&x| x as f32 / 100.0);
    }
    w
}
