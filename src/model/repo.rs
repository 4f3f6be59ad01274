//! The loaded repository ([`Repo`]: everything the data files say, typed, with the
//! findings of loading them) and the resolved [`Model`] every later stage reads (the
//! repository with its references checked and lookups by id).

use crate::finding::Finding;
use crate::model::{Alert, Config, LeaveEntry, PageEntry, Person, Rota, Runbook, Service};
use crate::source::{FileId, Sources};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Everything the data repository says, typed, with the findings of loading it.
#[derive(Debug, Default, Clone)]
pub struct Repo {
    pub root: PathBuf,
    pub sources: Sources,
    pub config: Config,
    pub people: Vec<Person>,
    pub rotas: Vec<Rota>,
    pub alerts: Vec<Alert>,
    pub services: Vec<Service>,
    pub leave: Vec<LeaveEntry>,
    pub pages: Vec<PageEntry>,
    pub runbooks: Vec<Runbook>,
    /// The page at the root of `runbooks/` (`_index.md`, `index.md` or `README.md`): the
    /// introduction of the runbook index, not a runbook.
    pub runbook_index: Option<Runbook>,
    /// The data repository's own templates (`templates/NAME.html`, read confined to the
    /// repository like every other file): name → the file in `sources`.
    pub templates: std::collections::BTreeMap<String, FileId>,
    /// The Alertmanager routing read through `alerting.alertmanager` (docs/alerting.md).
    pub alerting: crate::model::alerting::AlertingSetup,
    /// `parse` and `invalid-id` findings.
    pub findings: Vec<Finding>,
    /// Entries that failed to load, so that findings which only follow from that
    /// (an "unknown person" for a person whose entry broke) are not reported.
    pub unloaded: Unloaded,
}

/// What failed to load: entries by kind and id, and kinds of which an entry without a
/// readable id (or a whole file) failed. Kinds: `person`, `rota`, `alert`, `service`.
#[derive(Debug, Default, Clone)]
pub struct Unloaded {
    pub ids: BTreeSet<(&'static str, String)>,
    pub kinds: BTreeSet<&'static str>,
}

impl Unloaded {
    /// Could a reference to this id be broken only because its entry failed to load?
    pub fn contains(&self, kind: &str, id: &str) -> bool {
        self.kinds.contains(kind) || self.ids.iter().any(|(k, i)| *k == kind && i == id)
    }
}

/// The loaded repository with its references checked.
#[derive(Clone)]
pub struct Model {
    pub repo: Repo,
    /// `parse`, `invalid-id` and `unknown-reference` findings from loading and resolving.
    pub findings: Vec<Finding>,
    people: BTreeMap<String, usize>,
    /// Rota id → its first rota (ids are unique once `invalid-id` passes).
    rotas: BTreeMap<String, usize>,
}

impl Model {
    /// The model of a resolved repository: its lookups by id (a person's last entry, a
    /// rota's first; duplicates are `invalid-id` findings of resolving).
    pub fn new(repo: Repo, findings: Vec<Finding>) -> Model {
        let mut people = BTreeMap::new();
        for (i, p) in repo.people.iter().enumerate() {
            people.insert(p.id.clone(), i);
        }
        let mut rotas = BTreeMap::new();
        for (i, r) in repo.rotas.iter().enumerate() {
            rotas.entry(r.id.clone()).or_insert(i);
        }
        Model {
            repo,
            findings,
            people,
            rotas,
        }
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.get(id).map(|&i| &self.repo.people[i])
    }

    /// How a person is shown (feeds, pages): their `name`, or the id of someone not in
    /// people.yaml.
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.person(id).map_or(id, |p| p.name.as_str())
    }

    pub fn rota(&self, id: &str) -> Option<&Rota> {
        self.rotas.get(id).map(|&i| &self.repo.rotas[i])
    }
}
