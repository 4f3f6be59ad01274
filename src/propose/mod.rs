//! `rota plan`: proposing a membership change or a new member order as a rotation block,
//! rather than only judging one (docs/recipes.md, docs/commands.md#rota-plan).
//!
//! Candidates are scored with a model of the one rota that changes — its turns recomputed
//! by the schedule engine for that rota alone, read against what is fixed (leave, the
//! other rotas' holdings, experience served before the block) — never with a whole
//! `check` each; only the best few are confirmed by every rule ([`confirm`]).

mod baseline;
mod members;
pub mod order;
pub mod text;

pub use baseline::Baseline;
use baseline::too_long_runs;
pub use members::{MemberRow, Membership, member_table, membership_candidates};

use crate::finding::{Finding, FindingId, Level};
use crate::load::resolve;
use crate::model::Model;
use crate::model::{Block, Named, Person, Position, Rota, RotaKind};
use crate::rules;
use crate::rules::holiday_fairness::{self, DayCounts};
use crate::schedule::interval::{self, Interval};
use crate::schedule::{RotaSchedule, Schedule};
use crate::time::{self, Clock, Instant};
use chrono::{NaiveDate, TimeDelta};
use std::collections::{BTreeMap, BTreeSet};

/// How long after its start a new block is scored (and shares compared): a year.
pub const SCORED_WEEKS: i64 = 52;

/// How many of the best candidates are checked with every rule.
pub const CONFIRMED: usize = 4;

/// The rotation block a proposal adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBlock {
    pub start: NaiveDate,
    pub members: Vec<String>,
    pub first: Option<String>,
    /// New offsets of the positions (all of them, in order), when they change.
    pub offsets: Option<Vec<i64>>,
}

/// How good a candidate is, best first when compared: findings the model expects it to
/// add, shifts it changes, the widest deviation of a share from the mean (per mille),
/// turns in which a first-timer is not paired with someone experienced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    pub findings: usize,
    pub changed: usize,
    pub share_deviation: i64,
    pub unpaired: usize,
    /// Spread of holiday and weekend counts (a last tie-break).
    pub unfair: i64,
}

/// A refusal or a wrong request, in a sentence (exit 2).
#[derive(Debug)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The rota as it would be with `block` added after its last block.
pub fn rota_with(rota: &Rota, block: &NewBlock) -> Rota {
    let mut out = rota.clone();
    let Some(last) = rota.blocks.last() else {
        return out;
    };
    let loc = last.loc;
    let named = |id: &str| Named {
        id: id.to_string(),
        loc,
    };
    let mut positions = last.positions.clone();
    if let Some(offsets) = &block.offsets {
        for (p, o) in positions.iter_mut().zip(offsets) {
            p.offset = *o;
        }
    }
    out.blocks.push(Block {
        start: block.start,
        members: block.members.iter().map(|m| named(m)).collect(),
        positions,
        first: block.first.as_deref().map(named),
        ..last.clone()
    });
    out
}

/// The text of the new block: `start`, `members`, `first` and, when offsets change,
/// `positions`.
pub fn block_text(rota: &Rota, block: &NewBlock) -> text::BlockText {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("start", block.start.to_string()),
        ("members", text::list(&block.members)),
    ];
    if let Some(first) = &block.first {
        fields.push(("first", first.clone()));
    }
    if let (Some(offsets), Some(last)) = (&block.offsets, rota.blocks.last()) {
        let items: Vec<String> = last
            .positions
            .iter()
            .zip(offsets)
            .map(|(p, o)| position_text(p, *o))
            .collect();
        fields.push(("positions", text::list(&items)));
    }
    text::BlockText { fields }
}

fn position_text(p: &Position, offset: i64) -> String {
    let mut fields: Vec<String> = vec![format!("name: {}", crate::edit::scalar(&p.name, true))];
    if offset != 0 {
        fields.push(format!("offset: {offset}"));
    }
    if let Some(members) = &p.members {
        let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
        fields.push(format!("members: {}", text::list(&ids)));
    }
    if let Some(role) = &p.role {
        fields.push(format!("role: {}", crate::edit::scalar(&role.id, true)));
    }
    if p.shadow {
        fields.push("shadow: true".into());
    }
    format!("{{ {} }}", fields.join(", "))
}

