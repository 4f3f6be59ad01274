//! The files' shapes as serde sees them: every value spanned, unknown keys refused.
//! `convert` turns these into the typed model.

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

pub type S<T = String> = Spanned<T>;

mod config;
pub mod value;

pub use config::*;

/// Someone who can be on a rota (rota/people.yaml).
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    /// The person's id (used in rotas, leave and pages).
    #[schemars(with = "crate::load::raw::value::Id", example = &"alice")]
    pub id: S,
    /// Full name, shown on the site.
    #[schemars(with = "String", example = &"Alice Example")]
    pub name: S,
    /// Free-form role names used by positions' `role`.
    #[schemars(with = "Option<Vec<String>>", example = ["developer"])]
    pub roles: Option<Vec<S>>,
    /// Agreed to out-of-hours on call (on call is optional).
    pub opted_in: Option<bool>,
    /// The date vetting completed; absent means not vetted.
    #[schemars(with = "Option<crate::load::raw::value::Date>")]
    pub vetted: Option<S>,
    /// Counts as experienced and as having served in hours.
    pub experienced: Option<bool>,
    /// Work chat handle. No phone numbers, no personal e-mail.
    #[schemars(with = "Option<String>", example = &"@alice")]
    pub handle: Option<S>,
    /// Last day; turns after it are unfilled (and reported).
    #[schemars(with = "Option<crate::load::raw::value::Date>")]
    pub left: Option<S>,
}

/// A rota (rota/rotas/ID.yaml; the id is the file stem).
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRota {
    /// The rota's display name.
    #[schemars(with = "Option<String>", example = &"Out of hours")]
    pub name: Option<S>,
    /// A sentence on what this rota handles.
    #[schemars(with = "Option<String>", example = &"Critical alerts and emergency tickets only.")]
    pub description: Option<S>,
    /// out-of-hours or in-hours.
    #[schemars(with = "crate::load::raw::value::RotaKind")]
    pub kind: S,
    /// The rota's time zone (default: config.timezone).
    #[schemars(with = "Option<crate::load::raw::value::TimeZone>")]
    pub timezone: Option<S>,
    /// When this rota is on duty (required): `always`, or a list of windows.
    #[schemars(with = "Option<crate::load::raw::value::Hours>")]
    pub hours: Option<S<RawHours>>,
    /// The repeating pattern (required): one block, or a list of blocks.
    #[schemars(with = "Option<crate::load::raw::value::Rotation>")]
    pub rotation: Option<S<RawRotation>>,
    /// Who is on call in each turn; at least policy.min_on_call positions.
    #[schemars(with = "Option<Vec<RawPosition>>")]
    pub positions: Option<Vec<S<RawPosition>>>,
    /// Per-rota overrides of config policy.
    #[schemars(with = "Option<RawPolicy>")]
    pub policy: Option<S<RawPolicy>>,
    /// Shift trades and cover, applied on top of the rotation.
    #[schemars(with = "Option<Vec<RawOverride>>")]
    pub overrides: Option<Vec<S<RawOverride>>>,
    /// Who is notified when a page is not acknowledged (required for rotas that alerts page).
    #[schemars(with = "Option<Vec<RawStep>>")]
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

/// A duty-hours window.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    /// Days this window starts on: mon … sun, holiday.
    #[schemars(with = "Vec<crate::load::raw::value::Day>")]
    pub days: Vec<S>,
    /// Local start time.
    #[schemars(with = "crate::load::raw::value::TimeOfDay", example = &"18:00")]
    pub from: S,
    /// Local end time; 24:00 is midnight at the end of the day, and a to at or before from runs overnight.
    #[schemars(with = "crate::load::raw::value::LocalTime", example = &"24:00")]
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

/// A rotation block.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    /// Date of the first handover of this block.
    #[schemars(with = "crate::load::raw::value::Date", example = &"2026-01-07")]
    pub start: S,
    /// Local time of every handover.
    #[schemars(with = "Option<crate::load::raw::value::TimeOfDay>", example = &"10:00")]
    pub handover: Option<S>,
    /// Turn length: whole hours that divide 24, whole days or whole weeks.
    #[schemars(with = "Option<crate::load::raw::value::TurnLength>", example = &"1w")]
    pub every: Option<S>,
    /// People in rotation order: turn k goes to members[k mod n].
    #[schemars(with = "Option<Vec<crate::load::raw::value::Id>>", example = ["alice", "bob"])]
    pub members: Option<Vec<S>>,
    /// The positions from this block on (default: inherited).
    #[schemars(with = "Option<Vec<RawPosition>>")]
    pub positions: Option<Vec<S<RawPosition>>>,
    /// Last date of the rotation.
    #[schemars(with = "Option<crate::load::raw::value::Date>", example = &"2027-12-31")]
    pub until: Option<S>,
    /// The member who holds the first position in this block's first turn (continue a cycle instead of restarting it).
    #[schemars(with = "Option<crate::load::raw::value::Id>", example = &"alice")]
    pub first: Option<S>,
}

