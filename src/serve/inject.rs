//! What the preview adds to served HTML (never to `rota build` output): a script that
//! reloads the page after a rebuild, and a banner with the findings while an error
//! stands.

use super::Problem;

/// The reload script, served at `/__rota/reload.js`: polls the build version and reloads
/// the page when it changes (a new build, or an error appearing or going away).
pub const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-version") : null;
  function poll() {
    fetch("/__rota/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) {
        if (v !== shown) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
"#;

/// The banner's style, served at `/__rota/serve.css` (a file, so a page's own
/// Content-Security-Policy of `'self'` allows it).
pub const SERVE_CSS: &str = "#rota-serve-banner{position:sticky;top:0;z-index:1000;margin:0;padding:.75rem 1rem;background:#7a1010;color:#fff;font:15px/1.4 system-ui,sans-serif;border-bottom:3px solid #ffb4b4;max-height:50vh;overflow:auto}\n#rota-serve-banner pre{white-space:pre-wrap;font:13px/1.35 ui-monospace,monospace;margin:.5rem 0 0;color:#fff;background:none}\n#rota-serve-banner strong{color:#fff}\n";

/// `html` with the banner (when `problem` is set) after `<body …>` and the reload
/// script before `</body>`.
pub fn inject(html: &[u8], version: u64, problem: Option<&Problem>) -> Vec<u8> {
    let script = format!(r#"<script src="/__rota/reload.js" data-version="{version}"></script>"#);
    let mut out = Vec::with_capacity(html.len() + script.len() + 512);
    let mut rest = html;
    if let Some(problem) = problem {
        let at = after_body_open(html).unwrap_or(0);
        out.extend_from_slice(&html[..at]);
        out.extend_from_slice(banner(problem).as_bytes());
        rest = &html[at..];
    }
    match find_last_ci(rest, b"</body") {
        Some(at) => {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(script.as_bytes());
            out.extend_from_slice(&rest[at..]);
        }
        None => {
            out.extend_from_slice(rest);
            out.extend_from_slice(script.as_bytes());
        }
    }
    out
}

/// The banner's markup; every value escaped.
pub fn banner(problem: &Problem) -> String {
    format!(
        r#"<link rel="stylesheet" href="/__rota/serve.css"><div id="rota-serve-banner" role="alert"><strong>{}</strong><pre>{}</pre></div>"#,
        escape(&problem.summary),
        escape(&problem.details)
    )
}

/// The offset just after the `>` of the opening `<body …>` tag.
fn after_body_open(html: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_ci(&html[from..], b"<body") {
        let start = from + i;
        let next = html.get(start + 5).copied();
        if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
            let close = html[start..].iter().position(|&b| b == b'>')?;
            return Some(start + close + 1);
        }
        from = start + 5;
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// HTML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(details: &str) -> Problem {
        Problem {
            summary: "1 error".into(),
            details: details.into(),
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_close() {
        let html = b"<!doctype html><html><body class=x><p>hi</p></BODY></html>";
        let out = String::from_utf8(inject(html, 7, None)).expect("utf-8");
        assert_eq!(
            out,
            "<!doctype html><html><body class=x><p>hi</p><script src=\"/__rota/reload.js\" data-version=\"7\"></script></BODY></html>"
        );
    }

    #[test]
    fn the_banner_follows_the_body_tag_and_is_escaped() {
        let html = b"<html><head><title>t</title></head><body>\n<main>m</main></body></html>";
        let out = String::from_utf8(inject(
            html,
            3,
            Some(&problem("<img src=x onerror=alert(1)>")),
        ))
        .expect("utf-8");
        let banner_at = out.find("rota-serve-banner").expect("banner");
        assert!(out.find("<body>").expect("body") < banner_at);
        assert!(banner_at < out.find("<main>").expect("main"));
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!out.contains("<img"));
        assert!(out.contains("data-version=\"3\"></script></body>"));
    }

    #[test]
    fn a_body_like_tag_is_not_the_body() {
        let html = b"<bodyguard></bodyguard><body><p>x</p>";
        let out = String::from_utf8(inject(html, 1, Some(&problem("e")))).expect("utf-8");
        let banner_at = out.find("rota-serve-banner").expect("banner");
        assert!(out.find("<body>").expect("body") < banner_at);
        assert!(out.ends_with("</script>"), "no </body>: script appended");
    }
}