/// The first handover of `rota` at or after the start of `date` (and after its last
/// block's start), at the rota's handover time: the date a new block starts on.
pub fn first_handover(
    model: &Model,
    rota: &Rota,
    date: NaiveDate,
) -> Result<(NaiveDate, Instant), Refusal> {
    let tz = rota.timezone;
    let from = time::start_of_day(tz, date);
    let Some(last) = rota.blocks.last() else {
        return Err(Refusal(format!("rota `{}` has no rotation", rota.id)));
    };
    let last_start = time::local_to_instant(tz, last.handover.on(last.start));
    let horizon = Interval::new(
        from.min(last_start),
        from + last.every.times(2) + TimeDelta::days(2),
    );
    let schedule = Schedule::compute(
        &model.repo.config,
        &model.repo.people,
        std::slice::from_ref(rota),
        horizon,
    );
    let rs = schedule
        .rota(&rota.id)
        .ok_or_else(|| Refusal(format!("rota `{}` has no schedule", rota.id)))?;
    let handover = last.handover;
    rs.turns
        .iter()
        .filter(|t| t.start >= from && t.start > last_start)
        .map(|t| (time::local_date(tz, t.start), t.start))
        .find(|(d, s)| time::local_to_instant(tz, handover.on(*d)) == *s)
        .ok_or_else(|| {
            Refusal(format!(
                "rota `{}` has no handover at {} on or after {date} (after its last block, which starts {}): a new block cannot start there",
                rota.id, handover, last.start
            ))
        })
}

/// One shift whose holder a proposal changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub start: Instant,
    pub position: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Edits the file, reads it back and runs every rule on the result: the proposal, with
/// the findings it adds. An error when the edited file does not read back as the block.
pub fn confirm(
    model: &Model,
    clock: Clock,
    rota: &Rota,
    block: &NewBlock,
    before_findings: &[Finding],
) -> Result<(String, Model, Vec<Finding>, Vec<Finding>), Refusal> {
    let file = model.repo.sources.get(rota.file);
    let edited = text::add_block(&file.text, &block_text(rota, block)).map_err(|e| {
        Refusal(format!(
            "{}: {e}; nothing was written (add the block by hand)",
            file.path
        ))
    })?;
    let overlay = BTreeMap::from([(file.path.clone(), edited.clone())]);
    let repo = crate::load::load_with(&model.repo.root, &overlay).map_err(|e| Refusal(e.0))?;
    let after = resolve::resolve(repo);
    let read_back = after.rota(&rota.id).is_some_and(|r| {
        r.blocks.len() == rota.blocks.len() + 1
            && r.blocks.last().is_some_and(|b| {
                b.start == block.start
                    && b.members
                        .iter()
                        .map(|m| m.id.as_str())
                        .eq(block.members.iter().map(String::as_str))
                    && b.first.as_ref().map(|f| f.id.as_str()) == block.first.as_deref()
            })
    });
    if !read_back {
        return Err(Refusal(format!(
            "{}: the edited file does not read back as the new block; nothing was written (add it by hand)",
            file.path
        )));
    }
    let findings = rules::check_without_advice(&after, clock);
    let added = added_findings(model, before_findings, &after, &findings);
    Ok((edited, after, findings, added))
}

/// The findings in `after` that `before` does not have (by identity, counted).
pub fn added_findings(
    model: &Model,
    before: &[Finding],
    after_model: &Model,
    after: &[Finding],
) -> Vec<Finding> {
    // A grouped finding is the same finding however often it repeats: "… (and 3 more
    // times in the check window)" where it said nothing, or "1 more time".
    let id = |m: &Model, f: &Finding| -> FindingId {
        let mut id = f.identity(&m.repo.sources.get(f.loc.file).path);
        if let Some(cut) = id.subject.rfind(" (and ")
            && id.subject.ends_with(" in the check window)")
        {
            id.subject.truncate(cut);
        }
        id
    };
    let mut known: BTreeMap<FindingId, usize> = BTreeMap::new();
    for f in before {
        *known.entry(id(model, f)).or_default() += 1;
    }
    after
        .iter()
        .filter(|f| match known.get_mut(&id(after_model, f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// The findings of the data as it is, without trade advice (what a proposal is
/// compared with).
pub fn findings_now(model: &Model, clock: Clock) -> Vec<Finding> {
    rules::check_without_advice(model, clock)
}

/// Errors among `findings`.
pub fn errors(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| f.level == Level::Error).count()
}
