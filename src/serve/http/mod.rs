//! The HTTP side of `pestle serve`: a small HTTP/1.1 server on the standard
//! library that serves the output folder with the right types, ETags and
//! 304s, the site's 404 page, folder redirects, and the live-reload script
//! and event stream.
//!
//! It is written for a preview server that a web page in the editor's own
//! browser may try to abuse, and that must stay up for hours:
//! - at most [`MAX_CONNECTIONS`](server::MAX_CONNECTIONS) connections at once, each with a deadline
//!   for its request head and an idle timeout between requests, so slow or
//!   silent clients cannot pile up threads;
//! - request heads are capped ([`MAX_LINE`](request::MAX_LINE), [`MAX_HEADERS`](request::MAX_HEADERS)) and bodies are
//!   never read, so no request can grow the server's memory;
//! - running out of file descriptors pauses accepting instead of ending it;
//! - the `Host` header must name this machine (loopback or an IP address),
//!   so a page on another site cannot read drafts through DNS rebinding;
//! - paths that could leave the output folder are refused.

mod request;
mod response;
mod server;

pub(crate) use server::Server;

use crate::hash::hash_of;
use request::Request;
use response::Response;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

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
            s.push_changes(files);
        });
    }

    /// Publishes files written besides a rebuild (the search index, which
    /// catches up in the background); the errors shown, if any, stay.
    pub(crate) fn publish_files(&self, files: Vec<String>) {
        self.publish(|s| s.push_changes(files));
    }
}

impl LiveState {
    /// Records `files` as changed in the next generation; the oldest
    /// changes are forgotten past 64.
    fn push_changes(&mut self, files: Vec<String>) {
        let generation = self.generation + 1;
        self.changes.push_back((generation, files));
        while self.changes.len() > 64 {
            if let Some((g, _)) = self.changes.pop_front() {
                self.forgotten = g;
            }
        }
    }

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
        "yml" | "yaml" => "text/yaml; charset=utf-8",
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
    // The web editor's page is left alone: live reload would swap its body
    // (the editor) after every save.
    let bytes = if path.ends_with(".html") && path != crate::cms::INDEX {
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
pub(crate) enum Answer {
    Respond(Response),
    /// Hand the connection to the live-reload event stream.
    Events,
}

/// Answers one request.
pub(crate) fn answer(shared: &Shared, req: &Request) -> Answer {
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
