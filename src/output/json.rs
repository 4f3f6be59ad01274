//! The JSON outputs (docs/commands.md#json-outputs): one type per shape, deriving both
//! `Serialize` (the commands write their output from it) and `JsonSchema` (`rota schema`
//! publishes its schema), so the two cannot drift apart: `--format json` of `check`,
//! `now`, `shifts`, `report`, `toil`, `review`, `alerts` and `route` (the site's
//! `api/oncall.json` is a typed value of its own: `crate::schedule::oncall::OnCallApi`).
//! Fields the shapes always had in alphabetical order (they were written from JSON maps)
//! are declared in that order, so the bytes stay as they were.
//! `tests/testsuite/cli/tools.rs` validates the commands' real output against these
//! schemas.

use schemars::JsonSchema;
use serde::Serialize;

/// An instant, RFC 3339 in UTC (`Z`).
type Instant = String;
/// A date, `YYYY-MM-DD`.
type Date = String;

/// `rota check --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CheckOutput {
    /// With `--new-since REV`: REV, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// How many findings are errors.
    pub errors: u64,
    /// Every finding, in the order `rota check` prints them.
    pub findings: Vec<FindingOutput>,
    /// With `--new-since`: how many findings are present at REV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<u64>,
    /// With `--new-since`: how many findings are not present at REV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<u64>,
    /// How many findings are warnings.
    pub warnings: u64,
}

/// One rule's verdict on one place in the data.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FindingOutput {
    /// 1-based column.
    pub column: u64,
    /// The file, relative to the data repository.
    #[schemars(example = &"rota/rotas/out-of-hours.yaml")]
    pub file: String,
    /// How to fix it, when the rule can say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// With `--new-since REV`: whether the same finding is present at REV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<bool>,
    pub level: FindingLevel,
    /// 1-based line.
    pub line: u64,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The rule id (`rota explain RULE`).
    #[schemars(with = "String", example = &"max-share")]
    pub rule: crate::finding::RuleId,
}

/// `error` fails the check (exit 1); `warning` does not unless `--deny-warnings`.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum FindingLevel {
    Error,
    Warning,
}

impl From<crate::finding::Level> for FindingLevel {
    fn from(level: crate::finding::Level) -> Self {
        match level {
            crate::finding::Level::Error => FindingLevel::Error,
            crate::finding::Level::Warning => FindingLevel::Warning,
        }
    }
}

/// `rota now --format json`: who holds each position of every rota at `at`.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NowOutput {
    /// The moment asked about.
    pub at: Instant,
    pub rotas: Vec<RotaNowOutput>,
}

/// One rota at that moment.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RotaNowOutput {
    /// The rota id.
    pub rota: String,
    /// Whether the moment is inside the rota's duty hours.
    pub on_duty: bool,
    /// Who holds each position in the current turn (also when off duty).
    pub positions: Vec<PositionNowOutput>,
}

/// Who holds one position.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PositionNowOutput {
    /// The position's name.
    #[schemars(example = &"primary")]
    pub position: String,
    /// The person id; `null` when nobody holds it.
    pub person: Option<String>,
    /// End of that person's unbroken hold of the position (duty hours ignored); `null`
    /// when nobody holds it or the hold does not end within 5 years.
    pub until: Option<Instant>,
    /// `until` as an instant, for the text output (not written).
    #[serde(skip)]
    #[schemars(skip)]
    pub until_instant: Option<crate::time::Instant>,
}

/// One shift: one person, one position, one turn (split where an override cuts it).
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ShiftOutput {
    pub end: Instant,
    /// The person id; `null` for a position left empty on purpose.
    #[schemars(with = "Option<String>")]
    pub person: String,
    pub position: String,
    pub rota: String,
    pub source: ShiftSource,
    pub start: Instant,
}

/// Whether the rotation or an override put the person there.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum ShiftSource {
    Rotation,
    Override,
}

impl ShiftOutput {
    /// A computed shift as written.
    pub fn of(shift: &crate::schedule::Shift) -> ShiftOutput {
        ShiftOutput {
            end: crate::time::rfc3339(shift.end),
            person: shift.person.to_string(),
            position: shift.position.to_string(),
            rota: shift.rota.to_string(),
            source: match shift.source {
                crate::schedule::Source::Rotation => ShiftSource::Rotation,
                crate::schedule::Source::Override(_) => ShiftSource::Override,
            },
            start: crate::time::rfc3339(shift.start),
        }
    }
}

/// `rota report --format json`: on-call hours and share per person.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReportOutput {
    /// First day of the window.
    pub from: Date,
    pub people: Vec<PersonReportOutput>,
    /// Last day of the window.
    pub to: Date,
}

