//! Prometheus rule files: the plain format (`groups:`, as Prometheus, Loki, Mimir and
//! Thanos rulers read it) and Kubernetes `PrometheusRule` manifests (`spec.groups`),
//! several YAML documents per file. Alerting rules are kept with their locations;
//! recording rules are checked and dropped (docs/alerting.md, "Rule files").

use crate::finding::Finding;
use crate::load::yaml::{self, Ctx};
use crate::model::alerting::duration::parse_duration;
use crate::source::{FileId, Loc};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

type S<T = String> = Spanned<T>;

/// An alerting rule as written.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertingRule {
    /// The alert's name (`alert:`).
    pub name: String,
    /// Where `alert:`'s value is written.
    pub loc: Loc,
    /// The group it belongs to.
    pub group: String,
    pub expr: String,
    /// `for`, in milliseconds (0 when not given).
    pub for_ms: u64,
    /// `keep_firing_for`, in milliseconds (0 when not given).
    pub keep_firing_for_ms: u64,
    /// The rule's own labels (values may be templates), with where each value is.
    pub labels: BTreeMap<String, (String, Loc)>,
    /// Annotations (`summary`, `description`, `runbook_url`, …), with where each value is.
    pub annotations: BTreeMap<String, (String, Loc)>,
}

/// A rule file's alerting rules and the findings of loading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub rules: Vec<AlertingRule>,
    pub findings: Vec<Finding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    groups: Option<Vec<S<RawGroup>>>,
}

/// A `PrometheusRule` manifest: only `spec.groups` is read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(rename = "apiVersion")]
    #[allow(dead_code)]
    api_version: Option<IgnoredAny>,
    #[allow(dead_code)]
    kind: Option<IgnoredAny>,
    #[allow(dead_code)]
    metadata: Option<IgnoredAny>,
    spec: Option<RawRuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Option<S>,
    #[allow(dead_code)]
    interval: Option<S>,
    #[allow(dead_code)]
    query_offset: Option<S>,
    #[allow(dead_code)]
    limit: Option<IgnoredAny>,
    #[allow(dead_code)]
    labels: Option<IgnoredAny>,
    rules: Option<Vec<S<RawRule>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    record: Option<S>,
    alert: Option<S>,
    expr: Option<S>,
    #[serde(rename = "for")]
    for_duration: Option<S>,
    keep_firing_for: Option<S>,
    labels: Option<BTreeMap<String, S>>,
    annotations: Option<BTreeMap<String, S>>,
}

/// Just enough of a document to tell a manifest from a plain rule file.
#[derive(Deserialize)]
struct KindProbe {
    kind: Option<String>,
}

/// A rule file or a `PrometheusRule` manifest read at once: most documents are one or
/// the other and are parsed once. [`Document::groups`] says when it is neither cleanly,
/// and the document is then read as before (the probe, then the one it is) for the same
/// answer and the same error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    groups: Option<Vec<S<RawGroup>>>,
    #[serde(rename = "apiVersion")]
    api_version: Option<IgnoredAny>,
    kind: Option<String>,
    metadata: Option<IgnoredAny>,
    spec: Option<RawRuleFile>,
}

impl Document {
    /// The groups, as [`RawRuleFile`] or [`RawManifest`] would give them: `Some(None)`
    /// for another kind of manifest (not rules), `None` when the document mixes the two
    /// shapes (which one of them refuses).
    fn groups(self) -> Option<Option<Vec<S<RawGroup>>>> {
        match self.kind.as_deref() {
            Some("PrometheusRule") if self.groups.is_none() => {
                Some(Some(self.spec.and_then(|s| s.groups).unwrap_or_default()))
            }
            Some("PrometheusRule") => None,
            Some(_) => Some(None),
            None if self.api_version.is_none()
                && self.metadata.is_none()
                && self.spec.is_none() =>
            {
                Some(Some(self.groups.unwrap_or_default()))
            }
            None => None,
        }
    }
}

const HELP: &str = "a rule file is `groups: [{name, rules: [{alert, expr, for, labels, annotations}]}]` or a PrometheusRule manifest (docs/alerting.md)";

