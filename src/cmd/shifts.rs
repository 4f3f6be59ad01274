//! `rota shifts`: the computed shifts, filtered by person, rota and dates.

use super::{Failure, Session, parse_date_arg};
use crate::cli::TableFormat;
use crate::encode::{self, terminal};
use crate::schedule::interval::Interval;
use crate::schedule::{Schedule, Shift};
use crate::time;
use chrono::Days;
use std::process::ExitCode;

pub struct Filter {
    pub person: Option<String>,
    pub rota: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

pub fn run(session: &Session, filter: Filter, format: TableFormat) -> Result<ExitCode, Failure> {
    if let Some(code) = super::refuse_on_errors(session, super::SCHEDULE_FILES) {
        return Ok(code);
    }
    let model = &session.model;
    let repo = &model.repo;
    let tz = repo.config.timezone;
    if let Some(p) = &filter.person
        && model.person(p).is_none()
    {
        return Err(Failure(format!(
            "--person: nobody with id `{p}` in rota/people.yaml"
        )));
    }
    if let Some(r) = &filter.rota
        && model.rota(r).is_none()
    {
        return Err(Failure(format!("--rota: no rota `{r}`")));
    }
    let from = match &filter.from {
        Some(d) => parse_date_arg("--from", d)?,
        None => session.clock.today,
    };
    let to = match &filter.to {
        Some(d) => parse_date_arg("--to", d)?,
        None => repo.config.horizon.after_date(session.clock.today),
    };
    if to < from {
        return Err(Failure(format!("--to {to} is before --from {from}")));
    }
    if (to - from).num_days() >= crate::schedule::MAX_WINDOW_DAYS {
        return Err(Failure(format!(
            "--from {from} --to {to}: that is more than ten years of shifts; ask for ten years or less at a time"
        )));
    }
    let window = Interval::new(
        time::start_of_day(tz, from),
        time::start_of_day(tz, to + Days::new(1)),
    );
    let schedule = Schedule::compute(&repo.config, &repo.people, &repo.rotas, window);
    let shifts: Vec<Shift> = schedule
        .shifts(window)
        .into_iter()
        .filter(|s| filter.person.as_deref().is_none_or(|p| p == s.person))
        .filter(|s| filter.rota.as_deref().is_none_or(|r| r == s.rota))
        .collect();
    print!("{}", render(session, &shifts, format));
    Ok(ExitCode::SUCCESS)
}

/// The `shifts` JSON array (docs/commands.md#json-outputs).
pub fn shifts_json(shifts: &[Shift]) -> Vec<crate::output::json::ShiftOutput> {
    shifts
        .iter()
        .map(crate::output::json::ShiftOutput::of)
        .collect()
}

fn render(session: &Session, shifts: &[Shift], format: TableFormat) -> String {
    match format {
        TableFormat::Json => {
            let mut s = serde_json::to_string_pretty(&shifts_json(shifts)).unwrap_or_default();
            s.push('\n');
            s
        }
        TableFormat::Csv => {
            let mut s = String::from("rota,position,person,start,end,source\n");
            for x in shifts {
                s.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    encode::csv(x.rota),
                    encode::csv(x.position),
                    encode::csv(x.person),
                    time::rfc3339(x.start),
                    time::rfc3339(x.end),
                    x.source.as_str()
                ));
            }
            s
        }
        TableFormat::Text => {
            let model = &session.model;
            if shifts.is_empty() {
                return "No shifts in that window.\n".into();
            }
            // Columns sized to the data, so long ids never push the next column out.
            let rows: Vec<[String; 5]> = shifts
                .iter()
                .map(|x| {
                    let tz = model
                        .rota(x.rota)
                        .map(|r| r.timezone)
                        .unwrap_or(model.repo.config.timezone);
                    let marker = if x.source.as_str() == "override" {
                        "  (override)"
                    } else {
                        ""
                    };
                    [
                        format!("{} → {}", time::human(tz, x.start), time::human(tz, x.end)),
                        terminal(x.rota).into_owned(),
                        terminal(x.position).into_owned(),
                        terminal(x.person).into_owned(),
                        marker.to_string(),
                    ]
                })
                .collect();
            let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
            let (w_when, w_rota, w_position) = (width(0), width(1), width(2));
            let mut s = String::new();
            for [when, rota, position, person, marker] in &rows {
                s.push_str(&format!(
                    "{when:<w_when$}  {rota:<w_rota$}  {position:<w_position$}  {person}{marker}\n"
                ));
            }
            s
        }
    }
}
