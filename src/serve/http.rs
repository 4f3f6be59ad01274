//! Just enough HTTP/1.x for a local preview: one request per connection, read with hard
//! limits on its size and time, answered with `Connection: close` and the security
//! headers of docs/security.md on every response.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The request line and headers together may not exceed this.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// At most this many header lines.
pub const MAX_HEADERS: usize = 100;
/// The whole head must arrive within this time, however slowly it trickles in.
pub const MAX_HEAD_TIME: Duration = Duration::from_secs(10);
/// The whole response must be taken within this time, however slowly the peer reads.
pub const MAX_RESPONSE_TIME: Duration = Duration::from_secs(30);

/// The Content-Security-Policy sent with every response: the site's own policy (the one
/// its pages carry as a `<meta>`) and, since only a header can say it, no framing.
pub fn content_security_policy() -> String {
    format!(
        "{}; frame-ancestors 'none'",
        crate::output::site::CONTENT_SECURITY_POLICY
    )
}

/// The parts of a request the preview server looks at.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent (`/path?query`), still percent-encoded.
    pub target: String,
    /// The `Host` header, when sent.
    pub host: Option<String>,
}

/// Why a request could not be read: the status to answer with and a short reason.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRequest {
    pub status: u16,
    pub reason: &'static str,
}

fn bad(status: u16, reason: &'static str) -> BadRequest {
    BadRequest { status, reason }
}

/// Reads one request head (never the body: the server answers GET and HEAD only), which
/// must be complete by `deadline` (a 408 otherwise). `Ok(None)` when the peer closed or
/// timed out before sending anything useful. Each read of a [`Bounded`] stream waits
/// only for the time left, so the deadline holds however slowly bytes trickle in.
pub fn read_request(
    stream: &mut impl Read,
    deadline: Instant,
) -> Result<Option<Request>, BadRequest> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(end) = head_end(&head) {
            head.truncate(end);
            break;
        }
        if head.len() >= MAX_HEAD_BYTES {
            return Err(bad(431, "request header fields too large"));
        }
        if Instant::now() >= deadline {
            return Err(bad(408, "request timeout"));
        }
        let want = chunk.len().min(MAX_HEAD_BYTES + 4 - head.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) if head.is_empty() => return Ok(None),
            Ok(0) => return Err(bad(400, "incomplete request")),
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) if head.is_empty() => return Ok(None),
            Err(_) => return Err(bad(408, "request timeout")),
        }
    }
    parse_head(&head).map(Some)
}

/// A connection whose reads and writes all end by one deadline: each read or write waits
/// only for the time left (then fails with `TimedOut`), so a peer that sends or takes a
/// byte every few seconds cannot hold the connection past the deadline.
pub struct Bounded<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl<'a> Bounded<'a> {
    pub fn new(stream: &'a TcpStream, deadline: Instant) -> Bounded<'a> {
        Bounded { stream, deadline }
    }

    fn time_left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::ErrorKind::TimedOut.into())
        } else {
            Ok(left)
        }
    }
}

impl Read for Bounded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(Some(self.time_left()?))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

impl Write for Bounded<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(Some(self.time_left()?))?;
        let mut stream = self.stream;
        stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut stream = self.stream;
        stream.flush()
    }
}

/// The length of the head up to its blank line, if it is complete.
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = buf.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Parses a request line and its headers.
pub fn parse_head(head: &[u8]) -> Result<Request, BadRequest> {
    let text = std::str::from_utf8(head).map_err(|_| bad(400, "request is not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(bad(505, "HTTP version not supported"));
    }
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad(400, "malformed method"));
    }
    let mut host = None;
    for (count, line) in lines.enumerate() {
        if count >= MAX_HEADERS {
            return Err(bad(431, "too many header fields"));
        }
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad(400, "malformed header field"));
        };
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(bad(400, "more than one Host header"));
            }
            host = Some(value.trim().to_string());
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

