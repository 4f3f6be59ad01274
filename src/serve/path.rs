//! From a request target to a key of the build's output map: percent-decoded, and
//! refused when it could name anything outside the site (`..`, `.`, backslashes, NUL,
//! absolute forms). Nothing here touches the file system: only keys of the map are ever
//! served.

/// A request path, decoded and checked: segments without `.`/`..`, joined with `/`,
/// without the leading slash. A trailing slash is kept (`dir/`), the root is `""`.
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath(pub String);

/// Why a target was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathError {
    /// Not of the form `/…` (absolute URI, `*`, empty).
    NotOriginForm,
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8.
    BadEncoding,
    /// `..`, `.`, a backslash, a NUL or another control character: outside the site.
    OutsideSite,
}

/// Decodes `/a/b%20c?query#frag` into `a/b c`, refusing anything that could climb out.
pub fn site_path(target: &str) -> Result<SitePath, PathError> {
    let path = target
        .split(['?', '#'])
        .next()
        .filter(|p| p.starts_with('/'))
        .ok_or(PathError::NotOriginForm)?;
    let decoded = percent_decode(path)?;
    let rel = &decoded[1..];
    if rel.contains(['\\', '\0']) || rel.chars().any(char::is_control) {
        return Err(PathError::OutsideSite);
    }
    if rel.split('/').any(|s| s == "." || s == "..") {
        return Err(PathError::OutsideSite);
    }
    if rel.starts_with('/') {
        return Err(PathError::OutsideSite);
    }
    Ok(SitePath(rel.to_string()))
}

fn percent_decode(s: &str) -> Result<String, PathError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(PathError::BadEncoding)?;
            let hex = std::str::from_utf8(hex).map_err(|_| PathError::BadEncoding)?;
            let value = u8::from_str_radix(hex, 16).map_err(|_| PathError::BadEncoding)?;
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PathError::BadEncoding)
}

/// The content type of a served file, from its extension.
pub fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(target: &str) -> String {
        site_path(target).expect(target).0
    }

    #[test]
    fn plain_paths_decode() {
        assert_eq!(ok("/"), "");
        assert_eq!(ok("/index.html"), "index.html");
        assert_eq!(ok("/runbooks/db/"), "runbooks/db/");
        assert_eq!(ok("/a%20b.html?at=2026-12-25T10:00#top"), "a b.html");
        assert_eq!(ok("/%C3%A9t%C3%A9.html"), "été.html");
    }

    #[test]
    fn traversal_is_refused_however_it_is_spelled() {
        for target in [
            "/../Cargo.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2FCargo.toml",
            "/.%2e/x",
            "/a/%2e/b",
            "/..%5cCargo.toml",
            "/a%00.html",
            "//etc/passwd",
            "/a/..",
        ] {
            assert_eq!(
                site_path(target),
                Err(PathError::OutsideSite),
                "{target} must be refused"
            );
        }
    }

    #[test]
    fn only_origin_form_targets_and_valid_escapes_pass() {
        assert_eq!(site_path("*"), Err(PathError::NotOriginForm));
        assert_eq!(
            site_path("http://evil.example/x"),
            Err(PathError::NotOriginForm)
        );
        assert_eq!(site_path("/a%2"), Err(PathError::BadEncoding));
        assert_eq!(site_path("/a%zz"), Err(PathError::BadEncoding));
        assert_eq!(site_path("/%ff%fe"), Err(PathError::BadEncoding));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type("calendars/alice.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("api/oncall.json"), "application/json");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("assets/site.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/site.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("shot.png"), "image/png");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
