//! `rota serve` end to end: the real binary on a free loopback port against a temporary
//! data repository; pages, 404, traversal refusal, rebuild on change, the last good
//! build with a banner while an error stands, malformed requests, a busy port.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest wait for the server to start or to pick up a change (generous: debug build on
/// a loaded 2-core machine; the poll is every 300 ms).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `rota serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(repo: &TestRepo) -> Server {
    start_with(repo, &[])
}

/// Starts `rota serve` with these environment variables set (`Some`) or removed.
fn start_with(repo: &TestRepo, env: &[(&str, Option<&str>)]) -> Server {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("rota"));
    command
        .arg("--root")
        .arg(repo.path())
        .args(["--today", TODAY, "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    let mut child = command.spawn().expect("start rota serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + PATIENCE;
    let mut server = Server { child, port: 0 };
    while Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) else {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("rota serve exited early: {status}");
            }
            continue;
        };
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
            server.port = port.parse().expect("port");
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || while rx.recv().is_ok() {});
            return server;
        }
    }
    panic!("rota serve did not say where it serves within {PATIENCE:?}");
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Sends `raw` bytes as they are (no client-side path normalisation) and reads the reply.
fn send(port: u16, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(raw).expect("send");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(port: u16, target: &str) -> Reply {
    send(
        port,
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    )
}

/// GETs `target` until `pred` holds, for at most [`PATIENCE`].
fn wait_for(port: u16, target: &str, what: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let reply = get(port, target);
        if pred(&reply) {
            return reply;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not seen within {PATIENCE:?}; last reply to {target}: {} {}",
            reply.status,
            reply.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/alerts/web.yaml",
        "- { id: site-down, summary: Site down, service: web, severity: critical, pages: [ooh], runbook: site-down }\n",
    );
    repo.write(
        "rota/services.yaml",
        "- { id: web, name: Website, impact: [public-access], out_of_hours: true, rota: ooh }\n",
    );
    repo.write(
        "runbooks/site-down.md",
        "---\ntitle: Site down\nowner: \"#ops\"\nlast_reviewed: 2026-10-01\n---\n# Site down\n\n## Check\n\n## Act\n",
    );
    repo
}

const FEED: &str = "/calendars/rotas/ooh.ics";
const ROTA_PAGE: &str = "/rotas/ooh.html";

#[test]
fn serves_rebuilds_and_keeps_the_last_good_build_while_an_error_stands() {
    let repo = repo();
    let server = start(&repo);
    let port = server.port;

    // Pages: the site's home page carries the reload script and no banner.
    let home = get(port, "/");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        home.header("Content-Type")
            .unwrap_or("")
            .starts_with("text/html")
    );
    assert!(home.body.contains("/__rota/reload.js"), "{}", home.body);
    assert!(!home.body.contains("rota-serve-banner"));
    assert!(
        home.body.contains("<title>Test team"),
        "the site's home: {}",
        home.body
    );
    assert_eq!(get(port, "/index.html").body, home.body);
    let rota_page = get(port, ROTA_PAGE);
    assert_eq!(rota_page.status, 200);
    assert!(
        rota_page.body.contains("<title>Out of hours ·"),
        "{}",
        rota_page.body
    );
    // `dir/` is its index; `dir` moves to `dir/` so relative links resolve.
    assert_eq!(get(port, "/people/").status, 200);
    let moved = get(port, "/people");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("Location"), Some("/people/"));
    for (target, content_type) in [
        ("/assets/site.css", "text/css; charset=utf-8"),
        ("/assets/site.js", "text/javascript; charset=utf-8"),
        ("/api/oncall.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
    ] {
        let reply = get(port, target);
        assert_eq!(reply.status, 200, "{target}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{target}");
        assert!(
            !reply.body.contains("__rota"),
            "{target}: only HTML is injected"
        );
    }
    let version: u64 = get(port, "/__rota/version").body.parse().expect("version");

    let feed = get(port, FEED);
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.header("Content-Type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(feed.body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(feed.body.contains("Out of hours (Test team)"));
    assert!(!feed.body.contains("reload.js"), "only HTML is injected");

    // HEAD: the headers without the body.
    let head = send(
        port,
        format!("HEAD {FEED} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Length"),
        Some(feed.body.len().to_string().as_str())
    );

    // Unknown pages: 404. Paths outside the site: refused, however spelled.
    let missing = get(port, "/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("Content-Type")
            .unwrap_or("")
            .starts_with("text/html")
    );
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404: {}",
        missing.body
    );
    // Published, the 404 page links from base_url; the preview links it to itself.
    assert!(
        missing.body.contains("href=\"/assets/site.css\"")
            && !missing.body.contains("href=\"https://"),
        "the preview's 404 links to the preview: {}",
        missing.body
    );
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2FCargo.toml",
        "/calendars/..%2f..%2fCargo.toml",
        "/..%5cCargo.toml",
    ] {
        let refused = get(port, target);
        assert_eq!(refused.status, 400, "{target}");
        assert!(!refused.body.contains("[package]"), "{target}");
    }
    // Files of the data repository are not the site.
    assert_eq!(get(port, "/rota/config.yaml").status, 404);
    assert_eq!(get(port, "/runbooks/site-down.md").status, 404);
    // Only localhost names are answered (DNS rebinding).
    let rebound = send(
        port,
        format!("GET / HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(rebound.status, 403);

    // An edit is rebuilt and served.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("name: Out of hours", "name: Nights and weekends"),
    );
    wait_for(port, FEED, "the renamed rota", |r| {
        r.body.contains("Nights and weekends (Test team)")
    });
    let renamed = get(port, ROTA_PAGE);
    assert!(
        renamed.body.contains("Nights and weekends"),
        "{}",
        renamed.body
    );
    assert!(
        renamed.body.contains("<title>Nights and weekends ·"),
        "{}",
        renamed.body
    );
    let rebuilt: u64 = get(port, "/__rota/version").body.parse().expect("version");
    assert!(rebuilt > version, "the version moves so open pages reload");

    // An error: the last good build stays, with the findings in a banner on every page.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("name: Out of hours", "name: Broken")
            .replace("heidi]", "heidi, \"<b>zed</b>\"]"),
    );
    let with_banner = wait_for(port, "/", "the error banner", |r| {
        r.body.contains("rota-serve-banner")
    });
    let body = &with_banner.body;
    assert!(body.contains("1 error in the data"), "{body}");
    assert!(body.contains("showing the last good build"), "{body}");
    assert!(body.contains("unknown-reference"), "{body}");
    assert!(body.contains("rota/rotas/ooh.yaml:8:"), "{body}");
    assert!(body.contains("&lt;b&gt;zed&lt;/b&gt;"), "escaped: {body}");
    assert!(!body.contains("<b>zed</b>"), "never raw: {body}");
    let feed = get(port, FEED);
    assert!(
        feed.body.contains("Nights and weekends (Test team)"),
        "last good build"
    );
    assert!(!feed.body.contains("Broken"));
    let missing = get(port, "/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("rota-serve-banner"), "every page");

    // Fixed: the banner goes and the new build is served.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("name: Out of hours", "name: Mended"),
    );
    wait_for(port, FEED, "the mended rota", |r| {
        r.body.contains("Mended (Test team)")
    });
    let home = get(port, "/");
    assert!(!home.body.contains("rota-serve-banner"), "{}", home.body);

    // A broken template override: the last good build, with the template error in the banner.
    repo.write(
        "templates/rota.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock content %}",
    );
    let broken = wait_for(port, ROTA_PAGE, "the template banner", |r| {
        r.body.contains("rota-serve-banner")
    });
    assert!(
        broken.body.contains("the site could not be rendered"),
        "{}",
        broken.body
    );
    assert!(
        broken.body.contains("Mended"),
        "last good build: {}",
        broken.body
    );
    repo.remove("templates/rota.html");
    wait_for(port, ROTA_PAGE, "the banner gone", |r| {
        !r.body.contains("rota-serve-banner")
    });
}

