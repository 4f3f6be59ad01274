//! The check page (findings by rule), the search page and the 404 page.

use super::*;

pub(super) fn search_page(cx: &SiteContext) -> Page {
    page(cx, "search.html".into(), "search.html", "Search", "search")
}

pub(super) fn check_page(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "check.html".into(),
        "check.html",
        "Check report",
        "check",
    );
    let registry = crate::rules::registry();
    let mut by_rule: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for f in cx.findings {
        let file = &repo.sources.get(f.loc.file).path;
        by_rule.entry(f.rule.as_str()).or_default().push(json!({
            "level": f.level.as_str(),
            "message": f.message,
            "help": f.help,
            // The same with `code` spans as <code> (escaped first: safe to print raw).
            "message_html": code_spans(&f.message),
            "help_html": f.help.as_deref().map(code_spans),
            "file": file,
            "line": f.loc.line,
            "column": f.loc.column,
        }));
    }
    let rules: Vec<Value> = by_rule
        .into_iter()
        .map(|(rule, findings)| {
            let explanation = registry
                .iter()
                .find(|r| r.id.as_str() == rule)
                .map(|r| r.explanation)
                .unwrap_or("");
            let paragraphs: Vec<&str> = explanation
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            let paragraphs_html: Vec<String> = paragraphs.iter().map(|p| code_spans(p)).collect();
            json!({ "id": rule, "explanation": paragraphs,
                    "explanation_html": paragraphs_html, "findings": findings })
        })
        .collect();
    let errors = cx
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    p.context.insert("rules", &rules);
    p.context.insert("errors", &errors);
    p.context.insert("warnings", &(cx.findings.len() - errors));
    p.context.insert("rule_count", &registry.len());
    p
}

/// The 404 page: a static host serves it at the missing address's own path (say
/// `/support/people/zed.html`), so its links are absolute, from `base_url` (an absolute
/// http(s) URL, or `/` when not configured); every other page links relatively.
pub(super) fn not_found(cx: &SiteContext) -> Page {
    let mut p = page(cx, "404.html".into(), "404.html", "Page not found", "");
    let base = &cx.model.repo.config.base_url;
    let root = if base.ends_with('/') {
        base.clone()
    } else {
        format!("{base}/")
    };
    p.context.insert(
        "content_security_policy",
        &crate::output::site::policy_loading_from(&root),
    );
    p.context.insert("root", &root);
    p
}
