//! `rota plan join|leave|order`: propose a new rotation block, explain it (the file's
//! diff, shares and holiday/weekend counts before and after, the shifts that change,
//! the findings before and after) and, with `--write`, write it — never one that adds a
//! finding (docs/commands.md#rota-plan).

use super::{Failure, Session};
use crate::cli::{PlanAction, PlanMembership};
use crate::diagnostics;
use crate::finding::{Finding, Level};
use crate::output::staging::safe_write;
use crate::propose::{self, Baseline, Membership, NewBlock, Refusal, order};
use crate::schedule::interval::Interval;
use crate::time::{self, Duration};
use std::path::Path;
use std::process::ExitCode;

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Self {
        Failure(r.0)
    }
}

pub fn run(session: &Session, action: PlanAction) -> Result<ExitCode, Failure> {
    if let Some(code) = super::refuse_on_errors(session, super::SCHEDULE_FILES) {
        return Ok(code);
    }
    match action {
        PlanAction::Join(m) => membership(session, Membership::Join, m),
        PlanAction::Leave(m) => membership(session, Membership::Leave, m),
        PlanAction::Order {
            rota,
            from,
            weeks,
            write,
        } => order_cmd(session, &rota, &from, weeks, write),
    }
}

fn rota_of<'a>(session: &'a Session, id: &str) -> Result<&'a crate::model::Rota, Failure> {
    session.model.rota(id).ok_or_else(|| {
        let ids: Vec<&str> = session
            .model
            .repo
            .rotas
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        Failure(format!(
            "--rota: no rota `{id}` (rotas: {})",
            ids.join(", ")
        ))
    })
}

fn membership(session: &Session, kind: Membership, m: PlanMembership) -> Result<ExitCode, Failure> {
    let model = &session.model;
    let clock = session.clock;
    let rota = rota_of(session, &m.rota)?;
    if !model.repo.people.iter().any(|p| p.id == m.person) {
        return Err(Failure(format!(
            "no person `{}` in rota/people.yaml (add them there first)",
            m.person
        )));
    }
    let freeze = Duration::parse(&m.freeze)
        .ok()
        .filter(|d| {
            matches!(
                d,
                Duration::Days(_) | Duration::Weeks(_) | Duration::Months(_)
            )
        })
        .ok_or_else(|| {
            Failure(format!(
                "--freeze: `{}` is not a duration in days, weeks or months (e.g. 8w, 30d)",
                m.freeze
            ))
        })?;
    let from = match &m.from {
        Some(d) => super::parse_date_arg("--from", d)?,
        None => clock.today,
    };
    let frozen_until = freeze.after_date(clock.today);
    let (date, start) = propose::first_handover(model, rota, from.max(frozen_until))?;
    let base = Baseline::new(model, clock, rota, start);
    let candidates = propose::membership_candidates(&base, kind, &m.person, date)?;
    let verb = match kind {
        Membership::Join => "joins",
        Membership::Leave => "leaves",
    };
    println!(
        "Proposal: {} {verb} rota `{}` from {} (the first handover on or after {} and today + {}: {})",
        m.person,
        rota.id,
        time::human(rota.timezone, start),
        from,
        m.freeze,
        frozen_until
    );
    let picked: Vec<(NewBlock, Vec<order::Clash>)> = candidates
        .into_iter()
        .take(propose::CONFIRMED)
        .map(|(_, b, _)| (b, Vec::new()))
        .collect();
    finish(session, &base, picked, m.write)
}

fn order_cmd(
    session: &Session,
    rota_id: &str,
    from: &str,
    weeks: Option<u32>,
    write: bool,
) -> Result<ExitCode, Failure> {
    let model = &session.model;
    let clock = session.clock;
    let rota = rota_of(session, rota_id)?;
    let from = super::parse_date_arg("--from", from)?;
    let weeks = match weeks {
        Some(0) => return Err(Failure("--weeks: give at least 1".into())),
        Some(w) if w > 260 => return Err(Failure("--weeks: at most 260 (five years)".into())),
        Some(w) => i64::from(w),
        None => {
            let end = model.repo.config.horizon.after_date(from);
            ((end - from).num_days() + 6) / 7
        }
    };
    let (date, start) = propose::first_handover(model, rota, from)?;
    let base = Baseline::new(model, clock, rota, start);
    let orders = order::propose(&base, date, weeks, propose::CONFIRMED)?;
    println!(
        "Proposal: a new order for rota `{}` from {} (the first handover on or after {from}), planned over {weeks} week(s)",
        rota.id,
        time::human(rota.timezone, start)
    );
    let picked = orders.into_iter().map(|o| (o.block, o.clashes)).collect();
    finish(session, &base, picked, write)
}

/// A candidate checked by every rule: the block, the clashes it leaves, the edited
/// file, the data as it would be, its findings and those it adds.
type Confirmed = (
    NewBlock,
    Vec<order::Clash>,
    String,
    crate::model::Model,
    Vec<Finding>,
    Vec<Finding>,
);

