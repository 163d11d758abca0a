//! `pestle check`: one fixture with an instance of every finding, printed in
//! each format; exit codes; silencing; and the external link checker against
//! servers on loopback.

use crate::support::{Site, page, pestle_cmd};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::time::Duration;

fn governance_site() -> Site {
    Site::new(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\ntheme: t\n",
        ),
        // A bare theme: no menus; the home page links only the first section
        // (and a page that does not exist); sections list their pages.
        (
            "themes/t/templates/base.html",
            "<!doctype html><html lang=\"en\"><head><title>{{ page.title }}</title></head><body>{% block main %}{% endblock main %}</body></html>",
        ),
        (
            "themes/t/templates/home.html",
            "{% extends \"base.html\" %}{% block main %}<a href=\"{{ root }}missing/\">gone</a><a href=\"{{ subsections[0].url }}\">first</a>{% endblock main %}",
        ),
        (
            "themes/t/templates/section.html",
            "{% extends \"base.html\" %}{% block main %}{% for p in pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}{{ page.content | safe }}{% endblock main %}",
        ),
        (
            "themes/t/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}{{ page.content | safe }}{% endblock main %}",
        ),
        (
            "themes/t/templates/404.html",
            "{% extends \"base.html\" %}{% block main %}Not found{% endblock main %}",
        ),
        (
            "themes/t/templates/taxonomy.html",
            "{% extends \"base.html\" %}{% block main %}{{ taxonomy.title }}{% endblock main %}",
        ),
        (
            "themes/t/templates/term.html",
            "{% extends \"base.html\" %}{% block main %}{{ term.title }}{% endblock main %}",
        ),
        (
            "content/_index.md",
            &page("title: Home\ndescription: Home.", ""),
        ),
        (
            "content/a/_index.md",
            &page("title: A\ndescription: Section A.", ""),
        ),
        (
            "content/a/old.md",
            &page("title: Old\ndescription: Old.\nreviewed: 2020-01-01", ""),
        ),
        (
            "content/a/alt.md",
            &page("title: Alt\ndescription: Alt.", "Intro.\n\n![](pic.png)\n"),
        ),
        ("content/a/pic.png", crate::support::GIF_1X1),
        (
            "content/a/skip.md",
            &page("title: Skip\ndescription: Skip.", "## Two\n#### Four\n"),
        ),
        (
            "content/a/same.md",
            &page("title: Alt\ndescription: Same.", ""),
        ),
        ("content/a/nodesc.md", &page("title: No description", "")),
        (
            "content/a/quiet.md",
            &page(
                "title: Quiet\nreviewed: 2020-01-01\nignore_checks: [review-overdue, missing-description]",
                "",
            ),
        ),
        (
            "content/a/moved.md",
            &page(
                "title: Moved\ndescription: Moved.\naliases: [/a/old-moved/]",
                "<p><a href=\"../old-moved/\">raw HTML link</a></p>",
            ),
        ),
        (
            "content/b/_index.md",
            &page("title: B\ndescription: Section B.", ""),
        ),
        (
            "content/lonely/_index.md",
            &page("title: Lonely\ndescription: Empty.", ""),
        ),
    ])
}

fn run_check(s: &Site, args: &[&str]) -> (Output, String) {
    let out = pestle_cmd()
        .arg("check")
        .args(args)
        .current_dir(s.path())
        .env("PESTLE_TODAY", "2026-11-26")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out, text)
}

