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
    #[arg(long, global = true, value_name = "DATE")]
    pub today: Option<String>,
    /// Treat this moment as now (YYYY-MM-DDTHH:MM local to the config's time zone, or RFC 3339).
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
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Check, then write the calendar feeds (nothing is written if a rule fails).
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
    /// What a rule checks, why, and how to fix it.
    Explain {
        /// A rule id, e.g. max-share.
        rule: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
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
