//! The alerting a team really runs, as data: the Alertmanager routing tree
//! ([`route::Route`], its [`matcher::Matcher`]s and time intervals) and what a catalogue
//! entry keeps of the Prometheus rule it was read from (docs/alerting.md). Routing and
//! time intervals are evaluated on this data with no I/O; `load::alerting` reads the
//! files into it.

pub mod duration;
pub mod interval;
pub mod matcher;
pub mod route;

pub use matcher::{LabelSet, Matcher};
pub use route::Route;

use crate::source::Loc;
use interval::TimeInterval;
use std::collections::BTreeMap;

/// What routing needs of an Alertmanager configuration.
#[derive(Clone, Debug)]
pub struct AlertmanagerConfig {
    /// The root route (it matches every alert).
    pub root: Route,
    /// Receiver names in the order written, and where.
    pub receivers: Vec<(String, Loc)>,
    /// `time_intervals` and `mute_time_intervals` by name.
    pub time_intervals: BTreeMap<String, Vec<TimeInterval>>,
}

impl AlertmanagerConfig {
    /// The receivers an alert with these labels is sent to, in order, one per matched
    /// route (a receiver can appear twice, as in amtool's answer).
    pub fn receivers_for(&self, labels: &LabelSet) -> Vec<&str> {
        self.root
            .matching(labels)
            .iter()
            .map(|r| r.receiver.as_str())
            .collect()
    }
}

/// What an entry keeps of the alerting rule it was read from.
#[derive(Clone, Debug)]
pub struct RuleSource {
    /// The alert's name (`alert:`).
    pub name: String,
    pub group: String,
    pub expr: String,
    /// `for`, in milliseconds.
    pub for_ms: u64,
    /// The rule's labels as written (values may be templates).
    pub labels: BTreeMap<String, String>,
    pub description: Option<String>,
    /// `runbook_url` as written, and where.
    pub runbook_url: Option<(String, Loc)>,
    /// Why the entry has no runbook, when it has none.
    pub no_runbook: Option<String>,
    pub routing: Routing,
}

/// Where the Alertmanager tree sends an alert.
#[derive(Clone, Debug)]
pub enum Routing {
    /// No `alerting.alertmanager` (or it has errors): rota does not know.
    Unknown(String),
    /// Labels the routing depends on are templated: "depends on the series".
    DependsOnSeries { labels: Vec<String>, loc: Loc },
    /// The routes reached, in order.
    Routed(Vec<RoutedReceiver>),
}

/// One route an alert reaches.
#[derive(Clone, Debug)]
pub struct RoutedReceiver {
    pub receiver: String,
    /// The route's index in [`Route::all`] of the tree.
    pub route: usize,
    /// The rotas `alerting.receivers` maps it to; `None` when it does not name it.
    pub rotas: Option<Vec<String>>,
}

/// The alerting files as loaded, kept for the rules that read the tree.
#[derive(Clone, Debug, Default)]
pub struct AlertingSetup {
    pub alertmanager: Option<AlertmanagerConfig>,
}
