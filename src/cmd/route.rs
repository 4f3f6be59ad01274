//! `rota route LABEL=VALUE…`: the receivers an alert with these labels reaches through
//! the Alertmanager routing tree, in order (as `amtool config routes test` prints them),
//! and the rotas each pages through `alerting.receivers` (docs/alerting.md).

use super::{Failure, Session};
use crate::cli::NowFormat;
use crate::model::alerting::{self, LabelSet};
use crate::output::json::{ReceiverRotasOutput as ReceiverRotas, RouteOutput as Routed};
use crate::source::SourceFile;
use std::path::Path;
use std::process::ExitCode;

/// The label arguments as amtool reads them; a mistake is a wrong command line (exit 2).
pub fn labels(args: &[String]) -> Result<LabelSet, Failure> {
    let mut labels = LabelSet::new();
    for arg in args {
        let (name, value) = alerting::matcher::parse_label(arg).map_err(Failure)?;
        labels.insert(name, value);
    }
    Ok(labels)
}

pub fn run(session: &Session, args: &[String], format: NowFormat) -> Result<ExitCode, Failure> {
    let labels = labels(args)?;
    if let Some(code) = super::refuse_on_errors(session, &["rota/config."]) {
        return Ok(code);
    }
    let repo = &session.model.repo;
    let Some((path, _)) = repo
        .config
        .alerting
        .as_ref()
        .and_then(|a| a.alertmanager.clone())
    else {
        return Err(Failure(
            "rota route needs `alerting.alertmanager` in rota/config.yaml: the path of the Alertmanager configuration (docs/alerting.md)".into(),
        ));
    };
    let text = read_inside(&repo.root, &path)?;
    let mut sources = repo.sources.clone();
    let file = sources.add(SourceFile {
        path: path.clone(),
        disk_path: repo.root.join(&path),
        text: text.clone(),
        line_offset: 0,
    });
    let loaded = crate::load::alerting::alertmanager::load(file, &text);
    let errors: Vec<_> = loaded
        .findings
        .iter()
        .filter(|f| f.level == crate::finding::Level::Error)
        .cloned()
        .collect();
    let config = match loaded.config {
        Some(config) if errors.is_empty() => config,
        _ => {
            eprint!("{}", crate::diagnostics::human(&sources, &loaded.findings));
            eprintln!(
                "error: {path} has {} error(s); fix them first",
                errors.len().max(1)
            );
            return Ok(ExitCode::from(1));
        }
    };
    let mapping = repo.config.alerting.as_ref().map(|a| &a.receivers);
    let receivers = config
        .root
        .matching(&labels)
        .into_iter()
        .map(|route| {
            let rotas = mapping.and_then(|m| m.get(&route.receiver));
            ReceiverRotas {
                receiver: route.receiver.clone(),
                mapped: rotas.is_some(),
                rotas: rotas
                    .map(|(ids, _)| ids.iter().map(|n| n.id.clone()).collect())
                    .unwrap_or_default(),
                active_time_intervals: route.active_time_intervals.clone(),
                mute_time_intervals: route.mute_time_intervals.clone(),
                notifies_now: route.notifies_at(&config.time_intervals, session.clock.now),
            }
        })
        .collect();
    let routed = Routed { labels, receivers };
    match format {
        NowFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&routed).map_err(|e| Failure(e.to_string()))?
        ),
        NowFormat::Text => print!("{}", text_of(&routed, session)),
    }
    Ok(ExitCode::SUCCESS)
}

fn text_of(routed: &Routed, session: &Session) -> String {
    let known = |id: &str| session.model.repo.rotas.iter().any(|r| r.id == id);
    let mut out = String::new();
    for r in &routed.receivers {
        let pages = if !r.mapped {
            "not mapped to a rota (add it to alerting.receivers)".to_string()
        } else if r.rotas.is_empty() {
            "pages nobody".to_string()
        } else {
            let rotas: Vec<String> = r
                .rotas
                .iter()
                .map(|id| {
                    if known(id) {
                        id.clone()
                    } else {
                        format!("{id} (no such rota)")
                    }
                })
                .collect();
            format!("pages {}", rotas.join(", "))
        };
        out.push_str(&format!("{}: {pages}", r.receiver));
        if !r.active_time_intervals.is_empty() {
            out.push_str(&format!(
                "; only during {}",
                r.active_time_intervals.join(", ")
            ));
        }
        if !r.mute_time_intervals.is_empty() {
            out.push_str(&format!(
                "; muted during {}",
                r.mute_time_intervals.join(", ")
            ));
        }
        if !r.active_time_intervals.is_empty() || !r.mute_time_intervals.is_empty() {
            out.push_str(if r.notifies_now {
                " (notifies now)"
            } else {
                " (silent now)"
            });
        }
        out.push('\n');
    }
    out
}

/// Reads a file of the data repository, refusing a path that leads outside it.
fn read_inside(root: &Path, rel: &str) -> Result<String, Failure> {
    let cannot =
        |e: std::io::Error| Failure(format!("alerting.alertmanager: {rel}: cannot read: {e}"));
    let real_root = std::fs::canonicalize(root).map_err(cannot)?;
    let real = std::fs::canonicalize(root.join(rel)).map_err(cannot)?;
    if !real.starts_with(&real_root) {
        return Err(Failure(format!(
            "alerting.alertmanager: {rel} leads outside the data repository (a symbolic link): rota does not read it"
        )));
    }
    let bytes = std::fs::read(&real).map_err(cannot)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure(format!("alerting.alertmanager: {rel}: not UTF-8 text")))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}
