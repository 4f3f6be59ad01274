//! One thin file per subcommand: open the repository, call the library, print.

mod alerts;
mod build;
mod check;
mod completions;
mod diff;
mod explain;
mod holidays;
mod init;
mod now;
mod plan;
mod report;
mod review;
mod route;
mod schema;
mod serve;
mod shifts;
mod swap;
mod toil;

use crate::cli::{Cli, Command};
use crate::load;
use crate::load::resolve;
use crate::model::Model;
use crate::time::{self, DateTimeSpec};
use chrono::{NaiveDate, Utc};
use std::fmt;
use std::process::ExitCode;

/// The input could not be read, or the command line is wrong (exit 2).
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<load::LoadError> for Failure {
    fn from(e: load::LoadError) -> Self {
        Failure(e.0)
    }
}

pub use crate::time::Clock;

/// A loaded, resolved repository and the clock to read it by.
pub struct Session {
    pub model: Model,
    pub clock: Clock,
    /// `--at` or `--today` set the clock: advice names the day to check.
    pub pinned: bool,
}

pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match &cli.command {
        Command::Explain { rule } => return explain::run(rule.as_deref()),
        Command::Schema { kind, out } => return schema::run(kind.as_deref(), out.as_deref()),
        Command::Completions { shell } => return completions::completions(*shell),
        Command::Man { out } => return completions::man(out.as_deref()),
        Command::Serve { port, open } => return serve::run(&cli, *port, *open),
        _ => {}
    }
    if let Command::Init {
        dir,
        gitlab,
        alert_rules,
        alertmanager,
        runbooks,
    } = &cli.command
    {
        // A new repository has no config yet: its dates are read in the example's zone.
        let clock = clock(&cli, chrono_tz::Europe::London, false)?;
        let ci = if *gitlab {
            crate::init::Ci::GitLab
        } else {
            crate::init::Ci::GitHub
        };
        let existing = init::Existing {
            alert_rules: alert_rules.clone(),
            alertmanager: alertmanager.clone(),
            runbooks: runbooks.clone(),
        };
        return init::run(dir, ci, clock, &existing);
    }
    let session = open(&cli)?;
    match cli.command {
        Command::Build { out } => build::run(&session, &cli.root, out.as_deref()),
        Command::FeedUrl { person } => build::feed_url(&session, &person),
        Command::Check {
            format,
            deny_warnings,
            new_since,
        } => check::run(&session, format, deny_warnings, new_since.as_deref()),
        Command::Now { rota, format } => now::run(&session, rota.as_deref(), format),
        Command::Shifts {
            person,
            rota,
            from,
            to,
            format,
        } => shifts::run(
            &session,
            shifts::Filter {
                person,
                rota,
                from,
                to,
            },
            format,
        ),
        Command::Report { from, to, format } => report::run(&session, from, to, format),
        Command::Review { format } => review::run(&session, format),
        Command::Swap { rota, a, b, reason } => swap::run(
            &session,
            swap::Trade {
                rota: &rota,
                a: &a,
                b: &b,
                reason: reason.as_deref(),
            },
        ),
        Command::Plan { action } => plan::run(&session, action),
        Command::Diff { base } => diff::run(&session, base.as_deref()),
        Command::Toil { month, format } => toil::run(&session, month.as_deref(), format),
        Command::Route { labels, format } => route::run(&session, &labels, format),
        Command::Holidays {
            action: crate::cli::HolidaysAction::Import { file, dry_run },
        } => holidays::import(&session, &file, dry_run),
        Command::Alerts { format } => alerts::run(&session, format),
        Command::Explain { .. }
        | Command::Init { .. }
        | Command::Schema { .. }
        | Command::Completions { .. }
        | Command::Man { .. }
        | Command::Serve { .. } => unreachable!("handled above"),
    }
}

fn open(cli: &Cli) -> Result<Session, Failure> {
    // `now` answers from the rota files alone (docs/commands.md#rota-now).
    let repo = if matches!(cli.command, Command::Now { .. }) {
        load::load_rota_files(&cli.root)?
    } else {
        load::load(&cli.root)?
    };
    let model = resolve::resolve(repo);
    // A build with SOURCE_DATE_EPOCH and no --today/--at is reproducible: that is "now".
    let reproducible = matches!(cli.command, Command::Build { .. });
    let clock = clock(cli, model.repo.config.timezone, reproducible)?;
    Ok(Session {
        model,
        clock,
        pinned: cli.at.is_some() || cli.today.is_some(),
    })
}

