//! Runbook pages (`runbooks/**/*.md`): find and read them, split off their optional front
//! matter (YAML between `---` lines or TOML between `+++` lines), and give each page its
//! slug: its path lowercased, a folder's `_index.md`, `index.md` or `README.md` standing
//! for the folder (docs/data-format.md#runbooksmd). An existing (Hugo-style) runbook tree
//! loads as it is: keys rota does not read are kept and ignored, and reported only when
//! they look like a typo of one it does.

use super::raw::{self, S};
use super::walk::{self, Content, Limit, Refused};
use super::yaml::{self, Ctx};
use super::{LoadError, Reader};
use crate::finding::{Finding, RuleId};
use crate::markdown;
use crate::model::{Runbook, is_valid_id};
use crate::source::{FileId, Loc, Sources};
use crate::time::{self, Duration};
use rayon::prelude::*;
use std::collections::BTreeMap;

mod plain;
use plain::simple_front_matter;

/// The front-matter keys rota reads; any other key is kept in the file and ignored.
pub const FRONT_MATTER_KEYS: [&str; 5] = ["title", "owner", "last_reviewed", "review_in", "alerts"];

/// A runbook page as read: its path (`runbooks/…`), its path below `runbooks/` as on
/// disk, and what reading it gave.
pub(super) struct RunbookRead {
    pub rel: String,
    pub path: String,
    pub read: Result<Content, LoadError>,
}

/// Whether a file name is a Markdown page (`.md` in any case).
fn is_markdown(rel: &str) -> bool {
    rel.len() > 3
        && rel.is_char_boundary(rel.len() - 3)
        && rel[rel.len() - 3..].eq_ignore_ascii_case(".md")
}

/// Finds every `*.md` under `runbooks/` (in name order) and reads them all, in parallel.
/// A link to a folder is not followed, wherever it leads (so that a link to `/`, or a
/// diamond of links, cannot make a walk of the whole disk): it is reported.
pub(super) fn read_runbooks(reader: &Reader, limit: Limit) -> Result<Vec<RunbookRead>, LoadError> {
    if !reader.disk.folder("runbooks")? {
        return Ok(Vec::new());
    }
    let pages: Vec<(String, bool)> = reader
        .disk
        .entries("runbooks", usize::MAX)?
        .into_iter()
        .filter(|e| e.kind != walk::Kind::Folder)
        .filter_map(|e| {
            let folder_link = e.kind == walk::Kind::Link && reader.disk.is_folder_link(&e.rel);
            (folder_link || is_markdown(&e.rel)).then_some((e.rel, folder_link))
        })
        .collect();
    Ok(pages
        .into_par_iter()
        .map(|(rel, folder_link)| {
            let path = rel.trim_start_matches("runbooks/").to_string();
            let read = if folder_link {
                Ok(Content::Refused(Refused {
                    message: "this is a symbolic link to a folder: rota does not follow links to folders, so no page in it would be published".into(),
                    help: "move the folder itself under runbooks/, or link each page (links to files inside the repository are read)".into(),
                }))
            } else {
                reader.read_text(&rel, limit)
            };
            RunbookRead { rel, path, read }
        })
        .collect())
}

/// One runbook page, parsed on its own (in parallel with the others).
pub(super) struct ParsedRunbook {
    pub runbook: Runbook,
    pub findings: Vec<Finding>,
    /// The front matter's dropped units and whether it parsed, when it has YAML front
    /// matter.
    pub front_matter: Option<(Vec<String>, bool)>,
    /// 1 when the page has front matter (its lines start on line 2), else 0.
    pub line_offset: u32,
}

/// One value rota reads from the front matter, where it stands in the file.
struct Field {
    value: String,
    loc: Loc,
}

/// The front matter's keys that rota reads, whichever syntax they were written in.
#[derive(Default)]
struct FrontMatter {
    title: Option<Field>,
    owner: Option<Field>,
    last_reviewed: Option<Field>,
    review_in: Option<Field>,
    alerts: Vec<Field>,
}

/// The syntax of a page's front matter, told by its opening line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    /// `---` lines around YAML.
    Yaml,
    /// `+++` lines around TOML (Hugo's other front matter).
    Toml,
}

impl Syntax {
    fn fence(self) -> &'static str {
        match self {
            Syntax::Yaml => "---",
            Syntax::Toml => "+++",
        }
    }
}

