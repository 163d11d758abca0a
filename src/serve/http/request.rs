//! Reading a request's head within limits: a deadline for the whole head,
//! a cap on each line and on the number of headers; bodies are never read.

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

/// The longest request line or header line.
pub(crate) const MAX_LINE: usize = 8 * 1024;
/// The most header lines in one request.
pub(crate) const MAX_HEADERS: usize = 100;

/// One request's head.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The request target as sent (`/eps/?x=1`).
    pub(crate) target: String,
    /// True for HTTP/1.1 (keep-alive by default).
    pub(crate) http11: bool,
    /// Header names in lower case, with their values.
    pub(crate) headers: Vec<(String, String)>,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.http11 {
            !connection.split(',').any(|t| t.trim() == "close")
        } else {
            connection.split(',').any(|t| t.trim() == "keep-alive")
        }
    }

    /// True when the request says a body follows (pestle never reads one).
    pub(crate) fn has_body(&self) -> bool {
        self.header("transfer-encoding").is_some()
            || self
                .header("content-length")
                .is_some_and(|v| v.trim() != "0")
    }
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// The client closed the connection before sending anything.
    Closed,
    /// Too slow, or silent.
    Timeout,
    /// Not HTTP: 400.
    Bad,
    /// A line or the header list is too long: 414 or 431.
    TooLarge(u16),
    /// The connection failed.
    Io,
}

/// Reads one line (up to `\n`) before `deadline`, at most `max` bytes.
pub(crate) fn read_line<R: std::io::Read>(
    r: &mut BufReader<R>,
    deadline: Instant,
    max: usize,
    set_timeout: &dyn Fn(&R, Duration),
    out: &mut Vec<u8>,
) -> Result<bool, HeadError> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Timeout);
        }
        set_timeout(r.get_ref(), left);
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::Timeout);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(HeadError::Io),
        };
        if buf.is_empty() {
            return Ok(false);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        // A line may hold `max` bytes and its CR LF; `out` never grows past
        // one byte more than that.
        let limit = max + 2;
        let take = take.min(limit + 1 - out.len());
        out.extend_from_slice(&buf[..take]);
        r.consume(take);
        if out.len() > limit {
            return Err(HeadError::TooLarge(0));
        }
        if done {
            return Ok(true);
        }
    }
}

/// Reads a request head: the request line and headers, within the limits.
pub(crate) fn read_head<R: std::io::Read>(
    r: &mut BufReader<R>,
    first_byte_wait: Duration,
    head_deadline: Duration,
    set_timeout: &dyn Fn(&R, Duration),
) -> Result<Request, HeadError> {
    // Wait for the request to start (keep-alive idle), then give the whole
    // head one deadline, so a client sending a byte at a time cannot hold
    // the connection for ever.
    let started = Instant::now();
    let mut line = Vec::new();
    loop {
        let left = first_byte_wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(HeadError::Timeout);
        }
        set_timeout(r.get_ref(), left);
        match r.fill_buf() {
            Ok([]) => return Err(HeadError::Closed),
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::Timeout);
            }
            Err(_) => return Err(HeadError::Io),
        }
    }
    let deadline = Instant::now() + head_deadline;
    // Browsers may send a blank line after a request; skip a few.
    let mut blanks = 0;
    loop {
        line.clear();
        match read_line(r, deadline, MAX_LINE, set_timeout, &mut line) {
            Ok(true) => {}
            Ok(false) => return Err(HeadError::Closed),
            Err(HeadError::TooLarge(_)) => return Err(HeadError::TooLarge(414)),
            Err(e) => return Err(e),
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) && blanks < 4 {
            blanks += 1;
            continue;
        }
        break;
    }
    let text = String::from_utf8(std::mem::take(&mut line)).map_err(|_| HeadError::Bad)?;
    let mut parts = text.trim_end().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Bad);
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HeadError::Bad),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err(HeadError::Bad);
    }
    let mut headers = Vec::new();
    loop {
        line.clear();
        match read_line(r, deadline, MAX_LINE, set_timeout, &mut line) {
            Ok(true) => {}
            Ok(false) => return Err(HeadError::Bad),
            Err(HeadError::TooLarge(_)) => return Err(HeadError::TooLarge(431)),
            Err(e) => return Err(e),
        }
        let l = std::str::from_utf8(&line).map_err(|_| HeadError::Bad)?;
        let l = l.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if headers.len() >= MAX_HEADERS {
            return Err(HeadError::TooLarge(431));
        }
        let Some((name, value)) = l.split_once(':') else {
            return Err(HeadError::Bad);
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(HeadError::Bad);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &[u8]) -> Result<Request, HeadError> {
        let mut r = BufReader::new(text);
        read_head(
            &mut r,
            Duration::from_secs(1),
            Duration::from_secs(1),
            &|_, _| {},
        )
    }

    /// Sends one byte per read, pausing between them, like a slowloris client.
    struct Trickle(Vec<u8>, usize);
    impl std::io::Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(20));
            match self.0.get(self.1) {
                Some(b) if !buf.is_empty() => {
                    buf[0] = *b;
                    self.1 += 1;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_client_sending_a_byte_at_a_time_runs_out_of_time() {
        let text = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
        let mut r = BufReader::with_capacity(1, Trickle(text.to_vec(), 0));
        let got = read_head(
            &mut r,
            Duration::from_secs(5),
            Duration::from_millis(300),
            &|_, _| {},
        );
        assert_eq!(got.err(), Some(HeadError::Timeout));
    }

    #[test]
    fn reads_request_heads_within_limits() {
        let r = head(b"GET /a/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nConnection: close\r\n\r\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a/?q=1"));
        assert_eq!(r.header("host"), Some("localhost:1111"));
        assert!(!r.keep_alive());
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE + 10));
        assert_eq!(head(long.as_bytes()).err(), Some(HeadError::TooLarge(414)));
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "b".repeat(MAX_LINE + 10));
        assert_eq!(head(big.as_bytes()).err(), Some(HeadError::TooLarge(431)));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(many.as_bytes()).err(), Some(HeadError::TooLarge(431)));
        assert_eq!(head(b"").err(), Some(HeadError::Closed));
        assert_eq!(head(b"nonsense\r\n\r\n").err(), Some(HeadError::Bad));
        assert_eq!(head(b"GET / HTTP/9\r\n\r\n").err(), Some(HeadError::Bad));
    }
}
