//! The HTTP side of `pestle serve`: a small HTTP/1.1 server on the standard
//! library that serves the output folder with the right types, ETags and
//! 304s, the site's 404 page, folder redirects, and the live-reload script
//! and event stream.
//!
//! It is written for a preview server that a web page in the editor's own
//! browser may try to abuse, and that must stay up for hours:
//! - at most [`MAX_CONNECTIONS`] connections at once, each with a deadline
//!   for its request head and an idle timeout between requests, so slow or
//!   silent clients cannot pile up threads;
//! - request heads are capped ([`MAX_LINE`], [`MAX_HEADERS`]) and bodies are
//!   never read, so no request can grow the server's memory;
//! - running out of file descriptors pauses accepting instead of ending it;
//! - the `Host` header must name this machine (loopback or an IP address),
//!   so a page on another site cannot read drafts through DNS rebinding;
//! - paths that could leave the output folder are refused.

use crate::hash::hash_of;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const LIVE_JS: &str = include_str!("live.js");
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head><body><h1>The site has not been built yet</h1><p>Fix the problems shown below and in the terminal; this page updates when the build succeeds.</p></body></html>";
const LIVE_TAG: &str = "<script src=\"/__pestle/live.js\" defer></script>";

/// Connections served at once; more are answered 503 and closed.
pub(crate) const MAX_CONNECTIONS: usize = 1024;
/// The longest request line or header line.
pub(crate) const MAX_LINE: usize = 8 * 1024;
/// The most header lines in one request.
pub(crate) const MAX_HEADERS: usize = 100;
/// How long a client may take to send a whole request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may wait for its next request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a write to a client may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(15);

/// What the live-reload stream tells browsers.
#[derive(Debug, Default, Clone)]
pub(crate) struct LiveState {
    /// Goes up by one on every rebuild.
    pub(crate) generation: u64,
    /// The files each recent rebuild changed, by generation (the last 64),
    /// so a page that was busy still hears of every change it missed.
    pub(crate) changes: std::collections::VecDeque<(u64, Vec<String>)>,
    /// The generation of the newest change no longer remembered.
    pub(crate) forgotten: u64,
    /// JSON list of the current errors, when the last rebuild failed.
    pub(crate) errors: Option<String>,
    /// Set when the server is stopping.
    pub(crate) stopping: bool,
}

/// State shared by the request handlers and the rebuild loop.
pub(crate) struct Shared {
    pub(crate) out_dir: PathBuf,
    pub(crate) live: Mutex<LiveState>,
    pub(crate) wake: Condvar,
    /// Whether the server listens on loopback only (then `Host` must say so).
    pub(crate) loopback: bool,
}

impl Shared {
    /// Publishes a change to every open page.
    pub(crate) fn publish(&self, update: impl FnOnce(&mut LiveState)) {
        if let Ok(mut s) = self.live.lock() {
            update(&mut s);
            s.generation += 1;
        }
        self.wake.notify_all();
    }

    /// Publishes a good rebuild that changed `files`.
    pub(crate) fn publish_changes(&self, files: Vec<String>) {
        self.publish(|s| {
            s.errors = None;
            let generation = s.generation + 1;
            s.changes.push_back((generation, files));
            while s.changes.len() > 64 {
                if let Some((g, _)) = s.changes.pop_front() {
                    s.forgotten = g;
                }
            }
        });
    }
}

impl LiveState {
    /// Every file changed after generation `seen`, as the reload event's
    /// JSON; `"*"` when some of those changes are no longer remembered.
    fn changed_since(&self, seen: u64) -> String {
        let mut files: Vec<&str> = if self.forgotten > seen {
            vec!["*"]
        } else {
            Vec::new()
        };
        for (g, list) in &self.changes {
            if *g > seen {
                files.extend(list.iter().map(String::as_str));
            }
        }
        files.sort_unstable();
        files.dedup();
        serde_json::json!({ "changed": files }).to_string()
    }
}

