//! `rota/config.yaml`: site settings, default time zone, policy thresholds, rule levels.

use crate::source::Loc;
use crate::time::Duration;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    /// The site's absolute `http(s)` address; `"/"` when not given (then `base_url_loc`
    /// is `None`, and `build` and `feed-url` refuse to run).
    pub base_url: String,
    /// Where `base_url` was written, if it was.
    pub base_url_loc: Option<Loc>,
    pub timezone: Tz,
    pub horizon: Duration,
    pub policy: Policy,
    /// Rule id → requested level and where it was set.
    pub rules: BTreeMap<String, (RuleLevelSetting, Loc)>,
    pub calendar: CalendarConfig,
    pub site: SiteConfig,
    pub holidays: BTreeSet<NaiveDate>,
    /// The names of the holidays that have one (`{ date, name }`).
    pub holiday_names: BTreeMap<NaiveDate, String>,
    /// Where `holidays:` was written, if it was.
    pub holidays_loc: Option<Loc>,
    pub limits: Limits,
    /// `alerting:`, when the repository points rota at its Prometheus rules and
    /// Alertmanager routing (docs/alerting.md).
    pub alerting: Option<AlertingConfig>,
    /// `severities:`, the team's severity words (docs/data-format.md, "Severities").
    pub severities: crate::model::Severities,
    pub loc: Loc,
}

impl Config {
    /// The name of the holiday on `date`, if that day is a listed holiday with a name.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        self.holiday_names.get(&date).map(String::as_str)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "On call".into(),
            base_url: "/".into(),
            base_url_loc: None,
            timezone: chrono_tz::Europe::London,
            horizon: Duration::Weeks(13),
            policy: Policy::default(),
            rules: BTreeMap::new(),
            calendar: CalendarConfig::default(),
            site: SiteConfig::default(),
            holidays: BTreeSet::new(),
            holiday_names: BTreeMap::new(),
            holidays_loc: None,
            limits: Limits::default(),
            alerting: None,
            severities: crate::model::Severities::default(),
            loc: Loc {
                file: crate::source::FileId(0),
                line: 1,
                column: 1,
            },
        }
    }
}

/// `limits:`: the most one file may hold, in bytes (docs/data-format.md, "limits").
/// A file over its limit is refused unread, with a located finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Each page under `runbooks/`.
    pub runbook: u64,
    /// Each YAML file under `rota/` (`rota/config.yaml` itself is always read with the
    /// default, since the limit is set in it).
    pub data_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            runbook: 4 * 1024 * 1024,
            data_file: 1024 * 1024,
        }
    }
}

/// `alerting:` settings (docs/alerting.md), each value with where it was written.
#[derive(Clone, Debug, Default)]
pub struct AlertingConfig {
    /// Globs of Prometheus rule files, relative to the repository root.
    pub rules: Vec<(String, Loc)>,
    /// The Alertmanager configuration (or a Secret carrying it), relative to the root.
    pub alertmanager: Option<(String, Loc)>,
    /// Receiver name → the rotas it pages (an empty list: it pages nobody).
    pub receivers: BTreeMap<String, (Vec<crate::model::Named>, Loc)>,
    /// The URL prefix that maps onto `runbooks/`.
    pub runbook_url: Option<(String, Loc)>,
}

/// A level override from `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevelSetting {
    Error,
    Warning,
    Off,
}

#[derive(Clone, Debug, Default)]
pub struct CalendarConfig {
    pub reminder: Option<Duration>,
    /// `secret_env:` and where it is written.
    pub secret_env: Option<(String, Loc)>,
}

/// `site:` settings.
#[derive(Clone, Debug, Default)]
pub struct SiteConfig {
    /// Prefix of "Edit this page" links: the runbook's path (`runbooks/x.md`) is added.
    pub edit_url: Option<String>,
    /// A runbook owner's chat link: `{owner}` is replaced by the owner, percent-encoded
    /// (docs/data-format.md).
    pub owner_url: Option<String>,
}

/// The thresholds behind the rules (defaults: docs/data-format.md#rotaconfigyaml-required).
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub min_people: u32,
    pub ideal_people: u32,
    pub max_share: f64,
    pub ideal_share: f64,
    pub min_on_call: u32,
    pub plan_ahead: Duration,
    pub ack_timeout: Duration,
    pub experienced_after: u32,
    pub max_consecutive_turns: u32,
    pub review_in: Duration,
    /// `holiday-fairness`: how far bank-holiday duty days per member may differ.
    pub holiday_spread: u32,
    /// `holiday-fairness`: how far weekend duty days per member may differ.
    pub weekend_spread: u32,
    /// `holiday-fairness`: the rolling year counted ahead of today, and again before it.
    pub fairness_window: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_people: 6,
            ideal_people: 8,
            max_share: 0.5,
            ideal_share: 0.3,
            min_on_call: 2,
            plan_ahead: Duration::Days(90),
            ack_timeout: Duration::Minutes(5),
            experienced_after: 4,
            max_consecutive_turns: 2,
            review_in: Duration::Months(6),
            holiday_spread: 1,
            weekend_spread: 2,
            fairness_window: Duration::Weeks(52),
        }
    }
}

/// Per-file policy values: `None` where the file does not set one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyOverrides {
    pub min_people: Option<u32>,
    pub ideal_people: Option<u32>,
    pub max_share: Option<f64>,
    pub ideal_share: Option<f64>,
    pub min_on_call: Option<u32>,
    pub plan_ahead: Option<Duration>,
    pub ack_timeout: Option<Duration>,
    pub experienced_after: Option<u32>,
    pub max_consecutive_turns: Option<u32>,
    pub review_in: Option<Duration>,
    pub holiday_spread: Option<u32>,
    pub weekend_spread: Option<u32>,
    pub fairness_window: Option<Duration>,
}

impl PolicyOverrides {
    pub fn is_empty(&self) -> bool {
        *self == PolicyOverrides::default()
    }

    /// `base` with these values laid over it.
    pub fn apply(&self, base: &Policy) -> Policy {
        Policy {
            min_people: self.min_people.unwrap_or(base.min_people),
            ideal_people: self.ideal_people.unwrap_or(base.ideal_people),
            max_share: self.max_share.unwrap_or(base.max_share),
            ideal_share: self.ideal_share.unwrap_or(base.ideal_share),
            min_on_call: self.min_on_call.unwrap_or(base.min_on_call),
            plan_ahead: self.plan_ahead.unwrap_or(base.plan_ahead),
            ack_timeout: self.ack_timeout.unwrap_or(base.ack_timeout),
            experienced_after: self.experienced_after.unwrap_or(base.experienced_after),
            max_consecutive_turns: self
                .max_consecutive_turns
                .unwrap_or(base.max_consecutive_turns),
            review_in: self.review_in.unwrap_or(base.review_in),
            holiday_spread: self.holiday_spread.unwrap_or(base.holiday_spread),
            weekend_spread: self.weekend_spread.unwrap_or(base.weekend_spread),
            fairness_window: self.fairness_window.unwrap_or(base.fairness_window),
        }
    }
}
