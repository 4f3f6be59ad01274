//! The alert catalogue, services, leave, the page log and runbooks.

use crate::model::Named;
use crate::source::{FileId, Loc};
use crate::time::{Duration, Instant};
use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Critical,
    High,
    /// Prometheus' usual word for an alert that can wait for working hours.
    Warning,
    Medium,
    Low,
    /// Prometheus' usual word for an alert that only informs.
    Info,
    /// A rule with no `severity` label, or with one rota does not know (`none`).
    Unstated,
}

impl Severity {
    pub fn parse(s: &str) -> Result<Severity, String> {
        Ok(match s {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => {
                return Err(format!(
                    "`{s}` is not a severity: use critical, warning or info (or high, medium, low)"
                ));
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Unstated => "none",
        }
    }

    /// Whether an alert of this severity may wake someone out of hours.
    pub fn pages_out_of_hours(self) -> bool {
        matches!(self, Severity::Critical | Severity::High)
    }

    /// Whether an alert of this severity must reach a rota on duty at every hour.
    pub fn covered_at_every_hour(self) -> bool {
        self == Severity::Critical
    }
}

#[derive(Clone, Debug)]
pub struct Alert {
    pub id: String,
    pub summary: String,
    pub service: Option<Named>,
    pub severity: Severity,
    pub severity_loc: Loc,
    /// Rotas paged; empty = ticket only.
    pub pages: Vec<Named>,
    pub runbook: Option<Named>,
    /// Where the entry is: the alerting rule's `alert:` for an alert read from the
    /// Prometheus rules, else its `id:` in `rota/alerts/`.
    pub loc: Loc,
    /// The Prometheus alerting rule it was read from (docs/alerting.md), if any.
    pub rule: Option<Box<crate::alerting::catalogue::RuleSource>>,
    /// Fields a `rota/alerts/` entry leaves out (`summary`, `severity`): allowed only
    /// when it refines an alert read from the rules.
    pub unstated: Vec<&'static str>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub impact: Vec<String>,
    pub out_of_hours: bool,
    pub rota: Option<Named>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct LeaveEntry {
    pub person: Named,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub note: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct PageEntry {
    pub at: Instant,
    pub person: Named,
    pub alert: Named,
    pub woke: bool,
    pub worked: Duration,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Runbook {
    /// The page's address under `runbooks/`: its path without `.md`, lowercased, `_` and
    /// spaces as `-`; a folder's `_index.md`, `index.md` or `README.md` has the folder's
    /// (docs/data-format.md#runbooksmd).
    pub slug: String,
    /// The file's path under `runbooks/` as on disk, with its extension
    /// (`Alertmanager/AlertmanagerClusterDown.md`).
    pub path: String,
    pub file: FileId,
    pub title: String,
    pub owner: Option<String>,
    pub last_reviewed: Option<NaiveDate>,
    pub last_reviewed_loc: Loc,
    pub review_in: Option<Duration>,
    pub alerts: Vec<Named>,
    /// Where the Markdown after the front matter starts in the file's text (bytes): the
    /// text is kept once, in the sources; [`crate::load::Repo::body`] gives the body.
    pub body_start: usize,
    /// Line number (1-based) of the body's first line in the file.
    pub body_line: u32,
    pub loc: Loc,
}

impl Runbook {
    /// The file's path under `runbooks/` without its extension: where the page's relative
    /// links start from (`db/_index` links within `db/`).
    pub fn link_base(&self) -> &str {
        self.path
            .rsplit_once('.')
            .map(|(stem, _)| stem)
            .unwrap_or(&self.path)
    }

    /// Whether this page is its folder's page (`_index.md`, `index.md`, `README.md`).
    pub fn is_folder_page(&self) -> bool {
        let name = self.link_base().rsplit('/').next().unwrap_or_default();
        crate::markdown::FOLDER_PAGE_NAMES
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
    }
}
