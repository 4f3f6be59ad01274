//! Writes a synthetic organisation's data repository for benchmarks: 500 people, 60 rotas
//! in four time zones, 2,000 alerts and (by default) 10,000 runbooks. Two shapes:
//!
//! - `plain` (the default): runbooks of about 2.7 KB with the same five headings and five
//!   cross-links each, all in one folder per team;
//! - `varied`: what real repositories have and `plain` has not — runbook sizes from 0.5 to
//!   30 KB with a long tail, repeated headings, tables and code blocks, 0 to 40 links per
//!   page, folders nested up to 5 deep, unicode titles, and alerts with long summaries.
//!
//! Deterministic (a fixed seed, no wall clock) and free of `rota check` errors, in both
//! shapes.
//!
//! `--alerts N` sets the number of alerts (default 2,000). `--catalogue rules` writes
//! them as Prometheus alerting rules (`monitoring/team-NN.rules.yml`) routed by an
//! Alertmanager tree of about `--routes N` routes (default 500) instead of
//! `rota/alerts/`: the same alerts paging the same rotas with the same runbooks, read
//! through `alerting:` (docs/alerting.md), for comparing the two.
//!
//! `cargo run --release --example gen-org -- DIR [--runbooks N] [--shape plain|varied]
//! [--alerts N] [--catalogue hand|rules] [--routes N]`

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Teams: each has an in-hours and an out-of-hours rota of eight people.
const TEAMS: usize = 30;
const PER_ROTA: usize = 8;
/// Managers: the last step of every escalation chain, on no rota.
const MANAGERS: usize = 20;
const DEFAULT_ALERTS: usize = 2_000;
const DEFAULT_ROUTES: usize = 500;
/// The prefix of the rules' `runbook_url`, mapped onto runbooks/ (`alerting.runbook_url`).
const RUNBOOK_URL: &str = "https://example.github.io/synthetic/runbooks/";
const SERVICES_PER_TEAM: usize = 3;
const DEFAULT_RUNBOOKS: usize = 10_000;
const ZONES: [&str; 4] = [
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
];
/// The second-level headings every generated runbook has (their anchors are link targets).
const SECTIONS: [&str; 5] = ["Summary", "Check", "Act", "Escalate", "Background"];
const RUNBOOK_BYTES: usize = 2_520;

const FIRST_NAMES: [&str; 20] = [
    "Ada", "Ben", "Chloe", "Dev", "Ema", "Finn", "Gita", "Hugo", "Ines", "Jon", "Kemi", "Lars",
    "Mei", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
];
const LAST_NAMES: [&str; 25] = [
    "Abbott", "Banerjee", "Costa", "Dubois", "Eze", "Fraser", "Garcia", "Hale", "Ito", "Jansen",
    "Kaur", "Lund", "Mensah", "Novak", "Ortiz", "Park", "Quist", "Reyes", "Silva", "Tan", "Uddin",
    "Varga", "Walsh", "Xu", "Young",
];
const WORDS: [&str; 48] = [
    "the",
    "service",
    "queue",
    "replica",
    "latency",
    "error",
    "rate",
    "dashboard",
    "deploy",
    "rollback",
    "disk",
    "volume",
    "certificate",
    "database",
    "cache",
    "node",
    "cluster",
    "load",
    "balancer",
    "request",
    "timeout",
    "worker",
    "backlog",
    "alert",
    "metric",
    "threshold",
    "log",
    "check",
    "restart",
    "scale",
    "capacity",
    "primary",
    "standby",
    "failover",
    "network",
    "dns",
    "health",
    "probe",
    "memory",
    "cpu",
    "connection",
    "pool",
    "retry",
    "budget",
    "release",
    "traffic",
    "region",
    "status",
];

/// A small deterministic generator (SplitMix64): the same seed, the same organisation.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

/// The organisation's shape (see the module comment).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    Varied,
}

struct Options {
    dir: PathBuf,
    runbooks: usize,
    shape: Shape,
    alerts: usize,
    /// Alerts as Prometheus rules and an Alertmanager tree of about this many routes,
    /// instead of `rota/alerts/`.
    rules_routes: Option<usize>,
}

