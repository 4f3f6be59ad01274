//! The files' shapes as serde sees them: every value spanned, unknown keys refused.
//! `convert` turns these into the typed model.

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

pub type S<T = String> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<S>,
    pub base_url: Option<S>,
    pub timezone: S,
    pub horizon: Option<S>,
    pub policy: Option<S<RawPolicy>>,
    pub rules: Option<BTreeMap<String, S>>,
    pub calendar: Option<RawCalendar>,
    pub site: Option<RawSite>,
    pub holidays: Option<Vec<S>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub edit_url: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub reminder: Option<S>,
    pub secret_env: Option<S>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub min_people: Option<S<u32>>,
    pub ideal_people: Option<S<u32>>,
    pub max_share: Option<S<f64>>,
    pub ideal_share: Option<S<f64>>,
    pub min_on_call: Option<S<u32>>,
    pub plan_ahead: Option<S>,
    pub ack_timeout: Option<S>,
    pub experienced_after: Option<S<u32>>,
    pub max_consecutive_turns: Option<S<u32>>,
    pub review_in: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub id: S,
    pub name: S,
    pub roles: Option<Vec<S>>,
    pub opted_in: Option<bool>,
    pub vetted: Option<S>,
    pub experienced: Option<bool>,
    pub handle: Option<S>,
    pub left: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRota {
    pub name: Option<S>,
    pub description: Option<S>,
    pub kind: S,
    pub timezone: Option<S>,
    pub hours: Option<S<RawHours>>,
    pub rotation: Option<S<RawRotation>>,
    pub positions: Option<Vec<S<RawPosition>>>,
    pub policy: Option<S<RawPolicy>>,
    pub overrides: Option<Vec<S<RawOverride>>>,
    pub escalation: Option<S<Vec<S<RawStep>>>>,
}

/// `always`, or a list of windows.
pub enum RawHours {
    Always,
    Windows(Vec<S<RawWindow>>),
}

impl<'de> Deserialize<'de> for RawHours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawHours;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`always` or a list of { days, from, to } windows")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawHours, E> {
                if s.trim() == "always" {
                    Ok(RawHours::Always)
                } else {
                    Err(E::custom(format!(
                        "hours must be `always` or a list of {{ days, from, to }} windows, not `{s}`"
                    )))
                }
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawHours, A::Error> {
                let mut windows = Vec::new();
                while let Some(w) = seq.next_element()? {
                    windows.push(w);
                }
                Ok(RawHours::Windows(windows))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    pub days: Vec<S>,
    pub from: S,
    pub to: S,
}

/// One block, or a list of blocks.
pub enum RawRotation {
    One(Box<RawBlock>),
    Many(Vec<S<RawBlock>>),
}

impl<'de> Deserialize<'de> for RawRotation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawRotation;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a rotation block { start, handover, every, members } or a list of them",
                )
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawRotation, A::Error> {
                RawBlock::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|b| RawRotation::One(Box::new(b)))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawRotation, A::Error> {
                let mut blocks = Vec::new();
                while let Some(b) = seq.next_element()? {
                    blocks.push(b);
                }
                Ok(RawRotation::Many(blocks))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    pub start: S,
    pub handover: Option<S>,
    pub every: Option<S>,
    pub members: Option<Vec<S>>,
    pub positions: Option<Vec<S<RawPosition>>>,
    pub until: Option<S>,
    pub first: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPosition {
    pub name: S,
    pub offset: Option<S<i64>>,
    pub members: Option<Vec<S>>,
    pub role: Option<S>,
    pub shadow: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    pub position: Option<S>,
    pub from: S,
    pub to: S,
    pub person: S<Option<String>>,
    pub replaces: Option<S>,
    pub reason: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub after: S,
    pub notify: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlert {
    pub id: S,
    pub summary: S,
    pub service: Option<S>,
    pub severity: S,
    pub pages: Option<Vec<S>>,
    pub runbook: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub id: S,
    pub name: S,
    pub impact: Option<Vec<S>>,
    pub out_of_hours: Option<bool>,
    pub rota: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeave {
    pub person: S,
    pub from: S,
    pub to: S,
    pub note: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub at: S,
    pub person: S,
    pub alert: S,
    pub woke: Option<bool>,
    pub worked: Option<S>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<S>,
    pub owner: Option<S>,
    pub last_reviewed: Option<S>,
    pub review_in: Option<S>,
    pub alerts: Option<Vec<S>>,
}
