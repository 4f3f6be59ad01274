//! Answers one request from the published build: only keys of the output map are
//! served; `/` and `dir/` mean their `index.html`; anything else is the site's 404 page.

use super::Published;
use super::http::{Request, Response};
use super::inject::{self, RELOAD_JS, SERVE_CSS};
use super::path::{self, PathError};
use crate::output::staging::Outputs;

/// The preview's own endpoints live under this prefix, which no site path can take (ids
/// start with a letter or digit).
pub const PREFIX: &str = "__rota/";

pub fn respond(published: &Published, request: &Request) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405, "rota serve answers GET and HEAD only\n")
            .with_header("Allow", "GET, HEAD".into());
    }
    if let Some(host) = &request.host
        && !is_loopback_host(host)
    {
        return Response::text(403, "rota serve answers only for localhost\n");
    }
    let path = match path::site_path(&request.target) {
        Ok(p) => p.0,
        Err(PathError::OutsideSite) => {
            return Response::text(400, "refused: the path leads outside the site\n");
        }
        Err(PathError::BadEncoding) => return Response::text(400, "malformed percent-encoding\n"),
        Err(PathError::NotOriginForm) => return Response::text(400, "malformed request target\n"),
    };
    if let Some(own) = path.strip_prefix(PREFIX) {
        return own_endpoint(published, own);
    }
    let site = &published.site;
    match find(site, &path) {
        Found::File(key) => page(published, key, 200),
        Found::Redirect(location) => {
            Response::text(301, "moved\n").with_header("Location", location)
        }
        Found::Listing(dir) => html(published, listing(site, &dir).into_bytes(), 200),
        Found::Missing => match site.get_key_value("404.html") {
            Some((key, _)) => page(published, key, 404),
            None => html(
                published,
                format!(
                    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><main><h1>Not found</h1><p>No page at <code>/{}</code>. <a href=\"/\">Home</a></p></main></body></html>",
                    inject::escape(&path)
                )
                .into_bytes(),
                404,
            ),
        },
    }
}

fn own_endpoint(published: &Published, name: &str) -> Response {
    match name {
        "version" => Response::text(200, &published.version.to_string()),
        "reload.js" => Response::new(
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes().to_vec(),
        ),
        "serve.css" => Response::new(
            200,
            "text/css; charset=utf-8",
            SERVE_CSS.as_bytes().to_vec(),
        ),
        _ => Response::text(404, "no such preview endpoint\n"),
    }
}

fn page(published: &Published, key: &str, status: u16) -> Response {
    let bytes = published.site.get(key).map(Vec::as_slice).unwrap_or(&[]);
    let content_type = path::content_type(key);
    if content_type.starts_with("text/html") {
        html(published, bytes.to_vec(), status)
    } else {
        Response::new(status, content_type, bytes.to_vec())
    }
}

fn html(published: &Published, bytes: Vec<u8>, status: u16) -> Response {
    let body = inject::inject(&bytes, published.version, published.problem.as_deref());
    Response::new(status, "text/html; charset=utf-8", body)
}

/// `127.0.0.1`, `localhost` or `[::1]`, with or without a port: a page on another host
/// name that resolves here (DNS rebinding) gets nothing.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost" | "::1"
    )
}

/// What a site path names.
#[derive(Debug, PartialEq, Eq)]
enum Found<'a> {
    File(&'a str),
    /// A folder asked for without its slash: send the browser to `dir/` so relative
    /// links resolve.
    Redirect(String),
    /// A folder without an `index.html`: list what it holds.
    Listing(String),
    Missing,
}

fn find<'a>(site: &'a Outputs, path: &str) -> Found<'a> {
    if path.split('/').any(|s| s.starts_with('.')) {
        return Found::Missing;
    }
    if path.is_empty() || path.ends_with('/') {
        if let Some((key, _)) = site.get_key_value(&format!("{path}index.html")) {
            return Found::File(key);
        }
        return if has_under(site, path) {
            Found::Listing(path.to_string())
        } else {
            Found::Missing
        };
    }
    if let Some((key, _)) = site.get_key_value(path) {
        return Found::File(key);
    }
    if has_under(site, &format!("{path}/")) {
        return Found::Redirect(format!("/{}/", encode(path)));
    }
    Found::Missing
}

/// Whether any served key lies under the folder `dir` (`""` or ending in `/`).
fn has_under(site: &Outputs, dir: &str) -> bool {
    site.range(dir.to_string()..)
        .take_while(|(k, _)| k.starts_with(dir))
        .any(|(k, _)| !hidden(&k[dir.len()..]))
}

