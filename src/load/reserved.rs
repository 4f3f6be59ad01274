//! Names the site generates itself: an id or runbook slug that would become one of them
//! would replace that page without a word, so it is refused at load (`invalid-id`, at the
//! entry). The one place that knows them, so that it changes with the site's pages.

use super::Repo;
use crate::finding::{Finding, RuleId};
use crate::source::Sources;

/// What an id names, for [`generated_page`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Person,
    Rota,
    Runbook,
}

/// The page the site generates at the address an entry of `kind` with id (or slug) `id`
/// would get, with what it is, if there is one. A person is `people/ID.html`, a rota
/// `rotas/ID.html` (no other page is generated in `rotas/`) and a runbook
/// `runbooks/SLUG.html`. The root's own `runbooks/index.md` (or `_index.md`, `README.md`)
/// is no runbook but the runbook index's introduction, so only a folder
/// `runbooks/index/` with its own page can still claim `runbooks/index.html`.
pub fn generated_page(kind: Kind, id: &str) -> Option<&'static str> {
    match (kind, id) {
        (Kind::Person, "index") => Some("people/index.html, the list of people"),
        (Kind::Runbook, "index") => Some("runbooks/index.html, the list of runbooks"),
        _ => None,
    }
}

/// An `invalid-id` finding for every person, rota and runbook whose page would replace
/// one the site generates.
pub fn check(repo: &mut Repo) {
    let mut findings = Vec::new();
    let mut refuse = |loc, kind: Kind, what: &str, id: &str| {
        if let Some(page) = generated_page(kind, id) {
            findings.push(
                Finding::error(
                    RuleId::InvalidId,
                    loc,
                    format!("`{id}` cannot be a {what}: its page would replace {page}"),
                )
                .with_help("choose another name"),
            );
        }
    };
    for person in &repo.people {
        refuse(person.loc, Kind::Person, "person id", &person.id);
    }
    for rota in &repo.rotas {
        refuse(rota.loc, Kind::Rota, "rota id", &rota.id);
    }
    for runbook in &repo.runbooks {
        refuse(
            Sources::file_start(runbook.file),
            Kind::Runbook,
            "runbook slug",
            &runbook.slug,
        );
    }
    repo.findings.extend(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_reserved_for_people_and_runbooks_and_other_names_are_free() {
        assert!(generated_page(Kind::Person, "index").is_some());
        assert!(generated_page(Kind::Runbook, "index").is_some());
        assert!(generated_page(Kind::Rota, "index").is_none());
        assert!(generated_page(Kind::Person, "alice").is_none());
        assert!(generated_page(Kind::Runbook, "db/index").is_none());
        // The root's index.md is the runbook index's introduction, never slug `index`.
        assert_eq!(crate::markdown::runbook_slug("Index"), "");
        assert_eq!(crate::markdown::runbook_slug("index/_index"), "index");
    }
}