#[test]
fn rota_build_output_never_carries_the_preview_script() {
    let repo = repo();
    let out = repo.path().join("public");
    repo.stdout(&["build"]);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = std::fs::read_to_string(entry.path()).expect("read");
            assert!(!html.contains("__rota"), "{}", entry.path().display());
            assert!(!html.contains("rota-serve-banner"));
        }
    }
    assert!(pages > 5, "the site was built ({pages} pages)");
}

#[test]
fn malformed_and_oversized_requests_get_an_answer_and_the_server_stays_up() {
    let repo = repo();
    let server = start(&repo);
    let port = server.port;
    assert_eq!(send(port, b"NONSENSE\r\n\r\n").status, 400);
    assert_eq!(send(port, b"GET / HTTP/9.9\r\n\r\n").status, 505);
    assert_eq!(send(port, b"GET /%zz HTTP/1.1\r\n\r\n").status, 400);
    assert_eq!(
        send(port, b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status,
        405
    );
    let mut huge = b"GET / HTTP/1.1\r\nX-Filler: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 64 * 1024));
    huge.extend_from_slice(b"\r\n\r\n");
    let reply = send(port, &huge);
    assert_eq!(reply.status, 431);
    // A client that connects and says nothing does not block others.
    let _silent = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    assert_eq!(get(port, FEED).status, 200);
}

#[cfg(target_os = "linux")]
#[test]
fn listens_on_loopback_only() {
    let repo = repo();
    let server = start(&repo);
    // /proc/net/tcp: "local_address" is hex IP:PORT; 0100007F is 127.0.0.1, state 0A is LISTEN.
    let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
    let port = format!(":{:04X}", server.port);
    let listening: Vec<&str> = table
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.get(1)?.ends_with(&port) && *fields.get(3)? == "0A").then_some(fields[1])
        })
        .collect();
    assert_eq!(listening, vec![format!("0100007F{port}")]);
    let v6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    assert!(
        !v6.lines().any(|l| l
            .split_whitespace()
            .nth(1)
            .is_some_and(|a| a.ends_with(&port))),
        "not on IPv6 either"
    );
}