fn hidden(rel: &str) -> bool {
    rel.split('/').any(|s| s.starts_with('.'))
}

/// A plain listing of a folder's files and subfolders.
fn listing(site: &Outputs, dir: &str) -> String {
    let mut entries: Vec<&str> = Vec::new();
    for (key, _) in site.range(dir.to_string()..) {
        let Some(rel) = key.strip_prefix(dir) else {
            break;
        };
        if hidden(rel) {
            continue;
        }
        let entry = match rel.find('/') {
            Some(i) => &rel[..=i],
            None => rel,
        };
        if entries.last() != Some(&entry) {
            entries.push(entry);
        }
    }
    let items: String = entries
        .iter()
        .map(|e| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                inject::escape(&encode(e)),
                inject::escape(e)
            )
        })
        .collect();
    let title = inject::escape(&format!("/{dir}"));
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1><ul>{items}</ul></main></body></html>"
    )
}

/// Percent-encodes a path for a `Location` header or a link (keeps `/`).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn site(keys: &[&str]) -> Published {
        let map: Outputs = keys
            .iter()
            .map(|k| (k.to_string(), format!("<body>{k}</body>").into_bytes()))
            .collect();
        Published {
            version: 1,
            site: Arc::new(map),
            problem: None,
        }
    }

    fn get(published: &Published, target: &str) -> Response {
        respond(
            published,
            &Request {
                method: "GET".into(),
                target: target.into(),
                host: Some("127.0.0.1:8000".into()),
            },
        )
    }

    #[test]
    fn folders_mean_their_index_and_slashless_folders_redirect() {
        let p = site(&[
            "index.html",
            "rotas/ooh/index.html",
            "404.html",
            ".rota-build",
        ]);
        let home = get(&p, "/");
        assert_eq!(home.status, 200);
        assert!(String::from_utf8_lossy(&home.body).contains("<body>index.html"));
        assert_eq!(get(&p, "/rotas/ooh/").status, 200);
        let moved = get(&p, "/rotas/ooh?x=1");
        assert_eq!(moved.status, 301);
        assert_eq!(moved.headers, vec![("Location", "/rotas/ooh/".to_string())]);
        let missing = get(&p, "/nope.html");
        assert_eq!(missing.status, 404);
        assert!(String::from_utf8_lossy(&missing.body).contains("<body>404.html"));
        assert_eq!(get(&p, "/.rota-build").status, 404);
    }

    #[test]
    fn a_folder_without_index_is_listed() {
        let p = site(&[
            "calendars/alice.ics",
            "calendars/rotas/ooh.ics",
            ".rota-build",
        ]);
        let root = String::from_utf8(get(&p, "/").body).expect("utf-8");
        assert!(root.contains("href=\"calendars/\""), "{root}");
        assert!(!root.contains("rota-build"));
        let cal = String::from_utf8(get(&p, "/calendars/").body).expect("utf-8");
        assert!(cal.contains("href=\"alice.ics\""));
        assert!(cal.contains("href=\"rotas/\""));
        let ics = get(&p, "/calendars/alice.ics");
        assert_eq!(ics.content_type, "text/calendar; charset=utf-8");
        assert_eq!(
            ics.body, b"<body>calendars/alice.ics</body>",
            "not injected"
        );
    }

    #[test]
    fn other_hosts_methods_and_traversal_are_refused() {
        let p = site(&["index.html"]);
        let mut req = Request {
            method: "GET".into(),
            target: "/".into(),
            host: Some("evil.example:8000".into()),
        };
        assert_eq!(respond(&p, &req).status, 403);
        req.host = Some("[::1]:8000".into());
        assert_eq!(respond(&p, &req).status, 200);
        req.host = Some("LOCALHOST".into());
        assert_eq!(respond(&p, &req).status, 200);
        req.method = "POST".into();
        assert_eq!(respond(&p, &req).status, 405);
        assert_eq!(get(&p, "/../Cargo.toml").status, 400);
        assert_eq!(get(&p, "/%2e%2e/Cargo.toml").status, 400);
        assert_eq!(get(&p, "/Cargo.toml").status, 404);
    }

    #[test]
    fn the_version_endpoint_and_html_injection() {
        let mut p = site(&["index.html"]);
        p.version = 42;
        assert_eq!(get(&p, "/__rota/version").body, b"42");
        let home = String::from_utf8(get(&p, "/").body).expect("utf-8");
        assert!(home.contains("data-version=\"42\""));
        assert_eq!(get(&p, "/__rota/reload.js").status, 200);
        assert_eq!(get(&p, "/__rota/other").status, 404);
    }
}