/// A page split at its front matter.
#[derive(Debug, PartialEq, Eq)]
struct Split<'a> {
    /// The front matter's syntax and text (between the fences), if it has one.
    front: Option<(Syntax, &'a str)>,
    body: &'a str,
    /// Line number (1-based) of the body's first line.
    body_line: u32,
}

/// Parses the runbook page `text`, whose id in the sources is `file` and whose path below
/// `runbooks/` (as on disk, with its extension) is `path`.
pub(super) fn runbook(text: &str, file: FileId, path: String) -> ParsedRunbook {
    let mut findings = Vec::new();
    let slug = markdown::runbook_slug(stem(&path));
    for segment in slug.split('/').filter(|_| !slug.is_empty()) {
        if !is_valid_id(segment) {
            findings.push(yaml::invalid_id(
                Sources::file_start(file),
                segment,
                "runbook slug segment (the file's path, lowercased, `_` and spaces as `-`)",
            ));
        }
    }
    let split = match split_front_matter(text) {
        Ok(split) => split,
        Err((syntax, lines)) => {
            findings.push(Finding::error(
                RuleId::Parse,
                Loc { file, line: 1, column: 1 },
                format!(
                    "the front matter opened on line 1 is never closed (expected a `{}` line; the file has {lines} lines)",
                    syntax.fence()
                ),
            ));
            Split {
                front: None,
                body: "",
                body_line: 1,
            }
        }
    };
    let mut front_matter = None;
    let mut line_offset = 0;
    // Front-matter lines start on line 2 of the file.
    let simple = match split.front {
        Some((Syntax::Yaml, front)) => simple_front_matter(front, file, 1),
        _ => None,
    };
    let fields = match split.front {
        Some((_, front)) if yaml::is_blank(front) => FrontMatter::default(),
        Some((Syntax::Yaml, _)) if simple.is_some() => {
            line_offset = 1;
            front_matter = Some((Vec::new(), true));
            simple.unwrap_or_default()
        }
        Some((Syntax::Yaml, front)) => {
            // Front-matter lines start on line 2 of the file.
            line_offset = 1;
            let parsed = yaml::parse_tolerant::<raw::RawFrontMatter>(line_offset, file, front);
            findings.extend(parsed.findings);
            front_matter = Some((parsed.dropped, parsed.value.is_some()));
            findings.extend(misspelt_keys(&yaml_keys(front), file));
            // A broken front matter still leaves the runbook in place, so that alerts
            // linking to it are not told it does not exist.
            let cx = Ctx {
                file,
                line_offset,
                findings: &mut findings,
            };
            from_yaml(&cx, parsed.value.unwrap_or_default())
        }
        Some((Syntax::Toml, front)) => {
            line_offset = 1;
            from_toml(front, file, &mut findings)
        }
        None => FrontMatter::default(),
    };
    let mut cx = Ctx {
        file,
        line_offset,
        findings: &mut findings,
    };
    let runbook = convert(
        &mut cx,
        slug,
        path,
        file,
        fields,
        split.body,
        text.len() - split.body.len(),
        split.body_line,
    );
    ParsedRunbook {
        runbook,
        findings,
        front_matter,
        line_offset,
    }
}

/// The path without its extension (`db/Replica.md` → `db/Replica`).
fn stem(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') => stem,
        _ => path,
    }
}

/// The typed runbook from its front matter's fields and its body.
#[allow(clippy::too_many_arguments)]
fn convert(
    cx: &mut Ctx,
    slug: String,
    path: String,
    file: FileId,
    fields: FrontMatter,
    body: &str,
    body_start: usize,
    body_line: u32,
) -> Runbook {
    let title = fields
        .title
        .map(|t| t.value.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            first_heading(body).unwrap_or_else(|| {
                let name = stem(&path);
                name.rsplit('/').next().unwrap_or(name).to_string()
            })
        });
    let mut parsed = |field: &Option<Field>, what: fn(&str) -> Result<_, String>| {
        field.as_ref().and_then(|f| match what(f.value.trim()) {
            Ok(v) => Some(v),
            Err(message) => {
                cx.error(f.loc, message);
                None
            }
        })
    };
    let last_reviewed = parsed(&fields.last_reviewed, time::parse_date);
    let review_in = fields.review_in.as_ref().and_then(|f| {
        match Duration::parse_days_or_longer(f.value.trim()) {
            Ok(v) => Some(v),
            Err(message) => {
                cx.error(f.loc, message);
                None
            }
        }
    });
    let file_start = Sources::file_start(file);
    Runbook {
        title,
        owner: fields.owner.map(|o| o.value),
        last_reviewed,
        last_reviewed_loc: fields
            .last_reviewed
            .as_ref()
            .map(|l| l.loc)
            .unwrap_or(file_start),
        review_in,
        alerts: fields
            .alerts
            .into_iter()
            .map(|a| crate::model::Named {
                id: a.value.trim().to_string(),
                loc: a.loc,
            })
            .collect(),
        slug,
        path,
        file,
        body_start,
        body_line,
        loc: file_start,
    }
}

