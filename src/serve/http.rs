//! Just enough HTTP/1.x for a local preview: one request per connection, read with hard
//! limits on its size and time, answered with `Connection: close`.

use std::io::{self, Read, Write};

/// The request line and headers together may not exceed this.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// At most this many header lines.
pub const MAX_HEADERS: usize = 100;
/// The whole head must arrive within this time, however slowly it trickles in.
pub const MAX_HEAD_TIME: std::time::Duration = std::time::Duration::from_secs(20);

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

/// Reads one request head (never the body: the server answers GET and HEAD only).
/// `Ok(None)` when the peer closed or timed out before sending anything useful.
pub fn read_request(stream: &mut impl Read) -> Result<Option<Request>, BadRequest> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let started = std::time::Instant::now();
    loop {
        if let Some(end) = head_end(&head) {
            head.truncate(end);
            break;
        }
        if head.len() >= MAX_HEAD_BYTES {
            return Err(bad(431, "request header fields too large"));
        }
        if started.elapsed() > MAX_HEAD_TIME {
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
    pub fn write_to(&self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            reason_phrase(self.status),
            self.content_type,
            self.body.len()
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
        let err = read_request(&mut endless).expect_err("too large");
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
        let req = read_request(&mut input).expect("ok").expect("some");
        assert_eq!(req.target, "/x");
        assert_eq!(req.host, None);
    }
}
