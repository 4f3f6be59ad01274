//! `rota alerts`: the whole alert catalogue as rota sees it — each entry's id, alert
//! name, severity, labels, where it is written, the receivers and rotas it reaches and
//! its runbook, or why it has none (docs/alerting.md, "`rota alerts`").

use super::{Failure, Session};
use crate::cli::NowFormat;
use crate::model::Alert;
use crate::model::alerting::Routing;
use crate::output::json::{AlertsEntryOutput as Entry, AlertsOutput as Catalogue};
use std::collections::HashMap;
use std::process::ExitCode;

pub fn run(session: &Session, format: NowFormat) -> Result<ExitCode, Failure> {
    if let Some(code) = super::refuse_on_errors(session, &["rota/config.", "rota/alerts/"]) {
        return Ok(code);
    }
    let repo = &session.model.repo;
    let runbooks: HashMap<String, String> = repo
        .runbooks
        .iter()
        .map(|rb| {
            (
                rb.slug.to_lowercase(),
                repo.sources.get(rb.file).path.clone(),
            )
        })
        .collect();
    let mut alerts: Vec<Entry> = repo
        .alerts
        .iter()
        .map(|a| entry(session, a, &runbooks))
        .collect();
    alerts.sort_by(|a, b| a.id.cmp(&b.id));
    let catalogue = Catalogue { alerts };
    match format {
        NowFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&catalogue).map_err(|e| Failure(e.to_string()))?
        ),
        NowFormat::Text => print!("{}", text_of(&catalogue)),
    }
    Ok(ExitCode::SUCCESS)
}

fn entry(session: &Session, a: &Alert, runbooks: &HashMap<String, String>) -> Entry {
    let sources = &session.model.repo.sources;
    let rule = a.rule.as_deref();
    let (routing, routing_note, receivers) = match rule.map(|r| &r.routing) {
        None => ("hand-written", None, Vec::new()),
        Some(Routing::Routed(routed)) => (
            "routed",
            None,
            routed.iter().map(|r| r.receiver.clone()).collect(),
        ),
        Some(Routing::DependsOnSeries { labels, .. }) => (
            if a.pages.is_empty() {
                "depends-on-series"
            } else {
                "hand-written"
            },
            Some(format!(
                "depends on the series: templated label {}",
                labels.join(", ")
            )),
            Vec::new(),
        ),
        Some(Routing::Unknown(why)) => (
            if a.pages.is_empty() {
                "unknown"
            } else {
                "hand-written"
            },
            Some(why.clone()),
            Vec::new(),
        ),
    };
    let (runbook, no_runbook) = match &a.runbook {
        Some(r) => match runbooks.get(&r.id.to_lowercase()) {
            Some(path) => (Some(path.clone()), None),
            None => (
                None,
                Some(format!("there is no runbook `{}` in runbooks/", r.id)),
            ),
        },
        None => (
            None,
            Some(
                rule.and_then(|r| r.no_runbook.clone())
                    .unwrap_or_else(|| "no `runbook:`".to_string()),
            ),
        ),
    };
    Entry {
        id: a.id.clone(),
        alert: rule.map(|r| r.name.clone()),
        severity: a.severity.as_str(),
        summary: a.summary.clone(),
        service: a.service.as_ref().map(|s| s.id.clone()),
        labels: rule.map(|r| r.labels.clone()).unwrap_or_default(),
        for_seconds: rule.map(|r| r.for_ms / 1000),
        expr: rule.map(|r| r.expr.clone()),
        file: sources.get(a.loc.file).path.clone(),
        line: a.loc.line,
        routing,
        routing_note,
        receivers,
        rotas: a.pages.iter().map(|p| p.id.clone()).collect(),
        runbook,
        no_runbook,
    }
}

fn text_of(catalogue: &Catalogue) -> String {
    let mut out = String::new();
    for e in &catalogue.alerts {
        let name = e
            .alert
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{name}: {} — {}:{}\n",
            e.id, e.severity, e.file, e.line
        ));
        if !e.labels.is_empty() {
            let labels: Vec<String> = e.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("  labels: {}\n", labels.join(", ")));
        }
        match (e.routing, &e.routing_note) {
            ("routed", _) => out.push_str(&format!(
                "  receivers: {}\n",
                if e.receivers.is_empty() {
                    "none".to_string()
                } else {
                    e.receivers.join(", ")
                }
            )),
            (_, Some(note)) => out.push_str(&format!("  receivers: unknown ({note})\n")),
            _ => {}
        }
        out.push_str(&format!(
            "  rotas: {}\n",
            if e.rotas.is_empty() {
                "none".to_string()
            } else {
                e.rotas.join(", ")
            }
        ));
        match (&e.runbook, &e.no_runbook) {
            (Some(path), _) => out.push_str(&format!("  runbook: {path}\n")),
            (None, Some(why)) => out.push_str(&format!("  runbook: none ({why})\n")),
            _ => {}
        }
    }
    out
}