/// The text of the body's first `# ` heading, outside code blocks.
fn first_heading(body: &str) -> Option<String> {
    let mut fenced = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if let Some(text) = line.strip_prefix("# ").filter(|_| !fenced) {
            let text = text.trim().trim_end_matches('#').trim();
            if !text.is_empty() {
                return Some(text.to_string());
            }
        }
    }
    None
}

/// The fields of a parsed YAML front matter.
fn from_yaml(cx: &Ctx, raw: raw::RawFrontMatter) -> FrontMatter {
    let field = |s: S| Field {
        loc: cx.loc(&s),
        value: s.value,
    };
    FrontMatter {
        title: raw.title.map(field),
        owner: raw.owner.map(field),
        last_reviewed: raw.last_reviewed.map(field),
        review_in: raw.review_in.map(field),
        alerts: raw.alerts.into_iter().flatten().map(field).collect(),
    }
}

/// The top-level keys of a YAML front matter (block mappings: a key starts its line), each
/// with its line in the file (the front matter starts on line 2).
fn yaml_keys(front: &str) -> Vec<(String, u32)> {
    front
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '#', '-', '[', '{']))
        .filter_map(|(i, l)| {
            let (key, _) = l.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']);
            (!key.is_empty()).then(|| (key.to_string(), i as u32 + 2))
        })
        .collect()
}

/// A `parse` error for every key that rota does not read but that looks like a typo of
/// one it does (`last_reveiwed`, `ownr`, `reviewed`): its value would be ignored, which the
/// author surely did not mean. Other keys are another tool's, and are left alone.
fn misspelt_keys(keys: &[(String, u32)], file: FileId) -> Vec<Finding> {
    keys.iter()
        .filter(|(key, _)| !FRONT_MATTER_KEYS.contains(&key.as_str()))
        .filter_map(|(key, line)| {
            let lower = key.to_lowercase();
            let known = crate::finding::did_you_mean(&lower, FRONT_MATTER_KEYS)
                .or_else(|| FRONT_MATTER_KEYS.into_iter().find(|k| **k == lower))
                .or_else(|| {
                    // A known key with a word left out (`reviewed`, `review`).
                    (lower.len() >= 4).then(|| FRONT_MATTER_KEYS.into_iter().find(|k| k.starts_with(&lower) || k.ends_with(&lower))).flatten()
                })?;
            Some(
                Finding::error(
                    RuleId::Parse,
                    Loc { file, line: *line, column: 1 },
                    format!("unknown field `{key}`, which rota would ignore; did you mean `{known}`?"),
                )
                .with_help(format!(
                    "rota reads {}; other keys (a site generator's `weight`, `aliases`, …) are kept and ignored",
                    FRONT_MATTER_KEYS.map(|k| format!("`{k}`")).join(", ")
                )),
            )
        })
        .collect()
}

/// The location in the file of byte `offset` of a front matter that starts on line 2.
fn front_loc(front: &str, offset: usize, file: FileId) -> Loc {
    let before = front.get(..offset.min(front.len())).unwrap_or(front);
    let line = before.matches('\n').count() as u32 + 2;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    Loc {
        file,
        line,
        column: before[line_start..].chars().count() as u32 + 1,
    }
}

