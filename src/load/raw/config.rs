//! The shape of `rota/config.yaml` as read: settings, severities, holidays, limits,
//! alerting, site, calendar and policy.

use super::*;

/// rota/config.yaml: site title, base URL, default time zone, policy thresholds, rule levels.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// The site title.
    #[schemars(with = "Option<String>", example = &"Support at Example Ltd")]
    pub title: Option<S>,
    /// Where the site is published: used for absolute links and webcal:// URLs.
    #[schemars(with = "Option<String>", example = &"https://example.github.io/support/")]
    pub base_url: Option<S>,
    /// The default time zone for rotas, and for leave, pages and runbook dates.
    #[schemars(with = "crate::load::raw::value::TimeZone")]
    pub timezone: S,
    /// How far ahead feeds, the site and checks look (default 13w).
    #[schemars(with = "Option<crate::load::raw::value::Duration>", example = &"13w")]
    pub horizon: Option<S>,
    /// Policy thresholds; every key is optional and has a default.
    #[schemars(with = "Option<RawPolicy>")]
    pub policy: Option<S<RawPolicy>>,
    /// Per-rule level overrides: error | warning | off.
    #[schemars(with = "Option<crate::load::raw::value::RuleLevels>")]
    pub rules: Option<BTreeMap<String, S>>,
    /// Calendar feed settings.
    pub calendar: Option<RawCalendar>,
    /// Site settings.
    pub site: Option<RawSite>,
    /// Public holidays: out of hours all day (`holiday` in duty-hour windows). Each a date, or `{ date, name }`.
    #[schemars(with = "Option<Vec<HolidaySchema>>")]
    pub holidays: Option<Vec<S<RawHoliday>>>,
    /// The most one file may hold; a file over its limit is refused unread.
    pub limits: Option<RawLimits>,
    /// The team's Prometheus rules and Alertmanager routing (docs/alerting.md).
    pub alerting: Option<RawAlerting>,
    /// The team's severity words, most severe first; each a word, or `{ name, out_of_hours, every_hour }`. Default: critical (pages out of hours, covered at every hour), warning, info, and the older high (pages out of hours), medium, low.
    #[schemars(with = "Option<Vec<SeveritySchema>>")]
    pub severities: Option<S<Vec<S<RawSeverity>>>>,
}

/// A `severities:` entry: a bare word, or `{ name, out_of_hours, every_hour }`.
pub enum RawSeverity {
    Word(String),
    Full(RawSeverityLevel),
}

/// A severity word and what it means to the team.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeverityLevel {
    /// The word, as the alerts' `severity` label writes it.
    #[schemars(with = "crate::load::raw::value::SeverityWord", example = &"critical")]
    pub name: S,
    /// An alert of this severity may page an out-of-hours rota (default false; implied by `every_hour`).
    #[schemars(with = "Option<bool>")]
    pub out_of_hours: Option<S<bool>>,
    /// An alert of this severity must reach a rota on duty at every instant (default false).
    #[schemars(with = "Option<bool>")]
    pub every_hour: Option<S<bool>>,
}

// The schema of a `severities:` entry; the loader reads `RawSeverity`.
/// A severity: a word, or `{ name, out_of_hours, every_hour }`.
#[allow(dead_code, reason = "only its schema is used")]
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum SeveritySchema {
    /// A word that neither pages out of hours nor must be covered at every hour.
    Word(crate::load::raw::value::SeverityWord),
    /// A word and what it means.
    Full(RawSeverityLevel),
}