/// Loads the rule file `text` of the file `file`: every document in it.
pub fn load(file: FileId, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    for (line_offset, doc) in documents(text) {
        if yaml::is_blank(doc) {
            continue;
        }
        let groups = match yaml::parse::<Document>(line_offset, file, doc)
            .ok()
            .and_then(Document::groups)
        {
            // Other manifests (a ConfigMap, a Deployment) in the same file are not rules.
            Some(None) => continue,
            Some(Some(groups)) => Ok(groups),
            None => {
                let probe = match yaml::parse::<KindProbe>(line_offset, file, doc) {
                    Ok(p) => p,
                    Err(f) => {
                        loaded.findings.push(f.with_help(HELP));
                        continue;
                    }
                };
                match probe.kind.as_deref() {
                    Some(kind) if kind != "PrometheusRule" => continue,
                    Some(_) => yaml::parse::<RawManifest>(line_offset, file, doc)
                        .map(|m| m.spec.and_then(|s| s.groups).unwrap_or_default()),
                    None => yaml::parse::<RawRuleFile>(line_offset, file, doc)
                        .map(|f| f.groups.unwrap_or_default()),
                }
            }
        };
        match groups {
            Ok(groups) => {
                let mut cx = Ctx {
                    file,
                    line_offset,
                    findings: &mut loaded.findings,
                };
                convert(&mut cx, &groups, &mut loaded.rules);
            }
            Err(f) => loaded.findings.push(f.with_help(HELP)),
        }
    }
    loaded
}

/// The YAML documents of a text (split at `---` lines) with the line each starts after.
fn documents(text: &str) -> Vec<(u32, &str)> {
    let mut docs = Vec::new();
    let (mut start, mut start_line, mut line) = (0usize, 0u32, 0u32);
    let mut offset = 0usize;
    for l in text.split_inclusive('\n') {
        line += 1;
        let t = l.trim_end();
        if t == "---" || t.starts_with("--- ") || t == "..." {
            docs.push((start_line, &text[start..offset]));
            start = offset + l.len();
            start_line = line;
        }
        offset += l.len();
    }
    docs.push((start_line, &text[start..]));
    docs
}

fn convert(cx: &mut Ctx, groups: &[S<RawGroup>], out: &mut Vec<AlertingRule>) {
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    for g in groups {
        let group = match &g.value.name {
            Some(name) if !name.value.is_empty() => {
                let loc = cx.loc(name);
                if let Some(first) = seen.get(&name.value) {
                    cx.error(
                        loc,
                        format!(
                            "the group `{}` is repeated in this file (first on line {}): Prometheus refuses that",
                            name.value, first.line
                        ),
                    );
                }
                seen.insert(name.value.clone(), loc);
                name.value.clone()
            }
            _ => {
                let loc = cx.loc(g);
                cx.error(loc, "this group has no `name`: Prometheus needs one");
                String::new()
            }
        };
        for r in g.value.rules.iter().flatten() {
            if let Some(rule) = rule(cx, r, &group) {
                out.push(rule);
            }
        }
    }
}

