//! `pestle serve` under abuse: a web page in the editor's browser or a
//! local program can send anything, slowly or in bulk, and the preview must
//! stay up, stay small, and show only this machine's own site.

use crate::serving::{
    Server, events, get, next_event, next_event_where, request, start, start_command, wait_for,
};
use crate::support::{Site, page};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn site() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            &page("title: Home\ndescription: Home.", "Welcome."),
        ),
        (
            "content/a.md",
            &page("title: A\ndescription: A.", "Version 0 of A."),
        ),
    ])
}

/// Sends `raw` and reads the whole answer (the server closes after it).
fn exchange(addr: &str, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn a_page_from_another_site_cannot_read_the_preview_through_dns_rebinding() {
    let s = site();
    let srv = start(&s);
    let (status, _, body) = request(
        &srv.addr,
        "GET /a/ HTTP/1.1\r\nHost: attacker.example:1111\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403);
    assert!(!body.contains("Version 0"));
    let (status, _, _) = request(
        &srv.addr,
        "GET /a/ HTTP/1.1\r\nHost: 192.168.1.20\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403, "a loopback server answers only loopback names");
    let port = srv.addr.rsplit(':').next().unwrap_or("");
    let (status, _, body) = request(
        &srv.addr,
        &format!("GET /a/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200);
    assert!(body.contains("Version 0"));
}

#[test]
fn huge_request_heads_are_refused_without_being_held() {
    let s = site();
    let srv = start(&s);
    let long_url = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(100_000)
    );
    assert!(exchange(&srv.addr, long_url.as_bytes()).starts_with("HTTP/1.1 414"));
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "b".repeat(1_000_000)
    );
    assert!(exchange(&srv.addr, big_header.as_bytes()).starts_with("HTTP/1.1 431"));
    let many = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        "X-A: b\r\n".repeat(1000)
    );
    assert!(exchange(&srv.addr, many.as_bytes()).starts_with("HTTP/1.1 431"));
    assert!(exchange(&srv.addr, b"\x16\x03\x01 not http\r\n\r\n").starts_with("HTTP/1.1 400"));
    let (status, _, _) = get(&srv.addr, "/a/");
    assert_eq!(status, 200, "the server is still up");
}

#[test]
fn three_hundred_idle_connections_do_not_block_a_new_request() {
    let s = site();
    let srv = start(&s);
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&srv.addr).ok())
        .collect();
    assert_eq!(idle.len(), 300);
    let (status, _, body) = get(&srv.addr, "/a/");
    assert_eq!(status, 200);
    assert!(body.contains("Version 0"));
    drop(idle);
}

#[test]
#[cfg(unix)]
fn the_server_keeps_accepting_after_running_out_of_file_descriptors() {
    let s = site();
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" serve --port 0")
        .arg(env!("CARGO_BIN_EXE_pestle"))
        .env("NO_COLOR", "1");
    let srv: Server = start_command(&s, cmd);
    // Hold more connections than the server has descriptors.
    let held: Vec<TcpStream> = (0..120)
        .filter_map(|_| TcpStream::connect(&srv.addr).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(held);
    let body = wait_for(&srv.addr, "/a/", "Version 0");
    assert!(body.contains("Version 0"));
}

#[test]
fn readers_never_see_a_half_written_page_while_it_is_rebuilt() {
    let s = site();
    let srv = start(&s);
    let addr = srv.addr.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut seen = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let (status, _, body) = get(&addr, "/a/");
                if status == 200 {
                    assert!(
                        body.trim_end().ends_with("</html>"),
                        "a truncated page was served: {} bytes",
                        body.len()
                    );
                    seen += 1;
                }
            }
            seen
        })
    };
    let filler =
        "Filler text to make the page long enough to be written in several pieces. ".repeat(2000);
    for n in 1..=40 {
        s.write(
            "content/a.md",
            &page(
                "title: A\ndescription: A.",
                &format!("Version {n} of A. {filler}"),
            ),
        );
        std::thread::sleep(Duration::from_millis(40));
    }
    wait_for(&srv.addr, "/a/", "Version 40 of A.");
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.join().expect("reader");
    assert!(seen > 10, "only {seen} pages were read");
}

#[test]
fn a_static_folder_made_after_serve_started_is_watched() {
    let s = site();
    let srv = start(&s);
    s.write("static/notice.txt", "first");
    wait_for(&srv.addr, "/notice.txt", "first");
    s.write("static/notice.txt", "second");
    wait_for(&srv.addr, "/notice.txt", "second");
}

#[test]
#[cfg(unix)]
fn a_hostile_file_saved_during_serve_is_an_error_and_nothing_leaves_the_site() {
    let outer = tempfile::tempdir().expect("tmp");
    let victim = outer.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("victim");
    let s = site();
    let srv = start(&s);
    let rx = events(&srv.addr);
    s.write("static/x\\..\\..\\..\\victim.txt", "overwrite?");
    std::os::unix::fs::symlink(&victim, s.path().join("content/leak.txt")).expect("link");
    let errors = next_event(&rx, "errors");
    assert!(errors.contains("bad-file-name"), "{errors}");
    assert!(errors.contains("outside-site"), "{errors}");
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    let (status, _, _) = get(&srv.addr, "/leak.txt");
    assert_ne!(status, 200, "the linked file was published");
    for name in ["victim.txt", "x"] {
        assert!(!s.path().join(name).exists());
    }
}

#[test]
fn two_hundred_live_reload_streams_all_hear_of_a_change() {
    let s = site();
    let srv = start(&s);
    let streams: Vec<_> = (0..200).map(|_| events(&srv.addr)).collect();
    std::thread::sleep(Duration::from_millis(300));
    s.write(
        "content/a.md",
        &page("title: A\ndescription: A.", "Version 9 of A."),
    );
    for rx in &streams {
        // The search index's own event may come too, before or after.
        next_event_where(rx, "reload", &|d| d.contains("a/index.html"));
    }
    let (status, _, _) = get(&srv.addr, "/a/");
    assert_eq!(status, 200);
}
