//! `pestle serve`, run as a real process on an ephemeral loopback port:
//! HTTP behaviour, live rebuilds on change, add, delete and rename, the
//! error overlay's data, and many concurrent requests.

use crate::serving::{
    changed_paths, events, get, next_event, next_event_where, request, start, wait_for,
};
use crate::support::{Site, page, pestle_cmd};
use std::time::{Duration, Instant};

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
    // A body edit rewrites only its page at once; the guide's print page,
    // which holds its text, once the editor pauses; the search index in
    // the background. Each comes in its own event, in any order.
    let page_only = |d: &str| changed_paths(d) == ["guide/a/index.html"];
    let print_only = |d: &str| changed_paths(d) == ["guide/print/index.html"];
    let search_only = |d: &str| {
        let paths = changed_paths(d);
        !paths.is_empty() && paths.iter().all(|p| p.starts_with("search/"))
    };
    let kinds: [&dyn Fn(&str) -> bool; 3] = [&page_only, &print_only, &search_only];
    let mut seen = [false; 3];
    while seen.contains(&false) {
        let data = next_event_where(&rx, "reload", &|d| {
            kinds.iter().zip(&seen).any(|(k, done)| !done && k(d))
        });
        for (k, done) in kinds.iter().zip(seen.iter_mut()) {
            *done |= k(&data);
        }
    }
    wait_for(&srv.addr, "/guide/print/", "Second version of A.");
    s.write(
        "content/guide/a.md",
        &page(
            "title: Page A renamed\ndescription: A.\nweight: 1",
            "Second version of A.",
        ),
    );
    wait_for(&srv.addr, "/guide/", "Page A renamed");
    let data = next_event_where(&rx, "reload", &|d| {
        changed_paths(d)
            .first()
            .is_some_and(|p| !p.starts_with("search/"))
    });
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
    assert_eq!(
        get(&srv.addr, "/guide/a/").0,
        404,
        "a deleted page answers 404 at once, though the site has errors"
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
    stops_cleanly_on(libc::SIGINT);
}

#[test]
fn sigterm_stops_cleanly_and_leaves_no_temporary_folder() {
    stops_cleanly_on(libc::SIGTERM);
}

fn stops_cleanly_on(signal: libc::c_int) {
    let s = site();
    let mut srv = start(&s);
    let pid = srv.child.id();
    let out_dir = std::env::temp_dir().join(format!("pestle-serve-{pid}"));
    assert!(out_dir.join("index.html").exists());
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(pid as libc::pid_t, signal);
    }
    let started = Instant::now();
    let status = loop {
        if let Some(status) = srv.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop on signal {signal}"
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