fn parse_args() -> Result<Options, String> {
    let usage = "usage: gen-org DIR [--runbooks N] [--shape plain|varied] [--alerts N] [--catalogue hand|rules] [--routes N]";
    let mut dir = None;
    let mut runbooks = DEFAULT_RUNBOOKS;
    let mut shape = Shape::Plain;
    let mut alerts = DEFAULT_ALERTS;
    let mut rules = false;
    let mut routes = DEFAULT_ROUTES;
    let mut args = std::env::args().skip(1);
    let number = |args: &mut std::iter::Skip<std::env::Args>, flag: &str| {
        let value = args.next().ok_or(usage)?;
        value
            .parse::<usize>()
            .map_err(|_| format!("{flag}: `{value}` is not a whole number"))
    };
    while let Some(arg) = args.next() {
        if arg == "--alerts" {
            alerts = number(&mut args, "--alerts")?;
        } else if arg == "--routes" {
            routes = number(&mut args, "--routes")?;
        } else if arg == "--catalogue" {
            rules = match args.next().as_deref() {
                Some("hand") => false,
                Some("rules") => true,
                Some(other) => {
                    return Err(format!("--catalogue: `{other}` is neither hand nor rules"));
                }
                None => return Err(usage.into()),
            };
        } else if arg == "--runbooks" {
            let value = args.next().ok_or(usage)?;
            runbooks = value
                .parse()
                .map_err(|_| format!("--runbooks: `{value}` is not a whole number"))?;
        } else if arg == "--shape" {
            shape = match args.next().as_deref() {
                Some("plain") => Shape::Plain,
                Some("varied") => Shape::Varied,
                Some(other) => {
                    return Err(format!("--shape: `{other}` is neither plain nor varied"));
                }
                None => return Err(usage.into()),
            };
        } else if arg.starts_with('-') {
            return Err(format!("unknown option `{arg}`\n{usage}"));
        } else if dir.is_none() {
            dir = Some(PathBuf::from(arg));
        } else {
            return Err(usage.into());
        }
    }
    if runbooks == 0 {
        return Err("--runbooks must be at least 1 (paging alerts need a runbook)".into());
    }
    if routes < 1 + TEAMS * 3 {
        return Err(format!(
            "--routes must be at least {} (a route per team and two below it)",
            1 + TEAMS * 3
        ));
    }
    Ok(Options {
        dir: dir.ok_or(usage)?,
        runbooks,
        shape,
        alerts,
        rules_routes: rules.then_some(routes),
    })
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match generate(&options) {
        Ok(()) => {
            println!(
                "wrote {} people, {} rotas, {} alerts{}, {} runbooks ({}) to {}",
                TEAMS * 2 * PER_ROTA + MANAGERS,
                TEAMS * 2,
                options.alerts,
                match options.rules_routes {
                    Some(routes) => format!(" (Prometheus rules, {routes} routes)"),
                    None => String::new(),
                },
                options.runbooks,
                match options.shape {
                    Shape::Plain => "plain",
                    Shape::Varied => "varied",
                },
                options.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("gen-org: {message}");
            ExitCode::from(2)
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn generate(options: &Options) -> Result<(), String> {
    let dir = &options.dir;
    if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!(
            "{} is not empty: give a new or empty folder",
            dir.display()
        ));
    }
    let mut rng = Seeded(0x0005_EED0_0F0A_11CE);
    let mut config = config();
    if let Some(routes) = options.rules_routes {
        config.push_str(&alerting_config());
        write(
            &dir.join("monitoring/alertmanager.yml"),
            &alertmanager(routes),
        )?;
    }
    write(&dir.join("rota/config.yaml"), &config)?;
    write(&dir.join("rota/people.yaml"), &people(&mut rng))?;
    for team in 0..TEAMS {
        write(
            &dir.join(format!("rota/rotas/{}.yaml", rota_id(team, false))),
            &rota(team, false),
        )?;
        write(
            &dir.join(format!("rota/rotas/{}.yaml", rota_id(team, true))),
            &rota(team, true),
        )?;
        let catalogue = alerts(team, options, &mut rng);
        match options.rules_routes {
            None => write(
                &dir.join(format!("rota/alerts/{}.yaml", team_id(team))),
                &catalogue,
            )?,
            Some(_) => write(
                &dir.join(format!("monitoring/{}.rules.yml", team_id(team))),
                &rule_file(team, &catalogue),
            )?,
        }
    }
    write(&dir.join("rota/services.yaml"), &services())?;
    for index in 0..options.runbooks {
        let (slug, text) = match options.shape {
            Shape::Plain => (runbook_slug(index), runbook(index, options, &mut rng)),
            Shape::Varied => (varied_slug(index), varied_runbook(index, options, &mut rng)),
        };
        write(&dir.join(format!("runbooks/{slug}.md")), &text)?;
    }
    Ok(())
}

fn team_id(team: usize) -> String {
    format!("team-{team:02}")
}

fn rota_id(team: usize, out_of_hours: bool) -> String {
    let kind = if out_of_hours {
        "out-of-hours"
    } else {
        "in-hours"
    };
    format!("{}-{kind}", team_id(team))
}

/// Person ids: members of team `t`'s in-hours rota are `t*16 .. t*16+8`, out of hours
/// the next eight, so nobody sits on two rotas.
fn member_id(team: usize, out_of_hours: bool, k: usize) -> String {
    let n = team * 2 * PER_ROTA + usize::from(out_of_hours) * PER_ROTA + k;
    format!("p{n:03}")
}

fn manager_id(team: usize) -> String {
    format!("manager-{:02}", team % MANAGERS)
}

fn service_id(team: usize, k: usize) -> String {
    format!("{}-service-{}", team_id(team), ["a", "b", "c"][k])
}

fn runbook_slug(index: usize) -> String {
    format!("{}/runbook-{index:05}", team_id(index % TEAMS))
}

fn config() -> String {
    "# A synthetic organisation written by `cargo run --example gen-org` (benchmarks).
title: Support at Synthetic Org
base_url: https://example.github.io/synthetic/
timezone: Europe/London
horizon: 13w
policy:
  min_people: 6
  ideal_people: 8
  plan_ahead: 90d
  review_in: 6 months
  # The generated orders are not planned around the holidays (`rota plan order` would be).
  holiday_spread: 3
holidays: [2026-12-25, 2026-12-28, 2027-01-01, 2027-03-26, 2027-03-29]
"
    .to_string()
}

fn person_line(out: &mut String, id: &str, name: &str, role: &str) {
    let _ = writeln!(
        out,
        "- {{ id: {id}, name: {name}, roles: [{role}], opted_in: true, vetted: 2024-06-03, experienced: true, handle: \"@{id}\" }}"
    );
}

fn people(rng: &mut Seeded) -> String {
    let mut out = String::from("# Everyone on a rota, and the managers behind them.\n");
    for team in 0..TEAMS {
        for out_of_hours in [false, true] {
            for k in 0..PER_ROTA {
                let name = format!(
                    "{} {}",
                    FIRST_NAMES[rng.below(FIRST_NAMES.len())],
                    LAST_NAMES[rng.below(LAST_NAMES.len())]
                );
                let role = if k % 2 == 0 { "developer" } else { "ops" };
                person_line(&mut out, &member_id(team, out_of_hours, k), &name, role);
            }
        }
    }
    for m in 0..MANAGERS {
        let name = format!(
            "{} {}",
            FIRST_NAMES[rng.below(FIRST_NAMES.len())],
            LAST_NAMES[rng.below(LAST_NAMES.len())]
        );
        person_line(&mut out, &manager_id(m), &name, "manager");
    }
    out
}

fn rota(team: usize, out_of_hours: bool) -> String {
    let zone = ZONES[team % ZONES.len()];
    let (name, kind, hours) = if out_of_hours {
        (
            "Out of hours",
            "out-of-hours",
            "  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"10:00\" }
  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"24:00\" }
  - { days: [sat, sun, holiday], from: \"00:00\", to: \"24:00\" }
",
        )
    } else {
        (
            "In hours",
            "in-hours",
            "  - { days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"18:00\" }\n",
        )
    };
    let members: Vec<String> = (0..PER_ROTA)
        .map(|k| member_id(team, out_of_hours, k))
        .collect();
    format!(
        "name: {name} ({team_name})
description: Synthetic rota of {team_name}.
kind: {kind}
timezone: {zone}
hours:
{hours}rotation:
  start: 2026-01-07
  handover: \"10:00\"
  every: 1w
  members: [{members}]
positions:
  - {{ name: primary }}
  - {{ name: secondary, offset: 1 }}
escalation:
  - {{ after: 0m, notify: primary }}
  - {{ after: 5m, notify: secondary }}
  - {{ after: 10m, notify: \"person:{manager}\" }}
",
        team_name = team_id(team),
        members = members.join(", "),
        manager = manager_id(team),
    )
}

fn services() -> String {
    let mut out = String::new();
    for team in 0..TEAMS {
        for k in 0..SERVICES_PER_TEAM {
            let _ = writeln!(
                out,
                "- {{ id: {id}, name: Service {k} of {team_name}, impact: [public-access], out_of_hours: true, rota: {rota} }}",
                id = service_id(team, k),
                team_name = team_id(team),
                rota = rota_id(team, true),
            );
        }
    }
    out
}

fn alert_id(index: usize) -> String {
    format!("alert-{index:04}")
}

/// The alerts of one team: alert `i` (global numbering, `i % TEAMS == team`) names runbook
/// `i % runbooks`; critical and high alerts page both rotas, medium the in-hours rota,
/// low ones page nobody.
/// In the varied shape, summaries are long (up to about 1.5 KB) and some are not ASCII,
/// and runbooks sit in nested folders.
fn alerts(team: usize, options: &Options, rng: &mut Seeded) -> String {
    let (runbooks, shape) = (options.runbooks, options.shape);
    let mut out = String::new();
    for index in (team..options.alerts).step_by(TEAMS) {
        let severity = ["critical", "high", "medium", "low"][index / TEAMS % 4];
        let pages = match severity {
            "critical" | "high" => format!("[{}, {}]", rota_id(team, true), rota_id(team, false)),
            "medium" => format!("[{}]", rota_id(team, false)),
            _ => String::new(),
        };
        let _ = writeln!(out, "- id: {}", alert_id(index));
        match shape {
            Shape::Plain => {
                let _ = writeln!(
                    out,
                    "  summary: {} {} {} above threshold",
                    rng.word(),
                    rng.word(),
                    rng.word()
                );
            }
            Shape::Varied => {
                let mut summary = format!("{} ", UNICODE_WORDS[index % UNICODE_WORDS.len()]);
                let target = 40 + rng.below(1_500) * rng.below(2);
                while summary.len() < target {
                    sentence(rng, &mut summary);
                }
                let _ = writeln!(out, "  summary: \"{}\"", summary.trim_end());
            }
        }
        let _ = writeln!(
            out,
            "  service: {}",
            service_id(team, index % SERVICES_PER_TEAM)
        );
        let _ = writeln!(out, "  severity: {severity}");
        if !pages.is_empty() {
            let _ = writeln!(out, "  pages: {pages}");
        }
        let slug = match shape {
            Shape::Plain => runbook_slug(index % runbooks),
            Shape::Varied => varied_slug(index % runbooks),
        };
        let _ = writeln!(out, "  runbook: {slug}");
    }
    out
}

/// `alerting:` for the rules catalogue: every receiver mapped (docs/alerting.md).
fn alerting_config() -> String {
    let mut out = format!(
        "alerting:\n  rules: [\"monitoring/*.rules.yml\"]\n  alertmanager: monitoring/alertmanager.yml\n  runbook_url: {RUNBOOK_URL}\n  receivers:\n    tickets: []\n"
    );
    for team in 0..TEAMS {
        let _ = writeln!(
            out,
            "    {t}-page: [{ooh}, {inh}]\n    {t}-in-hours: {inh}",
            t = team_id(team),
            ooh = rota_id(team, true),
            inh = rota_id(team, false)
        );
    }
    out
}

/// The team's alerts (as [`alerts`] writes them for rota/alerts/) as a Prometheus rule
/// file: alert `alert-0042` is the rule `Alert_0042` (whose id is `alert-0042`), with
/// its severity, team and service as labels and its runbook as `runbook_url`.
fn rule_file(team: usize, catalogue: &str) -> String {
    let mut out = format!("groups:\n  - name: {}\n    rules:\n", team_id(team));
    for entry in catalogue.split("- id: ").skip(1) {
        let field = |key: &str| {
            entry
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
                .unwrap_or_default()
                .to_string()
        };
        let id = entry.lines().next().unwrap_or_default().trim();
        let name = format!("Alert_{}", id.trim_start_matches("alert-"));
        let _ = writeln!(out, "      - alert: {name}");
        let _ = writeln!(out, "        expr: up{{job=\"{id}\"}} == 0");
        let _ = writeln!(out, "        for: 5m");
        let _ = writeln!(
            out,
            "        labels: {{ severity: {}, team: {}, service: {} }}",
            field("severity"),
            team_id(team),
            field("service")
        );
        let _ = writeln!(out, "        annotations:");
        let _ = writeln!(out, "          summary: {}", field("summary"));
        let _ = writeln!(
            out,
            "          runbook_url: {RUNBOOK_URL}{}/",
            field("runbook")
        );
    }
    out
}

/// An Alertmanager tree of at least `routes` routes (rounded up to whole teams): per team a route on its `team` label
/// with, below it, routes that match none of the rules (as a real tree has for other
/// environments and services) before the two that page: critical and high alerts to
/// both rotas, medium ones to the in-hours rota; the rest goes to tickets.
fn alertmanager(routes: usize) -> String {
    let fillers = (routes - 1).div_ceil(TEAMS) - 3;
    let mut out = String::from("route:\n  receiver: tickets\n  routes:\n");
    for team in 0..TEAMS {
        let t = team_id(team);
        let _ = writeln!(
            out,
            "    - matchers: ['team=\"{t}\"']\n      receiver: tickets\n      routes:"
        );
        for k in 0..fillers {
            let _ = writeln!(
                out,
                "        - matchers: ['env=~\"staging-{k}|test\"', 'service=~\"{t}-service-.*\"']\n          receiver: tickets"
            );
        }
        let _ = writeln!(
            out,
            "        - matchers: ['severity=~\"critical|high\"']\n          receiver: {t}-page\n        - match: {{ severity: medium }}\n          receiver: {t}-in-hours"
        );
    }
    out.push_str("receivers:\n  - name: tickets\n");
    for team in 0..TEAMS {
        let t = team_id(team);
        let _ = writeln!(out, "  - name: {t}-page\n  - name: {t}-in-hours");
    }
    out
}

/// A relative link from runbook `from` to runbook `to` (both `team-NN/runbook-NNNNN`).
fn relative_link(from: usize, to: usize) -> String {
    if from % TEAMS == to % TEAMS {
        format!("runbook-{to:05}.md")
    } else {
        format!("../{}.md", runbook_slug(to))
    }
}

fn sentence(rng: &mut Seeded, out: &mut String) {
    let words = 8 + rng.below(10);
    for w in 0..words {
        let word = rng.word();
        if w == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push_str(". ");
}

fn runbook(index: usize, options: &Options, rng: &mut Seeded) -> String {
    let runbooks = options.runbooks;
    let mut out = String::new();
    let backlinks: Vec<String> = (index..options.alerts)
        .step_by(runbooks)
        .map(alert_id)
        .collect();
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "title: Runbook {index} for {}", rng.word());
    let _ = writeln!(out, "owner: \"#{}-alerts\"", team_id(index % TEAMS));
    let _ = writeln!(
        out,
        "last_reviewed: 2026-{:02}-{:02}",
        8 + index % 3,
        1 + index % 28
    );
    let _ = writeln!(out, "review_in: 6 months");
    if !backlinks.is_empty() {
        let _ = writeln!(out, "alerts: [{}]", backlinks.join(", "));
    }
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "# Runbook {index}: {} {}\n", rng.word(), rng.word());
    let per_section = RUNBOOK_BYTES / SECTIONS.len();
    for (s, section) in SECTIONS.iter().enumerate() {
        let section_start = out.len();
        let _ = writeln!(out, "## {section}\n");
        if s == 1 || s == 2 {
            for step in 1..=3 {
                let _ = write!(out, "{step}. ");
                sentence(rng, &mut out);
                out.push('\n');
            }
            out.push('\n');
        }
        // A link to another runbook's section, and one to this page's own section.
        let target = rng.below(runbooks);
        let heading = SECTIONS[rng.below(SECTIONS.len())];
        let _ = writeln!(
            out,
            "See [{heading} of runbook {target}]({}#{}) and [the checks](#check).\n",
            relative_link(index, target),
            heading.to_lowercase()
        );
        while out.len() - section_start < per_section - 40 {
            sentence(rng, &mut out);
        }
        out.push_str("\n\n");
    }
    out
}

/// Words of other scripts, for titles and summaries of the varied shape.
const UNICODE_WORDS: [&str; 8] = [
    "Überprüfung",
    "数据库",
    "Сервис",
    "réplica",
    "Ελέγχος",
    "キュー",
    "ডিস্ক",
    "Ölçüm",
];

/// The varied shape's slug of runbook `index`: under its team's folder, 0 to 4 folders
/// deeper (so up to 5 deep in all).
fn varied_slug(index: usize) -> String {
    let mut slug = team_id(index % TEAMS);
    let depth = index / TEAMS % 5;
    for level in 0..depth {
        let _ = write!(slug, "/area-{}", index / (TEAMS * 5) / (level + 1) % 3);
    }
    let _ = write!(slug, "/runbook-{index:05}");
    slug
}

/// A relative link between two slugs (folders separated by `/`).
fn relative_slug_link(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let (from_dirs, to_dirs) = (&from[..from.len() - 1], &to[..to.len() - 1]);
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(from_dirs.len() - common);
    for segment in &to[common..] {
        link.push_str(segment);
        link.push('/');
    }
    link.pop();
    link.push_str(".md");
    link
}

/// A uniform number in [0, 1).
fn unit(rng: &mut Seeded) -> f64 {
    (rng.next() >> 11) as f64 / (1u64 << 53) as f64
}

/// A runbook of the varied shape: 0.5 to 30 KB (most small, a long tail of big ones),
/// the five sections with repeated subheadings, tables, code blocks and 0 to 40 links.
fn varied_runbook(index: usize, options: &Options, rng: &mut Seeded) -> String {
    let runbooks = options.runbooks;
    let slug = varied_slug(index);
    let size = 500 + (29_500.0 * unit(rng).powi(6)) as usize;
    let mut links = rng.below(41);
    let mut out = String::new();
    let backlinks: Vec<String> = (index..options.alerts)
        .step_by(runbooks)
        .map(alert_id)
        .collect();
    let _ = writeln!(out, "---");
    let _ = writeln!(
        out,
        "title: \"{} {index} — {}\"",
        UNICODE_WORDS[rng.below(UNICODE_WORDS.len())],
        rng.word()
    );
    let _ = writeln!(out, "owner: \"#{}-alerts\"", team_id(index % TEAMS));
    let _ = writeln!(
        out,
        "last_reviewed: 2026-{:02}-{:02}",
        8 + index % 3,
        1 + index % 28
    );
    let _ = writeln!(out, "review_in: 6 months");
    if !backlinks.is_empty() {
        let _ = writeln!(out, "alerts: [{}]", backlinks.join(", "));
    }
    let _ = writeln!(out, "---");
    let _ = writeln!(
        out,
        "# {} {index}: {} {}\n",
        UNICODE_WORDS[index % UNICODE_WORDS.len()],
        rng.word(),
        rng.word()
    );
    let per_section = size.saturating_sub(out.len()) / SECTIONS.len();
    for (s, section) in SECTIONS.iter().enumerate() {
        let section_start = out.len();
        let _ = writeln!(out, "## {section}\n");
        let mut part = 0;
        loop {
            // Links spread over the sections; the last takes what is left.
            let here = if s + 1 == SECTIONS.len() {
                links
            } else {
                rng.below(links + 1) / 2
            };
            for _ in 0..here {
                let target = rng.below(runbooks);
                let heading = SECTIONS[rng.below(SECTIONS.len())];
                let _ = write!(
                    out,
                    "See [{heading} of {target}]({}#{}). ",
                    relative_slug_link(&slug, &varied_slug(target)),
                    heading.to_lowercase()
                );
            }
            links -= here;
            out.push_str("\n\n");
            if out.len() - section_start >= per_section {
                break;
            }
            match part % 4 {
                // The same subheading in every section and part: ids `step`, `step-2`, …
                0 => out.push_str("### Step\n\n"),
                1 => {
                    out.push_str("| check | command | expected |\n|---|---|---|\n");
                    for _ in 0..2 + rng.below(6) {
                        let _ = writeln!(
                            out,
                            "| {} {} | `{} --{}` | {} |",
                            rng.word(),
                            rng.word(),
                            rng.word(),
                            rng.word(),
                            rng.word()
                        );
                    }
                    out.push('\n');
                }
                2 => {
                    out.push_str("```sh\n");
                    for _ in 0..2 + rng.below(8) {
                        let _ = writeln!(
                            out,
                            "kubectl -n {} get {} --selector={}",
                            rng.word(),
                            rng.word(),
                            rng.word()
                        );
                    }
                    out.push_str("```\n\n");
                }
                _ => {
                    for _ in 0..1 + rng.below(4) {
                        sentence(rng, &mut out);
                    }
                    out.push_str("\n\n");
                }
            }
            part += 1;
        }
    }
    out
}