fn rule(cx: &mut Ctx, raw: &S<RawRule>, group: &str) -> Option<AlertingRule> {
    let r = &raw.value;
    let loc = cx.loc(raw);
    let expr = match &r.expr {
        Some(e) if !e.value.trim().is_empty() => Some(e.value.clone()),
        _ => {
            cx.error(
                loc,
                "this rule has no `expr`: every rule needs its PromQL expression",
            );
            None
        }
    };
    let for_ms = cx.opt_value(&r.for_duration, parse_duration);
    let keep_ms = cx.opt_value(&r.keep_firing_for, parse_duration);
    let alert = match (&r.alert, &r.record) {
        (Some(_), Some(record)) => {
            let l = cx.loc(record);
            cx.error(l, "a rule is either `alert` or `record`, not both");
            return None;
        }
        (None, None) => {
            cx.error(loc, "this rule has neither `alert` nor `record`");
            return None;
        }
        (None, Some(_)) => {
            for (key, present) in [
                ("for", r.for_duration.is_some()),
                ("keep_firing_for", r.keep_firing_for.is_some()),
                ("annotations", r.annotations.is_some()),
            ] {
                if present {
                    cx.error(loc, format!("a recording rule cannot have `{key}`"));
                }
            }
            return None;
        }
        (Some(alert), None) => alert,
    };
    let aloc = cx.loc(alert);
    if alert.value.trim().is_empty() {
        cx.error(aloc, "this alert's name is empty");
        return None;
    }
    let spanned = |map: &Option<BTreeMap<String, S>>, cx: &mut Ctx| {
        map.iter()
            .flatten()
            .map(|(k, v)| (k.clone(), (v.value.clone(), cx.loc(v))))
            .collect()
    };
    Some(AlertingRule {
        name: alert.value.clone(),
        loc: aloc,
        group: group.to_string(),
        expr: expr?,
        for_ms: for_ms.unwrap_or(0),
        keep_firing_for_ms: keep_ms.unwrap_or(0),
        labels: spanned(&r.labels, cx),
        annotations: spanned(&r.annotations, cx),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Loaded {
        load(FileId(0), text)
    }

    #[test]
    fn reads_plain_files_and_skips_recording_rules() {
        let loaded = load_text(
            "groups:\n- name: web\n  rules:\n  - record: job:up:sum\n    expr: sum(up)\n  - alert: SiteDown\n    expr: up == 0\n    for: 5m\n    labels: {severity: critical}\n    annotations:\n      summary: The site is down\n",
        );
        assert_eq!(loaded.findings, vec![]);
        assert_eq!(loaded.rules.len(), 1);
        let rule = &loaded.rules[0];
        assert_eq!(
            (rule.name.as_str(), rule.loc.line, rule.loc.column),
            ("SiteDown", 6, 12)
        );
        assert_eq!(rule.for_ms, 300_000);
        assert_eq!(rule.labels["severity"].0, "critical");
        assert_eq!(rule.annotations["summary"].1.line, 11);
    }

    #[test]
    fn reads_manifests_among_other_documents() {
        let loaded = load_text(
            "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: vector(1)\n",
        );
        assert_eq!(loaded.findings, vec![]);
        assert_eq!(loaded.rules[0].name, "A");
        assert_eq!(loaded.rules[0].loc.line, 12);
    }

    #[test]
    fn mistakes_are_located_and_named() {
        let loaded =
            load_text("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    fro: 5m\n");
        let f = &loaded.findings[0];
        assert_eq!((f.loc.line, f.loc.column), (6, 5));
        assert!(
            f.message.contains("fro") && f.message.contains("`for`"),
            "{}",
            f.message
        );

        let loaded = load_text("groups:\n- name: g\n  rules:\n  - alert: A\n    for: 5 minutes\n");
        let lines: Vec<u32> = loaded.findings.iter().map(|f| f.loc.line).collect();
        assert_eq!(lines, [4, 5], "{:?}", loaded.findings);

        // A document with both shapes is refused by the one it claims to be, as it was
        // before documents were read in one parse.
        let one_finding_naming = |text: &str, word: &str| {
            let loaded = load_text(text);
            assert_eq!(loaded.findings.len(), 1, "{:?}", loaded.findings);
            let message = &loaded.findings[0].message;
            assert!(message.contains(word), "{message}");
        };
        one_finding_naming("groups: []\nspec: {}\n", "spec");
        one_finding_naming(
            "apiVersion: v1\nkind: PrometheusRule\ngroups: []\n",
            "groups",
        );
        one_finding_naming("kind: [PrometheusRule]\n", "");
        // Another kind of manifest is no rule file, whatever it holds.
        let loaded =
            load_text("apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: 2}\ngroups: 3\n");
        assert_eq!((loaded.findings.len(), loaded.rules.len()), (0, 0));

        let loaded = load_text("---\ngroups: [\n");
        assert_eq!(loaded.findings.len(), 1);
        assert!(loaded.findings[0].loc.line >= 2);
    }
}
