//! `rota holidays import FILE.ics`: read the whole-day events of an iCalendar file (as
//! governments and calendar apps publish public holidays) and merge their dates and
//! names into `holidays:` in rota/config.yaml, editing only that list: every other byte
//! of the file stays as it was (docs/commands.md, "rota holidays import").
//!
//! The calendar is read by src/load/calendar.rs, the list edited by src/edit/holidays.rs.

use super::{Failure, Session};
use crate::edit::holidays::add_holidays;
use crate::load::calendar::{CalendarDay, read_calendar};
use crate::load::raw::written_holidays;
use crate::load::{self, resolve};
use crate::output::staging::safe_write;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

const CONFIG: &str = "rota/config.yaml";

/// Merges the whole-day events of `file` into `holidays:` (or, with `dry_run`, says
/// what it would add), checking the edited data first like `swap` does.
pub fn import(session: &Session, file: &Path, dry_run: bool) -> Result<ExitCode, Failure> {
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|e| Failure(format!("{shown}: cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure(format!(
            "{shown}: not UTF-8 text: an iCalendar file is UTF-8"
        ))
    })?;
    let days = read_calendar(&text)
        .map_err(|(line, message)| Failure(format!("{shown}:{line}: {message}")))?;
    if let Some(code) = super::refuse_on_errors(session, &[CONFIG]) {
        return Ok(code);
    }
    let model = &session.model;
    let config = &model.repo.config;
    let config_file = model.repo.sources.get(config.loc.file);
    let written =
        written_holidays(&config_file.text).map_err(|e| Failure(format!("{CONFIG}:{e}")))?;

    let mut added: Vec<&CalendarDay> = Vec::new();
    let mut report = Vec::new();
    for day in &days {
        if !config.holidays.contains(&day.date) {
            added.push(day);
            continue;
        }
        let listed = config.holiday_name(day.date);
        match (listed, &day.name) {
            (Some(listed), Some(name)) if listed != name => report.push(format!(
                "  kept     {}  {listed} (the calendar calls it \"{name}\")",
                day.date
            )),
            (None, Some(name)) => report.push(format!(
                "  kept     {}  without a name (the calendar calls it \"{name}\")",
                day.date
            )),
            _ => report.push(format!("  already  {}  {}", day.date, listed.unwrap_or(""))),
        }
    }
    println!(
        "{shown}: {} day(s) of holidays; {} to add, {} listed already",
        days.len(),
        added.len(),
        days.len() - added.len()
    );
    for day in &added {
        println!(
            "  add      {}  {}",
            day.date,
            day.name.as_deref().unwrap_or("")
        );
    }
    for line in &report {
        println!("{line}");
    }
    if added.is_empty() {
        println!("{CONFIG} was not changed.");
        return Ok(ExitCode::SUCCESS);
    }
    let edited = add_holidays(&config_file.text, &written, &added)
        .map_err(|e| Failure(format!("{CONFIG}: {e}; nothing was written")))?;

    // The edited text must read back as the old list plus the new days, names and all.
    let root = &model.repo.root;
    let overlay = BTreeMap::from([(CONFIG.to_string(), edited.clone())]);
    let after = resolve::resolve(load::load_with(root, &overlay)?);
    let reread = &after.repo.config;
    let expected = config.holidays.len() + added.len();
    let names_kept = added
        .iter()
        .all(|d| reread.holiday_name(d.date) == d.name.as_deref());
    if reread.holidays.len() != expected || !names_kept {
        return Err(Failure(format!(
            "{CONFIG}: the edited file does not read back as {} more holiday(s); nothing was written (add them by hand)",
            added.len()
        )));
    }
    if dry_run {
        println!("--dry-run: {CONFIG} was not changed.");
        return Ok(ExitCode::SUCCESS);
    }
    safe_write::write_file(root, Path::new(CONFIG), &[edited.as_bytes()]).map_err(|e| {
        let at = e.path.strip_prefix(root).unwrap_or(&e.path);
        Failure(format!(
            "{}: {}; {CONFIG} was not changed",
            at.display(),
            e.reason
        ))
    })?;
    println!(
        "{CONFIG}: added {} holiday(s). Commit it; `rota check` warns when the list stops before the check window ends.",
        added.len()
    );
    Ok(ExitCode::SUCCESS)
}
