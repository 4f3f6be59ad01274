//! `rota build` and `rota feed-url`.

use super::{Failure, Session};
use crate::build;
use crate::finding::RuleId;
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
    refuse_guessable_feed_names(model)?;
    let schedule = crate::rules::schedule(model, session.clock);
    let mut findings = crate::rules::check_with(model, &schedule, session.clock);
    findings.extend(missing_base_url(model));
    let (errors, warnings) = crate::report::counts(&findings);
    if errors > 0 {
        eprint!("{}", crate::report::human(&repo.sources, &findings));
        eprintln!("build failed: {errors} error(s), {warnings} warning(s); nothing was written");
        return Ok(ExitCode::from(1));
    }
    let stamp = build::stamp(root, session.clock.now);
    if stamp == session.clock.now && build::source_date_epoch().is_none() {
        eprintln!(
            "note: no commit yet and no SOURCE_DATE_EPOCH, so the feeds' DTSTAMP is this build's clock ({}); commit, or set SOURCE_DATE_EPOCH, for reproducible feeds",
            stamp.format("%Y-%m-%dT%H:%M:%SZ")
        );
    }
    let site = crate::site::Site::new(root).map_err(|e| Failure(e.0))?;
    let (pages, feeds) = build::build_into(
        &out,
        &site,
        model,
        &schedule,
        &findings,
        session.clock,
        stamp,
    )
    .map_err(|e| Failure(e.0))?;
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
    refuse_guessable_feed_names(model)?;
    let missing = missing_base_url(model);
    if !missing.is_empty() {
        eprint!("{}", crate::report::human(&model.repo.sources, &missing));
        return Ok(ExitCode::from(1));
    }
    println!("{}", build::feed_url(model, person));
    Ok(ExitCode::SUCCESS)
}

/// With `calendar.secret_env` set, the variable must be too, and long enough: publishing
/// personal feeds under guessable names is what the setting exists to prevent (exit 2).
fn refuse_guessable_feed_names(model: &crate::resolve::Model) -> Result<(), Failure> {
    match (&model.repo.config.calendar.secret_env, build::secret(model)) {
        (Some(var), None) => Err(Failure(format!(
            "rota/config.yaml sets `calendar.secret_env: {var}`, but the environment variable {var} is not set (or empty): refusing to publish personal feeds under guessable names; export {var} (a long random secret, e.g. from your CI's secret store)"
        ))),
        _ => build::refuse_short_secret(model).map_err(Failure),
    }
}

/// `base_url` is needed wherever an absolute URL is written (feeds, `webcal://`).
fn missing_base_url(model: &crate::resolve::Model) -> Vec<crate::finding::Finding> {
    let config = &model.repo.config;
    if config.base_url_loc.is_some() {
        return Vec::new();
    }
    vec![
        crate::finding::Finding::error(
            RuleId::Parse,
            config.loc,
            "`base_url` is not set: feeds and subscription links need the site's absolute address",
        )
        .with_help("add e.g. `base_url: https://example.github.io/support/` to rota/config.yaml"),
    ]
}