/// The Content-Type for a file name.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PathError {
    /// 400: it tries to leave the output folder or is malformed.
    Bad,
}

/// Turns a request path into segments inside the output folder, refusing
/// `..`, encoded slashes and backslashes, NUL and anything not UTF-8.
pub(crate) fn safe_segments(raw: &str) -> Result<Vec<String>, PathError> {
    if !raw.starts_with('/') {
        return Err(PathError::Bad);
    }
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return Err(PathError::Bad);
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            let v = hex
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(PathError::Bad)?;
            decoded.push(v);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(decoded).map_err(|_| PathError::Bad)?;
    if path.contains('\0') || path.contains('\\') {
        return Err(PathError::Bad);
    }
    let mut segs = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(PathError::Bad),
            s if s.contains(':') && segs.is_empty() => return Err(PathError::Bad),
            s => segs.push(s.to_string()),
        }
    }
    Ok(segs)
}

/// Adds the live-reload script to an HTML page.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w == b"</body>");
    match at {
        Some(at) => {
            let mut out = Vec::with_capacity(html.len() + LIVE_TAG.len());
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(LIVE_TAG.as_bytes());
            out.extend_from_slice(&html[at..]);
            out
        }
        None => {
            html.extend_from_slice(LIVE_TAG.as_bytes());
            html
        }
    }
}

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
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.http11 {
            !connection.split(',').any(|t| t.trim() == "close")
        } else {
            connection.split(',').any(|t| t.trim() == "keep-alive")
        }
    }

    /// True when the request says a body follows (pestle never reads one).
    fn has_body(&self) -> bool {
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
fn read_line<R: std::io::Read>(
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

/// A response to write.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    fn plain(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn write_response(
    w: &mut impl Write,
    resp: &Response,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    let mut out = head.into_bytes();
    if !head_only && resp.status != 304 {
        out.extend_from_slice(&resp.body);
    }
    w.write_all(&out)?;
    w.flush()
}

/// True when the `Host` header names this machine: with a loopback server,
/// `localhost` or a loopback address; otherwise also any IP address. A name
/// from elsewhere (a DNS-rebinding attack) is refused.
pub(crate) fn host_allowed(host: Option<&str>, loopback: bool) -> bool {
    let Some(host) = host else { return false };
    let host = host.trim().to_ascii_lowercase();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, _)) => inside.to_string(),
            None => return false,
        }
    } else {
        host.rsplit_once(':')
            .map_or(host.as_str(), |(h, p)| {
                if p.bytes().all(|b| b.is_ascii_digit()) {
                    h
                } else {
                    host.as_str()
                }
            })
            .to_string()
    };
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => !loopback || ip.is_loopback(),
        Err(_) => false,
    }
}

/// Serves one file's bytes, answering 304 when the browser has them.
fn file_response(req: &Request, path: &str, bytes: Vec<u8>, status: u16) -> Response {
    let bytes = if path.ends_with(".html") {
        inject(bytes)
    } else {
        bytes
    };
    let etag = format!("\"{:016x}\"", hash_of(bytes.as_slice()));
    let not_modified = status == 200
        && req
            .header("if-none-match")
            .is_some_and(|v| v.split(',').any(|v| v.trim() == etag));
    let status = if not_modified { 304 } else { status };
    Response::new(status, content_type(path), bytes)
        .with("ETag", etag)
        .with("Cache-Control", "no-cache")
}

/// What to do with one request.
enum Answer {
    Respond(Response),
    /// Hand the connection to the live-reload event stream.
    Events,
}

