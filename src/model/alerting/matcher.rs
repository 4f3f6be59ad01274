//! Alertmanager label matchers, parsed and matched exactly as Alertmanager 0.25 does
//! (`pkg/labels/parse.go` and `matcher.go`): `name=value`, `!=`, `=~`, `!~`, values
//! quoted or not, OpenMetrics escapes, `{a="b", c=~"d"}` lists, and regular expressions
//! anchored as `^(?:…)$` (docs/alerting.md, "Matchers").

use regex::Regex;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// An alert's labels: name → value (a label that is not there matches as `""`).
pub type LabelSet = BTreeMap<String, String>;

/// How a matcher compares a label's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchType {
    Equal,
    NotEqual,
    Regexp,
    NotRegexp,
}

impl MatchType {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Equal => "=",
            MatchType::NotEqual => "!=",
            MatchType::Regexp => "=~",
            MatchType::NotRegexp => "!~",
        }
    }
}

/// One condition on one label.
#[derive(Clone, Debug)]
pub struct Matcher {
    pub name: String,
    pub kind: MatchType,
    pub value: String,
    /// The anchored expression, for `=~` and `!~`.
    regex: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, self.kind, &self.value) == (&other.name, other.kind, &other.value)
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:?}", self.name, self.kind.as_str(), self.value)
    }
}

impl Matcher {
    /// A matcher; for the regular-expression kinds the value must compile (as Go's
    /// `regexp` would: see [`go_regex`]).
    pub fn new(kind: MatchType, name: &str, value: &str) -> Result<Matcher, String> {
        let regex = match kind {
            MatchType::Regexp | MatchType::NotRegexp => Some(
                compiled(&format!("^(?:{value})$"))
                    .map_err(|e| format!("`{value}` is not a valid regular expression: {e}"))?,
            ),
            MatchType::Equal | MatchType::NotEqual => None,
        };
        Ok(Matcher {
            name: name.to_string(),
            kind,
            value: value.to_string(),
            regex,
        })
    }

    /// Whether a label value (`""` for a label that is not there) satisfies this matcher.
    pub fn matches(&self, value: &str) -> bool {
        let re = || self.regex.as_ref().is_some_and(|r| r.is_match(value));
        match self.kind {
            MatchType::Equal => value == self.value,
            MatchType::NotEqual => value != self.value,
            MatchType::Regexp => re(),
            MatchType::NotRegexp => !re(),
        }
    }

    /// Whether an alert with these labels satisfies this matcher.
    pub fn matches_labels(&self, labels: &LabelSet) -> bool {
        self.matches(labels.get(&self.name).map(String::as_str).unwrap_or(""))
    }
}

/// Go's `\s`: ASCII white space without the vertical tab.
const GO_SPACE: &str = r"[\t\n\f\r ]";

fn matcher_syntax() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let s = GO_SPACE;
        Regex::new(&format!(
            r"^{s}*([a-zA-Z_:][a-zA-Z0-9_:]*){s}*(=~|=|!=|!~){s}*((?s).*?){s}*$"
        ))
        .unwrap_or_else(|_| unreachable!("the matcher syntax is a valid expression"))
    })
}

/// [`go_regex`] of `pattern`, compiled once per process: a routing tree repeats its
/// expressions (the same `env=~"staging|test"` under every team), and compiling is what
/// reading a large tree costs most. A pure memo — the answer depends on `pattern`
/// alone — so sharing it hides nothing a caller depends on. At most [`REGEX_CACHE`]
/// patterns are kept.
fn compiled(pattern: &str) -> Result<Regex, String> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    type Memo = Mutex<HashMap<String, Result<Regex, String>>>;
    static CACHE: OnceLock<Memo> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return found;
    }
    let result = go_regex(pattern);
    if let Ok(mut cache) = cache.lock() {
        if cache.len() >= REGEX_CACHE {
            cache.clear();
        }
        cache.insert(pattern.to_string(), result.clone());
    }
    result
}

/// How many compiled expressions [`compiled`] keeps.
const REGEX_CACHE: usize = 4096;

/// One matcher, `name OP value`, as Alertmanager 0.27 and later read it by default
/// ("fallback" mode): in the UTF-8 syntax ([`parse_utf8_matcher`]), where a label name
/// may be quoted (`"service.name"="api"`) or hold any character but the few the syntax
/// reserves; and what that syntax refuses, in the classic one
/// ([`parse_classic_matcher`], whose message is the one shown when both refuse).
pub fn parse_matcher(s: &str) -> Result<Matcher, String> {
    parse_utf8_matcher(s).or_else(|_| parse_classic_matcher(s))
}

