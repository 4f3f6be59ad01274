//! The command line (clap definitions only).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rota",
    version,
    about = "On-call rotas, alert catalogue and runbooks kept in git: checked, published, humane."
)]
pub struct Cli {
    /// The data repository (holds rota/ and runbooks/).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Treat this date as today (YYYY-MM-DD, in the config's time zone).
    #[arg(long, global = true, value_name = "DATE", conflicts_with = "at")]
    pub today: Option<String>,
    /// Treat this moment as now (YYYY-MM-DDTHH:MM local to the config's time zone, or with
    /// an offset: 2026-12-23T10:00Z, 2026-12-23T10:00+01:00).
    #[arg(long, global = true, value_name = "DATETIME")]
    pub at: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run every rule; exit 1 on errors.
    Check {
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Fail (exit 1) on warnings too (with --new-since: on new warnings).
        #[arg(long)]
        deny_warnings: bool,
        /// Fail only on findings that are not already present at REV (a commit: the
        /// pull request's base); the others are printed as known.
        #[arg(long, value_name = "REV")]
        new_since: Option<String>,
    },
    /// Check, then write the site and the calendar feeds (nothing is written if a rule fails).
    Build {
        /// Output folder (default: public/ in the data repository).
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
    /// The calendar subscription URL of one person.
    FeedUrl {
        /// A person id.
        person: String,
    },
    /// Who is on call in each rota and position, and until when.
    Now {
        /// Only this rota.
        #[arg(long, value_name = "ID")]
        rota: Option<String>,
        #[arg(long, value_enum, default_value_t = NowFormat::Text)]
        format: NowFormat,
    },
    /// The computed shifts.
    Shifts {
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        #[arg(long, value_name = "ID")]
        rota: Option<String>,
        /// First day (default: today).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day, inclusive (default: today + horizon).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Text)]
        format: TableFormat,
    },
    /// On-call hours and share per person, in and out of hours.
    Report {
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Text)]
        format: TableFormat,
    },
    /// Runbooks overdue for review or due within 30 days, grouped by owner.
    Review {
        #[arg(long, value_enum, default_value_t = NowFormat::Text)]
        format: NowFormat,
    },
    /// Build the site in memory and serve it on 127.0.0.1, rebuilding on change.
    Serve {
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Open the site in the browser (xdg-open / open).
        #[arg(long)]
        open: bool,
    },
    /// Trade shifts: A and B exchange places in the turns in force at their dates' handovers.
    Swap {
        /// The rota id (its file name in rota/rotas/).
        rota: String,
        /// PERSON@DATE: who gives up the turn in force at that date's handover.
        a: String,
        /// PERSON@DATE: who takes it, giving up their own turn in exchange.
        b: String,
        /// Why (written as each override's `reason`).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Propose a change of a rota as a new rotation block (someone joins, someone leaves,
    /// a new member order) and show what it changes (a dry run unless --write).
    Plan {
        #[command(subcommand)]
        action: PlanAction,
    },
    /// Markdown summary of what changes between REV and the working tree: shifts, shares,
    /// leave, holidays, people, alerts, runbooks and findings.
    Diff {
        /// The revision to compare with (default: origin/main, else HEAD).
        #[arg(long, value_name = "REV")]
        base: Option<String>,
    },
    /// Create a new data repository: a small valid example and the CI that checks and publishes it.
    Init {
        /// A new folder, or one with files already (only the missing files are written).
        dir: PathBuf,
        /// Write a .gitlab-ci.yml instead of GitHub workflows.
        #[arg(long)]
        gitlab: bool,
        /// The team's Prometheus rule files already in DIR: a folder or a glob, relative to DIR (written as `alerting.rules`).
        #[arg(long, value_name = "PATH")]
        alert_rules: Option<String>,
        /// Its Alertmanager configuration (or Secret), relative to DIR (default: the one among the rule files' folder).
        #[arg(long, value_name = "FILE")]
        alertmanager: Option<String>,
        /// The team's runbook tree already in DIR, relative to it: used as runbooks/ (linked there when elsewhere).
        #[arg(long, value_name = "FOLDER")]
        runbooks: Option<String>,
    },
    /// Public holidays in rota/config.yaml.
    Holidays {
        #[command(subcommand)]
        action: HolidaysAction,
    },
    /// Days of time off in lieu per person from rota/pages/ (default: the previous month and this one).
    Toil {
        /// The month (YYYY-MM, in the config's time zone).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Text)]
        format: TableFormat,
    },
    /// The Alertmanager receivers a label set reaches, in order, and the rotas they page.
    Route {
        /// Labels as amtool takes them: NAME=VALUE or NAME="VALUE".
        #[arg(value_name = "LABEL=VALUE")]
        labels: Vec<String>,
        #[arg(long, value_enum, default_value_t = NowFormat::Text)]
        format: NowFormat,
    },
    /// The whole alert catalogue as rota sees it: rules, receivers, rotas, runbooks.
    Alerts {
        #[arg(long, value_enum, default_value_t = NowFormat::Text)]
        format: NowFormat,
    },
    /// What a rule checks, why, and how to fix it.
    Explain {
        /// A rule id, e.g. max-share; without one, the list of rules.
        rule: Option<String>,
    },
    /// JSON Schemas of the data files and the JSON outputs (for editors and CI).
    Schema {
        /// One schema (config, people, rota, alerts, services, leave, pages, runbook,
        /// check, now, shifts, report, toil, review, oncall); without it, the list.
        kind: Option<String>,
        /// Write KIND.schema.json files (all of them, or KIND) into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Shell completion script, printed to standard output.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// The man page (roff), printed to standard output or written as DIR/rota.1.
    #[command(hide = true)]
    Man {
        /// Write rota.1 into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum HolidaysAction {
    /// Add the days of an iCalendar file's events (as governments and calendar apps
    /// publish holidays) to `holidays:`, with their names; dates listed already are kept.
    Import {
        /// The .ics file.
        file: PathBuf,
        /// Show what would be added, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PlanAction {
    /// PERSON joins ROTA: a new block from the first handover at or after both --from and
    /// today + --freeze, with PERSON placed in the order where it changes least.
    Join(PlanMembership),
    /// PERSON leaves ROTA: a new block without them from the first handover at or after
    /// both --from and today + --freeze; the others close up.
    Leave(PlanMembership),
    /// A member order and position offsets for a new block from --from that avoid leave
    /// and other rotas' turns and spread bank holidays and weekends evenly.
    Order {
        /// The rota id (its file name in rota/rotas/).
        #[arg(long, value_name = "ID")]
        rota: String,
        /// The new block starts at the first handover on or after this date.
        #[arg(long, value_name = "DATE")]
        from: String,
        /// How many weeks of turns to plan around (default: the config's horizon).
        #[arg(long, value_name = "N")]
        weeks: Option<u32>,
        /// Write the proposal into the rota file (without it, nothing is written).
        #[arg(long)]
        write: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct PlanMembership {
    /// A person id (in rota/people.yaml).
    pub person: String,
    /// The rota id (its file name in rota/rotas/).
    #[arg(long, value_name = "ID")]
    pub rota: String,
    /// The block starts no earlier than this date (default: today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Shifts planned up to today + this stay as they are (published; people have booked
    /// around them): e.g. 8w, 30d.
    #[arg(long, value_name = "DURATION", default_value = "8w")]
    pub freeze: String,
    /// Write the proposal into the rota file (without it, nothing is written).
    #[arg(long)]
    pub write: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    /// A GitLab Code Quality report (JSON).
    Gitlab,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum NowFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TableFormat {
    Text,
    Json,
    Csv,
}
