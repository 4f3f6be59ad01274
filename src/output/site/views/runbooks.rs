//! A runbook page and the runbook index, and what a runbook's words can link to.

use super::*;
use crate::output::site::runbook::LinkTargets;

/// At most this many pages of a runbook's folder are listed in its page's navigation
/// (those nearest it), so a folder of thousands of runbooks does not make every page
/// of it list them all: the runbook index lists the rest.
pub const NAV_PAGES: usize = 15;

/// What runbooks link to on the site: runbooks by slug, rotas, people and alerts (by id,
/// or by their alerting rule's name), built once per render (docs/site.md#runbook-pages).
pub struct RunbookLinks<'c, 'a> {
    cx: &'c SiteContext<'a>,
    /// Alerting rule name (`SiteDown`) → the first catalogue id read from it.
    rule_names: HashMap<&'a str, &'a str>,
    /// Every alert id.
    alert_ids: std::collections::HashSet<&'a str>,
    /// The first bytes and the lengths (up to 127) of the rule names and alert ids: every
    /// word of every runbook is asked about, and most are told no without a hash.
    name_starts: [bool; 256],
    name_lengths: u128,
    id_starts: [bool; 256],
    id_lengths: u128,
}

/// Marks `name`'s first byte and length (see [`RunbookLinks`]).
fn mark(starts: &mut [bool; 256], lengths: &mut u128, name: &str) {
    if let Some(&b) = name.as_bytes().first() {
        starts[usize::from(b)] = true;
    }
    *lengths |= 1u128.checked_shl(name.len().min(127) as u32).unwrap_or(0);
}

/// Whether `word` may be one of the names marked (false: it is none of them).
fn may_be(starts: &[bool; 256], lengths: u128, word: &str) -> bool {
    word.as_bytes()
        .first()
        .is_some_and(|&b| starts[usize::from(b)])
        && lengths & 1u128.checked_shl(word.len().min(127) as u32).unwrap_or(0) != 0
}

impl<'c, 'a> RunbookLinks<'c, 'a> {
    pub fn new(cx: &'c SiteContext<'a>) -> Self {
        let mut rule_names = HashMap::new();
        for a in &cx.model.repo.alerts {
            if let Some(rule) = &a.rule {
                rule_names
                    .entry(rule.name.as_str())
                    .or_insert(a.id.as_str());
            }
        }
        let alert_ids: std::collections::HashSet<&str> =
            cx.model.repo.alerts.iter().map(|a| a.id.as_str()).collect();
        let (mut name_starts, mut name_lengths) = ([false; 256], 0);
        for name in rule_names.keys() {
            mark(&mut name_starts, &mut name_lengths, name);
        }
        let (mut id_starts, mut id_lengths) = ([false; 256], 0);
        for id in &alert_ids {
            mark(&mut id_starts, &mut id_lengths, id);
        }
        RunbookLinks {
            cx,
            rule_names,
            alert_ids,
            name_starts,
            name_lengths,
            id_starts,
            id_lengths,
        }
    }
}

impl LinkTargets for RunbookLinks<'_, '_> {
    fn runbook_exists(&self, slug: &str) -> bool {
        self.cx.runbook_exists(slug)
    }

    fn rota(&self, id: &str) -> Option<(String, String)> {
        let rota = self.cx.rota(id)?;
        Some((rota.name.clone(), self.cx.holders_now(id).to_string()))
    }

    fn person(&self, id: &str) -> Option<String> {
        self.cx.model.person(id).map(|p| p.name.clone())
    }

    fn alert(&self, word: &str, explicit: bool) -> Option<String> {
        // Every word of every runbook is asked about: the cheap test first, then a hash
        // lookup (the site context's ordered map would compare strings).
        if (explicit || word.contains('-'))
            && may_be(&self.id_starts, self.id_lengths, word)
            && let Some(id) = self.alert_ids.get(word)
        {
            return Some(id.to_string());
        }
        if !may_be(&self.name_starts, self.name_lengths, word) {
            return None;
        }
        self.rule_names.get(word).map(|id| id.to_string())
    }
}