/// One matcher in the classic syntax (Alertmanager's `ParseMatcher` before 0.27): a label
/// name of `[a-zA-Z_:][a-zA-Z0-9_:]*`, an operator and a value that may be quoted; inside
/// it `\"`, `\n` and `\\` are escapes and any other backslash is literal.
pub fn parse_classic_matcher(s: &str) -> Result<Matcher, String> {
    let caps = matcher_syntax().captures(s).ok_or_else(|| {
        format!(
            "`{s}` is not a matcher: write a label name, an operator (=, !=, =~ or !~) and a value, e.g. severity=\"critical\""
        )
    })?;
    let (name, op, raw) = (&caps[1], &caps[2], &caps[3]);
    let (mut raw_value, mut expect_trailing_quote) = (raw, false);
    if let Some(rest) = raw.strip_prefix('"') {
        raw_value = rest;
        expect_trailing_quote = true;
    }
    let mut value = String::new();
    let mut escaped = false;
    for (i, c) in raw_value.char_indices() {
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                _ => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '\\' if i < raw_value.len() - 1 => escaped = true,
            '\\' => value.push('\\'),
            '"' => {
                if !expect_trailing_quote || i < raw_value.len() - 1 {
                    return Err(unescaped_quote(raw));
                }
                expect_trailing_quote = false;
            }
            _ => value.push(c),
        }
    }
    if expect_trailing_quote {
        return Err(unescaped_quote(raw));
    }
    let kind = match op {
        "=" => MatchType::Equal,
        "!=" => MatchType::NotEqual,
        "=~" => MatchType::Regexp,
        _ => MatchType::NotRegexp,
    };
    Matcher::new(kind, name, &value)
}

/// Characters the UTF-8 matcher syntax keeps for itself: an unquoted name or value is a
/// run of any other characters (Alertmanager's `matcher/parse` lexer).
fn is_reserved_in_utf8_matchers(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '{' | '}' | '!' | '=' | '~' | ',' | '\\' | '"' | '\'' | '`'
        )
}

/// One matcher in the UTF-8 syntax of Alertmanager 0.27 and later: a name and a value,
/// each either a double-quoted string (with Go's escapes: `\"`, `\\`, `\n`, `\t`,
/// `\u00e9`, …) or a run of unreserved characters, with an operator between them.
pub fn parse_utf8_matcher(s: &str) -> Result<Matcher, String> {
    let bad = |why: &str| format!("`{s}` is not a matcher: {why}");
    let rest = s.trim_start();
    let (name, rest) = utf8_token(rest).map_err(|e| bad(&e))?;
    if name.is_empty() {
        return Err(bad("it has no label name"));
    }
    let rest = rest.trim_start();
    let (kind, rest) = if let Some(r) = rest.strip_prefix("=~") {
        (MatchType::Regexp, r)
    } else if let Some(r) = rest.strip_prefix("!~") {
        (MatchType::NotRegexp, r)
    } else if let Some(r) = rest.strip_prefix("!=") {
        (MatchType::NotEqual, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (MatchType::Equal, r)
    } else {
        return Err(bad(
            "write an operator (=, !=, =~ or !~) after the label name",
        ));
    };
    let (value, rest) = utf8_token(rest.trim_start()).map_err(|e| bad(&e))?;
    if !rest.trim().is_empty() {
        return Err(bad(&format!("`{}` follows the value", rest.trim())));
    }
    Matcher::new(kind, &name, &value)
}

/// A quoted string or an unquoted run at the start of `s`, and what follows it.
fn utf8_token(s: &str) -> Result<(String, &str), String> {
    if let Some(body) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((out, &body[i + 1..])),
                '\\' => {
                    let Some((_, e)) = chars.next() else { break };
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '"' | '\\' | '\'' => out.push(e),
                        'u' | 'U' => {
                            let width = if e == 'u' { 4 } else { 8 };
                            let hex: String = chars.by_ref().take(width).map(|(_, h)| h).collect();
                            let code = u32::from_str_radix(&hex, 16)
                                .ok()
                                .filter(|_| hex.len() == width)
                                .and_then(char::from_u32)
                                .ok_or_else(|| format!("`\\{e}{hex}` is not a character"))?;
                            out.push(code);
                        }
                        other => return Err(format!("`\\{other}` is not an escape Go knows")),
                    }
                }
                c => out.push(c),
            }
        }
        return Err("a quoted string is never closed".to_string());
    }
    let end = s
        .char_indices()
        .find(|&(_, c)| is_reserved_in_utf8_matchers(c))
        .map_or(s.len(), |(i, _)| i);
    Ok((s[..end].to_string(), &s[end..]))
}

