//! What a change to the data does (`rota diff`): the shifts that change hands, the
//! shares that move and the findings introduced and fixed, between two loaded versions
//! of the repository, as Markdown for a pull-request comment or a job summary. Pure: the
//! command reads the two versions; this only compares them.

use crate::encode;
use crate::finding::{Finding, Level};
use crate::resolve::Model;
use crate::rules::analysis::{Ctx, Share};
use crate::schedule::interval::Interval;
use crate::schedule::{Schedule, Segment};
use crate::time::{self, Clock, Instant};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

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

/// Findings of `a` that `b` does not have, compared by rule, level, file and message
/// (line numbers move when lines are added above).
pub fn findings_not_in<'f>(a: &'f Version, b: &Version) -> Vec<&'f Finding> {
    let key = |v: &Version, f: &Finding| {
        (
            f.rule,
            f.level,
            v.model.repo.sources.get(f.loc.file).path.clone(),
            f.message.clone(),
        )
    };
    let mut others: BTreeMap<_, usize> = BTreeMap::new();
    for f in b.findings {
        *others.entry(key(b, f)).or_insert(0) += 1;
    }
    a.findings
        .iter()
        .filter(|f| match others.get_mut(&key(a, f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// One finding in the comparison, as the summary lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingLine {
    pub level: Level,
    pub rule: &'static str,
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
        crate::rules::analysis::check_window_end(config, clock),
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
    let lines = |list: Vec<&Finding>, version: &Version| -> Vec<FindingLine> {
        list.into_iter()
            .map(|f| FindingLine {
                level: f.level,
                rule: f.rule,
                path: version.model.repo.sources.get(f.loc.file).path.clone(),
                line: f.loc.line,
                message: f.message.clone(),
            })
            .collect()
    };
    Summary {
        base: base.to_string(),
        from: window.start.with_timezone(&config.timezone).date_naive(),
        to: time::local_date(config.timezone, window.end),
        changes,
        shares,
        introduced: lines(findings_not_in(after, before), after),
        fixed: lines(findings_not_in(before, after), before),
    }
}

impl Summary {
    /// The Markdown for a pull-request comment or a job summary. Every value from the
    /// data (names, paths, messages quoting notes) is an inline code span
    /// ([`encode::markdown_code`], [`encode::markdown_cell`] in tables), so nothing in
    /// the data makes a link, image, heading, table row, HTML or mention
    /// (docs/security.md, "Output encoding"); the headings and tables are rota's own.
    pub fn markdown(&self) -> String {
        let Summary {
            base,
            from,
            to,
            changes,
            shares,
            introduced,
            fixed,
        } = self;
        let base = encode::markdown_code(base);
        if changes.is_empty() && introduced.is_empty() && fixed.is_empty() && shares.is_empty() {
            return format!(
                "**rota diff**: no change to shifts, shares or findings between {base} and this version ({from} to {to}).\n"
            );
        }
        let mut out = format!(
            "## rota diff: {base} → this version\n\nFrom {from} to {to} (the check window).\n"
        );
        if changes.is_empty() {
            out.push_str("\nNo shift changes hands.\n");
        } else {
            let _ = write!(
                out,
                "\n### Shifts that change hands ({})\n\n| when (local time) | rota | position | before | after |\n|---|---|---|---|---|\n",
                changes.len()
            );
            for c in changes.iter().take(MAX_ROWS) {
                let _ = writeln!(
                    out,
                    "| {} → {} | {} | {} | {} | {} |",
                    time::human(c.timezone, c.start),
                    time::human(c.timezone, c.end),
                    encode::markdown_cell(&c.rota),
                    encode::markdown_cell(&c.position),
                    holder(c.before.as_deref()),
                    holder(c.after.as_deref()),
                );
            }
            if changes.len() > MAX_ROWS {
                let _ = writeln!(out, "\n…and {} more.", changes.len() - MAX_ROWS);
            }
        }
        if !shares.is_empty() {
            out.push_str(
                "\n### Shares of on-call time\n\n| person | before | after |\n|---|---|---|\n",
            );
            let percent = |p: Option<i64>| p.map_or("—".to_string(), |p| format!("{p}%"));
            for row in shares {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    encode::markdown_cell(&row.person),
                    percent(row.before),
                    percent(row.after)
                );
            }
        }
        for (title, list) in [
            ("Findings introduced", introduced),
            ("Findings fixed", fixed),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title} ({})\n\n", list.len());
            for f in list {
                let _ = writeln!(
                    out,
                    "- **{}** `{}` {}:{}: {}",
                    f.level.as_str(),
                    f.rule,
                    encode::markdown_code(&f.path),
                    f.line,
                    encode::markdown_code(&f.message)
                );
            }
        }
        out
    }
}

/// Who holds a shift, in a table cell: their id as code, or "nobody".
fn holder(person: Option<&str>) -> String {
    person.map_or("nobody".to_string(), encode::markdown_cell)
}

fn shares<'m>(v: &Version<'m>, clock: Clock) -> BTreeMap<String, Share> {
    Ctx::new(v.model, v.schedule, clock).shares().clone()
}
