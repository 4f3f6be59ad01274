//! Resolve: check that every reference between files names something that exists and
//! that ids are unique, and give the rest of the pipeline lookups by id.

use crate::finding::Finding;
use crate::load::{Repo, Unloaded};
use crate::model::{Named, Person, Rota};
use crate::source::Loc;
use std::collections::{BTreeMap, BTreeSet};

/// The loaded repository with its references checked.
#[derive(Clone)]
pub struct Model {
    pub repo: Repo,
    /// `parse`, `invalid-id` and `unknown-reference` findings from loading and resolving.
    pub findings: Vec<Finding>,
    people: BTreeMap<String, usize>,
}

impl Model {
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.get(id).map(|&i| &self.repo.people[i])
    }

    pub fn rota(&self, id: &str) -> Option<&Rota> {
        self.repo.rotas.iter().find(|r| r.id == id)
    }
}

pub fn resolve(mut repo: Repo) -> Model {
    let mut findings = std::mem::take(&mut repo.findings);
    let mut people = BTreeMap::new();
    for (i, p) in repo.people.iter().enumerate() {
        if people.insert(p.id.clone(), i).is_some() {
            findings.push(duplicate(p.loc, "person", &p.id));
        }
    }
    let rota_ids: BTreeSet<&str> = repo.rotas.iter().map(|r| r.id.as_str()).collect();
    let mut seen_rotas = BTreeSet::new();
    for r in &repo.rotas {
        if !seen_rotas.insert(r.id.as_str()) {
            findings.push(duplicate(r.loc, "rota", &r.id));
        }
    }
    let mut alert_ids = BTreeSet::new();
    for a in &repo.alerts {
        if !alert_ids.insert(a.id.as_str()) {
            findings.push(duplicate(a.loc, "alert", &a.id));
        }
    }
    let mut service_ids = BTreeSet::new();
    for s in &repo.services {
        if !service_ids.insert(s.id.as_str()) {
            findings.push(duplicate(s.loc, "service", &s.id));
        }
    }
    let runbook_slugs: BTreeSet<&str> = repo.runbooks.iter().map(|r| r.slug.as_str()).collect();

    // A rota whose file has a parse error may have lost its blocks or positions: its
    // position names are not checked until the parse error is fixed.
    let broken_files: BTreeSet<crate::source::FileId> = findings
        .iter()
        .filter(|f| f.rule == "parse" && f.level == crate::finding::Level::Error)
        .map(|f| f.loc.file)
        .collect();
    let known: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
        ("person", people.keys().map(String::as_str).collect()),
        ("rota", rota_ids.iter().copied().collect()),
        ("alert", alert_ids.iter().copied().collect()),
        ("service", service_ids.iter().copied().collect()),
        ("runbook", runbook_slugs.iter().copied().collect()),
    ]);
    let mut refs = Refs {
        findings: &mut findings,
        unloaded: &repo.unloaded,
        known: &known,
    };
    for rota in &repo.rotas {
        let position_names = rota.position_names();
        for block in &rota.blocks {
            for m in &block.members {
                refs.check(m, "person", people.contains_key(&m.id));
            }
            for p in &block.positions {
                for m in p.members.iter().flatten() {
                    refs.check(m, "person", people.contains_key(&m.id));
                }
            }
            if let Some(first) = &block.first {
                let list = block
                    .positions
                    .first()
                    .map(|p| block.members_of(p))
                    .unwrap_or(&block.members);
                if !list.iter().any(|m| m.id == first.id) {
                    refs.push(
                        first.loc,
                        format!(
                            "`first: {}` is not a member of this block's first position",
                            first.id
                        ),
                        "name one of the members listed for the first position",
                    );
                }
            }
        }
        for o in &rota.overrides {
            if let Some(p) = &o.person {
                refs.check(p, "person", people.contains_key(&p.id));
            }
            if let Some(r) = &o.replaces {
                refs.check(r, "person", people.contains_key(&r.id));
            }
            if let Some(pos) = &o.position {
                if !position_names.contains(&pos.id.as_str()) && !broken_files.contains(&rota.file)
                {
                    refs.push(
                        pos.loc,
                        format!("rota `{}` has no position `{}`", rota.id, pos.id),
                        format!("positions here: {}", position_names.join(", ")),
                    );
                }
            } else if o.replaces.is_none() {
                refs.push(
                    o.loc,
                    "this override names neither a `position` nor whom it `replaces`".into(),
                    "add `position: NAME` or `replaces: PERSON`",
                );
            }
        }
    }
    for a in &repo.alerts {
        if let Some(s) = &a.service {
            refs.check(s, "service", service_ids.contains(s.id.as_str()));
        }
        for r in &a.pages {
            refs.check(r, "rota", rota_ids.contains(r.id.as_str()));
        }
        // A paging alert's runbook is `alert-runbook`'s business.
        if let (Some(rb), true) = (&a.runbook, a.pages.is_empty()) {
            refs.check(rb, "runbook", runbook_slugs.contains(rb.id.as_str()));
        }
    }
    for s in &repo.services {
        if let Some(r) = &s.rota {
            refs.check(r, "rota", rota_ids.contains(r.id.as_str()));
        }
    }
    for l in &repo.leave {
        refs.check(&l.person, "person", people.contains_key(&l.person.id));
    }
    for p in &repo.pages {
        refs.check(&p.person, "person", people.contains_key(&p.person.id));
        refs.check(&p.alert, "alert", alert_ids.contains(p.alert.id.as_str()));
    }
    for rb in &repo.runbooks {
        for a in &rb.alerts {
            refs.check(a, "alert", alert_ids.contains(a.id.as_str()));
        }
    }
    Model {
        repo,
        findings,
        people,
    }
}

fn duplicate(loc: Loc, what: &str, id: &str) -> Finding {
    Finding::error("invalid-id", loc, format!("{what} id `{id}` is used twice")).with_help(format!(
        "each {what} needs its own id; rename or remove one"
    ))
}

struct Refs<'a> {
    findings: &'a mut Vec<Finding>,
    /// Entries that failed to load: a reference to one is not reported again.
    unloaded: &'a Unloaded,
    /// The ids of each kind, for "did you mean".
    known: &'a BTreeMap<&'a str, Vec<&'a str>>,
}

impl Refs<'_> {
    fn check(&mut self, named: &Named, what: &str, exists: bool) {
        if !exists && !self.unloaded.contains(what, &named.id) {
            let help = match what {
                "person" => "add them to rota/people.yaml, or fix the spelling".to_string(),
                "rota" => {
                    "rotas are the files in rota/rotas/ (the id is the file name)".to_string()
                }
                "runbook" => "a runbook slug is its path under runbooks/ without .md".to_string(),
                other => format!("check the spelling against the {other} ids"),
            };
            let near = self
                .known
                .get(what)
                .and_then(|ids| crate::finding::did_you_mean(&named.id, ids.iter().copied()));
            let message = match near {
                Some(near) => format!("unknown {what} `{}`; did you mean `{near}`?", named.id),
                None => format!("unknown {what} `{}`", named.id),
            };
            self.push(named.loc, message, help);
        }
    }

    fn push(&mut self, loc: Loc, message: String, help: impl Into<String>) {
        self.findings
            .push(Finding::error("unknown-reference", loc, message).with_help(help));
    }
}
