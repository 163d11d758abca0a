//! `pestle serve`, run as a real process on an ephemeral loopback port:
//! HTTP behaviour, live rebuilds on change, add, delete and rename, the
//! error overlay's data, and many concurrent requests.

use crate::support::{Site, page, pestle_cmd};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `pestle serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site) -> Server {
    let mut child = pestle_cmd()
        .args(["serve", "--port", "0"])
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
fn request(addr: &str, raw: &str) -> (u16, String, String) {
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

fn get(addr: &str, path: &str) -> (u16, String, String) {
    request(
        addr,
        &format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n"),
    )
}

/// Polls `path` until its body contains `want` (or fails after 10 s).
fn wait_for(addr: &str, path: &str, want: &str) -> String {
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
fn events(addr: &str) -> Receiver<(String, String)> {
    let (tx, rx) = channel();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(format!("GET /__pestle/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .expect("send");
    std::thread::spawn(move || {
        let reader = BufReader::new(s);
        let mut event = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), d.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

fn next_event(rx: &Receiver<(String, String)>, name: &str) -> String {
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

fn site() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            &page(
                "title: Home\ndescription: Home.",
                "[Guide](guide/_index.md)",
            ),
        ),
        (
            "content/guide/_index.md",
            &page("title: Guide\ndescription: The guide.", ""),
        ),
        (
            "content/guide/a.md",
            &page(
                "title: Page A\ndescription: A.\nweight: 1",
                "First version of A.",
            ),
        ),
        (
            "content/guide/b.md",
            &page(
                "title: Page B\ndescription: B.\nweight: 2",
                "See [A](a.md).",
            ),
        ),
        (
            "content/guide/wip.md",
            &page("title: Work in progress\ndraft: true", "Not yet."),
        ),
        (
            "content/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ])
}

#[test]
fn serves_files_like_a_static_host() {
    let s = site();
    let srv = start(&s);
    let (status, head, body) = get(&srv.addr, "/guide/a/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("First version of A."));
    assert!(
        body.contains("<script src=\"/__pestle/live.js\" defer></script></body>"),
        "live reload is injected"
    );
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .expect("etag")
        .to_string();
    let (status, _, body) = request(
        &srv.addr,
        &format!("GET /guide/a/ HTTP/1.0\r\nIf-None-Match: {etag}\r\n\r\n"),
    );
    assert_eq!((status, body.as_str()), (304, ""));
    let (status, head, body) = request(&srv.addr, "HEAD /guide/a/ HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Length:") || head.contains("content-length"),
        "{head}"
    );
    assert!(body.is_empty());
    let (status, head, _) = get(&srv.addr, "/guide");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /guide/"), "{head}");
    let (status, head, _) = get(&srv.addr, "/img/logo.svg");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: image/svg+xml"));
    let (status, _, body) = get(&srv.addr, "/nowhere/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");
    let (status, _, body) = get(&srv.addr, "/guide/wip/");
    assert_eq!(status, 200);
    assert!(body.contains("Draft"), "drafts are served and marked");
    for bad in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/guide/..%2f..%2fsite.yaml",
        "/guide/%2E%2E/%2E%2E/site.yaml",
        "/..\\site.yaml",
    ] {
        let (status, _, body) = get(&srv.addr, bad);
        assert!(status == 400 || status == 404, "{bad} gave {status}");
        assert!(
            !body.contains("title: Test site"),
            "{bad} escaped the output folder"
        );
    }
    let (status, head, _) = request(
        &srv.addr,
        "POST /guide/a/ HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET, HEAD"));
    let (status, _, _) = request(&srv.addr, "NONSENSE\r\n\r\n");
    assert!(
        status == 400 || status == 0 || status >= 400,
        "garbage gets an error, got {status}"
    );
    assert_eq!(
        get(&srv.addr, "/guide/a/").0,
        200,
        "the server survives bad requests"
    );
}

#[test]
fn answers_200_parallel_requests() {
    let s = site();
    let srv = start(&s);
    let handles: Vec<_> = (0..200)
        .map(|n| {
            let addr = srv.addr.clone();
            std::thread::spawn(move || {
                let path = if n % 2 == 0 {
                    "/guide/a/"
                } else {
                    "/css/site.css"
                };
                get(&addr, path).0
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .filter_map(|h| h.join().ok())
        .filter(|&s| s == 200)
        .count();
    assert_eq!(ok, 200);
}

#[test]
fn rebuilds_on_edit_add_delete_and_rename_and_tells_the_page() {
    let s = site();
    let srv = start(&s);
    let rx = events(&srv.addr);
    std::thread::sleep(Duration::from_millis(300));
    s.write(
        "content/guide/a.md",
        &page(
            "title: Page A\ndescription: A.\nweight: 1",
            "Second version of A.",
        ),
    );
    wait_for(&srv.addr, "/guide/a/", "Second version of A.");
    let data = next_event(&rx, "reload");
    // A body edit rewrites only its page at once; the search index that
    // holds its text follows in a second event (issue 6).
    assert_eq!(data, r#"{"changed":["guide/a/index.html"]}"#, "{data}");
    let data = next_event(&rx, "reload");
    let changed: serde_json::Value = serde_json::from_str(&data).expect("JSON");
    let changed = changed["changed"].as_array().expect("changed");
    assert!(
        !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.as_str().is_some_and(|p| p.starts_with("search/"))),
        "then only the search index: {data}"
    );
    s.write(
        "content/guide/a.md",
        &page(
            "title: Page A renamed\ndescription: A.\nweight: 1",
            "Second version of A.",
        ),
    );
    wait_for(&srv.addr, "/guide/", "Page A renamed");
    let data = next_event(&rx, "reload");
    assert!(
        data.contains("guide/index.html") && data.contains("guide/b/index.html"),
        "a title change updates listings and neighbours: {data}"
    );
    s.write(
        "content/guide/c.md",
        &page("title: Page C\ndescription: C.\nweight: 3", "New page."),
    );
    wait_for(&srv.addr, "/guide/c/", "New page.");
    std::fs::rename(
        s.path().join("content/guide/c.md"),
        s.path().join("content/guide/d.md"),
    )
    .expect("rename");
    wait_for(&srv.addr, "/guide/d/", "New page.");
    assert_eq!(
        get(&srv.addr, "/guide/c/").0,
        404,
        "the old address is gone after a rename"
    );
    std::fs::remove_file(s.path().join("content/guide/d.md")).expect("rm");
    let started = Instant::now();
    while get(&srv.addr, "/guide/d/").0 != 404 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "deleted page still served"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn shows_errors_and_keeps_the_last_good_site_until_fixed() {
    let s = site();
    let srv = start(&s);
    let rx = events(&srv.addr);
    std::thread::sleep(Duration::from_millis(300));
    s.write(
        "content/guide/b.md",
        "---\ntitle: Page B\ntitel: oops\n---\nBroken.\n",
    );
    let data = next_event(&rx, "errors");
    let errors: serde_json::Value = serde_json::from_str(&data).expect("json");
    assert_eq!(errors[0]["place"], "content/guide/b.md:3:1");
    assert_eq!(errors[0]["message"], "unknown front-matter key `titel`");
    assert_eq!(errors[0]["hint"], "did you mean `title`?");
    assert!(
        get(&srv.addr, "/guide/b/")
            .2
            .contains("See <a href=\"../a/\">A</a>."),
        "the last good page is still served"
    );
    // A page that opens now gets the errors at once.
    let late = events(&srv.addr);
    assert!(next_event(&late, "errors").contains("titel"));
    // Deleting a linked page makes the link an error too.
    s.write(
        "content/guide/b.md",
        &page(
            "title: Page B\ndescription: B.\nweight: 2",
            "See [A](a.md).",
        ),
    );
    next_event(&rx, "reload");
    std::fs::remove_file(s.path().join("content/guide/a.md")).expect("rm");
    let data = next_event(&rx, "errors");
    assert!(
        data.contains("content/guide/b.md:6:5") && data.contains("broken link"),
        "{data}"
    );
    s.write(
        "content/guide/a.md",
        &page("title: Page A\ndescription: A.\nweight: 1", "Back."),
    );
    next_event(&rx, "reload");
    wait_for(&srv.addr, "/guide/a/", "Back.");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let s = site();
    let srv = start(&s);
    let port = srv.addr.rsplit(':').next().expect("port").to_string();
    let out = pestle_cmd()
        .args(["serve", "--port", &port])
        .current_dir(s.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_its_output() {
    let s = site();
    let mut srv = start(&s);
    let pid = srv.child.id();
    let out_dir = std::env::temp_dir().join(format!("pestle-serve-{pid}"));
    assert!(out_dir.join("index.html").exists());
    // SAFETY: sending SIGINT to our own child process.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGINT);
    }
    let started = Instant::now();
    let status = loop {
        if let Some(status) = srv.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    assert!(!out_dir.exists(), "the temporary output folder is removed");
}

#[test]
fn before_the_first_good_build_pages_show_the_errors() {
    let s = Site::new(&[("content/_index.md", "---\ntitel: Home\n---\n")]);
    let srv = start(&s);
    let (status, _, body) = get(&srv.addr, "/");
    assert_eq!(status, 404);
    assert!(body.contains("The site has not been built yet"), "{body}");
    assert!(body.contains("/__pestle/live.js"));
    let rx = events(&srv.addr);
    assert!(next_event(&rx, "errors").contains("content/_index.md:2:1"));
    s.write("content/_index.md", &page("title: Home", "Built at last."));
    next_event(&rx, "reload");
    assert!(get(&srv.addr, "/").2.contains("Built at last."));
}
