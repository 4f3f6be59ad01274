//! What a change to the data does (`rota diff`): the shifts that change hands, the
//! shares that move, the leave, holidays, people, alerts and runbooks added and
//! removed, and the findings introduced, fixed and changed, between two loaded versions
//! of the repository, as Markdown for a pull-request comment or a job summary. Pure: the
//! command reads the two versions; this only compares them.

use crate::encode;
use crate::finding::{Finding, FindingId, Level, RuleId};
use crate::model::Model;
use crate::rules::context::{Ctx, Share};
use crate::schedule::interval::Interval;
use crate::schedule::{Schedule, Segment};
use crate::source::Sources;
use crate::time::{self, Clock, Instant};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

mod entries;
mod markdown;

pub use entries::entry_changes;

/// One version of the data, with its schedule and findings.
pub struct Version<'a> {
    pub model: &'a Model,
    pub schedule: &'a Schedule,
    pub findings: &'a [Finding],
}

/// A span of one position whose holder differs between the versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandChange {
    pub rota: String,
    pub position: String,
    pub start: Instant,
    pub end: Instant,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The rota's time zone (for showing local times).
    pub timezone: Tz,
}

/// Rows shown in the shifts table before the rest is summarised.
const MAX_ROWS: usize = 100;

/// The spans inside `window` where a position is held by someone else after than
/// before, by start, rota, position (contiguous spans of one change joined).
pub fn hand_changes(before: &Version, after: &Version, window: Interval) -> Vec<HandChange> {
    let mut keys: BTreeSet<(&str, &str)> = BTreeSet::new();
    for v in [before, after] {
        for rs in &v.schedule.rotas {
            for p in &rs.positions {
                keys.insert((rs.rota.as_str(), p.name.as_str()));
            }
        }
    }
    let mut out = Vec::new();
    for (rota, position) in keys {
        let old = segments_in(before.schedule, rota, position, window);
        let new = segments_in(after.schedule, rota, position, window);
        let mut cuts: Vec<Instant> = vec![window.start, window.end];
        for s in old.iter().chain(new) {
            cuts.extend([s.start, s.end]);
        }
        cuts.retain(|t| window.contains(*t) || *t == window.end);
        cuts.sort();
        cuts.dedup();
        let timezone = after
            .model
            .rota(rota)
            .or_else(|| before.model.rota(rota))
            .map(|r| r.timezone)
            .unwrap_or(chrono_tz::UTC);
        let mut changes: Vec<HandChange> = Vec::new();
        for pair in cuts.windows(2) {
            let (start, end) = (pair[0], pair[1]);
            let was = holder_at(old, start);
            let now = holder_at(new, start);
            if was == now {
                continue;
            }
            match changes.last_mut() {
                Some(last) if last.end == start && last.before == was && last.after == now => {
                    last.end = end;
                }
                _ => changes.push(HandChange {
                    rota: rota.to_string(),
                    position: position.to_string(),
                    start,
                    end,
                    before: was,
                    after: now,
                    timezone,
                }),
            }
        }
        out.extend(changes);
    }
    out.sort_by(|a, b| (a.start, &a.rota, &a.position).cmp(&(b.start, &b.rota, &b.position)));
    out
}

/// The segments of one position overlapping `window` (found by binary search).
fn segments_in<'s>(
    schedule: &'s Schedule,
    rota: &str,
    position: &str,
    window: Interval,
) -> &'s [Segment] {
    let Some(p) = schedule.rota(rota).and_then(|rs| rs.position(position)) else {
        return &[];
    };
    let first = p.segments.partition_point(|s| s.end <= window.start);
    let last = p.segments.partition_point(|s| s.start < window.end);
    &p.segments[first..last.max(first)]
}

fn holder_at(segments: &[Segment], t: Instant) -> Option<String> {
    let i = segments.partition_point(|s| s.end <= t);
    segments
        .get(i)
        .filter(|s| s.start <= t)
        .and_then(|s| s.person.clone())
}

