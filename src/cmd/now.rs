//! `rota now`: who is on call in each rota and position, and until when.

use super::Session;
use crate::cli::NowFormat;
use crate::encode::terminal;
use crate::output::json::{
    NowOutput as NowReport, PositionNowOutput as PositionNow, RotaNowOutput as RotaNow,
};
use crate::rules::TradeAdvice;
use crate::schedule::Schedule;
use crate::schedule::interval::Interval;
use crate::schedule::oncall;
use crate::time::{self, Instant};
use chrono::TimeDelta;
use std::process::ExitCode;

/// Who holds each position of every rota at `at` (the `now` shape of
/// docs/commands.md#json-outputs).
pub fn now_report(
    session: &Session,
    schedule: &Schedule,
    at: Instant,
    only: Option<&str>,
) -> NowReport {
    let rotas = session
        .model
        .repo
        .rotas
        .iter()
        .filter(|r| only.is_none_or(|o| o == r.id))
        .filter_map(|rota| {
            let rs = schedule.rota(&rota.id)?;
            let positions = rs
                .holdings_at(rota, at)
                .into_iter()
                .map(|h| PositionNow {
                    position: h.position,
                    person: h.person,
                    until: h.until.map(time::rfc3339),
                    until_instant: h.until,
                })
                .collect();
            Some(RotaNow {
                rota: rota.id.clone(),
                on_duty: rs.on_duty(at),
                positions,
            })
        })
        .collect();
    NowReport {
        at: time::rfc3339(at),
        rotas,
    }
}

pub fn run(
    session: &Session,
    only: Option<&str>,
    format: NowFormat,
) -> Result<ExitCode, super::Failure> {
    if let Some(code) = super::refuse_on_blocking_errors(session, super::SCHEDULE_FILES) {
        return Ok(code);
    }
    note_errors_in_rota_files(session);
    let repo = &session.model.repo;
    if let Some(id) = only
        && session.model.rota(id).is_none()
    {
        let known: Vec<&str> = repo.rotas.iter().map(|r| r.id.as_str()).collect();
        let hint = crate::finding::did_you_mean(id, known.iter().copied())
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        return Err(super::Failure(format!(
            "--rota: no rota `{id}` ({hint}rotas: {})",
            known.join(", ")
        )));
    }
    let at = session.clock.now;
    // The turns in force at `at` and the next few weeks, where the text's answers
    // usually lie; `held_until`, `next_holder`, `duty_edge` and `segment_at_anywhere`
    // look further ahead as they need.
    let schedule = Schedule::compute(
        &repo.config,
        &repo.people,
        &repo.rotas,
        Interval::new(at, at + TimeDelta::days(35)),
    );
    let report = now_report(session, &schedule, at, only);
    match format {
        NowFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        NowFormat::Text => print!("{}", text(session, &schedule, &report, at)),
    }
    Ok(ExitCode::SUCCESS)
}

/// A note when the rules find any error in the files `now` read (the session holds only
/// the rota files: config, people, rotas, leave), so that an answer given anyway never
/// hides one. Runbooks and alerts are not read, so their errors are `rota check`'s to
/// count (docs/commands.md#rota-now).
fn note_errors_in_rota_files(session: &Session) {
    let options = crate::pipeline::Options {
        errors_only: true,
        ..crate::pipeline::Options::checking(session.clock, TradeAdvice::Skip)
    };
    let errors = crate::pipeline::check(&session.model, &options)
        .findings
        .iter()
        .filter(|f| f.level == crate::finding::Level::Error)
        .count();
    if errors > 0 {
        // Checked on the day asked about: a plain `rota check` (today) may find others.
        let command = if session.pinned {
            format!("rota --today {} check", session.clock.today)
        } else {
            "rota check".to_string()
        };
        eprintln!(
            "note: `{command}` finds {errors} error{} in the rota files; this answer stands, but run it (it also reads the runbooks and alerts, which `now` does not)",
            if errors == 1 { "" } else { "s" }
        );
    }
}

/// The text answer: rotas on duty now first; for each, its duty edge, who holds each
/// position with their handle, until when and who is next, and the escalation chain in
/// one line — the duty edge and the chain in the words of [`crate::schedule::oncall`], which the
/// site's cards share.
fn text(session: &Session, schedule: &Schedule, report: &NowReport, at: Instant) -> String {
    let model = &session.model;
    let tz = model.repo.config.timezone;
    let mut out = format!("On call at {}\n", time::human(tz, at));
    let mut rotas: Vec<&RotaNow> = report.rotas.iter().collect();
    rotas.sort_by_key(|r| !r.on_duty);
    for r in rotas {
        let (Some(rota), Some(rs)) = (model.rota(&r.rota), schedule.rota(&r.rota)) else {
            continue;
        };
        let Some(answer) = oncall::rota_at(model, schedule, rota, at, None) else {
            continue;
        };
        // Names, ids and handles come from the data: shown through `terminal`, so none
        // can act on the terminal (docs/security.md, "Output encoding").
        out.push_str(&format!(
            "\n{} ({}) — {}\n",
            terminal(&rota.name),
            terminal(&rota.id),
            terminal(&answer.duty_sentence())
        ));
        let width = answer
            .holders
            .iter()
            .map(|h| terminal(&h.position).chars().count())
            .max()
            .unwrap_or(0);
        for h in &answer.holders {
            // Whoever holds a position while on leave (a `leave-conflict` error) is
            // marked, so that nobody pages them first at 3 a.m.
            let who = match &h.person {
                Some(c) => {
                    let leave = c
                        .leave_note()
                        .map(|n| format!(" [{n}]"))
                        .unwrap_or_default();
                    format!("{}{leave}", person_with_handle(session, &c.id))
                }
                None => "nobody (unfilled)".to_string(),
            };
            let until = match (h.until, &h.person) {
                (Some(u), _) => {
                    let next = match &h.then {
                        Some(Some(id)) => person_name(session, id),
                        Some(None) => "nobody (unfilled)".to_string(),
                        // The block or the rota ends, or the next block has no such
                        // position.
                        None => "nobody".to_string(),
                    };
                    format!(
                        " until {}, then {next}",
                        oncall::moment(rota.timezone, at, u)
                    )
                }
                (None, Some(_)) => " (no end planned)".to_string(),
                (None, None) => match rs.next_holder(&h.position, at) {
                    Some((when, id)) => format!(
                        " until {}, then {}",
                        oncall::moment(rota.timezone, at, when),
                        person_name(session, &id)
                    ),
                    None => String::new(),
                },
            };
            out.push_str(&format!(
                "  {:width$}  {}{}\n",
                terminal(&h.position),
                terminal(&who),
                terminal(&until)
            ));
        }
        if let Some(chain) = answer.escalation_sentence() {
            out.push_str(&format!("  escalation: {}\n", terminal(&chain)));
        }
    }
    out
}

fn person_name(session: &Session, id: &str) -> String {
    session
        .model
        .person(id)
        .map(|p| format!("{} ({id})", p.name))
        .unwrap_or_else(|| id.to_string())
}

/// `Name (id, @handle)`: the handle is how people reach each other at work.
fn person_with_handle(session: &Session, id: &str) -> String {
    match session.model.person(id) {
        Some(p) => match &p.handle {
            Some(h) => format!("{} ({id}, {h})", p.name),
            None => format!("{} ({id})", p.name),
        },
        None => id.to_string(),
    }
}
