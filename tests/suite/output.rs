//! The output folder: what it holds, that it is byte-for-byte repeatable,
//! and that pestle never harms anything else.

use crate::support::{Site, page, snapshot};

fn small_site() -> Site {
    Site::new(&[
        ("content/_index.md", &page("title: Home", "[a](a.md)")),
        (
            "content/a.md",
            &page(
                "title: A\nupdated: 2026-05-01\naliases: [/old-a.html]\ntags: [x, y]",
                "## One\n## Two\n## Three\n",
            ),
        ),
        ("content/s/_index.md", &page("title: S", "")),
        ("content/s/b.md", &page("title: B", "")),
        ("static/robots.txt", "User-agent: *\n"),
        ("static/css/site.css", "/* mine */"),
    ])
}

#[test]
fn two_builds_are_byte_identical() {
    let s = small_site();
    s.build_ok();
    let first = snapshot(&s.path().join("output"));
    s.build_ok();
    let second = snapshot(&s.path().join("output"));
    assert_eq!(first.len(), second.len());
    assert!(first == second, "output changed between identical builds");
}

#[test]
fn writes_sitemap_404_redirects_and_static_files() {
    let s = small_site();
    s.build_ok();
    let sitemap = s.read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(
        sitemap.contains(
            "<url><loc>https://example.org/docs/a/</loc><lastmod>2026-05-01</lastmod></url>"
        ),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://example.org/docs/tags/x/</loc>"));
    let not_found = s.read("404.html");
    assert!(not_found.contains("Page not found"));
    // A host shows 404.html at any address, so its links start from the base path.
    assert!(
        not_found.contains("href=\"/docs/css/site.css\""),
        "{not_found}"
    );
    assert!(not_found.contains("href=\"/docs/s/\""));
    assert!(s.read("old-a.html").contains("url=a/"));
    assert_eq!(s.read("robots.txt"), "User-agent: *\n");
    assert_eq!(
        s.read("css/site.css"),
        "/* mine */",
        "the site's static files override the theme's"
    );
}

#[test]
fn base_url_option_overrides_site_yaml() {
    let s = small_site();
    let r = s.build_with(|o| o.base_url = Some("https://pharmacy.example/guide".into()));
    crate::support::assert_no_errors(&r);
    assert!(
        s.read("a/index.html")
            .contains("<link rel=\"canonical\" href=\"https://pharmacy.example/guide/a/\">")
    );
    assert!(
        s.read("sitemap.xml")
            .contains("<loc>https://pharmacy.example/guide/s/b/</loc>")
    );
    assert!(s.read("404.html").contains("href=\"/guide/s/\""));
}

#[test]
fn every_internal_link_is_relative() {
    let s = small_site();
    s.build_ok();
    for (path, bytes) in snapshot(&s.path().join("output")) {
        if path.extension().is_some_and(|e| e == "html") && path.to_str() != Some("404.html") {
            let html = String::from_utf8(bytes).expect("utf8");
            assert!(
                !html.contains("href=\"/"),
                "{} has a root-relative link",
                path.display()
            );
            assert!(
                !html.contains("src=\"/"),
                "{} has a root-relative src",
                path.display()
            );
        }
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let s = small_site();
    s.build_ok();
    let before = snapshot(&s.path().join("output"));
    s.write("content/a.md", &page("title: A", "[broken](nope.md)"));
    let r = s.build();
    assert!(r.diagnostics.has_errors());
    assert!(before == snapshot(&s.path().join("output")));
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .expect("read")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pestle-tmp") || n.contains("pestle-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rebuild_removes_pages_that_no_longer_exist() {
    let s = small_site();
    s.build_ok();
    assert!(s.exists("s/b/index.html"));
    std::fs::remove_file(s.path().join("content/s/b.md")).expect("rm");
    s.build_ok();
    assert!(!s.exists("s/b/index.html"));
}

#[test]
fn refuses_output_folders_that_hold_or_hide_the_sources() {
    let s = small_site();
    for bad in [".", "content", "content/out", "..", "static/out", "themes"] {
        let err = pestle::build(&pestle::BuildOptions {
            output: Some(bad.into()),
            ..pestle::BuildOptions::new(s.path())
        });
        let err = err
            .err()
            .unwrap_or_else(|| panic!("--output {bad} was accepted"));
        assert!(
            err.message.contains("refusing to write the site"),
            "{}",
            err.message
        );
    }
    assert!(s.path().join("content/a.md").exists());
}

#[test]
fn refuses_to_replace_a_folder_pestle_did_not_write() {
    let s = small_site();
    s.write("mine/notes.txt", "precious");
    let out = s.run(&["build", "--output", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already exists and was not written by pestle"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(s.path().join("mine/notes.txt")).expect("kept"),
        "precious"
    );
    // An empty folder, or one pestle wrote, is fine.
    std::fs::create_dir_all(s.path().join("fresh")).expect("mkdir");
    assert_eq!(
        s.run(&["build", "--output", "fresh"]).status.code(),
        Some(0)
    );
    assert_eq!(
        s.run(&["build", "--output", "fresh"]).status.code(),
        Some(0)
    );
    assert!(s.path().join("fresh/index.html").exists());
}

#[test]
fn writes_to_an_output_folder_outside_the_site() {
    let s = small_site();
    let elsewhere = tempfile::tempdir().expect("tmp");
    let target = elsewhere.path().join("public");
    let r = s.build_with(|o| o.output = Some(target.clone()));
    crate::support::assert_no_errors(&r);
    assert!(target.join("a/index.html").exists());
    assert!(!s.path().join("output").exists());
}
