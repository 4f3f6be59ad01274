//! `rota toil`: days of time off in lieu per person for one month (by default the
//! current month and the previous one), from `rota/pages/`.

use super::{Failure, Session};
use crate::cli::TableFormat;
use crate::encode::terminal;
use crate::output::json::ToilOutput;
use crate::schedule::toil::{self, ToilReport};
use crate::time;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use std::process::ExitCode;

/// The files TOIL is computed from: the pages and the in-hours rotas' duty hours.
const TOIL_FILES: &[&str] = &[
    "rota/config.yaml",
    "rota/people.yaml",
    "rota/rotas/",
    "rota/pages/",
];

pub fn run(
    session: &Session,
    month: Option<&str>,
    format: TableFormat,
) -> Result<ExitCode, Failure> {
    let explicit = match month {
        Some(text) => Some(parse_month(text).map_err(|e| Failure(format!("--month: {e}")))?),
        None => None,
    };
    if let Some(code) = super::refuse_on_errors(session, TOIL_FILES) {
        return Ok(code);
    }
    // Without `--month`: the previous month and the current one, oldest first, so a
    // page last night is there the morning after (docs/commands.md, `rota toil`).
    let months = match explicit {
        Some(one) => vec![one],
        None => {
            let today = session.clock.today;
            vec![previous_month(today), (today.year(), today.month())]
        }
    };
    let reports: Vec<ToilReport> = months
        .iter()
        .map(|&(year, month)| toil::month(&session.model, year, month))
        .collect();
    match format {
        TableFormat::Json => {
            let json = match (explicit, reports.last()) {
                (None, Some(current)) => serde_json::to_string_pretty(&ToilOutput {
                    current,
                    months: Some(&reports),
                }),
                _ => serde_json::to_string_pretty(&reports.first().map(|current| ToilOutput {
                    current,
                    months: None,
                })),
            };
            println!("{}", json.unwrap_or_default());
        }
        TableFormat::Csv => print!("{}", csv(&reports, explicit.is_none())),
        TableFormat::Text => {
            let sections: Vec<String> = reports
                .iter()
                .zip(&months)
                .map(|(report, &(year, month))| text(session, report, year, month))
                .collect();
            print!("{}", sections.join("\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `YYYY-MM` → (year, month).
pub fn parse_month(text: &str) -> Result<(i32, u32), String> {
    let bad = || format!("`{text}` is not a month: write YYYY-MM, e.g. 2026-10");
    let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
    Ok((year, month))
}

/// The month before the one `today` falls in.
fn previous_month(today: NaiveDate) -> (i32, u32) {
    if today.month() == 1 {
        (today.year() - 1, 12)
    } else {
        (today.year(), today.month() - 1)
    }
}

/// One row per person and month; with `month_column` (two months shown) the month
/// comes first, so the rows stay apart.
fn csv(reports: &[ToilReport], month_column: bool) -> String {
    let mut out = String::from(if month_column {
        "month,person,windows,days\n"
    } else {
        "person,windows,days\n"
    });
    for report in reports {
        for p in &report.people {
            if month_column {
                let _ = write!(out, "{},", report.month);
            }
            let person = crate::encode::csv(&p.person);
            let _ = writeln!(out, "{person},{},{:.2}", p.windows, p.days);
        }
    }
    out
}

/// The table, and under each person the windows to claim (when, pages, woken, worked).
fn text(session: &Session, report: &ToilReport, year: i32, month: u32) -> String {
    let repo = &session.model.repo;
    let tz = repo.config.timezone;
    let mut out = String::new();
    if report.people.is_empty() {
        let _ = writeln!(
            out,
            "No out-of-hours pages in {}: no TOIL to claim.",
            report.month
        );
        return out;
    }
    let _ = writeln!(
        out,
        "TOIL for {} (claim windows of 60 minutes; times in {})\n",
        report.month,
        tz.name()
    );
    let windows = toil::claim_windows(&session.model);
    // Both lists are sorted by person: one pass prints each person and their windows.
    let mut in_month = toil::windows_in_month(&session.model, &windows, year, month).peekable();
    let mut total = 0.0;
    for person in &report.people {
        total += person.days;
        let _ = writeln!(
            out,
            "{:<16} {:>2} window{}  {} day{}",
            terminal(&person.person),
            person.windows,
            if person.windows == 1 { "" } else { "s" },
            person.days,
            if person.days == 1.0 { "" } else { "s" }
        );
        while let Some(w) = in_month.next_if(|w| w.person == person.person) {
            let pages = w.pages.len();
            let _ = writeln!(
                out,
                "  {}  {} page{}, {}, {} min worked: {} day{}",
                time::human(tz, w.start),
                pages,
                if pages == 1 { "" } else { "s" },
                if w.woke { "woken" } else { "awake" },
                w.worked_minutes,
                w.days(),
                if w.days() == 1.0 { "" } else { "s" }
            );
        }
    }
    let _ = writeln!(
        out,
        "\nTotal: {total} day{}",
        if total == 1.0 { "" } else { "s" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::{parse_month, previous_month};
    use chrono::NaiveDate;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(parse_month("2026-10"), Ok((2026, 10)));
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("2026-1").is_err());
        assert!(parse_month("october").is_err());
        assert!(parse_month("2026-10-01").is_err());
    }

    #[test]
    fn the_previous_month_crosses_a_year() {
        let jan = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap_or_default();
        assert_eq!(previous_month(jan), (2026, 12));
        let nov = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        assert_eq!(previous_month(nov), (2026, 10));
    }
}
