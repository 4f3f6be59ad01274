//! `rota/rotas/<id>.yaml`: duty hours, the repeating rotation, positions, overrides and
//! the escalation chain of one rota.

use crate::model::{Named, PolicyOverrides};
use crate::source::{FileId, Loc};
use crate::time::{Duration, Instant, LocalTime};
use chrono::{NaiveDate, TimeDelta, Weekday};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RotaKind {
    OutOfHours,
    InHours,
}

impl RotaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RotaKind::OutOfHours => "out-of-hours",
            RotaKind::InHours => "in-hours",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Rota {
    pub id: String,
    pub file: FileId,
    pub name: String,
    pub description: String,
    pub kind: RotaKind,
    pub kind_loc: Loc,
    pub timezone: Tz,
    /// `None` when the file does not state its hours (`hours-stated`).
    pub hours: Option<DutyHours>,
    pub hours_loc: Loc,
    /// Empty when the file has no rotation (`repeats`).
    pub blocks: Vec<Block>,
    pub policy: PolicyOverrides,
    pub policy_loc: Option<Loc>,
    pub overrides: Vec<Override>,
    /// `None` when the file has no `escalation`.
    pub escalation: Option<Vec<EscalationStep>>,
    pub escalation_loc: Loc,
    /// Where the file starts (for findings about the whole rota).
    pub loc: Loc,
}

impl Rota {
    /// Every distinct member of any position in any block, in order of appearance.
    pub fn members(&self) -> Vec<&Named> {
        self.members_of_positions(|_| true)
    }

    /// Members of non-shadow positions (those who count for cover and share).
    pub fn duty_members(&self) -> Vec<&Named> {
        self.members_of_positions(|p| !p.shadow)
    }

    /// Where each member is listed: their first entry in the latest block that lists
    /// them (an index built once, so that a rota of thousands is never searched person
    /// by person).
    pub fn member_locs(&self) -> BTreeMap<&str, Loc> {
        let mut out = BTreeMap::new();
        for block in self.blocks.iter().rev() {
            for position in &block.positions {
                for m in block.members_of(position) {
                    out.entry(m.id.as_str()).or_insert(m.loc);
                }
            }
        }
        out
    }

    fn members_of_positions(&self, keep: impl Fn(&Position) -> bool) -> Vec<&Named> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut out: Vec<&Named> = Vec::new();
        for block in &self.blocks {
            for position in block.positions.iter().filter(|p| keep(p)) {
                for m in block.members_of(position) {
                    if seen.insert(m.id.as_str()) {
                        out.push(m);
                    }
                }
            }
        }
        out
    }

    /// Names of all positions across blocks, in order of first appearance.
    pub fn position_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for block in &self.blocks {
            for p in &block.positions {
                if !names.contains(&p.name.as_str()) {
                    names.push(&p.name);
                }
            }
        }
        names
    }

    pub fn is_shadow(&self, position: &str) -> bool {
        self.blocks
            .iter()
            .flat_map(|b| &b.positions)
            .any(|p| p.name == position && p.shadow)
    }
}

/// When a rota is on duty.
#[derive(Clone, Debug, PartialEq)]
pub enum DutyHours {
    Always,
    Windows(Vec<DutyWindow>),
}

/// `{ days: [...], from: HH:MM, to: HH:MM }`; `to <= from` runs overnight.
#[derive(Clone, Debug, PartialEq)]
pub struct DutyWindow {
    pub days: Vec<DaySelector>,
    pub from: LocalTime,
    pub to: LocalTime,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaySelector {
    Day(Weekday),
    Holiday,
}

/// Length of a turn, counted in local wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnLength {
    Hours(u32),
    Days(u32),
    Weeks(u32),
}

impl std::fmt::Display for TurnLength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TurnLength::Hours(h) => write!(f, "{h}h"),
            TurnLength::Days(d) => write!(f, "{d}d"),
            TurnLength::Weeks(w) => write!(f, "{w}w"),
        }
    }
}

impl TurnLength {
    pub fn from_duration(d: Duration) -> Result<TurnLength, String> {
        match d {
            Duration::Hours(h) if h > 0 && 24 % h == 0 => Ok(TurnLength::Hours(h as u32)),
            Duration::Hours(h) if h > 0 && h % 24 == 0 => Ok(TurnLength::Days((h / 24) as u32)),
            Duration::Days(n) if n > 0 => Ok(TurnLength::Days(n as u32)),
            Duration::Weeks(n) if n > 0 => Ok(TurnLength::Weeks(n as u32)),
            other => Err(format!(
                "a turn of `{other}` is not allowed: use whole hours that divide 24 (`12h`), whole days (`1d`) or whole weeks (`1w`)"
            )),
        }
    }

    /// The wall-clock step of `n` turns.
    pub fn times(self, n: i64) -> TimeDelta {
        match self {
            TurnLength::Hours(h) => TimeDelta::hours(i64::from(h) * n),
            TurnLength::Days(d) => TimeDelta::days(i64::from(d) * n),
            TurnLength::Weeks(w) => TimeDelta::weeks(i64::from(w) * n),
        }
    }

    /// Approximate length in hours (exact but for clock changes).
    pub fn hours(self) -> i64 {
        self.times(1).num_hours()
    }
}

/// One block of a rotation: applies from `start` until the next block's start.
#[derive(Clone, Debug)]
pub struct Block {
    pub start: NaiveDate,
    pub handover: LocalTime,
    pub every: TurnLength,
    /// Where `every` is written (the block's own, or the block it is inherited from).
    pub every_loc: Loc,
    pub members: Vec<Named>,
    pub positions: Vec<Position>,
    pub until: Option<NaiveDate>,
    pub until_loc: Option<Loc>,
    /// The member who holds the first position in this block's first turn.
    pub first: Option<Named>,
    pub loc: Loc,
}

impl Block {
    /// The member list a position draws from.
    pub fn members_of<'a>(&'a self, position: &'a Position) -> &'a [Named] {
        position.members.as_deref().unwrap_or(&self.members)
    }
}

#[derive(Clone, Debug)]
pub struct Position {
    pub name: String,
    pub offset: i64,
    pub members: Option<Vec<Named>>,
    pub role: Option<Named>,
    pub shadow: bool,
    pub loc: Loc,
}

/// A trade or cover applied on top of the rotation.
#[derive(Clone, Debug)]
pub struct Override {
    /// `None`: every position `replaces` holds in the span.
    pub position: Option<Named>,
    pub from: Instant,
    pub to: Instant,
    pub from_loc: Loc,
    /// `None`: the position is left empty on purpose.
    pub person: Option<Named>,
    pub person_loc: Loc,
    pub replaces: Option<Named>,
    pub reason: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct EscalationStep {
    pub after: Duration,
    pub after_loc: Loc,
    pub notify: EscalationTarget,
    pub notify_loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EscalationTarget {
    Position(String),
    Rota(String),
    Person(String),
}

impl EscalationTarget {
    pub fn parse(s: &str) -> EscalationTarget {
        if let Some(r) = s.strip_prefix("rota:") {
            EscalationTarget::Rota(r.trim().to_string())
        } else if let Some(p) = s.strip_prefix("person:") {
            EscalationTarget::Person(p.trim().to_string())
        } else {
            EscalationTarget::Position(s.trim().to_string())
        }
    }
}

impl std::fmt::Display for EscalationTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EscalationTarget::Position(p) => write!(f, "{p}"),
            EscalationTarget::Rota(r) => write!(f, "rota:{r}"),
            EscalationTarget::Person(p) => write!(f, "person:{p}"),
        }
    }
}
