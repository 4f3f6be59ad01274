//! The site's Tera templates and assets: the defaults compiled into the binary, and a
//! data repository's `templates/NAME.html` replacing the template of that name. Every
//! built-in is also registered as `rota/NAME`, so an override can
//! `{% extends "rota/base.html" %}` even when it replaces `base.html` itself.

use super::SiteError;
use tera::{Context, Tera};

/// The Content-Security-Policy every built-in page carries as a `<meta>` (and `rota
/// serve` as a header, with `frame-ancestors 'none'`, which only a header can say): the
/// site's own scripts, styles and images, https images a runbook links to, and nothing
/// inline, so injected markup can neither run script nor restyle the page. See
/// docs/security.md.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'self'";

/// The policy of a page that loads the site's files from `base_url` rather than
/// relatively (the 404 page, which a host serves at any address, perhaps on another
/// origin such as a deploy preview's): `base_url`'s origin counts as the site's own for
/// scripts, styles and images. The plain policy when `base_url` is not an absolute
/// http(s) URL whose host is a plain name or address (so nothing in it can add a
/// directive or a wildcard).
pub fn policy_loading_from(base_url: &str) -> String {
    let Some(origin) = web_origin(base_url) else {
        return CONTENT_SECURITY_POLICY.to_string();
    };
    CONTENT_SECURITY_POLICY
        .split("; ")
        .map(|directive| {
            let name = directive.split(' ').next().unwrap_or("");
            if matches!(name, "script-src" | "style-src" | "img-src") {
                format!("{directive} {origin}")
            } else {
                directive.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `scheme://host[:port]` of an http(s) URL, when the host and port are made only of
/// letters, digits, `.`, `-` and `:`.
fn web_origin(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let plain = authority > 0
        && rest[..authority]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:".contains(&b));
    plain.then(|| &url[..url.len() - rest.len() + authority])
}

/// Built-in templates: name → source.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    ("index.html", include_str!("../../../templates/index.html")),
    ("rota.html", include_str!("../../../templates/rota.html")),
    (
        "person.html",
        include_str!("../../../templates/person.html"),
    ),
    (
        "people.html",
        include_str!("../../../templates/people.html"),
    ),
    (
        "alerts.html",
        include_str!("../../../templates/alerts.html"),
    ),
    (
        "alert-rows.html",
        include_str!("../../../templates/alert-rows.html"),
    ),
    (
        "runbook.html",
        include_str!("../../../templates/runbook.html"),
    ),
    (
        "runbooks.html",
        include_str!("../../../templates/runbooks.html"),
    ),
    (
        "search.html",
        include_str!("../../../templates/search.html"),
    ),
    ("check.html", include_str!("../../../templates/check.html")),
    ("404.html", include_str!("../../../templates/404.html")),
];

/// Static files copied into every site: the stylesheet, the site's script and the
/// search script (search, the alert filter, who holds a rota now on other pages).
pub fn assets() -> [(&'static str, &'static [u8]); 3] {
    [
        (
            "assets/site.css",
            include_bytes!("../../../templates/site.css").as_slice(),
        ),
        (
            "assets/site.js",
            include_bytes!("../../../templates/site.js").as_slice(),
        ),
        (
            "assets/search.js",
            include_bytes!("../../../templates/search.js").as_slice(),
        ),
    ]
}

/// Compiled templates.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// The built-ins, then the data repository's own `templates/*.html` as the loader
    /// read them (an override of a built-in, or a new template an override includes). A
    /// file the same as the built-in of its name is no override (the project's own
    /// checkout holds the built-ins in `templates/`).
    pub fn from_repo(repo: &crate::model::Repo) -> Result<Templates, SiteError> {
        let overrides: Vec<(String, String)> = repo
            .templates
            .iter()
            .map(|(name, &file)| (name, repo.sources.get(file).text.as_str()))
            .filter(|&(name, text)| !BUILT_IN.iter().any(|&(n, t)| n == name && t == text))
            .map(|(name, text)| (name.clone(), text.to_string()))
            .collect();
        Templates::with_overrides(&overrides)
    }

    /// The built-ins with `overrides` (name, source) laid over them.
    pub fn with_overrides(overrides: &[(String, String)]) -> Result<Templates, SiteError> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        let built_in = BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), *text))
            .chain(
                BUILT_IN
                    .iter()
                    .map(|(name, text)| (format!("rota/{name}"), *text)),
            );
        tera.add_raw_templates(built_in)
            .map_err(|e| SiteError(format!("built-in templates: {}", error_text(&e))))?;
        if !overrides.is_empty() {
            tera.add_raw_templates(overrides.iter().map(|(n, t)| (n.as_str(), t.as_str())))
                .map_err(|e| SiteError(format!("templates/: {}", error_text(&e))))?;
        }
        Ok(Templates { tera })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, SiteError> {
        self.tera
            .render(name, context)
            .map_err(|e| SiteError(format!("rendering {name}: {}", error_text(&e))))
    }
}

/// A Tera error with its causes (the cause holds the location in the template).
fn error_text(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(&format!("\n{c}"));
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_404_page_may_load_from_base_urls_origin_and_nothing_else() {
        let policy = policy_loading_from("https://example.github.io:8443/support/");
        assert!(
            policy.contains("script-src 'self' https://example.github.io:8443;"),
            "{policy}"
        );
        assert!(
            policy.contains("style-src 'self' https://example.github.io:8443;"),
            "{policy}"
        );
        assert!(policy.contains("default-src 'none';"), "{policy}");
        assert!(policy.contains("connect-src 'self';"), "{policy}");
        for hostile in [
            "/",
            "https://x.example; script-src *",
            "https://x.example/'unsafe-inline'",
            "https://*.example/",
            "https://user@x.example/",
            "javascript:alert(1)",
            "https:///x",
        ] {
            let policy = policy_loading_from(hostile);
            assert!(
                policy == CONTENT_SECURITY_POLICY
                    || policy.contains("script-src 'self' https://x.example;"),
                "{hostile}: {policy}"
            );
            assert!(
                !policy.contains('*') && !policy.contains("unsafe"),
                "{policy}"
            );
        }
        assert_eq!(policy_loading_from("/"), CONTENT_SECURITY_POLICY);
    }

    #[test]
    fn every_built_in_page_carries_the_policy_as_a_meta() {
        let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"{{ content_security_policy | safe }}\">";
        for (name, source) in BUILT_IN {
            let whole_page = source.contains("<html");
            assert!(
                source.starts_with("{% extends \"base.html\" %}")
                    || !whole_page
                    || *name == "base.html",
                "{name}: a page of its own must carry the policy too"
            );
        }
        let base = BUILT_IN
            .iter()
            .find(|(name, _)| *name == "base.html")
            .map(|(_, source)| *source)
            .unwrap_or("");
        let head_end = base.find("</head>").unwrap_or(0);
        assert!(base[..head_end].contains(meta), "base.html's head: {meta}");
        // Before any stylesheet or script, so that it governs them.
        assert!(base.find(meta) < base.find("<link"));
    }
}
