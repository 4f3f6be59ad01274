//! `rota now`: who is on call in each rota and position, and until when.

use super::Session;
use crate::cli::NowFormat;
use crate::schedule::Schedule;
use crate::schedule::interval::Interval;
use crate::time::{self, Instant};
use chrono::TimeDelta;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Serialize)]
pub struct NowReport {
    pub at: String,
    pub rotas: Vec<RotaNow>,
}

#[derive(Serialize)]
pub struct RotaNow {
    pub rota: String,
    pub on_duty: bool,
    pub positions: Vec<PositionNow>,
}

#[derive(Serialize)]
pub struct PositionNow {
    pub position: String,
    pub person: Option<String>,
    pub until: Option<String>,
    #[serde(skip)]
    pub until_instant: Option<Instant>,
}

/// Who holds each position of every rota at `at` (SPEC §5 `now` shape).
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
            let names: Vec<String> = match rs.turn_at(at) {
                Some(t) => rota.blocks[rs.turns[t].block]
                    .positions
                    .iter()
                    .map(|p| p.name.clone())
                    .collect(),
                None => rota
                    .position_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            };
            let positions = names
                .into_iter()
                .map(|name| {
                    let person = rs.segment_at(&name, at).and_then(|s| s.person.clone());
                    let until_instant = rs.held_until(&name, at);
                    PositionNow {
                        position: name,
                        person,
                        until: until_instant.map(time::rfc3339),
                        until_instant,
                    }
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
    if let Some(code) = super::refuse_on_errors(session, super::SCHEDULE_FILES) {
        return Ok(code);
    }
    let repo = &session.model.repo;
    if let Some(id) = only
        && session.model.rota(id).is_none()
    {
        let known: Vec<&str> = repo.rotas.iter().map(|r| r.id.as_str()).collect();
        return Err(super::Failure(format!(
            "--rota: no rota `{id}` (rotas: {})",
            known.join(", ")
        )));
    }
    let at = session.clock.now;
    // The turns in force at `at`; `held_until` looks further ahead as far as it needs.
    let schedule = Schedule::compute(
        &repo.config,
        &repo.people,
        &repo.rotas,
        Interval::new(at, at + TimeDelta::seconds(1)),
    );
    let report = now_report(session, &schedule, at, only);
    match format {
        NowFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        NowFormat::Text => print!("{}", text(session, &report, at)),
    }
    Ok(ExitCode::SUCCESS)
}

fn text(session: &Session, report: &NowReport, at: Instant) -> String {
    let model = &session.model;
    let tz = model.repo.config.timezone;
    let mut out = format!("On call at {}\n", time::human(tz, at));
    for r in &report.rotas {
        let Some(rota) = model.rota(&r.rota) else {
            continue;
        };
        let duty = if r.on_duty { "on duty" } else { "off duty" };
        out.push_str(&format!("\n{} ({}) — {duty}\n", rota.name, rota.id));
        let width = r
            .positions
            .iter()
            .map(|p| p.position.len())
            .max()
            .unwrap_or(0);
        for p in &r.positions {
            let who = match &p.person {
                Some(id) => model
                    .person(id)
                    .map(|x| format!("{} ({id})", x.name))
                    .unwrap_or(id.clone()),
                None => "nobody (unfilled)".to_string(),
            };
            let until = match (&p.person, p.until_instant) {
                (_, Some(u)) => format!(" until {}", time::human(rota.timezone, u)),
                (Some(_), None) => " — no end planned".to_string(),
                (None, None) => String::new(),
            };
            out.push_str(&format!("  {:width$}  {who}{until}\n", p.position));
        }
    }
    out
}