/// One person's hours.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PersonReportOutput {
    /// Hours on call (any position but shadow) inside duty hours.
    pub on_call_hours: f64,
    /// Of those, hours out of hours.
    pub out_of_hours_hours: f64,
    pub person: String,
    /// Share of on-call time as in the max-share rule, 0..1.
    #[schemars(range(min = 0, max = 1))]
    pub share: f64,
    /// Which rota gives the share, or `all` for all the person's rotas together; `null`
    /// when the person has no share (no rota with duty hours in the window).
    pub share_of: Option<String>,
}

/// `rota toil --format json`: TOIL days per person for one month (and, without
/// `--month`, for the previous month too).
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ToilOutput<'a> {
    /// The month asked about (without `--month`, the current one).
    #[serde(flatten)]
    pub current: &'a crate::schedule::toil::ToilReport,
    /// Without `--month` only: the previous month and the current one (the one above),
    /// oldest first, each as `month` and `people`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<&'a [crate::schedule::toil::ToilReport]>,
}

/// `rota review --format json`: runbooks overdue or due soon, grouped by owner.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReviewOutput {
    pub today: Date,
    pub owners: Vec<OwnerReviewOutput>,
}

/// One owner's runbooks.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OwnerReviewOutput {
    /// The runbooks' `owner`; `null` for runbooks without one.
    pub owner: Option<String>,
    pub runbooks: Vec<RunbookReviewOutput>,
}

/// One runbook due for review.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RunbookReviewOutput {
    pub slug: String,
    pub title: String,
    /// The file, relative to the data repository.
    pub file: String,
    pub last_reviewed: Option<Date>,
    pub due: Option<Date>,
    /// Positive: days overdue; negative: days until due; `null` if never reviewed.
    pub days_overdue: Option<i64>,
    pub status: ReviewStatus,
}

/// Why it is listed.
#[derive(Serialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Overdue,
    DueSoon,
    NeverReviewed,
}

#[derive(Serialize, JsonSchema)]
/// `rota alerts --format json`: the alert catalogue as rota sees it (docs/alerting.md).
pub struct AlertsOutput {
    pub alerts: Vec<AlertsEntryOutput>,
}

#[derive(Serialize, JsonSchema)]
/// One alert of the catalogue.
pub struct AlertsEntryOutput {
    pub id: String,
    /// The alerting rule's `alert:` name; null for an entry only in rota/alerts/.
    pub alert: Option<String>,
    pub severity: &'static str,
    pub summary: String,
    pub service: Option<String>,
    pub labels: std::collections::BTreeMap<String, String>,
    /// `for` in seconds (null for an entry only in rota/alerts/).
    pub for_seconds: Option<u64>,
    pub expr: Option<String>,
    pub file: String,
    pub line: u32,
    /// "routed", "depends-on-series", "unknown" (no Alertmanager configuration), or
    /// "hand-written" (rota/alerts/ says whom it pages).
    pub routing: &'static str,
    /// Why the route is not known, when it is not.
    pub routing_note: Option<String>,
    pub receivers: Vec<String>,
    pub rotas: Vec<String>,
    /// The runbook's file (`runbooks/….md`), when it has one that exists.
    pub runbook: Option<String>,
    /// Why it has no runbook, when it has none.
    pub no_runbook: Option<String>,
}

#[derive(Serialize, JsonSchema)]
/// `rota route --format json`: the receivers an alert with these labels reaches, in
/// order, and the rotas each pages (docs/alerting.md).
pub struct RouteOutput {
    pub labels: crate::model::alerting::LabelSet,
    pub receivers: Vec<ReceiverRotasOutput>,
}

#[derive(Serialize, JsonSchema)]
/// One receiver reached.
pub struct ReceiverRotasOutput {
    pub receiver: String,
    /// Whether `alerting.receivers` names this receiver.
    pub mapped: bool,
    /// The rotas it pages (empty: none, or not mapped).
    pub rotas: Vec<String>,
    /// The route's `active_time_intervals` (it notifies only inside one of them).
    pub active_time_intervals: Vec<String>,
    /// The route's `mute_time_intervals` (it does not notify inside any of them).
    pub mute_time_intervals: Vec<String>,
    /// Whether the route notifies at the command's "now" (`--at`, or the clock).
    pub notifies_now: bool,
}

/// The site's `api/oncall.json`: the `now` object at build time, plus the shifts from
/// then to the horizon. (The site writes it with its own code today; its shape is this.)
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OnCallApi {
    /// The build's "now".
    pub at: Instant,
    pub rotas: Vec<RotaNowOutput>,
    /// Shifts from now to the horizon.
    pub upcoming: Vec<ShiftOutput>,
}
