//! `rota init`: the files of a new data repository — a small example that passes
//! `rota check` with no error and builds, and the CI that checks and publishes it. The
//! files are embedded in the binary; a few placeholders (`@@NAME@@`) are filled in from
//! the date and the repository rota is released from.

use chrono::{Datelike, Days, NaiveDate};

/// Where a data repository's workflow gets rota from (`uses: OWNER/rota@v0`): the
/// repository this binary was built in by GitHub Actions (the release workflow), else a
/// placeholder to replace.
pub const ROTA_REPOSITORY: &str = match option_env!("GITHUB_REPOSITORY") {
    Some(repo) => repo,
    None => "OWNER/rota",
};

/// Which CI the new repository is set up for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ci {
    GitHub,
    GitLab,
}

/// One file `init` writes: its path in the new repository and its text.
pub struct InitFile {
    pub path: String,
    pub text: String,
}

const DATA: &[(&str, &str)] = &[
    ("rota/config.yaml", include_str!("files/rota/config.yaml")),
    ("rota/people.yaml", include_str!("files/rota/people.yaml")),
    (
        "rota/rotas/out-of-hours.yaml",
        include_str!("files/rota/rotas/out-of-hours.yaml"),
    ),
    (
        "rota/rotas/in-hours.yaml",
        include_str!("files/rota/rotas/in-hours.yaml"),
    ),
    (
        "rota/alerts/website.yaml",
        include_str!("files/rota/alerts/website.yaml"),
    ),
    (
        "rota/services.yaml",
        include_str!("files/rota/services.yaml"),
    ),
    (
        "runbooks/site-down.md",
        include_str!("files/runbooks/site-down.md"),
    ),
    (".gitignore", include_str!("files/gitignore")),
    ("README.md", include_str!("files/README.md")),
];

const GITHUB: &[(&str, &str)] = &[(
    ".github/workflows/rota.yml",
    include_str!("files/github/rota.yml"),
)];

const GITLAB: &[(&str, &str)] = &[(".gitlab-ci.yml", include_str!("files/gitlab-ci.yml"))];

/// The files of a new data repository for a team called `team`, dated from `today`:
/// the rotas started on the Monday a week or more before `today`, everyone was vetted a
/// month before that, and the runbook was reviewed today.
pub fn files(team: &str, today: NaiveDate, ci: Ci) -> Vec<InitFile> {
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let start = monday - Days::new(7);
    let vetted = start - Days::new(30);
    let (start, vetted, today) = (start.to_string(), vetted.to_string(), today.to_string());
    // The title is a YAML value: quoted when the team's name would otherwise be read as
    // YAML (`a: b`, a newline and a key).
    let title = crate::edit::scalar(&format!("On call at {team}"), false);
    let values = [
        ("TEAM", team),
        ("TITLE", title.as_str()),
        ("START", start.as_str()),
        ("VETTED", vetted.as_str()),
        ("TODAY", today.as_str()),
        ("REPOSITORY", ROTA_REPOSITORY),
    ];
    let fill = |text: &str| fill_placeholders(text, &values);
    let ci_files = match ci {
        Ci::GitHub => GITHUB,
        Ci::GitLab => GITLAB,
    };
    DATA.iter()
        .chain(ci_files)
        .map(|(path, text)| InitFile {
            path: path.to_string(),
            text: with_modeline(path, fill(text)),
        })
        .chain(
            crate::output::schema::editor_files()
                .into_iter()
                .map(|(path, text)| InitFile { path, text }),
        )
        .collect()
}

/// `text` with each `@@NAME@@` replaced by its value, in one pass: a value is never
/// searched for placeholders itself (a team may be called `@@TODAY@@`).
fn fill_placeholders(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("@@") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let found = values.iter().find(|(name, _)| {
            after
                .strip_prefix(name)
                .is_some_and(|tail| tail.starts_with("@@"))
        });
        match found {
            Some((name, value)) => {
                out.push_str(value);
                rest = &after[name.len() + 2..];
            }
            None => {
                out.push_str("@@");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Editor set-up: a data file starts with the yaml-language-server modeline naming its
/// schema (written under `.rota/schema/`), so keys complete and typos are underlined.
fn with_modeline(path: &str, text: String) -> String {
    match crate::output::schema::modeline(path) {
        Some(line) => format!("{line}\n{text}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_all_filled() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        for ci in [Ci::GitHub, Ci::GitLab] {
            for f in files("support", today, ci) {
                assert!(!f.text.contains("@@"), "{} keeps a placeholder", f.path);
            }
        }
        let people = files("support", today, Ci::GitHub)
            .into_iter()
            .find(|f| f.path == "rota/rotas/in-hours.yaml")
            .map(|f| f.text)
            .unwrap_or_default();
        // Wednesday 25 November 2026: that week's Monday is the 23rd, a week before the 16th.
        assert!(people.contains("start: 2026-11-16"));
    }

    #[test]
    fn a_plain_team_name_is_written_as_before_and_others_are_quoted() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let config = |team: &str| {
            files(team, today, Ci::GitHub)
                .into_iter()
                .find(|f| f.path == "rota/config.yaml")
                .map(|f| f.text)
                .unwrap_or_default()
        };
        assert!(config("support").contains("\ntitle: On call at support\n"));
        assert!(config("a: b").contains("\ntitle: \"On call at a: b\"\n"));
        assert!(config("@@TODAY@@").contains("\ntitle: \"On call at @@TODAY@@\"\n"));
        let readme = files("@@TODAY@@", today, Ci::GitHub)
            .into_iter()
            .find(|f| f.path == "README.md")
            .map(|f| f.text)
            .unwrap_or_default();
        assert!(readme.starts_with("# On call at @@TODAY@@\n"), "{readme}");
    }
}