/// Answers one request.
fn answer(shared: &Shared, req: &Request) -> Answer {
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return Answer::Respond(
            Response::plain(405, "Only GET and HEAD are allowed.\n").with("Allow", "GET, HEAD"),
        );
    }
    if !host_allowed(req.header("host"), shared.loopback)
        && (req.http11 || req.header("host").is_some())
    {
        return Answer::Respond(Response::plain(
            403,
            "Forbidden: this preview server answers only requests for this computer's own address.\n",
        ));
    }
    let (raw_path, query) = match req.target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (req.target.as_str(), None),
    };
    let Ok(segs) = safe_segments(raw_path) else {
        return Answer::Respond(Response::plain(
            400,
            "Bad request: that path is not allowed.\n",
        ));
    };
    if segs.first().map(String::as_str) == Some("__pestle") {
        return match segs.get(1).map(String::as_str) {
            Some("live.js") => Answer::Respond(
                Response::new(
                    200,
                    "text/javascript; charset=utf-8",
                    LIVE_JS.as_bytes().to_vec(),
                )
                .with("Cache-Control", "no-cache"),
            ),
            Some("events") => Answer::Events,
            _ => Answer::Respond(Response::plain(404, "Not found.\n")),
        };
    }
    let mut full = shared.out_dir.clone();
    for s in &segs {
        full.push(s);
    }
    if full.is_dir() {
        if !raw_path.ends_with('/') {
            let mut location = format!("{raw_path}/");
            if let Some(q) = query {
                location.push('?');
                location.push_str(q);
            }
            return Answer::Respond(
                Response::plain(301, "Moved to the folder's address.\n").with("Location", location),
            );
        }
        full.push("index.html");
    }
    let rel = full
        .strip_prefix(&shared.out_dir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    Answer::Respond(match read_inside(&shared.out_dir, &full) {
        Some(bytes) => file_response(req, &rel, bytes, 200),
        None => {
            // Before the first good build there is no 404 page: show one that
            // the live script fills with the errors, and that updates itself.
            let page = read_inside(&shared.out_dir, &shared.out_dir.join("404.html"))
                .unwrap_or_else(|| NOT_BUILT.as_bytes().to_vec());
            file_response(req, "404.html", page, 404)
        }
    })
}

/// Reads `file` only if, after resolving links, it is a file inside `top`.
fn read_inside(top: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = file.canonicalize().ok()?;
    if !real.starts_with(top) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

/// Serves requests on one connection until it closes, times out or asks
/// for the event stream.
fn connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(MAX_LINE, stream);
    let set_timeout = |s: &TcpStream, d: Duration| {
        let _ = s.set_read_timeout(Some(d.max(Duration::from_millis(1))));
    };
    loop {
        let req = match read_head(&mut reader, IDLE_TIMEOUT, HEAD_DEADLINE, &set_timeout) {
            Ok(r) => r,
            Err(HeadError::Closed | HeadError::Io | HeadError::Timeout) => return,
            Err(HeadError::Bad) => {
                let resp = Response::plain(400, "Bad request.\n");
                let _ = write_response(&mut writer, &resp, false, false);
                return;
            }
            Err(HeadError::TooLarge(status)) => {
                let resp = Response::plain(status, "The request is too large.\n");
                let _ = write_response(&mut writer, &resp, false, false);
                return;
            }
        };
        let stopping = shared.live.lock().map_or(true, |s| s.stopping);
        let keep_alive = req.keep_alive() && !req.has_body() && !stopping;
        match answer(shared, &req) {
            Answer::Events => {
                stream_events(shared, &mut writer);
                return;
            }
            Answer::Respond(resp) => {
                let head_only = req.method == "HEAD";
                let keep = keep_alive && resp.status < 400;
                if write_response(&mut writer, &resp, head_only, keep).is_err() || !keep {
                    return;
                }
            }
        }
    }
}