/// A position: turn k goes to members[(k + offset) mod n].
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPosition {
    /// The position's name.
    #[schemars(with = "String", example = &"primary")]
    pub name: S,
    /// Turn k goes to members[(k + offset) mod n].
    #[schemars(with = "Option<i64>", example = 1)]
    pub offset: Option<S<i64>>,
    /// This position's own member list (default: the rotation's).
    #[schemars(with = "Option<Vec<crate::load::raw::value::Id>>", example = ["carol", "dan"])]
    pub members: Option<Vec<S>>,
    /// A role (from people.yaml `roles`) everyone in this position must have.
    #[schemars(with = "Option<String>", example = &"ops")]
    pub role: Option<S>,
    /// Someone learning: shown, but counts for no rule about cover or share.
    pub shadow: Option<bool>,
}

/// A shift trade or cover, applied on top of the rotation.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    /// The position taken (may be left out when `replaces` says whose place is taken).
    #[schemars(with = "Option<String>", example = &"primary")]
    pub position: Option<S>,
    /// Start (local date-time in the rota's time zone, or RFC 3339).
    #[schemars(with = "crate::load::raw::value::DateTime", example = &"2026-12-23T10:00")]
    pub from: S,
    /// End (local date-time in the rota's time zone, or RFC 3339).
    #[schemars(with = "crate::load::raw::value::DateTime", example = &"2026-12-30T10:00")]
    pub to: S,
    /// Who takes the position; null leaves it empty on purpose.
    #[schemars(with = "crate::load::raw::value::IdOrNull", example = &"bob")]
    pub person: S<Option<String>>,
    /// Who would hold it without this override (checked against the rotation).
    #[schemars(with = "Option<crate::load::raw::value::Id>", example = &"carol")]
    pub replaces: Option<S>,
    /// Why (shown on the site).
    #[schemars(with = "Option<String>", example = &"Bob covers Christmas for Carol")]
    pub reason: Option<S>,
}

/// An escalation level.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// Minutes after the page; the first level is at 0m.
    #[schemars(with = "crate::load::raw::value::Duration", example = &"0m")]
    pub after: S,
    /// A position of this rota, rota:ID or person:ID.
    #[schemars(with = "crate::load::raw::value::NotifyTarget")]
    pub notify: S,
}

/// An alert in the catalogue (rota/alerts/*.yaml).
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlert {
    /// The alert's id.
    #[schemars(with = "crate::load::raw::value::Id", example = &"site-down")]
    pub id: S,
    /// What fired, in a sentence (may be left out when the entry refines an alert read
    /// from `alerting.rules`, which gives it).
    #[schemars(with = "Option<String>", example = &"Public site returns 5xx for 5 minutes")]
    pub summary: Option<S>,
    /// The service (services.yaml) it is about.
    #[schemars(with = "Option<crate::load::raw::value::Id>", example = &"blogs")]
    pub service: Option<S>,
    /// One of the words of `severities:` in rota/config.yaml (default critical | warning |
    /// info, or high | medium | low); may be left out when the entry refines an alert
    /// read from `alerting.rules`.
    #[schemars(with = "Option<crate::load::raw::value::Severity>")]
    pub severity: Option<S>,
    /// Rotas paged; alerts without `pages` are ticket-only.
    #[schemars(with = "Option<Vec<crate::load::raw::value::Id>>", example = ["out-of-hours"])]
    pub pages: Option<Vec<S>>,
    /// The runbook slug (runbooks/SLUG.md).
    #[schemars(with = "Option<crate::load::raw::value::Slug>", example = &"site-down")]
    pub runbook: Option<S>,
}

