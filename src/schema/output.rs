//! The shapes of the JSON outputs (docs/commands.md#json-outputs), as schema-only types:
//! `--format json` of `check`, `now`, `shifts`, `report`, `toil` and `review` (the
//! site's `api/oncall.json` is a typed value of its own: `crate::oncall::OnCallApi`).
//! `tests/testsuite/cli/tools.rs` validates the commands' real output against these schemas.
#![allow(dead_code)]

use schemars::JsonSchema;

/// An instant, RFC 3339 in UTC (`Z`).
type Instant = String;
/// A date, `YYYY-MM-DD`.
type Date = String;

/// `rota check --format json`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CheckOutput {
    /// Every finding, in the order `rota check` prints them.
    findings: Vec<FindingOutput>,
    /// How many findings are errors.
    errors: u64,
    /// How many findings are warnings.
    warnings: u64,
    /// With `--new-since REV`: REV, as given.
    #[schemars(skip_serializing_if = "Option::is_none")]
    base: Option<String>,
    /// With `--new-since`: how many findings are not present at REV.
    #[schemars(skip_serializing_if = "Option::is_none")]
    new: Option<u64>,
    /// With `--new-since`: how many findings are present at REV.
    #[schemars(skip_serializing_if = "Option::is_none")]
    known: Option<u64>,
}

/// One rule's verdict on one place in the data.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FindingOutput {
    /// The rule id (`rota explain RULE`).
    #[schemars(example = &"max-share")]
    rule: String,
    level: FindingLevel,
    /// What is wrong, in a sentence.
    message: String,
    /// The file, relative to the data repository.
    #[schemars(example = &"rota/rotas/out-of-hours.yaml")]
    file: String,
    /// 1-based line.
    line: u64,
    /// 1-based column.
    column: u64,
    /// How to fix it, when the rule can say.
    #[schemars(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    /// With `--new-since REV`: whether the same finding is present at REV.
    #[schemars(skip_serializing_if = "Option::is_none")]
    known: Option<bool>,
}

/// `error` fails the check (exit 1); `warning` does not unless `--deny-warnings`.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum FindingLevel {
    Error,
    Warning,
}

/// `rota now --format json`: who holds each position of every rota at `at`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NowOutput {
    /// The moment asked about.
    at: Instant,
    rotas: Vec<RotaNowOutput>,
}

/// One rota at that moment.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RotaNowOutput {
    /// The rota id.
    rota: String,
    /// Whether the moment is inside the rota's duty hours.
    on_duty: bool,
    /// Who holds each position in the current turn (also when off duty).
    positions: Vec<PositionNowOutput>,
}

/// Who holds one position.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PositionNowOutput {
    /// The position's name.
    #[schemars(example = &"primary")]
    position: String,
    /// The person id; `null` when nobody holds it.
    person: Option<String>,
    /// End of that person's unbroken hold of the position (duty hours ignored); `null`
    /// when nobody holds it or the hold does not end within 5 years.
    until: Option<Instant>,
}

/// One shift: one person, one position, one turn (split where an override cuts it).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ShiftOutput {
    rota: String,
    position: String,
    /// The person id; `null` for a position left empty on purpose.
    person: Option<String>,
    start: Instant,
    end: Instant,
    source: ShiftSource,
}

/// Whether the rotation or an override put the person there.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum ShiftSource {
    Rotation,
    Override,
}

/// `rota report --format json`: on-call hours and share per person.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReportOutput {
    /// First day of the window.
    from: Date,
    /// Last day of the window.
    to: Date,
    people: Vec<PersonReportOutput>,
}

/// One person's hours.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PersonReportOutput {
    person: String,
    /// Hours on call (any position but shadow) inside duty hours.
    on_call_hours: f64,
    /// Of those, hours out of hours.
    out_of_hours_hours: f64,
    /// Share of on-call time as in the max-share rule, 0..1.
    #[schemars(range(min = 0, max = 1))]
    share: f64,
    /// Which rota gives the share, or `all` for all the person's rotas together; `null`
    /// when the person has no share (no rota with duty hours in the window).
    share_of: Option<String>,
}

/// `rota toil --format json`: TOIL days per person for one month (and, without
/// `--month`, for the previous month too).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ToilOutput {
    /// `YYYY-MM`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    month: String,
    people: Vec<PersonToilOutput>,
    /// Without `--month` only: the previous month and the current one (the one above),
    /// oldest first, each as `month` and `people`.
    #[schemars(skip_serializing_if = "Option::is_none")]
    months: Option<Vec<ToilMonthOutput>>,
}

/// One month of `months` in `rota toil --format json`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ToilMonthOutput {
    /// `YYYY-MM`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    month: String,
    people: Vec<PersonToilOutput>,
}

/// One person's TOIL.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PersonToilOutput {
    person: String,
    /// Claim windows (pages within an hour of the first count once).
    windows: u64,
    /// TOIL days earned.
    days: f64,
}

/// `rota review --format json`: runbooks overdue or due soon, grouped by owner.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReviewOutput {
    today: Date,
    owners: Vec<OwnerReviewOutput>,
}

/// One owner's runbooks.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OwnerReviewOutput {
    /// The runbooks' `owner`; `null` for runbooks without one.
    owner: Option<String>,
    runbooks: Vec<RunbookReviewOutput>,
}

/// One runbook due for review.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RunbookReviewOutput {
    slug: String,
    title: String,
    /// The file, relative to the data repository.
    file: String,
    last_reviewed: Option<Date>,
    due: Option<Date>,
    /// Positive: days overdue; negative: days until due; `null` if never reviewed.
    days_overdue: Option<i64>,
    status: ReviewStatus,
}

/// Why it is listed.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Overdue,
    DueSoon,
    NeverReviewed,
}