#[test]
fn a_port_in_use_is_a_clear_error_with_exit_2() {
    let taken = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let repo = repo();
    let out = repo
        .rota(&["serve", "--port", &port])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
}

#[test]
fn a_missing_repository_is_exit_2_not_a_server() {
    let repo = TestRepo::empty();
    let out = repo
        .rota(&["serve", "--port", "0"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rota/config.yaml"));
}

/// The policy the built site's pages carry as a `<meta>`, read from a page.
fn meta_policy(html: &str) -> Option<&str> {
    let start = html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"")?;
    let rest = &html[start..];
    let value = &rest[rest.find("content=\"")? + "content=\"".len()..];
    value.split('"').next()
}

#[test]
fn every_response_carries_the_security_headers_and_the_pages_policy() {
    let repo = repo();
    let server = start(&repo);
    let port = server.port;
    let home = get(port, "/");
    let policy = home
        .header("Content-Security-Policy")
        .expect("a Content-Security-Policy header")
        .to_string();
    let directives: Vec<&str> = policy.split("; ").collect();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(directives.contains(&directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("unsafe"), "{policy}");
    // The page's own <meta> says the same, less what only a header can say.
    assert_eq!(
        meta_policy(&home.body).map(|m| format!("{m}; frame-ancestors 'none'")),
        Some(policy.clone()),
        "{}",
        home.body
    );
    for (target, status) in [
        ("/", 200),
        (ROTA_PAGE, 200),
        ("/assets/search-index.js", 200),
        ("/assets/site.js", 200),
        ("/assets/site.css", 200),
        ("/api/oncall.json", 200),
        (FEED, 200),
        ("/__rota/reload.js", 200),
        ("/__rota/version", 200),
        ("/no-such-page.html", 404),
        ("/../Cargo.toml", 400),
    ] {
        let reply = get(port, target);
        assert_eq!(reply.status, status, "{target}");
        for (name, value) in [
            ("Cross-Origin-Resource-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", policy.as_str()),
        ] {
            assert_eq!(reply.header(name), Some(value), "{name} on {target}");
        }
    }
    // The preview's reload script is a file of the site's own origin, not inline.
    assert!(home.body.contains("<script src=\"/__rota/reload.js\""));
    let reply = send(
        port,
        format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Filler: {}\r\n\r\n",
            "a".repeat(64 * 1024)
        )
        .as_bytes(),
    );
    assert_eq!(reply.status, 431);
    assert_eq!(reply.header("X-Frame-Options"), Some("DENY"), "errors too");
}

#[test]
fn sixty_four_slow_clients_do_not_keep_a_normal_request_waiting() {
    let repo = repo();
    let server = start(&repo);
    let port = server.port;
    assert_eq!(get(port, "/").status, 200, "warm");
    // 64 clients that send the start of a request line and then hold the connection, as
    // a slowloris does (the old limit of 64 connections answered everyone else 503).
    let mut slow = Vec::new();
    for _ in 0..64 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.write_all(b"GET / HT").expect("partial request line");
        slow.push(stream);
    }
    // Let the server take them all in before the request that must not wait for them.
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        let asked = Instant::now();
        let reply = get(port, ROTA_PAGE);
        let took = asked.elapsed();
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.body.contains("Out of hours"), "{}", reply.body);
        // A blow-up guard: answered at once, not after the slow clients time out (10 s).
        assert!(
            took < Duration::from_secs(1),
            "answered in {took:?} with 64 slow clients connected"
        );
    }
    // The slow clients are still held, not dropped to make room.
    let mut probe = [0u8; 1];
    let first = &mut slow[0];
    first
        .set_read_timeout(Some(Duration::from_millis(100)))
        .expect("timeout");
    assert!(
        matches!(first.read(&mut probe), Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "a slow client's connection is still open"
    );
}

