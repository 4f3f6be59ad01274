//! A [`Summary`] as Markdown for a pull-request comment or a job summary.

use super::*;

impl Summary {
    /// The Markdown for a pull-request comment or a job summary. Every value from the
    /// data (names, paths, messages quoting notes) is an inline code span
    /// ([`encode::markdown_code`], [`encode::markdown_cell`] in tables), so nothing in
    /// the data makes a link, image, heading, table row, HTML or mention
    /// (docs/security.md, "Output encoding"); the headings and tables are rota's own.
    pub fn markdown(&self) -> String {
        let Summary {
            base,
            from,
            to,
            changes,
            shares,
            introduced,
            fixed,
            changed,
            entries,
        } = self;
        let base = encode::markdown_code(base);
        if changes.is_empty()
            && introduced.is_empty()
            && fixed.is_empty()
            && changed.is_empty()
            && shares.is_empty()
            && entries.is_empty()
        {
            return format!(
                "**rota diff**: no change to shifts, shares, findings, leave, holidays, people, alerts or runbooks between {base} and this version ({from} to {to}).\n"
            );
        }
        let mut out = format!(
            "## rota diff: {base} → this version\n\nFrom {from} to {to} (the check window).\n"
        );
        if changes.is_empty() {
            out.push_str("\nNo shift changes hands.\n");
        } else {
            let _ = write!(
                out,
                "\n### Shifts that change hands ({})\n\n| when (local time) | rota | position | before | after |\n|---|---|---|---|---|\n",
                changes.len()
            );
            for c in changes.iter().take(MAX_ROWS) {
                let _ = writeln!(
                    out,
                    "| {} → {} | {} | {} | {} | {} |",
                    time::human(c.timezone, c.start),
                    time::human(c.timezone, c.end),
                    encode::markdown_cell(&c.rota),
                    encode::markdown_cell(&c.position),
                    holder(c.before.as_deref()),
                    holder(c.after.as_deref()),
                );
            }
            if changes.len() > MAX_ROWS {
                let _ = writeln!(out, "\n…and {} more.", changes.len() - MAX_ROWS);
            }
        }
        if !shares.is_empty() {
            out.push_str(
                "\n### Shares of on-call time\n\n| person | before | after |\n|---|---|---|\n",
            );
            let percent = |p: Option<i64>| p.map_or("—".to_string(), |p| format!("{p}%"));
            for row in shares {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    encode::markdown_cell(&row.person),
                    percent(row.before),
                    percent(row.after)
                );
            }
        }
        for kind in entries {
            let _ = write!(
                out,
                "\n### {}: {} added, {} removed\n\n",
                kind.kind,
                kind.added.len(),
                kind.removed.len()
            );
            for (verb, list) in [("added", &kind.added), ("removed", &kind.removed)] {
                for e in list {
                    let _ = match &e.detail {
                        Some(detail) => writeln!(
                            out,
                            "- {verb} {}: {}",
                            encode::markdown_code(&e.id),
                            encode::markdown_code(detail)
                        ),
                        None => writeln!(out, "- {verb} {}", encode::markdown_code(&e.id)),
                    };
                }
            }
        }
        for (title, list) in [
            ("Findings introduced", introduced),
            ("Findings fixed", fixed),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title} ({})\n\n", list.len());
            for f in list {
                let _ = writeln!(
                    out,
                    "- **{}** `{}` {}:{}: {}",
                    f.level.as_str(),
                    f.rule,
                    encode::markdown_code(&f.path),
                    f.line,
                    encode::markdown_code(&f.message)
                );
            }
        }
        if !changed.is_empty() {
            let _ = write!(
                out,
                "\n### Findings changed ({}): the same finding, other numbers\n\n",
                changed.len()
            );
            for (old, new) in changed {
                let level = if old.level == new.level {
                    new.level.as_str().to_string()
                } else {
                    format!("{} → {}", old.level.as_str(), new.level.as_str())
                };
                let _ = writeln!(
                    out,
                    "- **{level}** `{}` {}:{}: {} → {}",
                    new.rule,
                    encode::markdown_code(&new.path),
                    new.line,
                    encode::markdown_code(&old.message),
                    encode::markdown_code(&new.message)
                );
            }
        }
        out
    }
}
