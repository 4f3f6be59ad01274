//! The one place the schedule's time window is chosen, from the configuration and the
//! clock, and the schedule every rule and output reads computed over it once per command.

use super::Schedule;
use super::interval::Interval;
use crate::model::{Config, Model};
use crate::time::{self, Clock, Instant};
use chrono::TimeDelta;

/// The end of every check window: today + max(horizon, plan_ahead).
pub fn check_window_end(config: &Config, clock: Clock) -> Instant {
    let by_horizon = config.horizon.after_date(clock.today);
    let by_plan = config.policy.plan_ahead.after_date(clock.today);
    time::start_of_day(config.timezone, by_horizon.max(by_plan))
}

/// The schedule every output and rule reads, computed once per command over
/// [`schedule_window`].
pub fn schedule(model: &Model, clock: Clock) -> Schedule {
    schedule_covering(model, clock, None)
}

/// Like [`schedule`], also covering `also` (a report over past dates).
pub fn schedule_covering(model: &Model, clock: Clock, also: Option<Interval>) -> Schedule {
    let repo = &model.repo;
    let window = schedule_window(model, clock, also);
    Schedule::compute(&repo.config, &repo.people, &repo.rotas, window)
}

/// The one place the schedule's time window is chosen: from a little before today (the
/// feeds' two weeks, a day more for a clock change, and enough turns before the check
/// window for `back-to-back` streaks) to the end of the check window, plus a year for
/// share windows rounded up to whole rotation cycles (capped at 52 weeks); widened to
/// cover `also` (a report over past dates).
pub fn schedule_window(model: &Model, clock: Clock, also: Option<Interval>) -> Interval {
    let repo = &model.repo;
    let today = time::start_of_day(repo.config.timezone, clock.today);
    let end = check_window_end(&repo.config, clock) + TimeDelta::weeks(53);
    let lead = repo
        .rotas
        .iter()
        .flat_map(|r| {
            let streak = i64::from(r.policy.apply(&repo.config.policy).max_consecutive_turns);
            r.blocks.iter().map(move |b| {
                b.every
                    .times(1)
                    .checked_mul(streak.clamp(0, 1000) as i32 + 2)
                    .unwrap_or(TimeDelta::MAX)
            })
        })
        .max()
        .unwrap_or_default()
        .clamp(TimeDelta::days(15), TimeDelta::days(732));
    let window = Interval::new(today - lead, end);
    match also {
        Some(also) => Interval::new(window.start.min(also.start), window.end.max(also.end)),
        None => window,
    }
}