fn clock(cli: &Cli, tz: chrono_tz::Tz, reproducible: bool) -> Result<Clock, Failure> {
    if let Some(at) = &cli.at {
        let now = parse_at(at)?.resolve(tz);
        return Ok(Clock {
            now,
            today: time::local_date(tz, now),
        });
    }
    if let Some(today) = &cli.today {
        let today = parse_date_arg("--today", today)?;
        return Ok(Clock {
            now: time::start_of_day(tz, today),
            today,
        });
    }
    let now = reproducible
        .then(source_date_epoch)
        .flatten()
        .unwrap_or_else(Utc::now);
    Ok(Clock {
        now,
        today: time::local_date(tz, now),
    })
}

/// `SOURCE_DATE_EPOCH`, when it holds a number of seconds: a reproducible build's "now"
/// and `DTSTAMP`.
fn source_date_epoch() -> Option<crate::time::Instant> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
}

/// The feeds' `DTSTAMP` for a build: `SOURCE_DATE_EPOCH`, else the last commit's time in
/// the data repository, else `fallback` (the build's clock).
fn build_stamp(root: &std::path::Path, fallback: crate::time::Instant) -> crate::time::Instant {
    if let Some(t) = source_date_epoch() {
        return t;
    }
    let commit = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "-1", "--format=%ct"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0));
    commit.unwrap_or(fallback)
}

/// The value of the environment variable `calendar.secret_env` names, read once per
/// build (never per person); `None` when unset or empty.
fn feed_secret(model: &Model) -> Option<String> {
    let (var, _) = model.repo.config.calendar.secret_env.as_ref()?;
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// The options of a command that publishes (`build`, `feed-url`, `serve`): the feed
/// secret, the build stamp and trade advice, resolved here once.
fn publishing_options(
    root: &std::path::Path,
    model: &Model,
    clock: Clock,
) -> crate::pipeline::Options {
    crate::pipeline::Options {
        clock,
        feed_secret: feed_secret(model),
        stamp: build_stamp(root, clock.now),
        trade_advice: crate::rules::TradeAdvice::Simulate,
        errors_only: false,
    }
}

/// `--at`: what the data files accept, and also an offset or `Z` without seconds
/// (`2026-12-23T10:00+01:00`), which RFC 3339 alone would refuse.
fn parse_at(at: &str) -> Result<DateTimeSpec, Failure> {
    DateTimeSpec::parse(at)
        .or_else(|e| {
            let t = at.trim();
            let offset = t.get(16..).filter(|o| {
                *o == "Z" || ((o.starts_with('+') || o.starts_with('-')) && o.len() == 6)
            });
            match (t.get(..16), offset) {
                (Some(minutes), Some(offset)) if t.is_char_boundary(16) => {
                    DateTimeSpec::parse(&format!("{minutes}:00{offset}")).map_err(|_| e)
                }
                _ => Err(e),
            }
        })
        .map_err(|e| Failure(format!("--at: {e}")))
}

pub fn parse_date_arg(flag: &str, value: &str) -> Result<NaiveDate, Failure> {
    time::parse_date(value).map_err(|e| Failure(format!("{flag}: {e}")))
}

/// The files the schedule is computed from.
pub const SCHEDULE_FILES: &[&str] = &["rota/config.", "rota/people.", "rota/rotas/"];

/// Commands other than `check` refuse to answer from data with errors in the files they
/// read (`needs`: path prefixes): they print those errors and exit 1. Errors elsewhere
/// (a runbook typo must not stop `rota now` at 3 a.m.) only earn a note.
fn refuse_on_errors(session: &Session, needs: &[&str]) -> Option<ExitCode> {
    let code = refuse_on_blocking_errors(session, needs);
    let elsewhere = session
        .model
        .findings
        .iter()
        .filter(|f| f.level == crate::finding::Level::Error)
        .count();
    if code.is_none() && elsewhere > 0 {
        eprintln!("note: {elsewhere} error(s) in other files; `rota check` lists them");
    }
    code
}

/// Prints the load errors in the files a command reads and returns exit 1, if any.
fn refuse_on_blocking_errors(session: &Session, needs: &[&str]) -> Option<ExitCode> {
    let sources = &session.model.repo.sources;
    let blocking: Vec<_> = session
        .model
        .findings
        .iter()
        .filter(|f| f.level == crate::finding::Level::Error)
        .filter(|f| {
            needs
                .iter()
                .any(|n| sources.get(f.loc.file).path.starts_with(n))
        })
        .cloned()
        .collect();
    if blocking.is_empty() {
        return None;
    }
    eprint!("{}", crate::diagnostics::human(sources, &blocking));
    eprintln!(
        "error: the data has {} error(s); fix them first (`rota check` lists every finding)",
        blocking.len()
    );
    Some(ExitCode::from(1))
}