#[test]
fn a_head_sent_a_byte_at_a_time_is_cut_off_within_the_head_time() {
    let repo = repo();
    let server = start(&repo);
    let port = server.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut writer = stream.try_clone().expect("clone");
    let connected = Instant::now();
    // A byte every half second: each read is quick, the head never ends.
    let trickle = std::thread::spawn(move || {
        let bytes = b"GET / HTTP/1.1\r\nX-Slow: ";
        for i in 0..120 {
            let byte = bytes.get(i).copied().unwrap_or(b'a');
            if writer.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let held = connected.elapsed();
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = trickle.join();
    // Cut off after the 10 s allowed for a head (with room for a loaded machine), not
    // after the minute this client would take (nor after 20 s, as before).
    assert!(held < Duration::from_secs(18), "held for {held:?}");
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 408 "),
        "{reply}"
    );
}

#[test]
fn the_built_sites_pages_carry_the_policy_and_need_nothing_it_forbids() {
    let repo = repo();
    repo.write(
        "runbooks/site-down.md",
        "---\ntitle: Site down\nowner: \"#ops\"\nlast_reviewed: 2026-10-01\n---\n# Site down\n\n<p style=\"color:red\" onclick=\"alert(1)\">raw</p>\n\n<script>alert(1)</script>\n\n## Check\n\n## Act\n",
    );
    repo.stdout(&["build"]);
    let out = repo.path().join("public");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let shown = entry.path().display().to_string();
        let html = std::fs::read_to_string(entry.path()).expect("read");
        let policy = meta_policy(&html).unwrap_or_else(|| panic!("{shown}: no CSP meta"));
        assert!(policy.contains("default-src 'none'"), "{shown}: {policy}");
        assert!(policy.contains("script-src 'self'"), "{shown}: {policy}");
        assert!(!policy.contains("unsafe"), "{shown}: {policy}");
        assert!(
            !policy.contains("frame-ancestors"),
            "ignored in a meta: {shown}"
        );
        let head_end = html.find("</head>").unwrap_or(0);
        assert!(
            html.find("http-equiv=\"Content-Security-Policy\"") < html.find("<link"),
            "{shown}: the policy comes before the stylesheet"
        );
        assert!(
            html.find("<link").is_some_and(|at| at < head_end),
            "{shown}"
        );
        // Nothing the policy blocks: no inline style attributes, event handlers or
        // inline scripts (JSON data blocks are not run, so they may stay). The runbook's
        // raw HTML is shown as text, so it forms no tag.
        for tag in start_tags(&html) {
            let handler = tag.match_indices(" on").any(|(at, _)| {
                let name: String = tag[at + 1..]
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .collect();
                tag[at + 1 + name.len()..].starts_with('=')
            });
            assert!(!tag.contains(" style=") && !handler, "{shown}: <{tag}>");
            if tag.starts_with("script") {
                assert!(
                    tag.contains(" src=") || tag.contains(" type=\"application/json\""),
                    "{shown}: an inline script <{tag}>"
                );
            }
        }
    }
    assert!(pages > 5, "the site was built ({pages} pages)");
}

/// The start tags of `html` (what lies between `<` and `>`), without the brackets.
fn start_tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|t| t.split('>').next().unwrap_or(""))
}