fn unescaped_quote(raw: &str) -> String {
    format!(
        "the value `{raw}` has a double quote that is neither its first nor its last character, or is never closed: write \\\" for a quote inside a value"
    )
}

/// A comma-separated list of matchers, optionally in `{…}` (Alertmanager's
/// `ParseMatchers`): commas inside double quotes do not separate.
pub fn parse_matchers(s: &str) -> Result<Vec<Matcher>, String> {
    let s = s.strip_prefix('{').unwrap_or(s);
    let s = s.strip_suffix('}').unwrap_or(s);
    let mut tokens = Vec::new();
    let (mut inside_quotes, mut escaped) = (false, false);
    let mut token = String::new();
    for c in s.chars() {
        match c {
            ',' if !inside_quotes => {
                tokens.push(std::mem::take(&mut token));
                continue;
            }
            ',' => {}
            '"' => {
                if escaped {
                    escaped = false;
                } else {
                    inside_quotes = !inside_quotes;
                }
            }
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
        token.push(c);
    }
    let last = token.trim_matches(|c: char| c.is_whitespace());
    if !last.is_empty() {
        tokens.push(last.to_string());
    }
    tokens.iter().map(|t| parse_matcher(t)).collect()
}

/// A `name=value` argument as `amtool config routes test` reads one: a matcher whose
/// operator must be `=`.
pub fn parse_label(s: &str) -> Result<(String, String), String> {
    let m = parse_matcher(s)?;
    if m.kind != MatchType::Equal {
        return Err(format!(
            "`{s}`: labels must be given as name=value (not {})",
            m.kind.as_str()
        ));
    }
    Ok((m.name, m.value))
}

/// A valid Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Compiles a Go (RE2) regular expression with the `regex` crate, rewritten where the
/// two syntaxes read the same text differently: Go's `\d`, `\s`, `\w` are ASCII, a `[`
/// inside a class is literal, `&&`/`~~` inside a class are literal, a `{` that does not
/// start a repetition is literal, and a repetition count above 1000 is an error.
pub fn go_regex(pattern: &str) -> Result<Regex, String> {
    let rewritten = rewrite_go_syntax(pattern)?;
    regex::RegexBuilder::new(&rewritten)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| match e {
            regex::Error::Syntax(s) => s.lines().last().unwrap_or_default().to_string(),
            other => other.to_string(),
        })
}

