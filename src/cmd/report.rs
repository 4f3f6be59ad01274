//! `rota report`: on-call hours and share per person, in and out of hours.

use super::{Failure, Session, parse_date_arg};
use crate::cli::TableFormat;
use crate::model::RotaKind;
use crate::rules::analysis::{self, Ctx};
use crate::schedule::interval::{self, Interval, merge};
use crate::time;
use chrono::Days;
use serde_json::json;
use std::process::ExitCode;

pub fn run(
    session: &Session,
    from: Option<String>,
    to: Option<String>,
    format: TableFormat,
) -> Result<ExitCode, Failure> {
    if let Some(code) = super::refuse_on_errors(session, super::SCHEDULE_FILES) {
        return Ok(code);
    }
    let repo = &session.model.repo;
    let tz = repo.config.timezone;
    let window_end = analysis::check_window_end(&repo.config, session.clock);
    let explicit = from.is_some() || to.is_some();
    let from_date = match &from {
        Some(d) => parse_date_arg("--from", d)?,
        None => session.clock.today,
    };
    let to_date = match &to {
        Some(d) => parse_date_arg("--to", d)?,
        None => time::local_date(tz, window_end - chrono::TimeDelta::seconds(1)),
    };
    let asked = (explicit && from_date <= to_date).then(|| {
        Interval::new(
            time::start_of_day(tz, from_date),
            time::start_of_day(tz, to_date + Days::new(1)),
        )
    });
    let schedule = crate::rules::schedule_covering(&session.model, session.clock, asked);
    let ctx = Ctx::new(&session.model, &schedule, session.clock);
    if to_date < from_date {
        return Err(Failure(format!(
            "--to {to_date} is before --from {from_date}"
        )));
    }
    // The default window is the check window (from the start of the turn in force today).
    let start = if explicit {
        time::start_of_day(tz, from_date)
    } else {
        schedule
            .rotas
            .iter()
            .map(|rs| ctx.rota_window(rs).start)
            .min()
            .unwrap_or(ctx.today_start)
    };
    let window = Interval::new(start, time::start_of_day(tz, to_date + Days::new(1)));
    let windows = analysis::share_windows(&ctx);
    let mut rows = Vec::new();
    for person in &repo.people {
        let on_call = interval::clip(&schedule.on_call(&person.id), window);
        let ooh = merge(
            repo.rotas
                .iter()
                .filter(|r| r.kind == RotaKind::OutOfHours)
                .filter_map(|r| schedule.rota(&r.id))
                .flat_map(|rs| interval::clip(&rs.on_call(&person.id), window))
                .collect(),
        );
        let share = analysis::person_share(&ctx, &windows, &person.id, explicit.then_some(window));
        let hours = |spans: &[Interval]| interval::total(spans).num_minutes() as f64 / 60.0;
        if share.is_none() && on_call.is_empty() {
            continue;
        }
        rows.push((
            person.id.clone(),
            hours(&on_call),
            hours(&ooh),
            share.map(|s| s.share).unwrap_or(0.0),
        ));
    }
    let (from_shown, to_shown) = (time::local_date(tz, window.start), to_date);
    match format {
        TableFormat::Json => {
            let doc = json!({
                "from": from_shown.to_string(),
                "to": to_shown.to_string(),
                "people": rows.iter().map(|(p, h, o, s)| json!({
                    "person": p,
                    "on_call_hours": round2(*h),
                    "out_of_hours_hours": round2(*o),
                    "share": round4(*s),
                })).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        TableFormat::Csv => {
            println!("person,on_call_hours,out_of_hours_hours,share");
            for (p, h, o, s) in &rows {
                println!("{p},{:.2},{:.2},{:.4}", h, o, s);
            }
        }
        TableFormat::Text => {
            println!("On call from {from_shown} to {to_shown}\n");
            println!(
                "{:<16} {:>10} {:>14} {:>7}",
                "person", "on call h", "out of hours h", "share"
            );
            for (p, h, o, s) in &rows {
                println!("{p:<16} {h:>10.1} {o:>14.1} {:>6.0}%", s * 100.0);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}
