//! The personalisation calls of [`Recommender`]: a widget's profile, re-ranking a list the
//! storefront gives, and the profile as the shopper sees it (`session.profile()`).

use serde::Serialize;

use super::personalize::Profile;
use super::{Compiled, Context, EngineError, Recommender, MAX_CONTEXT_IDS};
use crate::config::ConfigError;

/// One id of a list re-ranked by [`Recommender::personalize`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalizedId {
    /// The id, as given.
    pub id: String,
    /// The shopper's affinity for it, in 0 to 1 (0 for ids not in the catalog).
    pub affinity: f32,
    /// Why it moved, in words, when the affinity is worth saying (`You often choose Fleetfoot`).
    pub reason: Option<String>,
}

/// What the device knows of the shopper, per field (`session.profile()`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// Whether `[personalization]` is switched on in this snapshot.
    pub enabled: bool,
    /// The model the profile is computed for.
    pub model: String,
    /// Events counted, each by its decay.
    pub events: f32,
    /// The weight of the shopper's own data against their group's (1: own data only).
    pub own_weight: f32,
    /// Per field, the values with their shares, best first.
    pub fields: Vec<ProfileField>,
}

/// One field of a [`ProfileView`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileField {
    /// The field (`brand`, `category`, `tag`, a catalog column).
    pub field: String,
    /// (value, share), best first.
    pub values: Vec<(String, f32)>,
}

impl Recommender {
    /// Seconds of inactivity that end a session: the snapshot's `session_gap_minutes`, the cut
    /// the builder used (the browser's Session adopts it).
    pub fn session_gap(&self) -> i64 {
        i64::from(self.snapshot.config.training.session_gap_minutes) * 60
    }

    fn model(&self, name: Option<&str>) -> Result<usize, EngineError> {
        self.personalizer.model_index(name).ok_or_else(|| {
            let names: Vec<&str> = self.personalizer.model_names().collect();
            EngineError::InvalidOption(ConfigError {
                key: "model".into(),
                message: format!(
                    "\"{}\" is not a personalisation model of this snapshot; it has: {}",
                    name.unwrap_or(""),
                    if names.is_empty() { "none".to_string() } else { names.join(", ") }
                ),
            })
        })
    }

    /// The profile a widget re-ranks by: `None` when personalisation is off (in the snapshot or
    /// the widget) or the profile is empty.
    pub(super) fn widget_profile(&self, w: &Compiled, ctx: &Context, now: i64) -> Option<(usize, Profile)> {
        if !self.personalizer.enabled() || !w.config.personalize {
            return None;
        }
        let m = self.personalizer.model_index(None)?;
        let p = self.personalizer.profile(self.catalog(), m, ctx, now, self.session_gap());
        (!p.is_empty()).then_some((m, p))
    }

    /// Whether `[personalization]` is switched on, and the names of its active model and all models.
    pub fn personalization_models(&self) -> (bool, Option<&str>, Vec<&str>) {
        let p = &self.personalizer;
        (p.enabled(), p.active_name(), p.model_names().collect())
    }

    /// Re-ranks a list the storefront already has (a category page, search results): the same
    /// ids, in the order the shopper's profile gives, each with its affinity and reason. With
    /// personalisation switched off in the snapshot, or an empty profile, the order is kept.
    /// `model`: a model by name instead of the active one. At most [`MAX_CONTEXT_IDS`] ids are
    /// re-ranked; any further ones follow in their order.
    pub fn personalize(
        &self,
        ids: &[String],
        ctx: &Context,
        model: Option<&str>,
    ) -> Result<Vec<PersonalizedId>, EngineError> {
        let m = self.model(model)?;
        let c = self.catalog();
        let plain = |id: &String| PersonalizedId { id: id.clone(), affinity: 0.0, reason: None };
        let now = ctx.now.unwrap_or(self.snapshot.meta.as_of);
        let profile = self.personalizer.profile(c, m, ctx, now, self.session_gap());
        if !self.personalizer.enabled() || profile.is_empty() {
            return Ok(ids.iter().map(plain).collect());
        }
        let head = &ids[..ids.len().min(MAX_CONTEXT_IDS)];
        let list: Vec<Option<u32>> = head.iter().map(|id| c.index_of(id)).collect();
        let order = self.personalizer.rerank_list(c, m, &profile, &list);
        let mut out: Vec<PersonalizedId> = order
            .into_iter()
            .map(|(i, affinity, a)| PersonalizedId {
                id: head[i].clone(),
                affinity,
                reason: a.map(|a| self.personalizer.explain(c, &a)[1..].concat()),
            })
            .collect();
        out.extend(ids[head.len()..].iter().map(plain));
        Ok(out)
    }

    /// The shopper's profile as the device computes it, for a privacy page (`session.profile()`).
    pub fn profile_view(&self, ctx: &Context, model: Option<&str>) -> Result<ProfileView, EngineError> {
        let m = self.model(model)?;
        let c = self.catalog();
        let p = &self.personalizer;
        let now = ctx.now.unwrap_or(self.snapshot.meta.as_of);
        let profile = p.profile(c, m, ctx, now, self.session_gap());
        Ok(ProfileView {
            enabled: p.enabled(),
            model: p.model_names().nth(m).unwrap_or_default().to_string(),
            events: profile.events,
            own_weight: profile.own_weight,
            fields: profile
                .fields
                .iter()
                .map(|(f, vs)| ProfileField {
                    field: p.field_name(*f).to_string(),
                    values: vs.iter().map(|&(v, s)| (p.value_name(c, *f, v).to_string(), s)).collect(),
                })
                .collect(),
        })
    }
}

impl PersonalizedId {
    /// Appends `{"id","affinity","reason"}` (what `rec.personalize` returns per id).
    pub fn write_json(&self, out: &mut String) {
        crate::json::Object::new(out)
            .str("id", &self.id)
            .num("affinity", f64::from(self.affinity), 4)
            .opt_str("reason", self.reason.as_deref())
            .end();
    }
}

impl ProfileView {
    /// Appends the view as JSON (what `session.profile(rec)` returns): fields as
    /// `[{ field, values: [{ value, share }] }]`.
    pub fn write_json(&self, out: &mut String) {
        use crate::json::{array, Object};
        let mut o = Object::new(out);
        o.bool("enabled", self.enabled).str("model", &self.model).num("events", f64::from(self.events), 3).num(
            "ownWeight",
            f64::from(self.own_weight),
            3,
        );
        array(o.key("fields"), &self.fields, |out, f| {
            let mut fo = Object::new(out);
            fo.str("field", &f.field);
            array(fo.key("values"), &f.values, |out, (v, s)| {
                Object::new(out).str("value", v).num("share", f64::from(*s), 4).end()
            });
            fo.end();
        });
        o.end();
    }
}
