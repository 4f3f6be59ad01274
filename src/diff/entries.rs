//! The leave, holidays, people, alerts and runbooks one version has and the other has
//! not, and the alerts whose rotas changed.

use super::*;

/// The kind under which a change of the rotas an alert pages is listed.
const ROUTES: &str = "Who alerts page";

/// The leave, holidays, people, alerts and runbooks one version has and the other has
/// not, and the alerts on both sides whose rotas changed. Leave and routes are the same
/// entry when everything they say agrees; the others by id.
pub fn entry_changes(before: &Model, after: &Model) -> Vec<EntryChanges> {
    let leave = |m: &Model| -> Vec<Entry> {
        m.repo
            .leave
            .iter()
            .map(|l| Entry {
                id: l.person.id.clone(),
                detail: Some(match &l.note {
                    Some(note) => format!("{} to {} ({note})", l.from, l.to),
                    None => format!("{} to {}", l.from, l.to),
                }),
            })
            .collect()
    };
    let holidays = |m: &Model| -> Vec<Entry> {
        m.repo
            .config
            .holidays
            .iter()
            .map(|d| Entry {
                id: d.to_string(),
                detail: m.repo.config.holiday_name(*d).map(str::to_string),
            })
            .collect()
    };
    let people = |m: &Model| -> Vec<Entry> {
        m.repo
            .people
            .iter()
            .map(|p| Entry {
                id: p.id.clone(),
                detail: Some(p.name.clone()),
            })
            .collect()
    };
    let alerts = |m: &Model| -> Vec<Entry> {
        m.repo
            .alerts
            .iter()
            .map(|a| Entry {
                id: a.id.clone(),
                detail: Some(a.summary.clone()),
            })
            .collect()
    };
    // Who an alert pages, as one entry: a changed route is its old entry removed and its
    // new one added.
    let routes = |m: &Model| -> Vec<Entry> {
        m.repo
            .alerts
            .iter()
            .map(|a| {
                let rotas: Vec<&str> = a.pages.iter().map(|r| r.id.as_str()).collect();
                Entry {
                    id: a.id.clone(),
                    detail: Some(if rotas.is_empty() {
                        "pages nobody".to_string()
                    } else {
                        format!("pages {}", rotas.join(", "))
                    }),
                }
            })
            .collect()
    };
    let runbooks = |m: &Model| -> Vec<Entry> {
        m.repo
            .runbooks
            .iter()
            .map(|r| Entry {
                id: r.slug.clone(),
                detail: Some(r.title.clone()),
            })
            .collect()
    };
    // Leave and routes compare whole entries; the others compare ids, so a renamed person
    // or a reworded alert is neither added nor removed.
    type Entries = fn(&Model) -> Vec<Entry>;
    let kinds: [(&'static str, Entries, bool); 6] = [
        ("Leave", leave, true),
        ("Holidays", holidays, false),
        ("People", people, false),
        ("Alerts", alerts, false),
        (ROUTES, routes, true),
        ("Runbooks", runbooks, false),
    ];
    kinds
        .into_iter()
        .filter_map(|(kind, entries, whole)| {
            let key = |e: &Entry| {
                if whole {
                    (e.id.clone(), e.detail.clone())
                } else {
                    (e.id.clone(), None)
                }
            };
            let (old, new) = (entries(before), entries(after));
            let only_in = |a: &[Entry], b: &[Entry]| -> Vec<Entry> {
                let mut others: BTreeMap<_, usize> = BTreeMap::new();
                for e in b {
                    *others.entry(key(e)).or_insert(0) += 1;
                }
                let mut out: Vec<Entry> = a
                    .iter()
                    .filter(|e| match others.get_mut(&key(e)) {
                        Some(n) if *n > 0 => {
                            *n -= 1;
                            false
                        }
                        _ => true,
                    })
                    .cloned()
                    .collect();
                out.sort();
                out
            };
            let (mut added, mut removed) = (only_in(&new, &old), only_in(&old, &new));
            if kind == ROUTES {
                // An alert added or removed is listed once, under Alerts.
                let ids = |m: &Model| -> BTreeSet<String> {
                    m.repo.alerts.iter().map(|a| a.id.clone()).collect()
                };
                let (old_ids, new_ids) = (ids(before), ids(after));
                let on_both_sides = |e: &Entry| old_ids.contains(&e.id) && new_ids.contains(&e.id);
                added.retain(on_both_sides);
                removed.retain(on_both_sides);
            }
            (!added.is_empty() || !removed.is_empty()).then_some(EntryChanges {
                kind,
                added,
                removed,
            })
        })
        .collect()
}
