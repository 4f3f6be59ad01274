//! A finding: one rule's verdict on one place in the data, with a way to fix it.

use crate::source::Loc;

mod rule_id;
pub use rule_id::RuleId;

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
    pub rule: RuleId,
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
    pub fn error(rule: RuleId, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            level: Level::Error,
            message: message.into(),
            loc,
            help: None,
            width: None,
        }
    }

    pub fn warning(rule: RuleId, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            level: Level::Warning,
            ..Finding::error(rule, loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// What makes this finding the same finding in another version of the data (a
    /// baseline for `check --new-since`, the two sides of `rota diff`, a simulated
    /// trade): its rule and its subject — the file and the words of the message, with
    /// every number that is not a date or a time masked. So a `max-share` whose hours
    /// changed, or a finding whose line moved, is the same finding; one about another
    /// person, rota, alert or date is not (docs/ci.md#findings-that-are-already-known).
    pub fn identity(&self, file: &str) -> FindingId {
        FindingId {
            rule: self.rule,
            file: file.to_string(),
            subject: mask_numbers(without_more_times(&self.message)),
        }
    }

    /// Underline exactly `chars` characters from the location.
    pub fn with_width(mut self, chars: u32) -> Finding {
        self.width = Some(chars);
        self
    }
}

/// A finding's identity across versions of the data: see [`Finding::identity`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingId {
    pub rule: RuleId,
    pub file: String,
    pub subject: String,
}

/// What a grouped finding's message ends with when the problem recurs `more` times
/// after the first in the check window (nothing when it does not).
pub fn more_times(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more time in the check window)".to_string(),
        n => format!(" (and {n} more times in the check window)"),
    }
}

/// `message` without the note [`more_times`] adds: how often a problem recurs does not
/// make it another problem, so a change from two occurrences to one (or to three) is the
/// same finding for `check --new-since` and `rota diff`.
fn without_more_times(message: &str) -> &str {
    let Some(at) = message.rfind(" (and ") else {
        return message;
    };
    let note = &message[at..];
    let count: String = note[" (and ".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match count.parse::<usize>() {
        Ok(n) if n > 0 && note == more_times(n) => &message[..at],
        _ => message,
    }
}

/// `text` with each number replaced by `#`, except dates (`2026-12-16`) and times
/// (`10:00`, `2026-12-16T10:00`), which name a subject rather than measure one.
fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if !c.is_ascii_digit() || !starts_word {
            out.push(c);
            i += 1;
            continue;
        }
        // A token of digits and the separators numbers, dates and times use.
        let mut end = i;
        while end < chars.len()
            && (chars[end].is_ascii_digit()
                || (matches!(chars[end], '.' | ',' | ':' | '-' | 'T')
                    && chars.get(end + 1).is_some_and(char::is_ascii_digit)))
        {
            end += 1;
        }
        let token: String = chars[i..end].iter().collect();
        // Enough of either side to hold a month's name ("September" and a space).
        let before: String = chars[i.saturating_sub(12)..i].iter().collect();
        let after: String = chars[end..(end + 5).min(chars.len())].iter().collect();
        if is_date_or_time(&token) || is_part_of_a_written_date(&token, &before, &after) {
            out.push_str(&token);
        } else {
            out.push('#');
        }
        i = end;
    }
    out
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A day or a year of a date written for people: the `16` and the `2026` of
/// `Wed 16 Dec 2026` (a day is followed by a month's name, a year follows one).
fn is_part_of_a_written_date(token: &str, before: &str, after: &str) -> bool {
    let digits = token.chars().all(|c| c.is_ascii_digit());
    let month_follows = || {
        after
            .strip_prefix(' ')
            .is_some_and(|rest| MONTHS.iter().any(|m| rest.starts_with(m)))
    };
    let month_precedes = || {
        before.strip_suffix(' ').is_some_and(|rest| {
            MONTHS.iter().any(|m| {
                rest.ends_with(m)
                    || rest
                        .rsplit(|c: char| !c.is_alphabetic())
                        .next()
                        .is_some_and(|word| word.len() > 3 && word.starts_with(m))
            })
        })
    };
    digits && ((token.len() <= 2 && month_follows()) || (token.len() == 4 && month_precedes()))
}

fn is_date_or_time(token: &str) -> bool {
    let shape: String = token
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    matches!(
        shape.as_str(),
        "9999-99-99" | "99:99" | "9:99" | "9999-99-99T99:99" | "9999-99-99T99:99:99"
    )
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
    use super::*;
    use crate::source::FileId;

    const AT: Loc = Loc {
        file: FileId(0),
        line: 1,
        column: 1,
    };

    #[test]
    fn identity_masks_measures_and_keeps_dates_times_and_names() {
        let f = |m: &str| Finding::warning(RuleId::MaxShare, AT, m).identity("rota/rotas/a.yaml");
        let a = f("carol is on call 34% of duty time (764 h of 2,249 h) from 2026-12-16T10:00");
        let b = f("carol is on call 36% of duty time (802.5 h of 2,249 h) from 2026-12-16T10:00");
        assert_eq!(a, b);
        assert_eq!(
            a.subject,
            "carol is on call #% of duty time (# h of # h) from 2026-12-16T10:00"
        );
        assert_ne!(
            a,
            f("dan is on call 34% of duty time (764 h of 2,249 h) from 2026-12-16T10:00")
        );
        assert_ne!(
            a,
            f("carol is on call 34% of duty time (764 h of 2,249 h) from 2026-12-23T10:00")
        );
        // Dates written for people name their day too.
        assert_ne!(
            f("carol on call in Wed 16 Dec 2026 and Thu 17 Dec 2026"),
            f("carol on call in Wed 23 Dec 2026 and Thu 24 Dec 2026")
        );
        assert_eq!(
            f("Wed 16 December 2026, 3 turns").subject,
            "Wed 16 December 2026, # turns"
        );
        // Digits inside a name are part of the name.
        assert_ne!(f("rota ooh2 at 10:00"), f("rota ooh3 at 10:00"));
        assert_ne!(
            Finding::warning(RuleId::MaxShare, AT, "x").identity("a.yaml"),
            Finding::warning(RuleId::BackToBack, AT, "x").identity("a.yaml")
        );
    }

    #[test]
    fn how_often_a_grouped_problem_recurs_does_not_change_its_identity() {
        let f = |m: &str| Finding::warning(RuleId::Rest, AT, m).identity("rota/rotas/a.yaml");
        let once = "alice has 6 h between turns from 2026-12-16T10:00";
        let twice = format!("{once}{}", more_times(1));
        let often = format!("{once}{}", more_times(5));
        assert_eq!(
            twice,
            format!("{once} (and 1 more time in the check window)")
        );
        assert_eq!(f(once), f(&twice));
        assert_eq!(f(&twice), f(&often));
        assert_eq!(more_times(0), "");
        // A message that merely mentions "(and …)" keeps it.
        let other = "alice and bob (and 3 more people)";
        assert_eq!(f(other).subject, "alice and bob (and # more people)");
        assert_ne!(
            f(once),
            f(
                "bob has 6 h between turns from 2026-12-16T10:00 (and 1 more time in the check window)"
            )
        );
    }

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