#[test]
fn reports_every_governance_finding_for_people() {
    let s = governance_site();
    let (out, text) = run_check(&s, &[]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for want in [
        "content/a/old.md:4:11: warning: this page was due for review on 1 January 2021 [review-overdue]",
        "content/a/nodesc.md:1:1: warning: this page has no description [missing-description]",
        "content/a/alt.md:7:1: warning: this image has no alt text [missing-alt]",
        "content/a/skip.md:6:1: warning: this heading jumps from level 2 to level 4 [heading-skip]",
        "help: use ### here",
        "content/a/same.md:2:8: warning: content/a/alt.md in the same section has this title too [duplicate-title]",
        "content/lonely/_index.md: warning: this section has no pages [empty-section]",
        "content/b/_index.md: warning: no menu, listing or link leads to this page from the home page [orphan-page]",
        "content/a/moved.md: warning: a/moved/index.html links to `../old-moved/`, an old address that only redirects [redirect-link]",
        "themes/t/templates/home.html: error: index.html links to `missing/`, which is not in the output [broken-link]",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(
        !text.contains("content/a/quiet.md"),
        "ignore_checks silences a page's findings:\n{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("check: 1 error, 10 warnings in 11 pages"),
        "{text}"
    );
    assert!(!s.path().join("output").exists(), "check writes no output");
}

#[test]
fn prints_json_and_github_annotations() {
    let s = governance_site();
    let (_, json) = run_check(&s, &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["warnings"], 10);
    let old = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "review-overdue")
        .expect("review-overdue");
    assert_eq!(old["path"], "content/a/old.md");
    assert_eq!(old["line"], 4);
    assert_eq!(old["column"], 11);
    assert_eq!(old["severity"], "warning");
    let (_, gh) = run_check(&s, &["--format", "github"]);
    assert!(
        gh.contains("::warning file=content/a/old.md,line=4,col=11,title=review-overdue::this page was due for review on 1 January 2021%0Areview the page"),
        "{gh}"
    );
    assert!(gh.contains("::error file=themes/t/templates/home.html,title=broken-link::"));
}

#[test]
fn strict_turns_warnings_into_errors_and_a_clean_site_exits_0() {
    let s = Site::new(&[
        (
            "content/_index.md",
            &page("title: Home\ndescription: Home.", "[a](a.md)"),
        ),
        (
            "content/a.md",
            &page("title: A\ndescription: A.\nreviewed: 2020-01-01", ""),
        ),
    ]);
    let (out, text) = run_check(&s, &[]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("check: 0 errors, 1 warning in 2 pages"));
    let (out, text) = run_check(&s, &["--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("content/a.md:4:11: error: this page was due for review"),
        "{text}"
    );
    s.write(
        "site.yaml",
        "title: T\ncheck:\n  ignore: [review-overdue]\n",
    );
    let (out, text) = run_check(&s, &["--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "site.yaml silences a code: {text}"
    );
}

#[test]
fn build_errors_are_check_errors_and_bad_options_exit_2() {
    let s = Site::new(&[("content/_index.md", &page("title: Home", "[x](nope.md)"))]);
    let (out, text) = run_check(&s, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("content/_index.md:4:1: error: broken link `nope.md`"),
        "{text}"
    );
    let (out, _) = run_check(&s, &["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A loopback server answering by path: /ok 200, /gone 404, /moved 301,
/// /slow never. Stops after `max` connections or when the test ends.
fn serve(max: usize) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(max) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).into_owned();
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
            let reply = match path.as_str() {
                "/ok" => {
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
                }
                "/gone" => {
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string()
                }
                "/moved" => format!(
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: http://{addr}/ok\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
                _ => {
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_secs(3));
                        drop(stream);
                    });
                    continue;
                }
            };
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (format!("http://{addr}"), handle)
}

#[test]
fn checks_external_links_against_local_servers_and_caches_answers() {
    let (base, _server) = serve(40);
    let body =
        format!("[ok]({base}/ok) [gone]({base}/gone) [moved]({base}/moved) [slow]({base}/slow)");
    let s = Site::new(&[
        (
            "site.yaml",
            "title: T\ncheck:\n  external_timeout_seconds: 1\n  external_retries: 0\n",
        ),
        (
            "content/_index.md",
            &page("title: Home\ndescription: Home.", &body),
        ),
    ]);
    let (plain, _) = run_check(&s, &[]);
    assert_eq!(
        plain.status.code(),
        Some(0),
        "external links are only checked with --external"
    );
    let (out, text) = run_check(&s, &["--external", "--allow-private"]);
    assert!(
        text.contains(&format!(
            "content/_index.md: error: `{base}/gone` answers 404 [external-link]"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "content/_index.md: warning: `{base}/moved` has moved (301) to `{base}/ok`"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "content/_index.md: warning: `{base}/slow` could not be reached"
        )),
        "{text}"
    );
    assert!(
        !text.contains(&format!("content/_index.md: `{base}/ok`")),
        "a working link is not a finding: {text}"
    );
    assert_eq!(out.status.code(), Some(1));
    let cache =
        std::fs::read_to_string(s.path().join(".pestle-cache/external-links.json")).expect("cache");
    assert!(
        cache.contains(&format!("{base}/gone")) && !cache.contains(&format!("{base}/slow")),
        "{cache}"
    );
    // A network failure alone fails only with --strict.
    s.write(
        "content/_index.md",
        &page(
            "title: Home\ndescription: Home.",
            &format!("[slow]({base}/slow)"),
        ),
    );
    let (out, _) = run_check(&s, &["--external", "--allow-private"]);
    assert_eq!(out.status.code(), Some(0));
    let (out, _) = run_check(&s, &["--external", "--allow-private", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}
