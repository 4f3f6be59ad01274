//! The alert catalogue read from the Prometheus rules: one entry per alerting rule, its
//! rotas from routing its static labels through the Alertmanager tree and
//! `alerting.receivers`, its runbook from `runbook_url`; and how `rota/alerts/` entries
//! refine those entries (docs/alerting.md, "The catalogue").

use super::rules::AlertingRule;
use crate::finding::{Finding, RuleId};
use crate::model::alerting::{
    AlertmanagerConfig, LabelSet, Route, RoutedReceiver, Routing, RuleSource,
};
use crate::model::{Alert, AlertingConfig, Named, Severities, Severity};
use crate::source::Loc;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `KubePodCrashLooping` → `kube-pod-crash-looping`; `HTTPServerDown` →
/// `http-server-down`; anything but letters and digits becomes a dash. At most 63
/// characters; `None` when nothing of the name is left.
pub fn id_of(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && i > 0 {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push('-');
                }
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push('-');
        }
    }
    let mut id = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(part);
    }
    truncate_id(id)
}

fn truncate_id(mut id: String) -> Option<String> {
    id.truncate(63);
    while id.ends_with('-') {
        id.pop();
    }
    (!id.is_empty()).then_some(id)
}

fn is_template(value: &str) -> bool {
    value.contains("{{")
}

