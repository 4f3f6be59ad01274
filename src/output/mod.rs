//! Outputs: everything `rota build` writes, made from the model and the schedule — the
//! calendar feeds ([`feeds`]), the static site ([`site`]), the JSON outputs and their
//! schemas ([`json`], [`schema`]) — and the [`staging`] folder they are written through.
//! Nothing here decides what the data means; that is settled below (ARCHITECTURE.md).

pub mod feeds;
pub mod json;
pub mod schema;
pub mod site;
pub mod staging;

use crate::model::Model;
use crate::schedule::interval::Interval;
use crate::schedule::{Schedule, Shift};
use crate::time::{self, Clock, Instant};
use chrono::Days;
use feeds::name::FeedNames;
use feeds::{FeedContext, FeedKind};
use staging::{MARKER, Outputs};
use std::collections::{BTreeMap, BTreeSet};

/// The range feeds cover: from two weeks before today to at least `horizon` and
/// `plan_ahead` ahead.
pub fn feed_range(model: &Model, clock: Clock) -> Interval {
    let config = &model.repo.config;
    let tz = config.timezone;
    let start = clock
        .today
        .checked_sub_days(Days::new(14))
        .unwrap_or(clock.today);
    let end = config
        .horizon
        .after_date(clock.today)
        .max(config.policy.plan_ahead.after_date(clock.today));
    Interval::new(time::start_of_day(tz, start), time::start_of_day(tz, end))
}

/// Renders every output file besides the site's pages.
pub fn outputs(
    model: &Model,
    schedule: &Schedule,
    clock: Clock,
    stamp: Instant,
    names: &FeedNames,
) -> Outputs {
    let out = std::sync::Mutex::new(Outputs::new());
    let kept: Result<(), std::convert::Infallible> =
        each_output(model, schedule, clock, stamp, names, &|rel, bytes| {
            if let Ok(mut out) = out.lock() {
                out.insert(rel, bytes);
            }
            Ok(())
        });
    let Ok(()) = kept;
    out.into_inner().unwrap_or_default()
}

/// Renders every output file besides the site's pages (the feeds, the schemas and the
/// marker), handing each to `emit` as soon as it is made (from any thread), so that no
/// more than a few feeds are held in memory at once.
pub fn each_output<E: Send>(
    model: &Model,
    schedule: &Schedule,
    clock: Clock,
    stamp: Instant,
    names: &FeedNames,
    emit: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<(), E> {
    use rayon::prelude::*;
    let range = feed_range(model, clock);
    let cx = FeedContext {
        model,
        schedule,
        range,
        stamp,
    };
    // Each shift's event is made once, for both its person's feed and its rota's, and
    // filed under both (no scan per person or rota).
    let shifts: Vec<Shift> = schedule.shifts(range);
    let domain = feeds::uid_domain(&model.repo.config.base_url);
    let texts = feeds::rota_texts(model);
    let events: Vec<feeds::Event> = shifts
        .par_iter()
        .filter_map(|s| feeds::event(&cx, &domain, &texts, s))
        .collect();
    let mut by_person: BTreeMap<&str, Vec<&feeds::Event>> = BTreeMap::new();
    let mut by_rota: BTreeMap<&str, Vec<&feeds::Event>> = BTreeMap::new();
    for e in &events {
        by_rota.entry(e.shift.rota).or_default().push(e);
        by_person.entry(e.shift.person).or_default().push(e);
    }
    let members: BTreeSet<&str> = model
        .repo
        .rotas
        .iter()
        .flat_map(|r| r.members())
        .map(|m| m.id.as_str())
        .collect();
    let title = &model.repo.config.title;
    // Rota feeds list everyone's shifts: with secret feed names they are left out, as
    // they would otherwise be a guessable way round the secret names.
    let rotas = if names.are_secret() {
        &[][..]
    } else {
        &model.repo.rotas[..]
    };
    let person_feeds = model
        .repo
        .people
        .par_iter()
        .filter(|p| members.contains(p.id.as_str()))
        .try_for_each(|person| {
            let mine = by_person
                .get(person.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let name = format!("On call: {} ({title})", person.name);
            emit(
                format!("calendars/{}.ics", names.name(&person.id)),
                feeds::feed_of(&cx, &name, FeedKind::Person, mine.iter().copied()).into_bytes(),
            )
        });
    person_feeds?;
    rotas.par_iter().try_for_each(|rota| {
        let theirs = by_rota.get(rota.id.as_str()).map_or(&[][..], Vec::as_slice);
        let name = format!("{} ({title})", rota.name);
        emit(
            format!("calendars/rotas/{}.ics", rota.id),
            feeds::feed_of(&cx, &name, FeedKind::Rota, theirs.iter().copied()).into_bytes(),
        )
    })?;
    // JSON Schemas of the data files and outputs, for editors and bots (`rota schema`).
    for (name, text) in schema::files() {
        emit(format!("schema/{name}"), text.clone().into_bytes())?;
    }
    emit(
        MARKER.to_string(),
        b"Written by rota build; the next build replaces this folder.\n".to_vec(),
    )
}