/// How the findings of two versions pair up: for each finding of `after`, the index of
/// the finding of `before` that is the same finding, if any. The same finding has the
/// same [`Finding::identity`] (rule, file, message with its numbers masked:
/// docs/ci.md#findings-that-are-already-known), counted with multiplicity: two
/// identical findings before and three after leave one of the three unpaired. Within an
/// identity, findings with the very same level and message pair first, the rest in order.
pub fn pair_findings(
    before: &[Finding],
    before_sources: &Sources,
    after: &[Finding],
    after_sources: &Sources,
) -> Vec<Option<usize>> {
    let id = |f: &Finding, sources: &Sources| f.identity(&sources.get(f.loc.file).path);
    let mut unpaired: BTreeMap<FindingId, Vec<usize>> = BTreeMap::new();
    for (i, f) in before.iter().enumerate() {
        unpaired.entry(id(f, before_sources)).or_default().push(i);
    }
    let ids: Vec<FindingId> = after.iter().map(|f| id(f, after_sources)).collect();
    let mut partner: Vec<Option<usize>> = vec![None; after.len()];
    for (i, f) in after.iter().enumerate() {
        let Some(list) = unpaired.get_mut(&ids[i]) else {
            continue;
        };
        if let Some(at) = list
            .iter()
            .position(|&j| before[j].message == f.message && before[j].level == f.level)
        {
            partner[i] = Some(list.remove(at));
        }
    }
    for (i, slot) in partner.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        if let Some(list) = unpaired.get_mut(&ids[i]).filter(|l| !l.is_empty()) {
            *slot = Some(list.remove(0));
        }
    }
    partner
}

/// One finding in the comparison, as the summary lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingLine {
    pub level: Level,
    pub rule: RuleId,
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// A person whose share of on-call time moves: percent before and after (`None`: no
/// share in that version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRow {
    pub person: String,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// What `rota diff` reports, computed from the two versions; [`Summary::markdown`]
/// prints it.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The revision compared with, as the user named it.
    pub base: String,
    /// The check window, in the repository's time zone.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub changes: Vec<HandChange>,
    pub shares: Vec<ShareRow>,
    pub introduced: Vec<FindingLine>,
    pub fixed: Vec<FindingLine>,
    /// The same finding on both sides with another message or level: (before, after).
    pub changed: Vec<(FindingLine, FindingLine)>,
    /// Entries of the data added and removed, by kind; kinds without a change are left out.
    pub entries: Vec<EntryChanges>,
}

/// The entries of one kind (leave, holidays, people, alerts, runbooks) that one version
/// has and the other has not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryChanges {
    /// The kind, as a heading: `Leave`, `Holidays`, …
    pub kind: &'static str,
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
}

/// One entry, as the summary names it: its id (a person, a date, an alert id, a
/// runbook's slug) and what else identifies it for a reader (dates, a name, a title).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub id: String,
    pub detail: Option<String>,
}

/// The Markdown summary; one line when nothing changes.
pub fn markdown(base: &str, before: &Version, after: &Version, clock: Clock) -> String {
    summary(base, before, after, clock).markdown()
}