/// The runbook slug a `runbook_url` maps to through `alerting.runbook_url`, lowercased
/// (static sites lowercase paths), `.html`/`.md`, a trailing `/`, a query and a fragment
/// dropped; or why there is none.
pub fn runbook_slug(url: &str, prefix: Option<&str>) -> Result<String, String> {
    let Some(prefix) = prefix else {
        return Err(
            "`alerting.runbook_url` is not set, so rota cannot tell which runbook a URL is".into(),
        );
    };
    let lower = url.trim().to_lowercase();
    let prefix = prefix.trim().to_lowercase();
    let base = prefix.trim_end_matches('/');
    let Some(rest) = lower.strip_prefix(base) else {
        return Err(format!(
            "`{url}` is not under `alerting.runbook_url` ({prefix})"
        ));
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return Err(format!(
            "`{url}` is not under `alerting.runbook_url` ({prefix})"
        ));
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let rest = rest.trim_matches('/');
    let rest = rest
        .strip_suffix(".html")
        .or_else(|| rest.strip_suffix(".md"))
        .unwrap_or(rest);
    let rest = rest.strip_suffix("/index").unwrap_or(rest);
    if rest.is_empty() || rest == "index" {
        return Err(format!("`{url}` is the runbooks' index, not one runbook"));
    }
    Ok(rest.to_string())
}

/// `runbook_url` with `{{ $labels.NAME }}` / `{{ .Labels.NAME }}` replaced by the rule's
/// static label values; `None` when another template (or a templated label) is left.
fn expand_url(url: &str, labels: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = url;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}")? + start;
        let inner = rest[start + 2..end].trim().trim_start_matches('-').trim();
        let inner = inner.trim_end_matches('-').trim();
        let name = inner
            .strip_prefix("$labels.")
            .or_else(|| inner.strip_prefix(".Labels."))?;
        let value = labels.get(name).filter(|v| !is_template(v))?;
        out.push_str(value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// What the catalogue of the rules is read with: `alerting:`, the Alertmanager tree
/// (when it loaded) and the team's severity words.
#[derive(Clone, Copy)]
pub struct Setup<'a> {
    pub config: Option<&'a AlertingConfig>,
    pub alertmanager: Option<&'a AlertmanagerConfig>,
    pub severities: &'a Severities,
}

/// The entries of the rules' alerting rules, merged with the hand-written `alerts`
/// (`rota/alerts/`), replacing them. Findings: ids that collide, clashes between an
/// entry and the rule it refines, and hand-written entries without `summary` or
/// `severity` that refine no rule (not while `config_broken`: the `alerting:` they may
/// refine could be what broke).
pub fn merge(
    hand: Vec<Alert>,
    rules: &[AlertingRule],
    config_broken: bool,
    setup: Setup,
    findings: &mut Vec<Finding>,
) -> Vec<Alert> {
    let config = setup.config;
    let mut from_rules = alerts_of_rules(rules, setup, findings);
    let index: HashMap<String, usize> = from_rules
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut out = Vec::new();
    let mut refined = BTreeSet::new();
    for h in hand {
        match index.get(&h.id) {
            Some(&i) => {
                if refined.insert(i) {
                    refine(&mut from_rules[i], h, findings);
                }
                // A second entry of one id is `invalid-id`'s (resolve reports it).
                else {
                    out.push(h);
                }
            }
            None => {
                for field in h.unstated.iter().filter(|_| !config_broken) {
                    findings.push(
                        Finding::error(
                            RuleId::AlertRoute,
                            h.loc,
                            format!(
                                "alert `{}` has no `{field}` and refines no alert read from the rules",
                                h.id
                            ),
                        )
                        .with_help(if config.is_some_and(|c| !c.rules.is_empty()) {
                            "only an entry that refines an alert read from `alerting.rules` (same id) may leave it out; check the id against `rota alerts`"
                        } else {
                            "every alert in rota/alerts/ needs a `summary` and a `severity`"
                        }),
                    );
                }
                out.push(h);
            }
        }
    }
    out.extend(from_rules);
    out
}

/// Lays a hand-written entry over the entry of a rule: it may add what the rule does
/// not say; where both say something and differ, that is a finding.
fn refine(alert: &mut Alert, hand: Alert, findings: &mut Vec<Finding>) {
    let rule_loc = alert.loc;
    let mut clash = |loc: Loc, what: &str, hand_value: String, rule_value: String| {
        findings.push(
            Finding::error(
                RuleId::AlertRoute,
                loc,
                format!(
                    "alert `{}`: this entry says {what} {hand_value}, but its alerting rule ({}:{}) says {rule_value}",
                    alert.id,
                    rule_loc.line,
                    rule_loc.column,
                ),
            )
            .with_help("the rule is what pages: say it once, in the rule, or make this entry agree"),
        );
    };
    if !hand.unstated.contains(&"severity") && hand.severity != alert.severity {
        clash(
            hand.severity_loc,
            "severity",
            format!("`{}`", hand.severity.as_str()),
            format!("`{}`", alert.severity.as_str()),
        );
    }
    if !hand.unstated.contains(&"summary") {
        if alert.summary.is_empty() {
            alert.summary = hand.summary.clone();
        } else if alert.summary != hand.summary {
            clash(
                hand.loc,
                "summary",
                format!("{:?}", hand.summary),
                format!("{:?}", alert.summary),
            );
        }
    }
    let routed = matches!(
        alert.rule.as_ref().map(|r| &r.routing),
        Some(Routing::Routed(_))
    );
    if !hand.pages.is_empty() {
        let ids = |pages: &[Named]| pages.iter().map(|p| p.id.clone()).collect::<BTreeSet<_>>();
        if !routed {
            // Rota cannot route the rule: the entry says whom it pages.
            alert.pages = hand.pages.clone();
        } else if ids(&hand.pages) != ids(&alert.pages) {
            let list = |s: BTreeSet<String>| {
                if s.is_empty() {
                    "nobody".to_string()
                } else {
                    s.into_iter().collect::<Vec<_>>().join(", ")
                }
            };
            clash(
                hand.pages[0].loc,
                "it pages",
                list(ids(&hand.pages)),
                format!("(through Alertmanager) {}", list(ids(&alert.pages))),
            );
        }
    }
    match (&hand.runbook, &alert.runbook) {
        (Some(h), None) => {
            alert.runbook = Some(h.clone());
            if let Some(rule) = alert.rule.as_mut() {
                rule.no_runbook = None;
            }
        }
        (Some(h), Some(r)) if h.id.to_lowercase() != r.id => clash(
            h.loc,
            "its runbook is",
            format!("`{}`", h.id),
            format!("`{}` (runbook_url)", r.id),
        ),
        _ => {}
    }
    if alert.service.is_none() {
        alert.service = hand.service;
    }
}

/// One entry per alerting rule.
fn alerts_of_rules(
    rules: &[AlertingRule],
    setup: Setup,
    findings: &mut Vec<Finding>,
) -> Vec<Alert> {
    let Setup {
        config,
        alertmanager,
        severities: words,
    } = setup;
    // Severities written per base id: a name with several gets `-SEVERITY` on each.
    let mut severities: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for r in rules {
        if let Some(id) = id_of(&r.name) {
            let sev = r.labels.get("severity").map_or("", |(v, _)| v.as_str());
            severities.entry(id).or_default().insert(sev);
        }
    }
    let prefix = config.and_then(|c| c.runbook_url.as_ref().map(|(u, _)| u.as_str()));
    let routes: Vec<&Route> = alertmanager.map(|a| a.root.all()).unwrap_or_default();
    let route_index: HashMap<*const Route, usize> = routes
        .iter()
        .enumerate()
        .map(|(i, r)| (*r as *const Route, i))
        .collect();
    // Routing reads only the labels some matcher names: alerts that agree on those
    // (most of a team's) are routed once.
    let matched_names: BTreeSet<&str> = routes
        .iter()
        .flat_map(|r| r.matchers.iter().map(|m| m.name.as_str()))
        .collect();
    let mut routed_cache: HashMap<LabelSet, Vec<RoutedReceiver>> = HashMap::new();
    let mut seen: HashMap<String, Loc> = HashMap::new();
    let mut out = Vec::new();
    for r in rules {
        let Some(base) = id_of(&r.name) else {
            findings.push(
                Finding::error(
                    RuleId::InvalidId,
                    r.loc,
                    format!("the alert name `{}` gives no catalogue id", r.name),
                )
                .with_help("an id is made of the name's ASCII letters and digits: use some"),
            );
            continue;
        };
        let severity_word = r.labels.get("severity").map(|(v, _)| v.as_str());
        let id = if severities.get(&base).is_some_and(|s| s.len() > 1) {
            let suffix = severity_word
                .and_then(id_of)
                .unwrap_or_else(|| "none".into());
            truncate_id(format!(
                "{}-{suffix}",
                &base[..base.len().min(62 - suffix.len().min(61))]
            ))
            .unwrap_or(base.clone())
        } else {
            base.clone()
        };
        if let Some(first) = seen.get(&id) {
            findings.push(
                Finding::error(
                    RuleId::InvalidId,
                    r.loc,
                    format!(
                        "alert `{}` gives the catalogue id `{id}`, which the rule on line {} already gives",
                        r.name, first.line
                    ),
                )
                .with_help("two rules of one name and one severity are one entry to rota: merge them, rename one, or give them different severities"),
            );
            continue;
        }
        seen.insert(id.clone(), r.loc);
        let labels: BTreeMap<String, String> = r
            .labels
            .iter()
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect();
        let severity = match severity_word {
            Some(w) if !is_template(w) => match words.parse(w) {
                Ok(severity) => severity,
                Err(why) => {
                    // The team listed its words: another one is most likely a slip.
                    if words.loc.is_some() {
                        findings.push(
                            Finding::warning(
                                RuleId::AlertRoute,
                                r.labels.get("severity").map_or(r.loc, |(_, l)| *l),
                                format!("alert `{}`: {why}; rota treats it as unstated", r.name),
                            )
                            .with_help("add the word to `severities:` in rota/config.yaml (with whether it pages out of hours), or use one listed there"),
                        );
                    }
                    Severity::UNSTATED
                }
            },
            _ => Severity::UNSTATED,
        };
        let templated: Vec<String> = r
            .labels
            .iter()
            .filter(|(_, (v, _))| is_template(v))
            .map(|(k, _)| k.clone())
            .collect();
        let routing = match alertmanager {
            None => Routing::Unknown(if config.is_some_and(|c| c.alertmanager.is_some()) {
                "the Alertmanager configuration has errors".into()
            } else {
                "`alerting.alertmanager` is not set".into()
            }),
            Some(_) if !templated.is_empty() => Routing::DependsOnSeries {
                loc: r.labels[&templated[0]].1,
                labels: templated,
            },
            Some(am) => {
                let mut set: LabelSet = labels
                    .iter()
                    .filter(|(k, _)| matched_names.contains(k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if matched_names.contains("alertname") {
                    set.insert("alertname".into(), r.name.clone());
                }
                let routed = routed_cache.entry(set).or_insert_with_key(|set| {
                    am.root
                        .matching(set)
                        .into_iter()
                        .map(|route| RoutedReceiver {
                            receiver: route.receiver.clone(),
                            route: route_index
                                .get(&(route as *const Route))
                                .copied()
                                .unwrap_or(0),
                            rotas: config.and_then(|c| {
                                c.receivers
                                    .get(&route.receiver)
                                    .map(|(ids, _)| ids.iter().map(|n| n.id.clone()).collect())
                            }),
                        })
                        .collect()
                });
                Routing::Routed(routed.clone())
            }
        };
        let mut pages: Vec<Named> = Vec::new();
        if let Routing::Routed(routed) = &routing {
            for rota in routed.iter().flat_map(|r| r.rotas.iter().flatten()) {
                if !pages.iter().any(|p| &p.id == rota) {
                    pages.push(Named {
                        id: rota.clone(),
                        loc: r.loc,
                    });
                }
            }
        }
        let runbook_url = r
            .annotations
            .get("runbook_url")
            .filter(|(u, _)| !u.trim().is_empty())
            .cloned();
        let (runbook, no_runbook) = match &runbook_url {
            None => (None, Some("no `runbook_url` annotation".to_string())),
            Some((url, loc)) => match expand_url(url, &{
                let mut with_name = labels.clone();
                with_name.insert("alertname".into(), r.name.clone());
                with_name
            }) {
                None => (
                    None,
                    Some(format!(
                        "`runbook_url` depends on the series ({url}): rota cannot tell which runbook it is"
                    )),
                ),
                Some(url) => match runbook_slug(&url, prefix) {
                    Ok(slug) => (
                        Some(Named {
                            id: slug,
                            loc: *loc,
                        }),
                        None,
                    ),
                    Err(why) => (None, Some(why)),
                },
            },
        };
        let annotation = |key: &str| r.annotations.get(key).map(|(v, _)| v.clone());
        out.push(Alert {
            id,
            summary: annotation("summary").unwrap_or_default(),
            service: None,
            severity,
            severity_loc: r.labels.get("severity").map_or(r.loc, |(_, l)| *l),
            pages,
            runbook,
            loc: r.loc,
            rule: Some(Box::new(RuleSource {
                name: r.name.clone(),
                group: r.group.clone(),
                expr: r.expr.clone(),
                for_ms: r.for_ms,
                labels,
                description: annotation("description"),
                runbook_url,
                no_runbook,
                routing,
            })),
            unstated: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kebab_cased_alert_names() {
        assert_eq!(
            id_of("KubePodCrashLooping").as_deref(),
            Some("kube-pod-crash-looping")
        );
        assert_eq!(id_of("HTTPServerDown").as_deref(), Some("http-server-down"));
        assert_eq!(id_of("Host_OOM kill").as_deref(), Some("host-oom-kill"));
        assert_eq!(id_of("Node2Down").as_deref(), Some("node2-down"));
        assert_eq!(id_of("ÉÉ"), None);
        let long = id_of(&"A".repeat(100)).unwrap();
        assert!(crate::model::is_valid_id(&long), "{long}");
    }

    #[test]
    fn runbook_urls_map_onto_runbooks_case_insensitively() {
        let p = Some("https://example.github.io/support/runbooks/");
        assert_eq!(
            runbook_slug(
                "https://Example.github.io/support/runbooks/DB/Replica-Lag/",
                p
            ),
            Ok("db/replica-lag".into())
        );
        assert_eq!(
            runbook_slug(
                "https://example.github.io/support/runbooks/site-down.html#steps",
                p
            ),
            Ok("site-down".into())
        );
        assert!(runbook_slug("https://elsewhere.example/runbooks/site-down", p).is_err());
        assert!(runbook_slug("https://example.github.io/support/runbooksx/a", p).is_err());
        assert!(runbook_slug("https://example.github.io/support/runbooks/a", None).is_err());
        let labels = BTreeMap::from([("alertname".to_string(), "SiteDown".to_string())]);
        assert_eq!(
            expand_url("https://x/runbooks/{{ $labels.alertname }}", &labels).as_deref(),
            Some("https://x/runbooks/SiteDown")
        );
        assert_eq!(expand_url("https://x/{{ $labels.job }}", &labels), None);
        assert_eq!(expand_url("https://x/{{ $value }}", &labels), None);
    }
}
