//! Rules about the shape of the data: `parse`, `unknown-reference`, `invalid-id`
//! (reported while loading and resolving), `hours-stated` and `repeats`.

use super::{Ctx, Rule};
use crate::finding::{Finding, Level, RuleId};
use crate::model::DutyHours;

pub const PARSE: Rule = Rule {
    id: RuleId::Parse,
    explanation: "What it checks: every file is valid YAML (or, for runbooks, valid front matter) of the documented shape, every value is in its documented format (dates, local times, durations, time zones, weekdays), and no file has a key rota does not know. Absurd values are refused here rather than computed: turns shorter than an hour, a `horizon` or `plan_ahead` beyond five years, and a rotation block that would plan more than 2,500 turns within the look-ahead (hourly turns for a year are 8,736).

Why: a typo must never pass silently. `opted_in: ture` or `handovr: 10:00` would otherwise be ignored and the rota would quietly mean something else.

Example: `every: 1 fortnight` — unknown unit.

How to fix: correct the value at the line and column shown; docs/data-format.md gives every key and format.",
    check: None,
};

pub const UNKNOWN_REFERENCE: Rule = Rule {
    id: RuleId::UnknownReference,
    explanation: "What it checks: every person, rota, alert, service, runbook and rule named anywhere exists: rota members and override people in rota/people.yaml, paged rotas in rota/rotas/, services in rota/services.yaml, and so on.

Why: a misspelt name would leave a position empty or an alert paging nobody, and nothing would say so.

Example: `members: [alice, bbo]` when people.yaml has `bob`.

How to fix: fix the spelling, or add the missing entry where the message says.",
    check: None,
};

pub const INVALID_ID: Rule = Rule {
    id: RuleId::InvalidId,
    explanation: "What it checks: ids of people, rotas (file names), alerts, services and runbook slug segments match ^[a-z0-9][a-z0-9-]{0,62}$, are unique within their kind, and do not name a page the site makes itself (a person `index`, a runbook `runbooks/index.md`).

Why: ids become file names and URLs of the site and calendar feeds; two entries with one id, or an entry named like one of the site's own pages, would overwrite each other.

Example: `id: Alice_Smith` — use `alice-smith`.

How to fix: rename to lowercase letters, digits and dashes, and give each entry its own id.",
    check: None,
};

pub const HOURS_STATED: Rule = Rule {
    id: RuleId::HoursStated,
    explanation: "What it checks: each rota states its duty hours (`hours: always`, or a list of { days, from, to } windows).

Why: people must know exactly when they are on call; the share, cover and leave rules all measure time inside the duty hours.

Example: an out-of-hours rota without `hours:`.

How to fix: add `hours:` — e.g. weekday evenings and nights plus `[sat, sun, holiday]` all day.",
    check: Some(hours_stated),
};

pub const REPEATS: Rule = Rule {
    id: RuleId::Repeats,
    explanation: "What it checks: each rota has a `rotation`: a start date, a handover time, a turn length and members that repeat in a regular pattern.

Why: a rota that repeats regularly lets people plan their lives months ahead; hand-written one-off lists drift and leave gaps.

Example: a rota file with `positions:` but no `rotation:`.

How to fix: add `rotation: { start, handover, every, members }`; record one-off changes as `overrides`.",
    check: Some(repeats),
};

fn hours_stated(ctx: &Ctx, out: &mut Vec<Finding>) {
    for rota in &ctx.repo.rotas {
        match &rota.hours {
            None => out.push(
                Finding::error(RuleId::HoursStated, rota.loc, format!("rota `{}` does not state its duty hours", rota.id))
                    .with_help("add `hours: always`, or a list of `{ days: [...], from: \"HH:MM\", to: \"HH:MM\" }` windows"),
            ),
            Some(DutyHours::Windows(w)) if w.is_empty() => out.push(
                Finding::error(RuleId::HoursStated, rota.hours_loc, format!("rota `{}` lists no duty hours", rota.id))
                    .with_help("list at least one `{ days, from, to }` window, or write `hours: always`"),
            ),
            Some(DutyHours::Windows(w)) => {
                for window in w.iter().filter(|w| w.days.is_empty()) {
                    out.push(
                        Finding::error(RuleId::HoursStated, window.loc, "this duty window names no days")
                            .with_help("list the days it applies to, e.g. `days: [mon, tue, wed, thu, fri]`"),
                    );
                }
            }
            Some(DutyHours::Always) => {}
        }
    }
}

fn repeats(ctx: &Ctx, out: &mut Vec<Finding>) {
    for rota in ctx.repo.rotas.iter().filter(|r| r.blocks.is_empty()) {
        out.push(
            Finding::error(
                RuleId::Repeats,
                rota.loc,
                format!("rota `{}` has no rotation (repeating pattern)", rota.id),
            )
            .with_help(
                "add `rotation: { start: DATE, handover: \"HH:MM\", every: 1w, members: [...] }`",
            ),
        );
    }
}

/// The number of `parse` errors in the data files under `rota/` (not runbooks).
pub fn parse_errors_in_data(model: &crate::model::Model) -> usize {
    let sources = &model.repo.sources;
    model
        .findings
        .iter()
        .filter(|f| {
            f.rule == RuleId::Parse
                && f.level == Level::Error
                && sources.get(f.loc.file).path.starts_with("rota/")
        })
        .count()
}

/// Drops the findings that only follow from a parse error in the same file (a runbook
/// whose `ownr:` key was dropped has "no owner"): every rule's but those reported while
/// loading and resolving, and `contact-privacy`, which reads the text itself.
pub fn drop_consequences_of_parse_errors(findings: &mut Vec<Finding>) {
    let broken: std::collections::BTreeSet<_> = findings
        .iter()
        .filter(|f| f.rule == RuleId::Parse && f.level == Level::Error)
        .map(|f| f.loc.file)
        .collect();
    findings.retain(|f| f.rule.kept_beside_parse_errors() || !broken.contains(&f.loc.file));
}
