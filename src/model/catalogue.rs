//! The alert catalogue, services, leave, the page log and runbooks.

use crate::model::Named;
use crate::source::{FileId, Loc};
use crate::time::{Duration, Instant};
use chrono::NaiveDate;

/// An alert's severity: one of the team's words from `severities:` in
/// `rota/config.yaml` (docs/data-format.md, "Severities"), with what the team says it
/// means. Ordered as the list is written (most severe first); unstated last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Severity {
    /// Where the word stands in the team's list.
    rank: u16,
    word: &'static str,
    out_of_hours: bool,
    every_hour: bool,
}

impl Severity {
    /// A rule with no `severity` label, or with a templated one (`none`).
    pub const UNSTATED: Severity = Severity {
        rank: u16::MAX,
        word: "none",
        out_of_hours: false,
        every_hour: false,
    };

    /// A severity of the team's list. Must be covered at every hour implies that it
    /// pages out of hours.
    pub fn new(rank: u16, word: &str, out_of_hours: bool, every_hour: bool) -> Severity {
        Severity {
            rank,
            word: intern(word),
            out_of_hours: out_of_hours || every_hour,
            every_hour,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.word
    }

    /// Whether an alert of this severity may wake someone out of hours.
    pub fn pages_out_of_hours(self) -> bool {
        self.out_of_hours
    }

    /// Whether an alert of this severity must reach a rota on duty at every hour.
    pub fn covered_at_every_hour(self) -> bool {
        self.every_hour
    }
}

/// The team's severity words (`severities:`), most severe first.
#[derive(Clone, Debug, PartialEq)]
pub struct Severities {
    pub levels: Vec<Severity>,
    /// Where `severities:` was written; `None`: the default list.
    pub loc: Option<Loc>,
}

impl Default for Severities {
    /// Prometheus' usual `critical` (pages out of hours, covered at every hour),
    /// `warning` and `info`, with the older `high` (pages out of hours), `medium` and
    /// `low` still accepted.
    fn default() -> Self {
        let words = [
            ("critical", true, true),
            ("high", true, false),
            ("warning", false, false),
            ("medium", false, false),
            ("low", false, false),
            ("info", false, false),
        ];
        Severities {
            levels: (0u16..)
                .zip(words)
                .map(|(rank, (word, ooh, every))| Severity::new(rank, word, ooh, every))
                .collect(),
            loc: None,
        }
    }
}

impl Severities {
    /// The severity a word names.
    pub fn parse(&self, s: &str) -> Result<Severity, String> {
        if let Some(level) = self.levels.iter().find(|l| l.word == s) {
            return Ok(*level);
        }
        if self.loc.is_none() {
            return Err(format!(
                "`{s}` is not a severity: use critical, warning or info (or high, medium, low), or list the team's own under `severities:` in rota/config.yaml"
            ));
        }
        Err(format!(
            "`{s}` is not one of the severities in rota/config.yaml: use {}",
            self.words().join(", ")
        ))
    }

    pub fn words(&self) -> Vec<&'static str> {
        self.levels.iter().map(|l| l.word).collect()
    }

    /// The words that page out of hours, for messages (`critical and high`).
    pub fn out_of_hours_words(&self) -> String {
        let words: Vec<&str> = self
            .levels
            .iter()
            .filter(|l| l.out_of_hours)
            .map(|l| l.word)
            .collect();
        match words.as_slice() {
            [] => "no severity".to_string(),
            [one] => format!("only {one}"),
            [rest @ .., last] => format!("only {} and {last}", rest.join(", ")),
        }
    }
}

/// The one `'static` copy of a severity word: each distinct word is kept once for the
/// life of the process, so reloading a config never grows memory.
fn intern(word: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    static WORDS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    for known in [
        "critical", "high", "warning", "medium", "low", "info", "none",
    ] {
        if word == known {
            return known;
        }
    }
    let mut words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = words.get(word) {
        return known;
    }
    let leaked: &'static str = Box::leak(word.to_string().into_boxed_str());
    words.insert(leaked);
    leaked
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
    pub rule: Option<Box<crate::model::alerting::RuleSource>>,
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
    /// text is kept once, in the sources; [`crate::model::Repo::body`] gives the body.
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
