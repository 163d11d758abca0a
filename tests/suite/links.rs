//! Links written as paths to .md files become relative URLs; missing pages,
//! files and anchors are errors at the link's line and column.

use crate::support::{Site, assert_message, page};

fn site() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            &page(
                "title: Home",
                "[EPS](eps/_index.md) [noms](/eps/nominations.md#how-to-change)",
            ),
        ),
        ("content/eps/_index.md", &page("title: EPS", "")),
        (
            "content/eps/nominations.md",
            &page(
                "title: Nominations",
                "## How to change\n## How to change\n[same](#how-to-change-1) [up](../tokens/ordering.md#stock) [dir](../tokens/) [pdf](../files/form.pdf) [web](https://nhs.example/x.md) [mail](mailto:a@b.c)\n\n![chart](../files/chart.png)",
            ),
        ),
        ("content/tokens/_index.md", &page("title: Tokens", "")),
        (
            "content/tokens/ordering.md",
            &page("title: Ordering", "## Stock {#stock}\n"),
        ),
        ("content/files/form.pdf", "%PDF"),
        ("content/files/chart.png", crate::support::GIF_1X1),
    ])
}

#[test]
fn rewrites_md_links_to_relative_urls() {
    let s = site();
    s.build_ok();
    let home = s.read("index.html");
    assert!(home.contains(r#"<a href="eps/">EPS</a>"#), "{home}");
    assert!(home.contains(r#"<a href="eps/nominations/#how-to-change">noms</a>"#));
    let p = s.read("eps/nominations/index.html");
    for want in [
        r##"<a href="#how-to-change-1">same</a>"##,
        r#"<a href="../../tokens/ordering/#stock">up</a>"#,
        r#"<a href="../../tokens/">dir</a>"#,
        r#"<a href="../../files/form.pdf">pdf</a>"#,
        r#"<a href="https://nhs.example/x.md">web</a>"#,
        r#"<a href="mailto:a@b.c">mail</a>"#,
        r#"<img src="../../files/chart.png" alt="chart" width="1" height="1" />"#,
    ] {
        assert!(p.contains(want), "missing {want} in\n{p}");
    }
    assert_eq!(s.read("files/form.pdf"), "%PDF");
}

#[test]
fn file_urls_end_links_in_index_html() {
    let s = site();
    let r = s.build_with(|o| o.file_urls = true);
    crate::support::assert_no_errors(&r);
    let p = s.read("eps/nominations/index.html");
    assert!(
        p.contains(r#"<a href="../../tokens/ordering/index.html#stock">up</a>"#),
        "{p}"
    );
    assert!(p.contains(r#"href="../../index.html""#));
    assert!(p.contains(r#"<a href="../../files/form.pdf">pdf</a>"#));
    // From disk, 404.html sits at the root: its links are relative too.
    let not_found = s.read("404.html");
    assert!(
        not_found.contains(r#"href="eps/index.html""#),
        "{not_found}"
    );
    assert!(!not_found.contains(r#"href="/"#));
}

#[test]
fn reports_links_to_missing_pages_and_anchors_at_file_line_col() {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/tokens.md",
            &page("title: Tokens", "## Ordering stock\n"),
        ),
        (
            "content/a.md",
            &page(
                "title: A",
                "Intro.\n\nSee [tokens](tokenz.md) and\n[stock](tokens.md#ordering-stok) and [self](#nothing).\n\n![missing](img/x.png)\n",
            ),
        ),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:6:5: error: broken link `tokenz.md`: there is no page content/tokenz.md",
            "did you mean the page `tokens.md`?",
        ],
    );
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:7:1: error: content/tokens.md has no heading with the id `ordering-stok`",
            "did you mean the heading `#ordering-stock`?",
        ],
    );
    assert_message(
        &s,
        &r,
        &["content/a.md:7:38: error: this page has no heading with the id `nothing`"],
    );
    assert_message(
        &s,
        &r,
        &["content/a.md:9:1: error: broken image `img/x.png`"],
    );
}

#[test]
fn reports_links_to_drafts_and_above_the_content_folder() {
    let s = Site::new(&[
        (
            "content/_index.md",
            &page("title: Home", "[d](wip.md) [up](../site.yaml)"),
        ),
        ("content/wip.md", &page("title: WIP\ndraft: true", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/_index.md:4:1: error: this link goes to content/wip.md, a draft",
            "--drafts",
        ],
    );
    assert_message(
        &s,
        &r,
        &[
            "content/_index.md:4:13: error: broken link `../site.yaml`: `../site.yaml` goes above the content folder",
        ],
    );
}

#[test]
fn related_resources_are_checked_like_links() {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/a.md",
            &page(
                "title: A\nrelated:\n  - b.md\n  - gone.md\n  - b.md#nope",
                "",
            ),
        ),
        ("content/b.md", &page("title: B", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["content/a.md:5:5: error: related `gone.md`: there is no page content/gone.md"],
    );
    assert_message(
        &s,
        &r,
        &["content/a.md:6:5: error: related: content/b.md has no heading with the id `nope`"],
    );
}
