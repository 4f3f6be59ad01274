//! `rota build` and `rota feed-url`.

use super::{Failure, Session};
use crate::pipeline::{self, Checked};
use std::path::Path;
use std::process::ExitCode;

pub fn run(session: &Session, root: &Path, out: Option<&Path>) -> Result<ExitCode, Failure> {
    let model = &session.model;
    let repo = &model.repo;
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("public"));
    let (root_abs, out_abs) = (absolute(root), absolute(&out));
    if root_abs.starts_with(&out_abs) {
        return Err(Failure(format!(
            "--out {}: the output folder must not contain the data repository",
            out.display()
        )));
    }
    let options = super::publishing_options(root, model, session.clock);
    let checked = pipeline::for_publishing(model, &options);
    let (errors, warnings) = checked.counts();
    if errors > 0 {
        eprint!(
            "{}",
            crate::diagnostics::human(&repo.sources, &checked.findings)
        );
        eprintln!("build failed: {errors} error(s), {warnings} warning(s); nothing was written");
        return Ok(ExitCode::from(1));
    }
    note_unstable_stamp(&checked, options.stamp == session.clock.now);
    let site = crate::output::site::Site::new(repo).map_err(|e| Failure(e.0))?;
    let (pages, feeds) = checked.write_into(&site, &out).map_err(|e| Failure(e.0))?;
    let warned = match warnings {
        0 => "no warnings".to_string(),
        1 => "1 warning; `rota check` shows it, and so does check.html".to_string(),
        n => format!("{n} warnings; `rota check` shows them, and so does check.html"),
    };
    println!(
        "wrote {pages} pages and {feeds} calendar feeds to {} ({warned}); open {} in a browser",
        out.display(),
        out.join("index.html").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Says so when the feeds' `DTSTAMP` is this build's clock (no commit, no
/// `SOURCE_DATE_EPOCH`): the feeds then differ from build to build.
fn note_unstable_stamp(checked: &Checked, stamp_is_clock: bool) {
    if stamp_is_clock && super::source_date_epoch().is_none() {
        eprintln!(
            "note: no commit yet and no SOURCE_DATE_EPOCH, so the feeds' DTSTAMP is this build's clock ({}); commit, or set SOURCE_DATE_EPOCH, for reproducible feeds",
            checked.stamp.format("%Y-%m-%dT%H:%M:%SZ")
        );
    }
}

fn absolute(p: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

pub fn feed_url(session: &Session, person: &str) -> Result<ExitCode, Failure> {
    let model = &session.model;
    if model.person(person).is_none() {
        let ids = model.repo.people.iter().map(|p| p.id.as_str());
        let hint = crate::finding::did_you_mean(person, ids)
            .map(|id| format!(" (did you mean `{id}`?)"))
            .unwrap_or_default();
        return Err(Failure(format!(
            "no person `{person}` in rota/people.yaml{hint}"
        )));
    }
    refuse_no_feed(model, person)?;
    // Only what publishing asks (the feed secret, `base_url`) is checked here, not
    // every rule.
    let (feeds, refused) = pipeline::publishing_findings(model, super::feed_secret(model));
    if !refused.is_empty() {
        eprint!(
            "{}",
            crate::diagnostics::human(&model.repo.sources, &refused)
        );
        return Ok(ExitCode::from(1));
    }
    println!("{}", feeds.url(model, person));
    Ok(ExitCode::SUCCESS)
}

/// `build` writes a personal feed only for a member of some rota: for anyone else (such
/// as someone only named in an escalation chain) `feed-url` would print an address that
/// answers 404, so it says why there is none instead (exit 2, docs/feeds.md).
fn refuse_no_feed(model: &crate::model::Model, person: &str) -> Result<(), Failure> {
    let member = model
        .repo
        .rotas
        .iter()
        .any(|r| r.members().iter().any(|m| m.id == person));
    if member {
        return Ok(());
    }
    let paged_by: Vec<&str> = model
        .repo
        .rotas
        .iter()
        .filter(|r| {
            r.escalation.iter().flatten().any(
                |s| matches!(&s.notify, crate::model::EscalationTarget::Person(p) if p == person),
            )
        })
        .map(|r| r.name.as_str())
        .collect();
    let why = if paged_by.is_empty() {
        String::new()
    } else {
        format!(
            "; they are an escalation step of {}, which their rota page and the site's cards show",
            paged_by.join(", ")
        )
    };
    Err(Failure(format!(
        "`{person}` is on no rota, so `rota build` writes no calendar for them{why}"
    )))
}