/// The comparison of two versions over the check window.
pub fn summary(base: &str, before: &Version, after: &Version, clock: Clock) -> Summary {
    let config = &after.model.repo.config;
    let window = Interval::new(
        time::start_of_day(config.timezone, clock.today),
        crate::schedule::window::check_window_end(config, clock),
    );
    let changes = hand_changes(before, after, window);
    let shares_before = shares(before, clock);
    let shares_after = shares(after, clock);

    let mut affected: BTreeSet<&str> = BTreeSet::new();
    for c in &changes {
        affected.extend(c.before.as_deref());
        affected.extend(c.after.as_deref());
    }
    for (person, share) in &shares_after {
        if shares_before.get(person).map(Share::percent) != Some(share.percent()) {
            affected.insert(person);
        }
    }
    for person in shares_before.keys() {
        if !shares_after.contains_key(person) {
            affected.insert(person);
        }
    }
    let shares = affected
        .iter()
        .map(|p| ShareRow {
            person: p.to_string(),
            before: shares_before.get(*p).map(Share::percent),
            after: shares_after.get(*p).map(Share::percent),
        })
        .collect();
    let line = |f: &Finding, version: &Version| FindingLine {
        level: f.level,
        rule: f.rule,
        path: version.model.repo.sources.get(f.loc.file).path.clone(),
        line: f.loc.line,
        message: f.message.clone(),
    };
    let partner = pair_findings(
        before.findings,
        &before.model.repo.sources,
        after.findings,
        &after.model.repo.sources,
    );
    let mut paired = vec![false; before.findings.len()];
    let mut introduced = Vec::new();
    let mut changed = Vec::new();
    for (f, partner) in after.findings.iter().zip(&partner) {
        match partner {
            None => introduced.push(line(f, after)),
            Some(j) => {
                paired[*j] = true;
                let old = &before.findings[*j];
                if old.message != f.message || old.level != f.level {
                    changed.push((line(old, before), line(f, after)));
                }
            }
        }
    }
    let fixed = before
        .findings
        .iter()
        .zip(&paired)
        .filter(|(_, paired)| !**paired)
        .map(|(f, _)| line(f, before))
        .collect();
    Summary {
        base: base.to_string(),
        from: window.start.with_timezone(&config.timezone).date_naive(),
        to: time::local_date(config.timezone, window.end),
        changes,
        shares,
        introduced,
        fixed,
        changed,
        entries: entry_changes(before.model, after.model),
    }
}

/// Who holds a shift, in a table cell: their id as code, or "nobody".
fn holder(person: Option<&str>) -> String {
    person.map_or("nobody".to_string(), encode::markdown_cell)
}

fn shares<'m>(v: &Version<'m>, clock: Clock) -> BTreeMap<String, Share> {
    Ctx::new(v.model, v.schedule, clock).shares().clone()
}

#[cfg(test)]
mod tests {
    use super::pair_findings;
    use crate::finding::{Finding, RuleId};
    use crate::source::{Loc, SourceFile, Sources};

    fn sources() -> (Sources, Loc) {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile {
            path: "rota/rotas/ooh.yaml".into(),
            disk_path: "/nonexistent".into(),
            text: "a\nb\nc\n".into(),
            line_offset: 0,
        });
        (
            sources,
            Loc {
                file,
                line: 1,
                column: 1,
            },
        )
    }

    #[test]
    fn findings_pair_by_identity_counted_with_multiplicity() {
        let (s, at) = sources();
        let moved = Loc { line: 3, ..at };
        let gap = |m: &str, loc| Finding::error(RuleId::CoverageGap, loc, m);
        let before = [
            gap("nobody on call 2026-12-01 for 2 h", at),
            gap("nobody on call 2026-12-01 for 2 h", at),
            Finding::warning(RuleId::MaxShare, at, "dan is on call 31%"),
        ];
        let after = [
            gap("nobody on call 2026-12-01 for 2 h", moved),
            Finding::warning(RuleId::MaxShare, at, "dan is on call 35%"),
            gap("nobody on call 2026-12-01 for 2 h", at),
            gap("nobody on call 2026-12-01 for 2 h", at),
            gap("nobody on call 2026-12-02 for 2 h", at),
        ];
        let partner = pair_findings(&before, &s, &after, &s);
        // Two identical gaps before and three after: the third is new; another date is
        // another finding; a changed share is the same one.
        assert_eq!(partner, vec![Some(0), Some(2), Some(1), None, None]);
        // The exact message pairs before another of the same identity.
        let before = [gap("x 1 h", at), gap("x 2 h", at)];
        let after = [gap("x 2 h", at)];
        assert_eq!(pair_findings(&before, &s, &after, &s), vec![Some(1)]);
    }
}