/// Server-Sent Events: the current error state at once, then an event per
/// rebuild, and a comment every 15 s to keep the connection open.
fn stream_events(shared: &Shared, w: &mut TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let Ok(state) = shared.live.lock() else {
        return;
    };
    let mut seen = state.generation;
    let first = match &state.errors {
        Some(e) => format!("event: errors\ndata: {e}\n\n"),
        None => ": connected\n\n".to_string(),
    };
    drop(state);
    if w.write_all(first.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let Ok(guard) = shared.live.lock() else {
            return;
        };
        let Ok((state, timeout)) =
            shared
                .wake
                .wait_timeout_while(guard, Duration::from_secs(15), |s| {
                    s.generation == seen && !s.stopping
                })
        else {
            return;
        };
        if state.stopping {
            return;
        }
        let message = if timeout.timed_out() {
            ": ping\n\n".to_string()
        } else {
            let seen_before = seen;
            seen = state.generation;
            match &state.errors {
                Some(e) => format!("event: errors\ndata: {e}\n\n"),
                None => format!(
                    "event: reload\ndata: {}\n\n",
                    state.changed_since(seen_before)
                ),
            }
        };
        drop(state);
        if w.write_all(message.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

/// True for accept errors that mean "out of resources for now": keep the
/// listener and try again shortly (issue: once descriptors ran out, the
/// server stopped accepting for good).
fn is_resource_error(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        return matches!(
            code,
            libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM
        );
    }
    let _ = e;
    false
}

/// A running server: the accept loop and its connections.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts accepting on `listener`, serving from `shared`.
    pub(crate) fn start(listener: TcpListener, shared: Arc<Shared>) -> std::io::Result<Server> {
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let active = Arc::new(AtomicUsize::new(0));
        let stopping = Arc::clone(&stop);
        let accept = std::thread::Builder::new()
            .name("pestle-accept".into())
            .spawn(move || {
                while !stopping.load(Ordering::SeqCst) {
                    let stream = match listener.accept() {
                        Ok((s, _)) => s,
                        Err(e) if is_resource_error(&e) => {
                            std::thread::sleep(Duration::from_millis(50));
                            continue;
                        }
                        Err(_) => continue,
                    };
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                        let mut s = stream;
                        let _ = s.set_write_timeout(Some(Duration::from_millis(200)));
                        let resp = Response::plain(503, "Too many connections; try again.\n");
                        let _ = write_response(&mut s, &resp, false, false);
                        continue;
                    }
                    active.fetch_add(1, Ordering::SeqCst);
                    let shared = Arc::clone(&shared);
                    let count = Arc::clone(&active);
                    let spawned = std::thread::Builder::new()
                        .name("pestle-conn".into())
                        .stack_size(256 * 1024)
                        .spawn(move || {
                            connection(&shared, stream);
                            count.fetch_sub(1, Ordering::SeqCst);
                        });
                    if spawned.is_err() {
                        // Out of threads: the connection is dropped, the
                        // server goes on.
                        active.fetch_sub(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
            })?;
        Ok(Server {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// Stops accepting and waits for the accept loop to end.
    pub(crate) fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let wake = if self.addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), self.addr.port())
        } else {
            self.addr
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_millis(500));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_could_leave_the_output_folder() {
        assert_eq!(
            safe_segments("/eps/a%20b/"),
            Ok(vec!["eps".into(), "a b".into()])
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc",
            "/a/%2F..%2Fb",
            "/a\\\\b",
            "/%00",
            "/C:/x",
            "eps",
            "/a/%zz",
        ] {
            assert_eq!(safe_segments(bad), Err(PathError::Bad), "{bad}");
        }
    }

    #[test]
    fn injects_the_live_script_before_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("<html><body><p>x</p>{LIVE_TAG}</body></html>")
        );
    }

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

    #[test]
    fn only_this_machines_names_may_be_the_host() {
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:80",
            "[::1]:1111",
            "a.localhost",
        ] {
            assert!(host_allowed(Some(ok), true), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "192.168.1.5:1111",
            "",
            "[::1",
        ] {
            assert!(!host_allowed(Some(bad), true), "{bad}");
        }
        assert!(!host_allowed(None, true));
        assert!(host_allowed(Some("192.168.1.5:1111"), false));
        assert!(!host_allowed(Some("rebind.example"), false));
    }
}
