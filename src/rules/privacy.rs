//! `contact-privacy`: no phone numbers or personal e-mail addresses under `rota/`.

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::source::Loc;

pub const CONTACT_PRIVACY: Rule = Rule {
    id: RuleId::ContactPrivacy,
    explanation: "What it checks: no phone numbers and no e-mail addresses at personal mail providers (gmail, outlook, icloud, yahoo, …) anywhere under rota/, comments included. A phone number is `+` then 7–15 digits, or `0` then 9–10 digits, with spaces, dots, dashes or brackets between; dates, times and durations never match.

Why: personal contact details are never shared: the repository, the site and the calendar feeds are read by many people, and git keeps history for ever. Paging tools hold phone numbers; rota holds work handles.

Example: `handle: \"07700 900123\"`.

How to fix: remove the number or address (and rewrite history if it was pushed); use a work chat handle.",
    check: Some(contact_privacy),
};

pub const FEED_SECRET: Rule = Rule {
    id: RuleId::FeedSecret,
    explanation: "What it checks: when rota/config.yaml sets `calendar.secret_env: NAME`, the environment variable NAME is set, to a secret of at least 32 bytes, whenever rota publishes (`build`, `serve`, `feed-url`). It cannot be lowered.

Why: subscription URLs cannot sit behind single sign-on, so a personal feed's unguessable name is its only protection. Without the secret the feeds would go out named by person id, which anyone can guess; with a short one the names can be found by trying secrets.

Example: `calendar: { secret_env: ROTA_FEED_SECRET }` in config.yaml, and `rota build` run where ROTA_FEED_SECRET is not set.

How to fix: export the variable from your CI's secret store (e.g. `openssl rand -hex 32` once, kept as a CI secret), or remove `secret_env` to publish feeds named by id.",
    check: None,
};

/// The shortest feed secret accepted, in bytes: a key for HMAC-SHA256 as long as its
/// output, so the secret names cannot be found by trying secrets (docs/security.md).
pub const SECRET_MIN_BYTES: usize = 32;

/// `feed-secret`: the finding of publishing with `calendar.secret_env` set and a secret
/// of `secret_len` bytes (`None`: the variable is unset or empty), if any.
pub fn feed_secret(model: &crate::model::Model, secret_len: Option<usize>) -> Option<Finding> {
    let (var, loc) = model.repo.config.calendar.secret_env.as_ref()?;
    let (message, help) = match secret_len {
        None => (
            format!(
                "the environment variable {var} is not set (or empty): personal feeds would be published under guessable names"
            ),
            format!(
                "export {var} (a long random secret from your CI's secret store, e.g. `openssl rand -hex 32`), or remove `secret_env`"
            ),
        ),
        Some(len) if len < SECRET_MIN_BYTES => (
            format!(
                "the environment variable {var} holds {len} byte(s): a feed secret must be at least {SECRET_MIN_BYTES} bytes, or the secret feed names can be found by trying secrets"
            ),
            "set it to a long random value (e.g. `openssl rand -hex 32`)".to_string(),
        ),
        Some(_) => return None,
    };
    Some(Finding::error(RuleId::FeedSecret, *loc, message).with_help(help))
}

fn contact_privacy(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (id, file) in ctx.repo.sources.iter() {
        if !file.path.starts_with("rota/") {
            continue;
        }
        for (n, line) in file.text.lines().enumerate() {
            for (col, width, kind) in scan_line(line) {
                let loc = Loc {
                    file: id,
                    line: n as u32 + 1,
                    column: col as u32,
                };
                let message = match kind {
                    Contact::Phone => {
                        "this looks like a phone number: personal contact details must not be in the rota repository"
                    }
                    Contact::PersonalEmail => {
                        "this is an e-mail address at a personal mail provider: personal contact details must not be in the rota repository"
                    }
                };
                out.push(
                    Finding::error(RuleId::ContactPrivacy, loc, message)
                        .with_width(width as u32)
                        .with_help("remove it (and from git history if pushed); use a work handle such as \"@alice\""),
                );
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
pub enum Contact {
    Phone,
    PersonalEmail,
}

/// Contact details found in a line: 1-based character column, width in characters,
/// and kind.
pub fn scan_line(line: &str) -> Vec<(usize, usize, Contact)> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(end) = phone_at(&chars, i) {
            found.push((i + 1, end - i, Contact::Phone));
            i = end;
            continue;
        }
        i += 1;
    }
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let local_start = (0..at)
            .rev()
            .take_while(|&k| chars[k].is_ascii_alphanumeric() || "._%+-".contains(chars[k]))
            .last();
        let Some(local_start) = local_start else {
            continue;
        };
        let domain: String = chars[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '.' || **c == '-')
            .collect::<String>()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if is_personal_domain(&domain) {
            let end = at + 1 + domain.chars().count();
            found.push((local_start + 1, end - local_start, Contact::PersonalEmail));
        }
    }
    found.sort();
    found
}

/// If a phone number starts at `i`, the index after it.
fn phone_at(chars: &[char], i: usize) -> Option<usize> {
    let c = chars[i];
    if !matches!(c, '+' | '(' | '0') {
        return None;
    }
    let prev = i.checked_sub(1).map(|p| chars[p]);
    if let Some(p) = prev
        && (p.is_alphanumeric() || matches!(p, '_' | '-' | '.' | '/' | '+' | ')'))
    {
        return None;
    }
    let mut j = i;
    if chars[j] == '(' {
        j += 1;
    }
    let plus = chars.get(j) == Some(&'+');
    if prev == Some(':') && !plus {
        return None;
    }
    if plus {
        j += 1;
    }
    let first_digit = j;
    let mut digits = 0;
    let mut last_digit_end = j;
    // Where each group of digits ends, with the count so far: two numbers separated
    // only by a space are cut apart at the longest group boundary that makes a number.
    let mut group_ends: Vec<(usize, usize)> = Vec::new();
    while j < chars.len() {
        let c = chars[j];
        if c.is_ascii_digit() {
            digits += 1;
            last_digit_end = j + 1;
            if !chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                group_ends.push((j + 1, digits));
            }
        } else if !matches!(c, ' ' | '.' | '-' | '(' | ')') {
            break;
        }
        j += 1;
    }
    let (max_digits, min_digits) = if plus { (15, 7) } else { (11, 10) };
    if digits > max_digits
        && let Some(&(end, count)) = group_ends
            .iter()
            .rev()
            .find(|(_, count)| (min_digits..=max_digits).contains(count))
    {
        last_digit_end = end;
        digits = count;
    }
    if digits == 0
        || !chars
            .get(first_digit)
            .is_some_and(|c| c.is_ascii_digit() || *c == '(')
    {
        return None;
    }
    // What follows the number must not continue a word (`0123456789abc`) or a time.
    if let Some(next) = chars.get(last_digit_end)
        && (next.is_alphanumeric() || *next == ':')
    {
        return None;
    }
    let first_is_zero = chars[first_digit..last_digit_end]
        .iter()
        .find(|c| c.is_ascii_digit())
        == Some(&'0');
    let ok = if plus {
        (7..=15).contains(&digits)
    } else {
        first_is_zero && (10..=11).contains(&digits)
    };
    ok.then_some(last_digit_end)
}