/// A complete response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra header lines, e.g. `("Location", "/dir/")`.
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            body,
            headers: Vec::new(),
        }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// Writes the response; with `head_only` (a HEAD request) the body is left out.
    /// Every response, errors included, carries the security headers: no other origin
    /// may load it as a script, image or style (`Cross-Origin-Resource-Policy`), frame
    /// it, or have it sniffed as another type; pages run only the site's own files.
    pub fn write_to(&self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nCross-Origin-Resource-Policy: same-origin\r\nX-Frame-Options: DENY\r\nContent-Security-Policy: {}\r\nConnection: close\r\n",
            self.status,
            reason_phrase(self.status),
            self.content_type,
            self.body.len(),
            content_security_policy()
        );
        for (name, value) in &self.headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_request_line_and_its_host() {
        let req = parse_head(b"GET /a/b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAccept: */*")
            .expect("valid");
        assert_eq!(req.method, "GET");
        assert_eq!(req.target, "/a/b?x=1");
        assert_eq!(req.host.as_deref(), Some("127.0.0.1:8000"));
    }

    #[test]
    fn malformed_heads_are_refused_not_panicked_on() {
        for head in [
            &b""[..],
            b"GET",
            b"GET /",
            b"GET / HTTP/1.1 extra",
            b"get / HTTP/1.1",
            b"GET / SPDY/3",
            b"GET / HTTP/1.1\r\nno colon here",
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b",
            b"\xff\xfe / HTTP/1.1",
        ] {
            assert!(
                parse_head(head).is_err(),
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn an_endless_head_is_cut_off() {
        let mut endless = std::io::repeat(b'a');
        let err = read_request(&mut endless, far()).expect_err("too large");
        assert_eq!(err.status, 431);
    }

    #[test]
    fn too_many_headers_are_refused() {
        let mut head = String::from("GET / HTTP/1.1\r\n");
        for i in 0..=MAX_HEADERS {
            head.push_str(&format!("X-{i}: y\r\n"));
        }
        assert_eq!(
            parse_head(head.as_bytes()).expect_err("too many").status,
            431
        );
    }

    #[test]
    fn a_request_split_over_reads_is_assembled() {
        let mut input: &[u8] = b"GET /x HTTP/1.0\n\nignored body";
        let req = read_request(&mut input, far()).expect("ok").expect("some");
        assert_eq!(req.target, "/x");
        assert_eq!(req.host, None);
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(600)
    }

    /// A peer that sends one byte of a never-ending head per read, pausing before each.
    struct Trickle {
        pause: Duration,
        reads: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            std::thread::sleep(self.pause);
            self.reads += 1;
            buf[0] = b"GET / HTTP/1.1\r\nX: "[self.reads.min(19) - 1];
            Ok(1)
        }
    }

    #[test]
    fn a_head_that_trickles_in_is_cut_off_at_the_deadline() {
        let mut trickle = Trickle {
            pause: Duration::from_millis(10),
            reads: 0,
        };
        let allowed = Duration::from_millis(200);
        let err = read_request(&mut trickle, Instant::now() + allowed).expect_err("cut off");
        assert_eq!(err.status, 408);
        // Each byte keeps the peer under any per-read timeout; the deadline still ends it
        // (20 reads fit in 200 ms at 10 ms each; far fewer than the 16 KB limit).
        assert!(
            trickle.reads < MAX_HEAD_BYTES / 10,
            "{} reads",
            trickle.reads
        );
    }

    #[test]
    fn every_response_carries_the_security_headers() {
        for response in [
            Response::new(200, "text/javascript; charset=utf-8", b"x".to_vec()),
            Response::text(404, "no\n"),
            Response::text(503, "busy\n"),
        ] {
            let mut out = Vec::new();
            response.write_to(&mut out, false).expect("write");
            let text = String::from_utf8(out).expect("utf-8");
            let head = text.split("\r\n\r\n").next().unwrap_or("");
            for line in [
                "Cross-Origin-Resource-Policy: same-origin",
                "X-Frame-Options: DENY",
                "X-Content-Type-Options: nosniff",
            ] {
                assert!(head.lines().any(|l| l == line), "{line} in {head}");
            }
            let csp = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Security-Policy: "))
                .expect("a Content-Security-Policy");
            for directive in [
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "frame-ancestors 'none'",
                "base-uri 'none'",
            ] {
                assert!(
                    csp.split("; ").any(|d| d == directive),
                    "{directive} in {csp}"
                );
            }
            assert!(!csp.contains("unsafe"), "{csp}");
        }
    }
}