/// `rota build` and `rota serve` on one repository: exit code and standard error of each.
#[test]
fn serve_refuses_guessable_feed_names_as_build_does() {
    let repo = repo();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}calendar:\n  secret_env: ROTA_SERVE_TEST_SECRET\n"),
    );
    let out_dir = repo.path().join("public");
    let just_short = "s3cr3t".repeat(6)[..31].to_string();
    for (secret, why) in [
        (None, "ROTA_SERVE_TEST_SECRET is not set"),
        (Some("Q"), "must be at least 32 bytes"),
        (Some(just_short.as_str()), "must be at least 32 bytes"),
    ] {
        let env = [("ROTA_SERVE_TEST_SECRET", secret)];
        // `build`: a located `feed-secret` error, exit 1, nothing written.
        let mut build = repo.rota(&["build", "--out"]);
        build.arg(&out_dir).timeout(Duration::from_secs(60));
        for (name, value) in env {
            match value {
                Some(v) => build.env(name, v),
                None => build.env_remove(name),
            };
        }
        let out = build.output().expect("run");
        let built = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "build: {built}");
        assert!(built.contains(why), "build: {built}");
        assert!(built.contains("feed-secret"), "build: {built}");
        assert!(built.contains("rota/config.yaml:"), "build: {built}");
        assert!(!out_dir.exists(), "a refused build writes nothing");
        // `serve`: the same finding in the banner, and no feed served under any name.
        let server = start_with(&repo, &env);
        let home = get(server.port, "/");
        assert!(home.body.contains("rota-serve-banner"), "{}", home.body);
        assert!(
            home.body.contains(why),
            "serve must refuse too: {}",
            home.body
        );
        if let Some(secret) = secret {
            assert!(!built.contains(secret) && !home.body.contains(secret));
        }
        assert_eq!(get(server.port, FEED).status, 404);
        assert_eq!(get(server.port, "/calendars/alice.ics").status, 404);
    }
}

#[test]
fn serve_refuses_a_missing_base_url_as_build_does() {
    let repo = repo();
    let without = "title: Test team\ntimezone: Europe/London\n";
    repo.write("rota/config.yaml", without);
    let out_dir = repo.path().join("public");
    let out = repo
        .rota(&["build", "--out"])
        .arg(&out_dir)
        .output()
        .expect("run");
    let build_says = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{build_says}");
    assert!(build_says.contains("`base_url` is not set"), "{build_says}");
    assert!(!out_dir.exists());

    // `serve` builds nothing to show either: the banner gives the same finding, and no
    // feed (whose links would be relative) is served.
    let server = start(&repo);
    let home = get(server.port, "/");
    assert!(home.body.contains("rota-serve-banner"), "{}", home.body);
    assert!(home.body.contains("`base_url` is not set"), "{}", home.body);
    assert!(home.body.contains("rota/config.yaml:1:1"), "{}", home.body);
    assert_eq!(get(server.port, FEED).status, 404);

    // Set, the preview builds and serves the feed.
    repo.write("rota/config.yaml", CONFIG);
    wait_for(server.port, FEED, "the feed once base_url is set", |r| {
        r.status == 200
    });
}
