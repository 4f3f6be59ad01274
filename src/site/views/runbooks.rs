//! A runbook page and the runbook index.

use super::*;

pub(super) fn runbook_page(cx: &SiteContext, rb: &Runbook, rendered: &RenderedRunbook) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        format!("runbooks/{}.html", rb.slug),
        "runbook.html",
        &rb.title,
        "runbooks",
    );
    let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb);
    let alerts: Vec<Value> = cx
        .alerts_by_runbook
        .get(rb.slug.as_str())
        .map(|ids| {
            ids.iter()
                .filter_map(|a| cx.alerts.get(a))
                .map(|a| json!({ "id": a.id, "summary": a.summary, "severity": a.severity.as_str() }))
                .collect()
        })
        .unwrap_or_default();
    let edit = repo.config.site.edit_url.as_ref().and_then(|base| {
        let sep = if base.ends_with('/') { "" } else { "/" };
        let url = format!("{base}{sep}runbooks/{}", rb.path);
        crate::site::is_safe_url(&url).then_some(url)
    });
    p.context.insert(
        "runbook",
        &json!({
            "slug": rb.slug,
            "title": rb.title,
            "title_id": rendered.title_id,
            "owner": rb.owner,
            "last_reviewed": rb.last_reviewed.map(day),
            "due": due.map(day),
            "due_iso": due.map(|d| d.to_string()),
            "overdue": due.is_some_and(|d| d < cx.clock.today),
            "edit_url": edit,
        }),
    );
    // The body goes in after rendering (see `BODY_MARKER`), so a long runbook is not
    // copied through the template engine.
    p.context.insert("body", BODY_MARKER);
    p.context.insert("toc", &rendered.toc);
    p.context.insert("toc_more", &rendered.toc_more);
    p.context.insert("alerts", &alerts);
    let tree = &cx.runbook_tree;
    let node = |slug: &str| {
        json!({
            "slug": slug,
            "title": tree.title(slug),
            "page": tree.page(slug).is_some(),
            "folder": tree.is_folder(slug),
        })
    };
    let breadcrumb: Vec<Value> = tree.ancestors(&rb.slug).into_iter().map(node).collect();
    let children: Vec<Value> = tree.children(&rb.slug).iter().map(|c| node(c)).collect();
    p.context.insert("breadcrumb", &breadcrumb);
    p.context.insert("children", &children);
    p
}

pub(super) fn runbooks_page(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "runbooks/index.html".into(),
        "runbooks.html",
        "Runbooks",
        "runbooks",
    );
    let item = |rb: &Runbook| {
        let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb);
        json!({
            "slug": rb.slug,
            "title": rb.title,
            "owner": rb.owner,
            "due": due.map(day),
            "overdue": due.is_some_and(|d| d < cx.clock.today),
            "alerts": cx.alerts_by_runbook.get(rb.slug.as_str()).map(|s| s.len()).unwrap_or(0),
        })
    };
    // One group per folder, each before the folders inside it: the folder's page (if it
    // has one) heads its group, its other pages are listed (docs/site.md#runbook-navigation).
    let tree = &cx.runbook_tree;
    let groups: Vec<Value> = tree
        .folders_in_order()
        .into_iter()
        .map(|folder| {
            let items: Vec<Value> = tree
                .children(folder)
                .iter()
                .filter(|c| !tree.is_folder(c))
                .filter_map(|c| tree.page(c))
                .map(item)
                .collect();
            let depth = if folder.is_empty() {
                0
            } else {
                folder.matches('/').count() + 1
            };
            json!({
                "folder": folder,
                "title": tree.title(folder),
                "page": tree.page(folder).map(item),
                "depth": depth,
                "level": (depth + 1).min(6),
                "runbooks": items,
            })
        })
        .filter(|g| !(g["folder"] == "" && g["runbooks"].as_array().is_some_and(Vec::is_empty)))
        .collect();
    p.context.insert("groups", &groups);
    let runbooks: Vec<Value> = repo.runbooks.iter().map(item).collect();
    // The root's own page introduces the index; its links start from `runbooks/`.
    let intro = repo.runbook_index.as_ref().map(|rb| {
        crate::site::runbook::render("index", rb.link_base(), repo.body(rb), &|s| {
            cx.runbook_exists(s)
        })
        .html
    });
    p.context.insert("intro", &intro);
    p.context.insert("runbooks", &runbooks);
    p
}
