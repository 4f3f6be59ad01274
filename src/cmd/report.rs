//! `rota report`: on-call hours per person, in and out of hours, over a window of whole
//! days (the check window's days by default), and each person's share as `max-share`
//! measures it.

use super::{Failure, Session, parse_date_arg};
use crate::cli::TableFormat;
use crate::encode::terminal;
use crate::model::RotaKind;
use crate::output::json::{PersonReportOutput, ReportOutput};
use crate::rules::context::{self, Ctx};
use crate::schedule::interval::{self, Interval, merge};
use crate::time;
use chrono::{Days, NaiveDate};
use std::io::Write;
use std::process::ExitCode;

/// One person's line of the report.
struct Row {
    person: String,
    on_call_hours: f64,
    out_of_hours_hours: f64,
    share: f64,
    /// The rota that gives the share, or `all`; `None` for someone on no rota (on call
    /// only by override).
    share_of: Option<String>,
}

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
    let explicit_from = from
        .as_deref()
        .map(|d| parse_date_arg("--from", d))
        .transpose()?;
    let explicit_to = to
        .as_deref()
        .map(|d| parse_date_arg("--to", d))
        .transpose()?;
    // Dates given explicitly may lie outside the window the rules look at: compute the
    // schedule over them too.
    let asked = match (explicit_from, explicit_to) {
        (Some(f), Some(t)) if f <= t => Some(Interval::new(
            time::start_of_day(tz, f),
            time::start_of_day(tz, t + Days::new(1)),
        )),
        (Some(f), None) => Some(Interval::new(
            time::start_of_day(tz, f),
            ctx_free_end(session),
        )),
        (None, Some(t)) => Some(Interval::new(
            time::start_of_day(tz, session.clock.today.min(t)),
            time::start_of_day(tz, t + Days::new(1)),
        )),
        _ => None,
    };
    let schedule = crate::schedule::window::schedule_covering(&session.model, session.clock, asked);
    let ctx = Ctx::new(&session.model, &schedule, session.clock);
    // The default window is the check window, in whole days: from the day of the
    // earliest turn in force today to the check window's last day. Given explicitly,
    // the same dates give the same figures.
    let check_start = schedule
        .rotas
        .iter()
        .map(|rs| ctx.rota_window(rs).start)
        .min()
        .unwrap_or(ctx.today_start);
    let from_date = explicit_from.unwrap_or_else(|| time::local_date(tz, check_start));
    let to_date = explicit_to
        .unwrap_or_else(|| time::local_date(tz, ctx.window_end - chrono::TimeDelta::seconds(1)));
    if to_date < from_date {
        return Err(Failure(format!(
            "--to {to_date} is before --from {from_date}"
        )));
    }
    let window = Interval::new(
        time::start_of_day(tz, from_date),
        time::start_of_day(tz, to_date + Days::new(1)),
    );
    let rows = rows(&ctx, window);
    let text = match format {
        TableFormat::Json => json_report(from_date, to_date, &rows),
        TableFormat::Csv => csv_report(&rows),
        TableFormat::Text => {
            let shares = share_span(&ctx).map(|w| {
                (
                    time::local_date(tz, w.start),
                    time::local_date(tz, w.end - chrono::TimeDelta::seconds(1)),
                )
            });
            let mut text = text_report(from_date, to_date, shares, &tz.to_string(), &rows);
            text.push_str(&holiday_counts(session));
            text
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Each member's bank-holiday and weekend duty days on each out-of-hours rota, before
/// today and ahead (docs/rules.md#holiday-fairness); empty without such a rota.
fn holiday_counts(session: &Session) -> String {
    let tz = session.model.repo.config.timezone;
    let mut out = String::new();
    for rota in &session.model.repo.rotas {
        let Some(counts) =
            crate::rules::holiday_fairness::member_counts(&session.model, session.clock, &rota.id)
        else {
            continue;
        };
        out.push_str(&format!(
            "\nBank-holiday and weekend duty days on `{}` ({} to {}, before today | ahead):\n",
            rota.id,
            time::local_date(tz, counts.span.start),
            time::local_date(tz, counts.span.end)
        ));
        for m in &counts.members {
            let line = format!(
                "  {:<16} holidays {:>3} | {:<3}  weekends {:>3} | {:<3}{}",
                m.person,
                m.before.holidays,
                m.ahead.holidays,
                m.before.weekends,
                m.ahead.weekends,
                if m.compared {
                    ""
                } else {
                    "  (not in the rotation throughout: not compared)"
                }
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The end of the check window, before any schedule is computed.
fn ctx_free_end(session: &Session) -> time::Instant {
    crate::schedule::window::check_window_end(&session.model.repo.config, session.clock)
}

/// Hours (over `window`) and share (as `max-share` measures it) of everyone who is on
/// a rota or on call in `window`.
fn rows(ctx: &Ctx, window: Interval) -> Vec<Row> {
    let repo = ctx.repo;
    let shares = ctx.shares();
    let mut rows = Vec::new();
    for person in &repo.people {
        let on_call = interval::clip(&ctx.schedule.on_call(&person.id), window);
        let ooh = merge(
            repo.rotas
                .iter()
                .filter(|r| r.kind == RotaKind::OutOfHours)
                .filter_map(|r| ctx.schedule.rota(&r.id))
                .flat_map(|rs| interval::clip(&rs.on_call(&person.id), window))
                .collect(),
        );
        let share = shares.get(&person.id);
        if share.is_none() && on_call.is_empty() {
            continue;
        }
        let hours = |spans: &[Interval]| interval::total(spans).num_minutes() as f64 / 60.0;
        rows.push(Row {
            person: person.id.clone(),
            on_call_hours: hours(&on_call),
            out_of_hours_hours: hours(&ooh),
            share: share.map(|s| s.share).unwrap_or(0.0),
            share_of: share.map(|s| s.of_label().to_string()),
        });
    }
    rows
}

/// The span of every rota's share window (what the share column covers).
fn share_span(ctx: &Ctx) -> Option<Interval> {
    let windows = context::share_windows(ctx);
    Some(Interval::new(
        windows.values().map(|w| w.start).min()?,
        windows.values().map(|w| w.end).max()?,
    ))
}

fn json_report(from: NaiveDate, to: NaiveDate, rows: &[Row]) -> String {
    let doc = ReportOutput {
        from: from.to_string(),
        people: rows
            .iter()
            .map(|r| PersonReportOutput {
                on_call_hours: round2(r.on_call_hours),
                out_of_hours_hours: round2(r.out_of_hours_hours),
                person: r.person.clone(),
                share: round4(r.share),
                share_of: r.share_of.clone(),
            })
            .collect(),
        to: to.to_string(),
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

fn csv_report(rows: &[Row]) -> String {
    let mut out = String::from("person,on_call_hours,out_of_hours_hours,share,share_of\n");
    for r in rows {
        out.push_str(&format!(
            "{},{:.2},{:.2},{:.4},{}\n",
            crate::encode::csv(&r.person),
            r.on_call_hours,
            r.out_of_hours_hours,
            r.share,
            crate::encode::csv(r.share_of.as_deref().unwrap_or(""))
        ));
    }
    out
}

fn text_report(
    from: NaiveDate,
    to: NaiveDate,
    shares: Option<(NaiveDate, NaiveDate)>,
    zone: &str,
    rows: &[Row],
) -> String {
    let share_days = shares
        .map(|(a, b)| format!("; {a} to {b} here"))
        .unwrap_or_default();
    let mut out = format!(
        "On call from {from} 00:00 to {to} 24:00 ({zone}).\n\
         on call h: hours on call in these days, inside duty hours (any position but shadow)\n\
         out of hours h: the part of those on out-of-hours rotas\n\
         share: as `rota check` (max-share) measures it, whatever the dates above: on-call time\n\
         ÷ duty time over each rota's share window (whole rotation cycles from the first\n\
         handover today{share_days}), on each rota and across all of a person's rotas;\n\
         the highest counts, and `share of` names the rota that gives it (`all`: all together)\n\n"
    );
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                terminal(&r.person).into_owned(),
                format!("{:.1}", r.on_call_hours),
                format!("{:.1}", r.out_of_hours_hours),
                format!("{:.0}%", r.share * 100.0),
                r.share_of
                    .as_deref()
                    .map_or_else(|| "-".into(), |of| terminal(of).into_owned()),
            ]
        })
        .collect();
    let header = ["person", "on call h", "out of hours h", "share", "share of"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let [person, on, ooh, share, of] = cells;
        format!(
            "{person:<w0$}  {on:>w1$}  {ooh:>w2$}  {share:>w3$}  {of}\n",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        )
    };
    out.push_str(&line(header));
    for row in &cells {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    out
}

/// Writes to stdout; a reader that closed the pipe early (`| head`) is no error.
fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure(format!("cannot write the report: {e}")))
        }
        _ => Ok(()),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}
