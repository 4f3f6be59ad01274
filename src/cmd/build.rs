//! `rota build` and `rota feed-url`.

use super::{Failure, Session};
use crate::build;
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
    let schedule = crate::rules::schedule(model, session.clock);
    let findings = crate::rules::check_with(model, &schedule, session.clock);
    let (errors, warnings) = crate::report::counts(&findings);
    if errors > 0 {
        eprint!("{}", crate::report::human(&repo.sources, &findings));
        eprintln!("build failed: {errors} error(s), {warnings} warning(s); nothing was written");
        return Ok(ExitCode::from(1));
    }
    let stamp = build::stamp(root, session.clock.now);
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
    println!(
        "wrote {pages} pages and {feeds} calendar feeds to {} ({warnings} warning(s); `rota check` shows them)",
        out.display()
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
        return Err(Failure(format!("no person `{person}` in rota/people.yaml")));
    }
    if let (Some(var), None) = (&model.repo.config.calendar.secret_env, build::secret(model)) {
        eprintln!("note: {var} is not set, so feed names are not secret");
    }
    println!("{}", build::feed_url(model, person));
    Ok(ExitCode::SUCCESS)
}
