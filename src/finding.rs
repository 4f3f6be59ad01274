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
    /// How many characters from `loc` the finding is about, when the printer should
    /// underline exactly those (otherwise it underlines the word or value at `loc`).
    pub width: Option<u32>,
}

impl Finding {
    pub fn error(rule: &'static str, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            level: Level::Error,
            message: message.into(),
            loc,
            help: None,
            width: None,
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

    /// Underline exactly `chars` characters from the location.
    pub fn with_width(mut self, chars: u32) -> Finding {
        self.width = Some(chars);
        self
    }
}

/// The candidate closest to a mistyped `word` ("did you mean …?"), if one is close
/// enough to be a plausible typo: at most a third of the word's letters differ.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= limit && *c != word)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance counting characters, a swap of two neighbours as one edit (`bbo` is one
/// edit from `bob`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_only_close_names() {
        let keys = ["name", "kind", "timezone", "hours"];
        assert_eq!(did_you_mean("kid", keys), Some("kind"));
        assert_eq!(did_you_mean("bbo", ["alice", "bob"]), Some("bob"));
        assert_eq!(did_you_mean("timezon", keys), Some("timezone"));
        assert_eq!(did_you_mean("hrs", keys), None);
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(
            did_you_mean("max-shar", ["max-share", "two-deep"]),
            Some("max-share")
        );
    }
}