impl<'de> Deserialize<'de> for RawSeverity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawSeverity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a severity word (warning) or { name: critical, out_of_hours: true, every_hour: true }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawSeverity, E> {
                Ok(RawSeverity::Word(s.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawSeverity, A::Error> {
                RawSeverityLevel::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawSeverity::Full)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A `holidays:` entry: a bare date, or `{ date, name }`.
pub enum RawHoliday {
    Date(String),
    Named(RawNamedHoliday),
}

/// A named holiday: `{ date: 2027-04-05, name: Easter Monday }`.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNamedHoliday {
    /// The day.
    #[schemars(with = "crate::load::raw::value::Date")]
    pub date: S,
    /// What the day is called, shown where the site and feeds show it.
    #[schemars(with = "String", example = &"Easter Monday")]
    pub name: S,
}

// The schema of a `holidays:` entry; the loader reads `RawHoliday`.
/// A holiday: a date, or `{ date, name }`.
#[allow(dead_code, reason = "only its schema is used")]
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum HolidaySchema {
    /// A date, YYYY-MM-DD.
    Date(crate::load::raw::value::Date),
    /// A date and its name.
    Named(RawNamedHoliday),
}

impl<'de> Deserialize<'de> for RawHoliday {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawHoliday;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date (2027-04-05) or { date: 2027-04-05, name: Easter Monday }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawHoliday, E> {
                Ok(RawHoliday::Date(s.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawHoliday, A::Error> {
                RawNamedHoliday::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawHoliday::Named)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Per-file size limits.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// The most a runbook page may hold (default 4MB).
    #[schemars(with = "Option<crate::load::raw::value::Size>", example = &"4MB")]
    pub runbook: Option<S>,
    /// The most a YAML file under rota/ may hold (default 1MB); rota/config.yaml itself is always read with the default.
    #[schemars(with = "Option<crate::load::raw::value::Size>", example = &"1MB")]
    pub data_file: Option<S>,
}

/// `alerting:` settings.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerting {
    /// Globs of Prometheus rule files or PrometheusRule manifests, relative to the repository root.
    #[schemars(with = "Option<Vec<String>>", example = ["monitoring/**/*.rules.yml"])]
    pub rules: Option<Vec<S>>,
    /// The Alertmanager configuration file, or a Kubernetes Secret carrying `alertmanager.yaml`.
    #[schemars(with = "Option<String>", example = &"monitoring/alertmanager.yml")]
    pub alertmanager: Option<S>,
    /// Receiver name → the rota it pages, a list of rotas, or [] for none.
    #[schemars(with = "Option<crate::load::alerting::settings::ReceiverMap>")]
    pub receivers: Option<BTreeMap<String, S<crate::load::alerting::settings::RawReceiverRotas>>>,
    /// The URL prefix whose path maps onto runbooks/.
    #[schemars(with = "Option<String>", example = &"https://example.github.io/support/runbooks/")]
    pub runbook_url: Option<S>,
}

/// Site settings.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// Base of "Edit this page" links on runbook pages: an absolute http(s) URL to which the runbook's path is appended.
    #[schemars(with = "Option<String>", example = &"https://github.com/example/support/edit/main/")]
    pub edit_url: Option<S>,
    /// Where a runbook's owner is reached: an absolute http(s) URL in which `{owner}` stands for the owner (a leading `#` or `@` left off), percent-encoded; owners become links.
    #[schemars(with = "Option<String>", example = &"https://chat.example.com/channels/{owner}")]
    pub owner_url: Option<S>,
}

/// Calendar feed settings.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// A reminder (VALARM) this long before each turn starts.
    #[schemars(with = "Option<crate::load::raw::value::Duration>", example = &"1d")]
    pub reminder: Option<S>,
    /// When the environment variable of this name is set, feed file names become an unguessable keyed hash of the person id.
    #[schemars(with = "Option<String>", example = &"ROTA_FEED_SECRET")]
    pub secret_env: Option<S>,
}

/// Policy thresholds (config.yaml `policy`, or a rota's own overrides).
#[derive(JsonSchema, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Fewest distinct members of a rota (error below; default 6).
    #[schemars(with = "Option<u32>", example = 6)]
    pub min_people: Option<S<u32>>,
    /// Members a rota should have (warning below; default 8).
    #[schemars(with = "Option<u32>", example = 8)]
    pub ideal_people: Option<S<u32>>,
    /// A share of on-call time at or above this is an error (default 0.5).
    #[schemars(with = "Option<crate::load::raw::value::Share>", example = 0.5)]
    pub max_share: Option<S<f64>>,
    /// A share of on-call time above this is a warning (default 0.3).
    #[schemars(with = "Option<crate::load::raw::value::Share>", example = 0.3)]
    pub ideal_share: Option<S<f64>>,
    /// Distinct people on call at every duty instant (default 2).
    #[schemars(with = "Option<u32>", example = 2)]
    pub min_on_call: Option<S<u32>>,
    /// How far ahead every position must be filled (default 90d).
    #[schemars(with = "Option<crate::load::raw::value::Duration>", example = &"90d")]
    pub plan_ahead: Option<S>,
    /// Longest wait between two escalation levels (default 5m).
    #[schemars(with = "Option<crate::load::raw::value::Duration>", example = &"5m")]
    pub ack_timeout: Option<S>,
    /// Out-of-hours turns served before someone counts as experienced (default 4).
    #[schemars(with = "Option<u32>", example = 4)]
    pub experienced_after: Option<S<u32>>,
    /// On call in more turns in a row than this is a warning (default 2).
    #[schemars(with = "Option<u32>", example = 2)]
    pub max_consecutive_turns: Option<S<u32>>,
    /// Default runbook review period (default 6 months).
    #[schemars(with = "Option<crate::load::raw::value::LongDuration>", example = &"6 months")]
    pub review_in: Option<S>,
    /// holiday-fairness: bank-holiday duty days per member of an out-of-hours rota may differ by at most this (default 1).
    #[schemars(with = "Option<u32>", example = 1)]
    pub holiday_spread: Option<S<u32>>,
    /// holiday-fairness: weekend duty days per member of an out-of-hours rota may differ by at most this (default 2).
    #[schemars(with = "Option<u32>", example = 2)]
    pub weekend_spread: Option<S<u32>>,
    /// holiday-fairness: the rolling year counted, ahead of today and again before it (default 52w).
    #[schemars(with = "Option<crate::load::raw::value::Duration>", example = &"52w")]
    pub fairness_window: Option<S>,
}
