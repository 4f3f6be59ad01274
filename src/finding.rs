//! A finding: one rule's verdict on one place in the data, with a way to fix it.

use crate::source::Loc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    pub loc: Loc,
    /// How to fix it, in a sentence.
    pub help: Option<String>,
}

impl Finding {
    pub fn error(rule: &'static str, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            level: Level::Error,
            message: message.into(),
            loc,
            help: None,
        }
    }

    pub fn warning(rule: &'static str, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            level: Level::Warning,
            ..Finding::error(rule, loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

/// The candidate closest to a mistyped `word` ("did you mean …?"), if one is close
/// enough to be a plausible typo: at most a third of the word's letters differ.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= limit && *c != word)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance, counting characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_only_close_names() {
        let keys = ["name", "kind", "timezone", "hours"];
        assert_eq!(did_you_mean("kid", keys), Some("kind"));
        assert_eq!(did_you_mean("timezon", keys), Some("timezone"));
        assert_eq!(did_you_mean("hrs", keys), None);
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(
            did_you_mean("max-shar", ["max-share", "two-deep"]),
            Some("max-share")
        );
    }
}
