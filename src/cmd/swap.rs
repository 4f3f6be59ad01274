//! `rota swap ROTA A@DATE B@DATE`: plan the trade, edit the rota file's text, check the
//! result in memory, and only then write it (atomically, never through a link).

use super::{Failure, Session};
use crate::diagnostics;
use crate::finding::{Finding, Level};
use crate::load::resolve;
use crate::output::staging::safe_write;
use crate::schedule::swap::{self, Party};
use crate::{edit, load, rules, time};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

pub struct Trade<'a> {
    pub rota: &'a str,
    pub a: &'a str,
    pub b: &'a str,
    pub reason: Option<&'a str>,
}

pub fn run(session: &Session, trade: Trade) -> Result<ExitCode, Failure> {
    let a = Party::parse(trade.a).map_err(Failure)?;
    let b = Party::parse(trade.b).map_err(Failure)?;
    if let Some(code) = super::refuse_on_errors(session, super::SCHEDULE_FILES) {
        return Ok(code);
    }
    let model = &session.model;
    // The schedule reaches the traded turns wherever they lie (past ones are refused
    // with their dates by `plan`).
    let tz = model.repo.config.timezone;
    let (first, last) = (a.date.min(b.date), a.date.max(b.date));
    let last = last.checked_add_days(chrono::Days::new(2)).unwrap_or(last);
    let traded = crate::schedule::interval::Interval::new(
        time::start_of_day(tz, first),
        time::start_of_day(tz, last),
    );
    let schedule = crate::schedule::window::schedule_covering(model, session.clock, Some(traded));
    let planned =
        swap::plan(model, &schedule, trade.rota, &a, &b, session.clock.now).map_err(Failure)?;
    let rota = model
        .rota(trade.rota)
        .ok_or_else(|| Failure(format!("no rota `{}`", trade.rota)))?;
    let file = model.repo.sources.get(rota.file);
    let reason = trade.reason.map(str::to_string).unwrap_or_else(|| {
        format!(
            "Trade: {} ({}) and {} ({}) swap turns",
            a.person, a.date, b.person, b.date
        )
    });
    // A turn already traded (an override of exactly that span): its `person:` changes
    // in place, last in the file first so the earlier places stay where they are.
    let mut edits: Vec<(u32, u32, &str)> = Vec::new();
    for o in &planned {
        if let Some(person) = o
            .edits
            .and_then(|i| rota.overrides.get(i))
            .and_then(|existing| existing.person.as_ref())
        {
            edits.push((person.loc.line, person.loc.column, o.person.as_str()));
        }
    }
    edits.sort_unstable();
    let mut text = file.text.clone();
    for &(line, column, person) in edits.iter().rev() {
        text = edit::replace_scalar(&text, line, column, person)
            .map_err(|e| Failure(format!("{}: {e}", file.path)))?;
    }
    let appended: Vec<&swap::PlannedOverride> =
        planned.iter().filter(|o| o.edits.is_none()).collect();
    let entries: Vec<edit::Entry> = appended
        .iter()
        .map(|o| swap::entry(rota, o, &reason))
        .collect();
    let edited = edit::append_overrides(&text, &entries)
        .map_err(|e| Failure(format!("{}: {e}", file.path)))?;

    // Check the edited file in memory before writing anything.
    let root = &model.repo.root;
    let overlay = BTreeMap::from([(file.path.clone(), edited.clone())]);
    let after = resolve::resolve(load::load_with(root, &overlay)?);
    let reread = after.rota(trade.rota).map_or(0, |r| r.overrides.len());
    let edited_right = planned.iter().all(|o| {
        o.edits.is_none_or(|i| {
            after
                .rota(trade.rota)
                .and_then(|r| r.overrides.get(i))
                .and_then(|x| x.person.as_ref())
                .is_some_and(|p| p.id == o.person)
        })
    });
    if reread != rota.overrides.len() + appended.len() || !edited_right {
        return Err(Failure(format!(
            "{}: the edited file does not read back as {} more override(s) and {} changed; nothing was written (edit it by hand)",
            file.path,
            appended.len(),
            edits.len()
        )));
    }
    let before_errors = error_keys(model, &rules::check(model, session.clock));
    let after_findings = rules::check(&after, session.clock);
    let added: Vec<Finding> = new_errors(&after, &after_findings, before_errors);
    if !added.is_empty() {
        eprint!("{}", diagnostics::human(&after.repo.sources, &added));
        eprintln!(
            "error: the trade is refused: it adds {} error(s); {} was not changed",
            added.len(),
            file.path
        );
        return Ok(ExitCode::from(1));
    }
    // Never through a link the repository planted, and never made executable
    // (docs/security.md, "Writing files").
    safe_write::write_file(root, Path::new(&file.path), &[edited.as_bytes()]).map_err(|e| {
        let shown = e.path.strip_prefix(root).unwrap_or(&e.path);
        Failure(format!(
            "{}: {}; {} was not changed",
            shown.display(),
            e.reason,
            file.path
        ))
    })?;
    if !appended.is_empty() {
        println!(
            "{}: added {} override(s) with `replaces:`",
            file.path,
            appended.len()
        );
    }
    for o in planned.iter().filter(|o| o.edits.is_some()) {
        let line = o
            .edits
            .and_then(|i| rota.overrides.get(i))
            .map_or(0, |x| x.loc.line);
        println!(
            "{}: the override on line {line} already traded this turn: its `person:` is now {}",
            file.path, o.person
        );
    }
    for o in &planned {
        println!(
            "  {} takes {}'s place as {} from {} to {}",
            o.person,
            o.replaces,
            o.position,
            time::human(rota.timezone, o.from),
            time::human(rota.timezone, o.to)
        );
    }
    println!("Commit it and open a pull request: CI runs `rota check` and shows `rota diff`.");
    Ok(ExitCode::SUCCESS)
}

/// Errors by (rule, file, message), counted: what "adds an error" compares.
fn error_keys(
    model: &crate::model::Model,
    findings: &[Finding],
) -> BTreeMap<(String, String, String), usize> {
    let mut keys = BTreeMap::new();
    for f in findings.iter().filter(|f| f.level == Level::Error) {
        let path = model.repo.sources.get(f.loc.file).path.clone();
        *keys
            .entry((f.rule.to_string(), path, f.message.clone()))
            .or_insert(0) += 1;
    }
    keys
}

fn new_errors(
    after: &crate::model::Model,
    findings: &[Finding],
    mut before: BTreeMap<(String, String, String), usize>,
) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .filter(|f| {
            let key = (
                f.rule.to_string(),
                after.repo.sources.get(f.loc.file).path.clone(),
                f.message.clone(),
            );
            match before.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        })
        .cloned()
        .collect()
}
