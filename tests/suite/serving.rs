//! Running `pestle serve` as a real process on an ephemeral loopback port,
//! and talking to it over raw HTTP.

use crate::support::{Site, pestle_cmd};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `pestle serve`, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(site: &Site) -> Server {
    let mut cmd = pestle_cmd();
    cmd.args(["serve", "--port", "0"]);
    start_command(site, cmd)
}

/// Starts a serve command (whatever runs it) in the site's folder.
pub(crate) fn start_command(site: &Site, mut cmd: std::process::Command) -> Server {
    let mut child = cmd
        .current_dir(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut line).expect("first line");
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
    });
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// A raw HTTP/1.0 exchange: (status, headers, body).
pub(crate) fn request(addr: &str, raw: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s.write_all(raw.as_bytes()).expect("send");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

pub(crate) fn get(addr: &str, path: &str) -> (u16, String, String) {
    request(
        addr,
        &format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n"),
    )
}

/// Polls `path` until its body contains `want` (or fails after 10 s).
pub(crate) fn wait_for(addr: &str, path: &str, want: &str) -> String {
    let started = Instant::now();
    loop {
        let (_, _, body) = get(addr, path);
        if body.contains(want) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} never showed {want:?}; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Opens the live-reload stream; events arrive as (event name, data).
pub(crate) fn events(addr: &str) -> Receiver<(String, String)> {
    let (tx, rx) = channel();
    let (ready_tx, ready) = channel();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(format!("GET /__pestle/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .expect("send");
    std::thread::spawn(move || {
        let reader = BufReader::new(s);
        let mut event = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            // The stream's first word (a comment, or the errors shown):
            // from here on, every change is told to this stream.
            if line.starts_with(": connected") || line.starts_with("event: ") {
                let _ = ready_tx.send(());
            }
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), d.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    ready
        .recv_timeout(Duration::from_secs(10))
        .expect("the live-reload stream to open within 10 s");
    rx
}

pub(crate) fn next_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == name => return d,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no {name} event within 10 s")
}

/// The first `name` event within 10 s whose data `wanted` accepts; the
/// events before it are skipped (the search index, which catches up in
/// the background, sends its own).
pub(crate) fn next_event_where(
    rx: &Receiver<(String, String)>,
    name: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == name && wanted(&d) => return d,
            Ok((e, d)) => seen.push(format!("{e}: {d}")),
            Err(_) => break,
        }
    }
    panic!("no wanted {name} event within 10 s; saw {seen:?}")
}

/// The paths a reload event's data lists.
pub(crate) fn changed_paths(data: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    v["changed"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