/// The fields of a TOML front matter; syntax errors and values of the wrong kind are
/// located `parse` findings.
fn from_toml(front: &str, file: FileId, findings: &mut Vec<Finding>) -> FrontMatter {
    use toml::de::{DeTable, DeValue};
    let table = match DeTable::parse(front) {
        Ok(table) => table.into_inner(),
        Err(e) => {
            let loc = front_loc(front, e.span().map(|s| s.start).unwrap_or(0), file);
            let message = e
                .message()
                .lines()
                .next()
                .unwrap_or("not TOML")
                .trim()
                .to_string();
            findings.push(
                Finding::error(
                    RuleId::Parse,
                    loc,
                    format!("the TOML front matter does not parse: {message}"),
                )
                .with_help("fix the TOML between the `+++` lines (docs/data-format.md#runbooksmd)"),
            );
            return FrontMatter::default();
        }
    };
    let keys: Vec<(String, u32)> = table
        .iter()
        .map(|(k, _)| {
            (
                k.get_ref().to_string(),
                front_loc(front, k.span().start, file).line,
            )
        })
        .collect();
    findings.extend(misspelt_keys(&keys, file));
    let mut fields = FrontMatter::default();
    for (key, value) in table.iter() {
        let loc = front_loc(front, value.span().start, file);
        let scalar = |value: &DeValue| match value {
            DeValue::String(s) => Some(s.to_string()),
            DeValue::Datetime(d) => Some(d.to_string()),
            DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_) => None,
            DeValue::Array(_) | DeValue::Table(_) => None,
        };
        let slot = match key.get_ref().as_ref() {
            "title" => &mut fields.title,
            "owner" => &mut fields.owner,
            "last_reviewed" => &mut fields.last_reviewed,
            "review_in" => &mut fields.review_in,
            "alerts" => {
                match value.get_ref() {
                    DeValue::Array(items) => {
                        for item in items.iter() {
                            let loc = front_loc(front, item.span().start, file);
                            match scalar(item.get_ref()) {
                                Some(value) => fields.alerts.push(Field { value, loc }),
                                None => findings.push(Finding::error(
                                    RuleId::Parse,
                                    loc,
                                    "an alert id is a string: write it in quotes",
                                )),
                            }
                        }
                    }
                    _ => findings.push(Finding::error(
                        RuleId::Parse,
                        loc,
                        "`alerts` is a list of alert ids, e.g. `alerts = [\"site-down\"]`",
                    )),
                }
                continue;
            }
            _ => continue,
        };
        match scalar(value.get_ref()) {
            Some(value) => *slot = Some(Field { value, loc }),
            None => findings.push(Finding::error(
                RuleId::Parse,
                loc,
                format!("`{}` is a string: write it in quotes", key.get_ref()),
            )),
        }
    }
    fields
}

/// Splits `---\nYAML\n---\nbody` or `+++\nTOML\n+++\nbody`; no front matter when the
/// first line is neither fence, `Err` (the syntax and the file's line count) when it is
/// never closed.
fn split_front_matter(text: &str) -> Result<Split<'_>, (Syntax, usize)> {
    let opened = [Syntax::Yaml, Syntax::Toml].into_iter().find_map(|syntax| {
        let fence = syntax.fence();
        let rest = text.strip_prefix(fence)?;
        let rest = rest
            .strip_prefix('\n')
            .or_else(|| rest.strip_prefix("\r\n"))?;
        Some((syntax, rest))
    });
    let Some((syntax, rest)) = opened else {
        return Ok(Split {
            front: None,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == syntax.fence() {
            return Ok(Split {
                front: Some((syntax, &rest[..offset])),
                body: &rest[offset + line.len()..],
                body_line: i as u32 + 3,
            });
        }
        offset += line.len();
    }
    Err((syntax, text.lines().count()))
}

/// A located `invalid-id` error for every slug that two or more pages share (file names
/// differing only in case, `db.md` beside `db/_index.md`, …): naming every file, at each.
pub(super) fn slug_clashes(runbooks: &[Runbook]) -> Vec<Finding> {
    let mut by_slug: BTreeMap<&str, Vec<&Runbook>> = BTreeMap::new();
    for rb in runbooks {
        by_slug.entry(rb.slug.as_str()).or_default().push(rb);
    }
    by_slug
        .into_iter()
        .filter(|(_, pages)| pages.len() > 1)
        .flat_map(|(slug, pages)| {
            let files: Vec<String> = pages.iter().map(|p| format!("runbooks/{}", p.path)).collect();
            let shown = if slug.is_empty() { "the runbook index".to_string() } else { format!("`{slug}`") };
            pages.iter().map(move |p| {
                Finding::error(
                    RuleId::InvalidId,
                    p.loc,
                    format!("{} pages would have one address, {shown}: {}", files.len(), files.join(", ")),
                )
                .with_help("a page's address is its path lowercased (a folder's _index.md, index.md or README.md is the folder's page): rename or merge all but one")
            }).collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests;