fn rewrite_go_syntax(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                return Err("trailing backslash at end of expression".into());
            };
            let class = |set: &str, negated: bool| match (in_class, negated) {
                (true, false) => set.to_string(),
                (_, true) => format!("[^{set}]"),
                (false, false) => format!("[{set}]"),
            };
            match next {
                'd' | 'D' => out.push_str(&class("0-9", next == 'D')),
                's' | 'S' => out.push_str(&class(r"\t\n\f\r ", next == 'S')),
                'w' | 'W' => out.push_str(&class("0-9A-Za-z_", next == 'W')),
                _ => {
                    out.push(c);
                    out.push(next);
                }
            }
            i += 2;
            continue;
        }
        if in_class {
            match c {
                ']' => in_class = false,
                '[' if chars.get(i + 1) == Some(&':') => {
                    // A POSIX class `[:alpha:]`, copied whole.
                    let end = (i + 2..chars.len().saturating_sub(1))
                        .find(|&j| chars[j] == ':' && chars[j + 1] == ']');
                    if let Some(end) = end {
                        out.extend(&chars[i..end + 2]);
                        i = end + 2;
                        continue;
                    }
                    out.push_str(r"\[");
                    i += 1;
                    continue;
                }
                '[' | '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                    i += 1;
                    continue;
                }
                _ => {}
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                // `[]…]` and `[^]…]`: a `]` first in a class is literal.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str(r"\]");
                    i += 1;
                }
                continue;
            }
            '{' => {
                if let Some((len, counts)) = repetition(&chars[i..]) {
                    if counts.iter().any(|&n| n > 1000) {
                        return Err(format!(
                            "invalid repeat count `{}`: at most 1000",
                            chars[i..i + len].iter().collect::<String>()
                        ));
                    }
                    out.extend(&chars[i..i + len]);
                    i += len;
                } else {
                    out.push_str(r"\{");
                    i += 1;
                }
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `chars`: its length and its numbers.
fn repetition(chars: &[char]) -> Option<(usize, Vec<u64>)> {
    let close = chars.iter().position(|&c| c == '}')?;
    let inner: String = chars[1..close].iter().collect();
    let (min, max) = match inner.split_once(',') {
        Some((min, max)) => (min, Some(max)),
        None => (inner.as_str(), None),
    };
    let number = |s: &str| {
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse::<u64>().ok())
    };
    let mut counts = vec![number(min)?.unwrap_or(u64::MAX)];
    if let Some(max) = max
        && !max.is_empty()
    {
        counts.push(number(max)?.unwrap_or(u64::MAX));
    }
    Some((close + 1, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (String, MatchType, String) {
        let m = parse_matcher(s).unwrap();
        (m.name, m.kind, m.value)
    }

    #[test]
    fn reads_every_operator_quoted_or_not() {
        use MatchType::*;
        assert_eq!(one("a=b"), ("a".into(), Equal, "b".into()));
        assert_eq!(one(" a != \"b c\" "), ("a".into(), NotEqual, "b c".into()));
        assert_eq!(one("a=~b.*"), ("a".into(), Regexp, "b.*".into()));
        assert_eq!(one("a!~\"x|y\""), ("a".into(), NotRegexp, "x|y".into()));
        assert_eq!(one("a="), ("a".into(), Equal, "".into()));
        assert_eq!(one(r#"a="say \"hi\"\n""#).2, "say \"hi\"\n");
        // A spurious escape keeps its backslash; a last backslash is literal.
        assert_eq!(one(r"a=x\y\").2, r"x\y\");
    }

    #[test]
    fn refuses_what_alertmanager_refuses() {
        for bad in [
            "a",
            r#"a="b"c""#,
            r#"a="b"#,
            "a=~(",
            "a<b",
            r#""a"="b"#,
            "=b",
        ] {
            assert!(parse_matcher(bad).is_err(), "{bad} should be refused");
        }
        // Before 0.27 a name had to be classic; now `1a` is a UTF-8 label name.
        assert!(parse_classic_matcher("1a=b").is_err());
        assert_eq!(one("1a=b").0, "1a");
        assert!(parse_matcher("a=\"b\"").is_ok());
        // As in Alertmanager, `a==b` is `a` equal to `=b`.
        assert_eq!(one("a==b").2, "=b");
    }

    #[test]
    fn reads_the_utf8_matchers_of_alertmanager_0_27() {
        use MatchType::*;
        // OpenTelemetry-style names, quoted or not; values with Go's escapes.
        assert_eq!(
            one(r#""service.name"="api""#),
            ("service.name".into(), Equal, "api".into())
        );
        assert_eq!(
            one("service.name=~api|web"),
            ("service.name".into(), Regexp, "api|web".into())
        );
        assert_eq!(one(r#""ünïcode name" != "caf\u00e9""#).2, "café");
        assert_eq!(one(r#"team="a\tb""#).2, "a\tb");
        // What the UTF-8 syntax refuses is read as before: spaces in an unquoted value,
        // a regular expression with braces, a literal backslash.
        assert_eq!(one("a=b c").2, "b c");
        assert_eq!(one("a=~x{2}").2, "x{2}");
        assert_eq!(one(r"a=x\y").2, r"x\y");
        let ms = parse_matchers(r#"{"service.name"="api", env=~"prod|staging"}"#).unwrap();
        assert_eq!(ms.len(), 2);
        assert!(ms[0].matches_labels(&LabelSet::from([(
            "service.name".to_string(),
            "api".to_string()
        )])));
    }

    #[test]
    fn lists_split_on_commas_outside_quotes() {
        let ms = parse_matchers(r#"{a="x, y", b=~"c|d" , }"#).unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].value, "x, y");
        assert!(ms[1].matches("d") && !ms[1].matches("cd"));
    }

    #[test]
    fn regexes_are_anchored_and_ascii_like_go() {
        let m = parse_matcher("a=~b|c").unwrap();
        assert!(m.matches("b") && m.matches("c") && !m.matches("bc"));
        let digits = parse_matcher(r"a=~\d+").unwrap();
        assert!(digits.matches("42") && !digits.matches("٤٢"));
        let class = parse_matcher(r"a=~[[]x").unwrap();
        assert!(class.matches("[x"));
        assert!(parse_matcher("a=~x{1001}").is_err());
        assert!(parse_matcher("a=~x{,3}").unwrap().matches("x{,3}"));
        let missing = parse_matcher("a!~.+").unwrap();
        assert!(missing.matches_labels(&LabelSet::new()));
    }
}