/// Confirms the candidates in turn with every rule, explains the first that adds no
/// finding (or the best, with what it adds), and writes it when asked and allowed.
fn finish(
    session: &Session,
    base: &Baseline,
    candidates: Vec<(NewBlock, Vec<order::Clash>)>,
    write: bool,
) -> Result<ExitCode, Failure> {
    let model = &session.model;
    let clock = session.clock;
    let rota = base.rota;
    let before = propose::findings_now(model, clock);
    let mut best: Option<Confirmed> = None;
    for (block, clashes) in candidates {
        let (edited, after, findings, added) =
            propose::confirm(model, clock, rota, &block, &before)?;
        let clean = added.is_empty();
        if best.is_none() || clean {
            best = Some((block, clashes, edited, after, findings, added));
        }
        if clean {
            break;
        }
    }
    let Some((block, clashes, edited, after, findings, added)) = best else {
        return Err(Failure(format!(
            "rota `{}`: no candidate to propose",
            rota.id
        )));
    };
    let file = model.repo.sources.get(rota.file);
    let tz = rota.timezone;

    println!();
    println!("{} would change:", file.path);
    print!("{}", line_diff(&file.text, &edited));

    let (_, changes) = base.score(&propose::rota_with(rota, &block));
    println!();
    match (changes.first(), changes.last()) {
        (Some(first), Some(last)) => println!(
            "{} shift(s) change hands in the year from the block's start, the first from {} and the last from {}; none before {}.",
            changes.len(),
            time::human(tz, first.start),
            time::human(tz, last.start),
            time::human(tz, base.start)
        ),
        _ => println!("No shift changes hands in the year from the block's start."),
    }
    for c in changes.iter().take(8) {
        println!(
            "  {} {}: {} → {}",
            time::human(tz, c.start),
            c.position,
            c.before.as_deref().unwrap_or("nobody"),
            c.after.as_deref().unwrap_or("nobody")
        );
    }
    if changes.len() > 8 {
        println!(
            "  … and {} more (`rota shifts --rota {}` after writing)",
            changes.len() - 8,
            rota.id
        );
    }

    println!();
    let window = Interval::new(base.start, base.scored.end);
    println!(
        "Members of `{}`: share of its duty time from {} to {}, bank-holiday and weekend duty days (the year before today and the year ahead), before → after:",
        rota.id,
        time::local_date(tz, window.start),
        time::local_date(tz, window.end)
    );
    println!(
        "  {:<16} {:>15} {:>11} {:>11}",
        "member", "share", "holidays", "weekends"
    );
    let pct = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{:.0}%", s * 100.0));
    let num = |c: Option<u32>| c.map_or("-".to_string(), |c| c.to_string());
    for row in propose::member_table(model, &after, clock, &rota.id, window) {
        println!(
            "  {:<16} {:>15} {:>11} {:>11}",
            row.person,
            format!("{} → {}", pct(row.share_before), pct(row.share_after)),
            format!(
                "{} → {}",
                num(row.counts_before.map(|c| c.holidays)),
                num(row.counts_after.map(|c| c.holidays))
            ),
            format!(
                "{} → {}",
                num(row.counts_before.map(|c| c.weekends)),
                num(row.counts_after.map(|c| c.weekends))
            ),
        );
    }

    if !clashes.is_empty() {
        println!();
        println!(
            "No order avoids every clash over these weeks; this one leaves {} (the fewest):",
            clashes.len()
        );
        for c in &clashes {
            let trade = match &c.trade {
                Some((other, at)) => format!(
                    "trade: `rota swap {} {}@{} {other}@{}`",
                    rota.id,
                    c.person,
                    time::local_date(tz, c.start),
                    time::local_date(tz, *at)
                ),
                None => "no trade with another member resolves it".to_string(),
            };
            println!(
                "  {} is {} in the turn from {} ({}); {trade}",
                c.person,
                c.why,
                time::human(tz, c.start),
                c.position
            );
        }
    }

    println!();
    let count = |f: &[Finding], level: Level| f.iter().filter(|x| x.level == level).count();
    println!(
        "Findings: before {} error(s), {} warning(s); after {} error(s), {} warning(s).",
        count(&before, Level::Error),
        count(&before, Level::Warning),
        count(&findings, Level::Error),
        count(&findings, Level::Warning)
    );
    let fixed = propose::added_findings(&after, &findings, model, &before);
    for f in &fixed {
        println!("  fixed: {}[{}]: {}", f.level.as_str(), f.rule, f.message);
    }
    if !added.is_empty() {
        eprint!("{}", diagnostics::human(&after.repo.sources, &added));
        eprintln!(
            "error: the proposal adds {} finding(s) that the data does not have now, so it is not written; {} was not changed (add the block by hand, or change --from)",
            added.len(),
            file.path
        );
        return Ok(ExitCode::from(1));
    }
    println!("It adds no finding.");
    if !write {
        println!("Dry run: nothing was written. Run again with --write to write it.");
        return Ok(ExitCode::SUCCESS);
    }
    let root = &model.repo.root;
    safe_write::write_file(root, Path::new(&file.path), &[edited.as_bytes()]).map_err(|e| {
        let shown = e.path.strip_prefix(root).unwrap_or(&e.path);
        Failure(format!(
            "{}: {}; {} was not changed",
            shown.display(),
            e.reason,
            file.path
        ))
    })?;
    println!(
        "Written to {}. Commit it and open a pull request: CI runs `rota check` and shows `rota diff`.",
        file.path
    );
    Ok(ExitCode::SUCCESS)
}

/// The lines that differ between `a` and `b` (one changed stretch: what an added block
/// makes), as `-`/`+` lines with a line of context either side.
fn line_diff(a: &str, b: &str) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    let context = prefix.saturating_sub(1);
    out.push_str(&format!("@@ line {} @@\n", context + 1));
    for line in &a[context..prefix] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in &a[prefix..a.len() - suffix] {
        out.push_str(&format!("- {line}\n"));
    }
    for line in &b[prefix..b.len() - suffix] {
        out.push_str(&format!("+ {line}\n"));
    }
    if let Some(line) = a.get(a.len() - suffix) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}