/// Who holds each position of rota `id` at build time: `primary Heidi Hussain,
/// secondary Dan Dlamini`, or `off duty` (the site's script says the same for the
/// reader's clock).
/// Worked out once per rota: see [`SiteContext::holders_now`].
pub fn holders_at_build(cx: &SiteContext, id: &str) -> String {
    let Some(rs) = cx.rota_schedule(id) else {
        return String::new();
    };
    // A rota off duty pages nobody now, whoever holds its turn: said so, so that nobody
    // wakes its holders (the site's script keeps this current too).
    if !rs.on_duty(cx.clock.now) {
        return "off duty".to_string();
    }
    rs.positions
        .iter()
        .filter(|p| !p.shadow)
        .map(|p| {
            let who = rs
                .segment_at(&p.name, cx.clock.now)
                .and_then(|s| s.person.as_deref())
                .map_or("nobody", |id| cx.person_name(id));
            format!("{} {who}", p.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `site.owner_url` with `{owner}` replaced by the owner (a leading `#` or `@` left off),
/// percent-encoded (docs/data-format.md#rotaconfigyaml-required).
pub fn owner_link(pattern: &str, owner: &str) -> Option<String> {
    let name = owner.trim().trim_start_matches(['#', '@']);
    if name.is_empty() || !pattern.contains("{owner}") {
        return None;
    }
    let mut encoded = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let url = pattern.replace("{owner}", &encoded);
    crate::output::site::is_safe_url(&url).then_some(url)
}

/// A runbook page's values that are the same for every page that shows them, made once
/// per render and shared (Tera's values are reference-counted, so a page takes a copy of
/// a handle, not of the value): each alert as a runbook page lists it, with the rotas
/// it pages.
pub struct RunbookShared<'a> {
    /// Alert id → `{id, summary, severity, rotas}`.
    alert: HashMap<&'a str, tera::Value>,
}

#[derive(Serialize)]
struct Node<'s> {
    slug: &'s str,
    title: &'s str,
    page: bool,
    folder: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<bool>,
}

fn node<'s>(tree: &'s RunbookTree, slug: &'s str, current: Option<bool>) -> Node<'s> {
    Node {
        slug,
        title: tree.title(slug),
        page: tree.page(slug).is_some(),
        folder: tree.is_folder(slug),
        current,
    }
}

impl<'a> RunbookShared<'a> {
    pub fn new(cx: &SiteContext<'a>) -> Self {
        #[derive(Serialize)]
        struct AlertItem<'s> {
            id: &'s str,
            summary: &'s str,
            severity: &'s str,
            rotas: Vec<RotaItem<'s>>,
        }
        #[derive(Serialize)]
        struct RotaItem<'s> {
            id: &'s str,
            name: &'s str,
            kind: &'s str,
        }
        let alert = cx
            .alerts_by_runbook
            .values()
            .flatten()
            .filter_map(|id| cx.alerts.get(id).copied())
            .map(|a| {
                let rotas = a
                    .pages
                    .iter()
                    .filter_map(|r| cx.rota(&r.id))
                    .map(|r| RotaItem {
                        id: &r.id,
                        name: &r.name,
                        kind: r.kind.as_str(),
                    })
                    .collect();
                let item = AlertItem {
                    id: &a.id,
                    summary: &a.summary,
                    severity: a.severity.as_str(),
                    rotas,
                };
                (a.id.as_str(), tera::Value::from_serializable(&item))
            })
            .collect();
        RunbookShared { alert }
    }
}

