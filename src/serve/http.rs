//! The HTTP side of `pestle serve`, on tiny_http: files from the output
//! folder with the right types, ETags and 304s, the site's 404 page, folder
//! redirects, a refusal of anything that could leave the output folder, and
//! the live-reload script and event stream.

use crate::site::hash_of;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

const LIVE_JS: &str = include_str!("live.js");
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head><body><h1>The site has not been built yet</h1><p>Fix the problems shown below and in the terminal; this page updates when the build succeeds.</p></body></html>";
const LIVE_TAG: &str = "<script src=\"/__pestle/live.js\" defer></script>";

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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Pestle"[..], &b"1"[..]).unwrap_or_else(|_| unreachable!())
    })
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
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
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

fn respond(req: Request, resp: Response<std::io::Cursor<Vec<u8>>>) {
    let _ = req.respond(resp);
}

fn plain(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Serves one file's bytes, answering 304 when the browser has them.
fn file_response(
    req: &Request,
    path: &str,
    bytes: Vec<u8>,
    status: u16,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let bytes = if path.ends_with(".html") {
        inject(bytes)
    } else {
        bytes
    };
    let etag = format!("\"{:016x}\"", hash_of(bytes.as_slice()));
    let not_modified = status == 200
        && req.headers().iter().any(|h| {
            h.field.equiv("If-None-Match") && h.value.as_str().split(',').any(|v| v.trim() == etag)
        });
    let base = if not_modified {
        Response::from_data(Vec::new()).with_status_code(StatusCode(304))
    } else {
        Response::from_data(bytes).with_status_code(StatusCode(status))
    };
    base.with_header(header("Content-Type", content_type(path)))
        .with_header(header("ETag", &etag))
        .with_header(header("Cache-Control", "no-cache"))
}

/// Handles one request (the event stream is handed to its own thread).
pub(crate) fn handle(shared: &Arc<Shared>, req: Request) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let resp = plain(405, "Only GET and HEAD are allowed.\n")
            .with_header(header("Allow", "GET, HEAD"));
        return respond(req, resp);
    }
    let url = req.url().to_string();
    let (raw_path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (url.clone(), None),
    };
    let Ok(segs) = safe_segments(&raw_path) else {
        return respond(req, plain(400, "Bad request: that path is not allowed.\n"));
    };
    if segs.first().map(String::as_str) == Some("__pestle") {
        match segs.get(1).map(String::as_str) {
            Some("live.js") => {
                let resp = Response::from_data(LIVE_JS.as_bytes().to_vec())
                    .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-cache"));
                return respond(req, resp);
            }
            Some("events") => {
                let shared = Arc::clone(shared);
                std::thread::spawn(move || stream_events(&shared, req));
                return;
            }
            _ => return respond(req, plain(404, "Not found.\n")),
        }
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
                location.push_str(&q);
            }
            let resp = plain(301, "Moved to the folder's address.\n")
                .with_header(header("Location", &location));
            return respond(req, resp);
        }
        full.push("index.html");
    }
    let rel = full
        .strip_prefix(&shared.out_dir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    match read_inside(&shared.out_dir, &full) {
        Some(bytes) => {
            let resp = file_response(&req, &rel, bytes, 200);
            respond(req, resp)
        }
        None => {
            // Before the first good build there is no 404 page: show one that
            // the live script fills with the errors, and that updates itself.
            let page = std::fs::read(shared.out_dir.join("404.html"))
                .unwrap_or_else(|_| NOT_BUILT.as_bytes().to_vec());
            let resp = file_response(&req, "404.html", page, 404);
            respond(req, resp)
        }
    }
}

/// Reads `file` only if, after resolving links, it is inside `top`.
fn read_inside(top: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = file.canonicalize().ok()?;
    let top = top.canonicalize().ok()?;
    if !real.starts_with(&top) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

/// Server-Sent Events: the current error state at once, then an event per
/// rebuild, and a comment every 15 s to keep the connection open.
fn stream_events(shared: &Arc<Shared>, req: Request) {
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let Ok(mut state) = shared.live.lock() else {
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
        let Ok((guard, timeout)) =
            shared
                .wake
                .wait_timeout_while(guard, Duration::from_secs(15), |s| {
                    s.generation == seen && !s.stopping
                })
        else {
            return;
        };
        state = guard;
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

/// Starts `workers` threads answering requests until the server is unblocked.
pub(crate) fn spawn_workers(
    server: &Arc<Server>,
    shared: &Arc<Shared>,
    workers: usize,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..workers)
        .map(|_| {
            let server = Arc::clone(server);
            let shared = Arc::clone(shared);
            std::thread::spawn(move || {
                while let Ok(req) = server.recv() {
                    handle(&shared, req);
                }
            })
        })
        .collect()
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
}