const PERSONAL_LABELS: [&str; 20] = [
    "gmail",
    "googlemail",
    "hotmail",
    "outlook",
    "live",
    "yahoo",
    "ymail",
    "rocketmail",
    "icloud",
    "aol",
    "protonmail",
    "gmx",
    "btinternet",
    "virginmedia",
    "yandex",
    "msn",
    "talktalk",
    "ntlworld",
    "blueyonder",
    "tutanota",
];
const PERSONAL_DOMAINS: [&str; 12] = [
    "me.com",
    "mac.com",
    "proton.me",
    "pm.me",
    "sky.com",
    "mail.com",
    "hey.com",
    "mail.ru",
    "web.de",
    "fastmail.com",
    "btopenworld.com",
    "tiscali.co.uk",
];

fn is_personal_domain(domain: &str) -> bool {
    if PERSONAL_DOMAINS.contains(&domain) {
        return true;
    }
    let first = domain.split('.').next().unwrap_or("");
    domain.contains('.') && PERSONAL_LABELS.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(line: &str) -> usize {
        scan_line(line)
            .iter()
            .filter(|(_, _, k)| *k == Contact::Phone)
            .count()
    }

    #[test]
    fn phone_numbers_are_found() {
        assert_eq!(phones("handle: \"+44 20 7946 0958\""), 1);
        assert_eq!(phones("handle: 07700 900123"), 1);
        assert_eq!(phones("call (020) 7946-0958 now"), 1);
        assert_eq!(phones("tel:+447700900123"), 1);
        assert_eq!(phones("x: 0161.496.0000"), 1);
        assert_eq!(scan_line("handle: 07700 900123")[0].0, 9);
    }

    #[test]
    fn each_number_is_found_alone_and_measured_exactly() {
        // Two numbers, separated by a space only, or by words.
        let line = "# out of hours: 07700 900123 07700 900456";
        assert_eq!(
            scan_line(line),
            [(17, 12, Contact::Phone), (30, 12, Contact::Phone)]
        );
        let line = "# call +44 20 7946 0958 or (020) 7946-0000";
        assert_eq!(
            scan_line(line),
            [(8, 16, Contact::Phone), (28, 15, Contact::Phone)]
        );
        // A quoted value: the number, not the closing quote.
        assert_eq!(
            scan_line("handle: \"07700 900123\""),
            [(10, 12, Contact::Phone)]
        );
    }

    #[test]
    fn dates_times_and_durations_are_not_phone_numbers() {
        for line in [
            "vetted: 2025-03-01",
            "- { at: 2026-11-14T02:13, person: frank, alert: site-down, woke: true, worked: 95m }",
            "from: \"00:00\"",
            "  - { days: [mon, tue], from: \"00:00\", to: \"10:00\" }",
            "holidays: [2026-12-25, 2026-12-28, 2027-01-01]",
            "max_share: 0.5",
            "from: 2026-12-23T10:00",
            "reminder: 1d",
            "id: 0123456789abc",
            "offset: 1",
            "ratio 0.25 0.5",
            "worked: 0m",
            "x: 2026-12-23T10:00:00+01:00",
        ] {
            assert_eq!(phones(line), 0, "{line}");
        }
    }

    #[test]
    fn personal_mail_is_found_and_work_mail_is_not() {
        assert_eq!(
            scan_line("note: alice.smith@gmail.com")[0],
            (7, 21, Contact::PersonalEmail)
        );
        assert_eq!(scan_line("x: bob@yahoo.co.uk").len(), 1);
        assert_eq!(scan_line("x: carol@icloud.com").len(), 1);
        assert!(scan_line("x: alice@example.gov.uk").is_empty());
        assert!(scan_line("handle: \"@alice\"").is_empty());
        assert!(scan_line("owner: \"#operations-engineering-alerts\"").is_empty());
    }
}
