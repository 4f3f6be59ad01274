//! Resolve: check that every reference between files names something that exists and
//! that ids are unique, and give the rest of the pipeline lookups by id.

use crate::finding::{Finding, RuleId};
use crate::model::{Model, Named, Repo, Unloaded};
use crate::source::Loc;
use std::collections::{BTreeMap, BTreeSet};

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
        .filter(|f| f.rule == RuleId::Parse && f.level == crate::finding::Level::Error)
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
        // An alert read from the rules pages the rotas of `alerting.receivers`, checked
        // there; its runbook comes from `runbook_url`, `alert-runbook`'s business.
        if a.rule.is_some() {
            continue;
        }
        for r in &a.pages {
            refs.check(r, "rota", rota_ids.contains(r.id.as_str()));
        }
        // A paging alert's runbook is `alert-runbook`'s business.
        if let (Some(rb), true) = (&a.runbook, a.pages.is_empty()) {
            refs.check(rb, "runbook", runbook_slugs.contains(rb.id.as_str()));
        }
    }
    for (rotas, _) in repo
        .config
        .alerting
        .iter()
        .flat_map(|a| a.receivers.values())
    {
        for r in rotas {
            refs.check(r, "rota", rota_ids.contains(r.id.as_str()));
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
    // Refused blocks are dropped, as blocks with a bad value are while loading: the
    // block before runs on in their place, and nothing of them is computed.
    let (too_many, refused) = too_many_turns_ahead(&repo);
    findings.extend(too_many);
    for &(r, i) in refused.iter().rev() {
        repo.rotas[r].blocks.remove(i);
    }
    Model::new(repo, findings)
}

/// The most turns of one rotation block that a look-ahead (`max(horizon, plan_ahead)`)
/// may plan. Hourly turns for the default 13 weeks (2,184) and four-hour turns for a
/// year (2,190) fit; hourly turns for a year (8,760) would publish tens of thousands of
/// shifts that no phone or page shows usefully, so they are refused rather than
/// computed, like turns shorter than an hour and look-aheads beyond five years.
pub const MAX_TURNS_AHEAD: i64 = 2_500;

/// The turn lengths, in hours, suggested instead of one that plans too many turns.
const LONGER_TURNS: [(i64, &str); 10] = [
    (2, "2h"),
    (3, "3h"),
    (4, "4h"),
    (6, "6h"),
    (8, "8h"),
    (12, "12h"),
    (24, "1d"),
    (48, "2d"),
    (168, "1w"),
    (336, "2w"),
];

/// A `parse` error at `every` for each rotation block that would plan more than
/// [`MAX_TURNS_AHEAD`] turns within the look-ahead (or within its own span, when a later
/// block or its `until` ends it sooner), with the blocks so refused, by rota and block
/// index. Counted from the lengths alone, whatever today is (so a rota that passes does
/// not start failing as the weeks go by): no turn is computed.
fn too_many_turns_ahead(repo: &Repo) -> (Vec<Finding>, Vec<(usize, usize)>) {
    let config = &repo.config;
    let looks = [
        ("horizon", config.horizon),
        ("plan_ahead", config.policy.plan_ahead),
    ];
    let (look_key, look) = if looks[1].1.approx_minutes() > looks[0].1.approx_minutes() {
        looks[1]
    } else {
        looks[0]
    };
    let look_hours = look.approx_minutes() / 60;
    let mut findings = Vec::new();
    let mut refused = Vec::new();
    let mut reported = BTreeSet::new();
    for (r, rota) in repo.rotas.iter().enumerate() {
        for (i, block) in rota.blocks.iter().enumerate() {
            // `until` is the block's last day.
            let until = block
                .until
                .and_then(|u| u.checked_add_days(chrono::Days::new(1)));
            let ends = match (rota.blocks.get(i + 1).map(|b| b.start), until) {
                (Some(next), Some(until)) if until < next => Some((until, "its `until`")),
                (Some(next), _) => Some((next, "the next block")),
                (None, until) => until.map(|u| (u, "its `until`")),
            };
            let span_hours = ends
                .map(|(end, _)| (end - block.start).num_hours().max(0))
                .map_or(look_hours, |span| span.min(look_hours));
            let every = block.every.hours().max(1);
            let turns = (span_hours + every - 1) / every;
            if turns <= MAX_TURNS_AHEAD {
                continue;
            }
            refused.push((r, i));
            if !reported.insert(block.every_loc) {
                continue;
            }
            let longer = LONGER_TURNS
                .iter()
                .find(|(h, _)| *h > every && (span_hours + h - 1) / h <= MAX_TURNS_AHEAD)
                .map(|(h, text)| {
                    format!(
                        "`every: {text}` plans {} turns",
                        group_thousands((span_hours + h - 1) / h)
                    )
                });
            // Every look-ahead key that looks further than the turns allow.
            let weeks = MAX_TURNS_AHEAD * every / (24 * 7);
            let shorter: Vec<String> = looks
                .iter()
                .filter(|(_, d)| d.approx_minutes() > weeks * 7 * 24 * 60)
                .map(|(key, _)| format!("`{key}: {weeks}w`"))
                .collect();
            // (`weeks` is at least 14: turns are an hour or longer.)
            let shorter =
                (span_hours == look_hours && !shorter.is_empty()).then(|| shorter.join(" and "));
            let help = match (longer, shorter) {
                (Some(l), Some(s)) => {
                    format!("make turns longer ({l}) or look less far ahead ({s})")
                }
                (Some(l), None) => format!("make turns longer ({l})"),
                (None, Some(s)) => format!("look less far ahead ({s})"),
                (None, None) => "make turns longer or look less far ahead".to_string(),
            };
            let within = match ends {
                Some((_, what)) if span_hours < look_hours => format!("before {what}"),
                _ => format!("within the look-ahead of {look} (`{look_key}`)"),
            };
            findings.push(
                Finding::error(
                    RuleId::Parse,
                    block.every_loc,
                    format!(
                        "`every: {}` plans {} turns of rota `{}` {within}; rota plans at most {} turns of a rota ahead",
                        block.every,
                        group_thousands(turns),
                        rota.id,
                        group_thousands(MAX_TURNS_AHEAD)
                    ),
                )
                .with_help(help),
            );
        }
    }
    (findings, refused)
}

/// `9912` → `9,912`.
fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn duplicate(loc: Loc, what: &str, id: &str) -> Finding {
    Finding::error(
        RuleId::InvalidId,
        loc,
        format!("{what} id `{id}` is used twice"),
    )
    .with_help(format!(
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
            .push(Finding::error(RuleId::UnknownReference, loc, message).with_help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn thousands_are_grouped_by_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(100), "100");
        assert_eq!(group_thousands(2_500), "2,500");
        assert_eq!(group_thousands(43_680), "43,680");
        assert_eq!(group_thousands(100_000), "100,000");
        assert_eq!(group_thousands(-1_234), "-1,234");
    }
}