/// A service (rota/services.yaml).
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    /// The service's id.
    #[schemars(with = "crate::load::raw::value::Id", example = &"blogs")]
    pub id: S,
    /// The service's display name.
    #[schemars(with = "String", example = &"Blogging platform")]
    pub name: S,
    /// What harm an outage does.
    #[schemars(with = "Option<Vec<crate::load::raw::value::Impact>>")]
    pub impact: Option<Vec<S>>,
    /// The service is supported out of hours.
    pub out_of_hours: Option<bool>,
    /// The rota that supports it.
    #[schemars(with = "Option<crate::load::raw::value::Id>", example = &"out-of-hours")]
    pub rota: Option<S>,
}

/// Planned leave (rota/leave.yaml); dates inclusive.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeave {
    /// Who is away.
    #[schemars(with = "crate::load::raw::value::Id", example = &"alice")]
    pub person: S,
    /// First day away (inclusive).
    #[schemars(with = "crate::load::raw::value::Date", example = &"2026-12-21")]
    pub from: S,
    /// Last day away (inclusive).
    #[schemars(with = "crate::load::raw::value::Date", example = &"2027-01-02")]
    pub to: S,
    /// A note (no personal details).
    #[schemars(with = "Option<String>", example = &"Christmas")]
    pub note: Option<S>,
}

/// A page received (rota/pages/*.yaml), for TOIL.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    /// When the page came (local date-time in config.timezone, or RFC 3339).
    #[schemars(with = "crate::load::raw::value::DateTime", example = &"2026-11-14T02:13")]
    pub at: S,
    /// Who was paged.
    #[schemars(with = "crate::load::raw::value::Id", example = &"frank")]
    pub person: S,
    /// The alert that paged.
    #[schemars(with = "crate::load::raw::value::Id", example = &"site-down")]
    pub alert: S,
    /// The page woke the person (0.5 day of TOIL instead of 0.25).
    pub woke: Option<bool>,
    /// Time spent working on it.
    #[schemars(with = "Option<crate::load::raw::value::Duration>", example = &"95m")]
    pub worked: Option<S>,
}

/// Runbook front matter (runbooks/**/*.md, between --- lines; optional). Other keys (a
/// site generator's `weight`, `aliases`, …) are kept and ignored.
#[derive(JsonSchema, Deserialize, Default)]
pub struct RawFrontMatter {
    /// The runbook's title.
    #[schemars(with = "Option<String>", example = &"Site returns 5xx")]
    pub title: Option<S>,
    /// Who owns and reviews this page (a team channel or handle).
    #[schemars(with = "Option<String>", example = &"#operations-engineering-alerts")]
    pub owner: Option<S>,
    /// Date of the last review.
    #[schemars(with = "Option<crate::load::raw::value::Date>", example = &"2026-08-28")]
    pub last_reviewed: Option<S>,
    /// Review period (default policy.review_in).
    #[schemars(with = "Option<crate::load::raw::value::LongDuration>", example = &"3 months")]
    pub review_in: Option<S>,
    /// Alerts that link here.
    #[schemars(with = "Option<Vec<crate::load::raw::value::Id>>", example = ["site-down"])]
    pub alerts: Option<Vec<S>>,
}

/// A `holidays:` entry of a config.yaml text as written: its date and name as text and
/// the line (from 1) and column it starts at (for `rota holidays import`, which edits
/// the list in place).
pub struct WrittenHoliday {
    pub date: String,
    pub name: Option<String>,
    pub line: u32,
    pub column: u32,
}

/// The `holidays:` entries of a config.yaml text, in the order written; the parser's
/// located message when the text is not a config.
pub fn written_holidays(text: &str) -> Result<Vec<WrittenHoliday>, String> {
    /// Only `holidays:`; the other keys are read (and checked) by the loader.
    #[derive(Deserialize)]
    struct HolidaysOnly {
        holidays: Option<Vec<S<RawHoliday>>>,
    }
    let config: HolidaysOnly = super::yaml::parse(0, crate::source::FileId(0), text)
        .map_err(|f| format!("{}:{}: {}", f.loc.line, f.loc.column, f.message))?;
    Ok(config
        .holidays
        .unwrap_or_default()
        .into_iter()
        .map(|entry| {
            let (line, column) = (
                entry.referenced.line() as u32,
                entry.referenced.column().max(1) as u32,
            );
            match entry.value {
                RawHoliday::Date(date) => WrittenHoliday {
                    date,
                    name: None,
                    line,
                    column,
                },
                RawHoliday::Named(named) => WrittenHoliday {
                    date: named.date.value,
                    name: Some(named.name.value),
                    line,
                    column,
                },
            }
        })
        .collect())
}
