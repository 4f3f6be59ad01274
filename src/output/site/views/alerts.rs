//! The alert catalogue page; its rows are rendered in parts (see [`super::ALERT_ROWS_MARKER`]).

use super::*;

pub(super) fn rota_ref(rota: &Rota) -> Value {
    json!({ "id": rota.id, "name": rota.name, "kind": rota.kind.as_str() })
}

#[derive(Serialize)]
pub(super) struct RotaRef<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    /// Who holds it at build time (`primary Heidi Hussain, secondary Dan Dlamini`), for
    /// the catalogue; the site's script keeps it current.
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<&'a str>,
}

/// What the catalogue shows of the Prometheus alerting rule an alert was read from.
#[derive(Serialize)]
pub(super) struct RuleView<'a> {
    name: &'a str,
    /// `for` in words (`5m`, `1h 30m`), or none when the rule fires at once.
    #[serde(rename = "for")]
    for_text: Option<String>,
    expr: &'a str,
}

/// Who holds each rota at build time, worked out once per part of the catalogue.
pub(super) type HoldersNow = BTreeMap<String, String>;

#[derive(Serialize)]
pub(super) struct ServiceRef<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
pub(super) struct RunbookRef<'a> {
    slug: &'a str,
    title: &'a str,
}

/// An alert as the catalogue, rota and person pages show it (typed and borrowed, so a
/// catalogue of 100,000 alerts is not copied twice on its way into the template).
#[derive(Serialize)]
pub(super) struct AlertRow<'a> {
    id: &'a str,
    summary: &'a str,
    severity: &'static str,
    service: Option<ServiceRef<'a>>,
    in_hours: Vec<RotaRef<'a>>,
    out_of_hours: Vec<RotaRef<'a>>,
    runbook: Option<RunbookRef<'a>>,
    rule: Option<RuleView<'a>>,
    rota_ids: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) how: Option<&'static str>,
}

pub(super) fn alert_row<'a>(cx: &SiteContext<'a>, a: &'a Alert) -> AlertRow<'a> {
    alert_row_now(cx, a, None)
}

/// `5m`, `1h 30m`, `2d`: a rule's `for` as Prometheus writes durations.
fn duration_text(ms: u64) -> String {
    let mut left = ms / 1000;
    let mut out = Vec::new();
    for (unit, secs) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if left >= secs {
            out.push(format!("{}{unit}", left / secs));
            left %= secs;
        }
    }
    if out.is_empty() {
        format!("{ms}ms")
    } else {
        out.join(" ")
    }
}

/// An alert's row, each rota with who holds it now when `now` is given.
pub(super) fn alert_row_now<'a, 'c: 'a>(
    cx: &SiteContext<'c>,
    a: &'a Alert,
    now: Option<&'a HoldersNow>,
) -> AlertRow<'a> {
    let (mut in_hours, mut out_of_hours) = (Vec::new(), Vec::new());
    for r in &a.pages {
        if let Some(rota) = cx.rota(&r.id) {
            let rota_ref = RotaRef {
                id: &rota.id,
                name: &rota.name,
                kind: rota.kind.as_str(),
                now: now
                    .and_then(|n| n.get(rota.id.as_str()))
                    .map(String::as_str),
            };
            match rota.kind {
                RotaKind::InHours => in_hours.push(rota_ref),
                RotaKind::OutOfHours => out_of_hours.push(rota_ref),
            }
        }
    }
    let service = a.service.as_ref().map(|s| ServiceRef {
        id: &s.id,
        name: cx
            .service_names
            .get(s.id.as_str())
            .copied()
            .unwrap_or(&s.id),
    });
    let runbook = a
        .runbook
        .as_ref()
        .and_then(|r| cx.runbooks.get(r.id.as_str()))
        .map(|rb| RunbookRef {
            slug: &rb.slug,
            title: &rb.title,
        });
    let rota_ids: Vec<&str> = a.pages.iter().map(|r| r.id.as_str()).collect();
    let rule = a.rule.as_ref().map(|r| RuleView {
        name: &r.name,
        for_text: (r.for_ms > 0).then(|| duration_text(r.for_ms)),
        expr: &r.expr,
    });
    AlertRow {
        id: &a.id,
        summary: &a.summary,
        severity: a.severity.as_str(),
        service,
        in_hours,
        out_of_hours,
        runbook,
        rule,
        rota_ids: rota_ids.join(" "),
        how: None,
    }
}

pub(super) fn alerts_page(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "alerts.html".into(),
        "alerts.html",
        "Alert catalogue",
        "alerts",
    );
    let services_index: BTreeMap<&str, &str> = repo
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let used_services: BTreeSet<&str> = repo
        .alerts
        .iter()
        .filter_map(|a| a.service.as_ref().map(|s| s.id.as_str()))
        .collect();
    let services: Vec<Value> = used_services
        .iter()
        .map(|s| json!({ "id": s, "name": services_index.get(s).copied().unwrap_or(s) }))
        .collect();
    let rotas: Vec<Value> = repo.rotas.iter().map(rota_ref).collect();
    // The rows go in after rendering (see `ALERT_ROWS_MARKER`).
    p.context.insert("alert_rows", ALERT_ROWS_MARKER);
    p.context.insert("alert_count", &repo.alerts.len());
    p.context.insert("rotas", &rotas);
    p.context.insert("services", &services);
    // The severities the catalogue's alerts have, most severe first (the filter's choices).
    let severities: Vec<&str> = repo
        .alerts
        .iter()
        .map(|a| a.severity)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|s| s.as_str())
        .collect();
    p.context.insert("severities", &severities);
    p
}

/// The alert catalogue's order: by severity, then id.
pub fn catalogue<'a>(cx: &SiteContext<'a>) -> Vec<&'a Alert> {
    let mut alerts: Vec<&Alert> = cx.model.repo.alerts.iter().collect();
    alerts.sort_by(|a, b| (a.severity, &a.id).cmp(&(b.severity, &b.id)));
    alerts
}

/// The values of `alert-rows.html` for one part of the catalogue: `alerts`, as
/// `alerts.html` got them before the rows were rendered in parts.
pub fn alert_rows_context(cx: &SiteContext, part: &[&Alert]) -> Context {
    let now: HoldersNow = part
        .iter()
        .flat_map(|a| &a.pages)
        .map(|r| r.id.as_str())
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(|id| (id.to_string(), cx.holders_now(id).to_string()))
        .collect();
    let rows: Vec<AlertRow> = part
        .iter()
        .map(|a| alert_row_now(cx, a, Some(&now)))
        .collect();
    let mut context = Context::new();
    context.insert("root", "");
    context.insert("alerts", &rows);
    context
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn a_rules_for_reads_as_prometheus_writes_it() {
        assert_eq!(duration_text(300_000), "5m");
        assert_eq!(duration_text(5_400_000), "1h 30m");
        assert_eq!(duration_text(172_800_000), "2d");
        assert_eq!(duration_text(90_500), "1m 30s");
        assert_eq!(duration_text(500), "500ms");
    }
}