pub(super) fn runbook_page(cx: &SiteContext, rb: &Runbook, rendered: &RenderedRunbook) -> Page {
    let repo = &cx.model.repo;
    let shared = cx.runbook_shared();
    let mut p = page(
        cx,
        format!("runbooks/{}.html", rb.slug),
        "runbook.html",
        &rb.title,
        "runbooks",
    );
    let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb);
    // The alerts that link here, each with the rotas it pages; and those rotas once each,
    // then the other rotas the text names, with who holds them.
    let mut paged: Vec<&str> = Vec::new();
    let mut listed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut alerts: Vec<tera::Value> = Vec::new();
    for a in cx
        .alerts_by_runbook
        .get(rb.slug.as_str())
        .into_iter()
        .flatten()
        .filter_map(|a| cx.alerts.get(a))
    {
        for r in a.pages.iter().filter_map(|r| cx.rota(&r.id)) {
            if listed.insert(&r.id) {
                paged.push(&r.id);
            }
        }
        if let Some(v) = shared.alert.get(a.id.as_str()) {
            alerts.push(v.clone());
        }
    }
    let by_alerts = paged.len();
    for id in &rendered.rotas {
        if listed.insert(id) {
            paged.push(id);
        }
    }
    #[derive(Serialize)]
    struct PagedRota<'s> {
        id: &'s str,
        name: &'s str,
        now: &'s str,
        /// Named in the text only: no alert that links here pages it.
        named: bool,
    }
    let rotas: Vec<PagedRota> = paged
        .iter()
        .enumerate()
        .filter_map(|(i, id)| Some((i, cx.rota(id)?)))
        .map(|(i, r)| PagedRota {
            id: &r.id,
            name: &r.name,
            now: cx.holders_now(&r.id),
            named: i >= by_alerts,
        })
        .collect();
    let edit = repo.config.site.edit_url.as_ref().and_then(|base| {
        let sep = if base.ends_with('/') { "" } else { "/" };
        let url = format!("{base}{sep}runbooks/{}", rb.path);
        crate::output::site::is_safe_url(&url).then_some(url)
    });
    #[derive(Serialize)]
    struct RunbookFacts<'s> {
        slug: &'s str,
        title: &'s str,
        title_id: Option<&'s str>,
        owner: Option<&'s str>,
        owner_url: Option<String>,
        last_reviewed: Option<String>,
        due: Option<String>,
        due_iso: Option<String>,
        overdue: bool,
        edit_url: Option<String>,
    }
    p.context.insert(
        "runbook",
        &RunbookFacts {
            slug: &rb.slug,
            title: &rb.title,
            title_id: rendered.title_id.as_deref(),
            owner: rb.owner.as_deref(),
            owner_url: rb.owner.as_deref().and_then(|o| {
                repo.config
                    .site
                    .owner_url
                    .as_deref()
                    .and_then(|p| owner_link(p, o))
            }),
            last_reviewed: rb.last_reviewed.map(day),
            due: due.map(day),
            due_iso: due.map(|d| d.to_string()),
            overdue: due.is_some_and(|d| d < cx.clock.today),
            edit_url: edit,
        },
    );
    // The body goes in after rendering (see `BODY_MARKER`), so a long runbook is not
    // copied through the template engine.
    p.context.insert("body", BODY_MARKER);
    p.context.insert("toc", &rendered.toc);
    p.context.insert("toc_more", &rendered.toc_more);
    p.context.insert_value("alerts", tera::Value::from(alerts));
    p.context.insert("rotas", &rotas);
    let tree = &cx.runbook_tree;
    let breadcrumb: Vec<Node> = tree
        .ancestors(&rb.slug)
        .into_iter()
        .map(|s| node(tree, s, None))
        .collect();
    let children: Vec<Node> = tree
        .children(&rb.slug)
        .iter()
        .map(|c| node(tree, c, None))
        .collect();
    p.context.insert("breadcrumb", &breadcrumb);
    p.context.insert("children", &children);
    // The navigation: the pages of this runbook's folder (those nearest it, at most
    // NAV_PAGES), and the previous and next page in the index's order.
    let folder = tree.folder_of(&rb.slug);
    let siblings = tree.children(folder);
    // A folder's children are in name order: found by bisection, not a scan (a folder
    // of 10,000 runbooks would otherwise compare 10,000 names for each of its pages).
    let here = siblings
        .binary_search(&rb.slug.as_str())
        .unwrap_or_else(|at| at.min(siblings.len().saturating_sub(1)));
    let from = here.saturating_sub(NAV_PAGES / 2);
    let to = (from + NAV_PAGES).min(siblings.len());
    let from = to.saturating_sub(NAV_PAGES);
    #[derive(Serialize)]
    struct Nav<'s> {
        folder: Node<'s>,
        root: bool,
        pages: Vec<Node<'s>>,
        before: usize,
        after: usize,
    }
    p.context.insert(
        "nav",
        &Nav {
            folder: node(tree, folder, None),
            root: folder.is_empty(),
            pages: siblings[from..to]
                .iter()
                .map(|c| node(tree, c, Some(*c == rb.slug)))
                .collect(),
            before: from,
            after: siblings.len() - to,
        },
    );
    let (previous, next) = tree.neighbours(&rb.slug);
    p.context
        .insert("previous", &previous.map(|s| node(tree, s, None)));
    p.context.insert("next", &next.map(|s| node(tree, s, None)));
    p
}

pub(super) fn runbooks_page<'a>(cx: &SiteContext<'a>) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "runbooks/index.html".into(),
        "runbooks.html",
        "Runbooks",
        "runbooks",
    );
    #[derive(Serialize)]
    struct Item<'s> {
        slug: &'s str,
        title: &'s str,
        owner: Option<&'s str>,
        due: Option<String>,
        overdue: bool,
        alerts: usize,
    }
    let item = |rb: &'a Runbook| {
        let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb);
        Item {
            slug: &rb.slug,
            title: &rb.title,
            owner: rb.owner.as_deref(),
            due: due.map(day),
            overdue: due.is_some_and(|d| d < cx.clock.today),
            alerts: cx
                .alerts_by_runbook
                .get(rb.slug.as_str())
                .map(|s| s.len())
                .unwrap_or(0),
        }
    };
    #[derive(Serialize)]
    struct Group<'s> {
        folder: &'s str,
        title: &'s str,
        page: Option<Item<'s>>,
        depth: usize,
        level: usize,
        runbooks: Vec<Item<'s>>,
    }
    // One group per folder, each before the folders inside it: the folder's page (if it
    // has one) heads its group, its other pages are listed (docs/site.md#runbook-navigation).
    let tree = &cx.runbook_tree;
    let groups: Vec<Group> = tree
        .folders_in_order()
        .into_iter()
        .map(|folder| {
            let items: Vec<Item> = tree
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
            Group {
                folder,
                title: tree.title(folder),
                page: tree.page(folder).map(item),
                depth,
                level: (depth + 1).min(6),
                runbooks: items,
            }
        })
        .filter(|g| !(g.folder.is_empty() && g.runbooks.is_empty()))
        .collect();
    p.context.insert("groups", &groups);
    let runbooks: Vec<Item> = repo.runbooks.iter().map(item).collect();
    // The root's own page introduces the index; its links start from `runbooks/`.
    let intro = repo.runbook_index.as_ref().map(|rb| {
        crate::output::site::runbook::render(
            "index",
            rb.link_base(),
            repo.body(rb),
            &RunbookLinks::new(cx),
        )
        .html()
    });
    p.context.insert("intro", &intro);
    p.context.insert("runbooks", &runbooks);
    p
}
