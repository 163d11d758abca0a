//! Sections, pages, bundles, URLs, ordering, front matter and the template
//! context, seen through a probe theme that prints what templates receive.

use crate::support::{Site, page};

/// A theme that extends the default and prints the page context as lines.
const PROBE: &str = r#"kind={{ page.kind }}
title={{ page.title }}
description={{ page.description | default(value="") }}
url={{ page.url }}
permalink={{ page.permalink }}
root={{ root }}
home={{ home_url }}
date={{ page.date | default(value="") }}
updated={{ page.updated | default(value="") }}
reviewed={{ page.reviewed | default(value="") }}
review_due={{ page.review_due | default(value="") }}
review_long={% if page.review_due %}{{ page.review_due | date_long }}{% endif %}
owner={{ page.owner | default(value="") }}
weight={{ page.weight | default(value="") }}
draft={{ page.draft }}
edit={{ page.edit_url | default(value="") }}
extra={{ page.extra.colour | default(value="") }}
crumbs={% for c in breadcrumbs %}{{ c.title }}>{{ c.url }};{% endfor %}
parent={% if parent %}{{ parent.title }}>{{ parent.url }}{% endif %}
prev={% if prev %}{{ prev.title }}>{{ prev.url }}{% endif %}
next={% if next %}{{ next.title }}>{{ next.url }}{% endif %}
pages={% for p in pages %}{{ p.title }}>{{ p.url }};{% endfor %}
subsections={% for p in subsections %}{{ p.title }};{% endfor %}
nav={% for n in nav %}{{ n.title }}{% if n.active %}*{% endif %}[{% for c in n.children %}{{ c.title }}{% if c.current %}!{% endif %};{% endfor %}]{% endfor %}
toc={% for h in toc %}{{ h.id }}({% for c in h.children %}{{ c.id }};{% endfor %}){% endfor %}
related={% for r in related %}{{ r.title }}>{{ r.url }}{% if r.external %}(ext){% endif %};{% endfor %}
tags={% for t in page.tags %}{{ t.title }}>{{ t.url }};{% endfor %}
regions={% for t in page.regions %}{{ t.title }}>{{ t.url }};{% endfor %}
latest={% for n in latest_news %}{{ n.title }};{% endfor %}
taxonomies={% for t in taxonomies %}{{ t.name }}:{% for term in t.terms %}{{ term.slug }}={{ term.count }},{% endfor %};{% endfor %}
"#;

fn probe_site(files: &[(&str, &str)]) -> Site {
    let mut all: Vec<(&str, &str)> = vec![
        (
            "site.yaml",
            "title: Probe\nbase_url: https://example.org/docs/\ntheme: probe\nedit_url: https://git.example/edit/main/content/\ntaxonomies:\n  - name: region\n    title: Regions\n    closed: true\n    terms:\n      - { slug: north, title: North }\n      - { slug: london, title: London }\n  - name: tags\n    title: Topics\n",
        ),
        ("themes/probe/theme.yaml", "extends: default\n"),
        ("themes/probe/templates/page.html", PROBE),
        ("themes/probe/templates/section.html", PROBE),
        ("themes/probe/templates/home.html", PROBE),
    ];
    all.extend_from_slice(files);
    Site::new(&all)
}

/// The value of `key=` in probe output.
fn field(html: &str, key: &str) -> String {
    let prefix = format!("{key}=");
    html.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {key}= in:\n{html}"))
        .to_string()
}

#[test]
fn sections_pages_and_bundles_get_pretty_urls() {
    let s = probe_site(&[
        ("content/_index.md", &page("title: Home", "Welcome")),
        ("content/eps/_index.md", &page("title: EPS", "")),
        (
            "content/eps/nominations.md",
            &page("title: Nominations", ""),
        ),
        ("content/eps/deep/folder/page.md", &page("title: Deep", "")),
        (
            "content/eps/flow/index.md",
            &page("title: Flow", "![chart](chart.png)"),
        ),
        ("content/eps/flow/chart.png", crate::support::GIF_1X1),
        ("content/about us.md", &page("title: About", "")),
    ]);
    s.build_ok();
    assert_eq!(field(&s.read("eps/nominations/index.html"), "kind"), "page");
    assert_eq!(field(&s.read("eps/index.html"), "kind"), "section");
    assert_eq!(field(&s.read("index.html"), "kind"), "home");
    assert!(s.exists("eps/deep/folder/page/index.html"));
    assert!(s.exists("about-us/index.html"));
    assert_eq!(s.read("eps/flow/chart.png"), crate::support::GIF_1X1);
    // A page in a folder without _index.md belongs to the nearest section.
    assert_eq!(
        field(&s.read("eps/deep/folder/page/index.html"), "parent"),
        "EPS>../../../"
    );
}

#[test]
fn every_front_matter_key_reaches_the_template() {
    let s = probe_site(&[
        ("content/_index.md", &page("title: Home", "")),
        ("content/tokens/_index.md", &page("title: Tokens", "")),
        (
            "content/tokens/other.md",
            &page("title: Other page", "## Stock\n"),
        ),
        (
            "content/tokens/ordering.md",
            &page(
                "title: Ordering tokens\ndescription: How to order.\nweight: 3\ndate: 2026-01-02\nupdated: 2026-03-04\nreviewed: 2026-01-31\nowner: EPS team\ntags: [Tokens, EPS]\nregion: london\nrelated:\n  - other.md#stock\n  - title: PCSE\n    url: https://pcse.example/\naliases: [/old/tokens/]\nslug: order-tokens\ntemplate: page.html\nextra:\n  colour: teal",
                "## First\n### Inner\n## Second\n",
            ),
        ),
    ]);
    s.build_ok();
    let html = s.read("tokens/order-tokens/index.html");
    assert_eq!(field(&html, "title"), "Ordering tokens");
    assert_eq!(field(&html, "description"), "How to order.");
    assert_eq!(field(&html, "weight"), "3");
    assert_eq!(field(&html, "date"), "2026-01-02");
    assert_eq!(field(&html, "updated"), "2026-03-04");
    assert_eq!(field(&html, "reviewed"), "2026-01-31");
    // Twelve months on, clamped to the end of February.
    assert_eq!(field(&html, "review_due"), "2027-01-31");
    assert_eq!(field(&html, "review_long"), "31 January 2027");
    assert_eq!(field(&html, "owner"), "EPS team");
    assert_eq!(field(&html, "extra"), "teal");
    // Tags keep the order the page lists them in.
    assert_eq!(
        field(&html, "tags"),
        "Tokens>../../tags/tokens/;EPS>../../tags/eps/;"
    );
    assert_eq!(field(&html, "regions"), "London>../../region/london/;");
    assert_eq!(
        field(&html, "related"),
        "Other page>../other/#stock;PCSE>https://pcse.example/(ext);"
    );
    assert_eq!(field(&html, "toc"), "first(inner;)second()");
    assert_eq!(
        field(&html, "permalink"),
        "https://example.org/docs/tokens/order-tokens/"
    );
    assert_eq!(
        field(&html, "edit"),
        "https://git.example/edit/main/content/tokens/ordering.md"
    );
    assert_eq!(field(&html, "root"), "../../");
    assert_eq!(field(&html, "draft"), "false");
    let redirect = s.read("old/tokens/index.html");
    assert!(
        redirect.contains(r#"content="0; url=../../tokens/order-tokens/""#),
        "{redirect}"
    );
    assert!(redirect.contains(
        r#"<link rel="canonical" href="https://example.org/docs/tokens/order-tokens/">"#
    ));
    let home = s.read("index.html");
    assert_eq!(
        field(&home, "taxonomies"),
        "region:north=0,london=1,;tags:eps=1,tokens=1,;"
    );
    assert!(
        s.read("region/london/index.html")
            .contains("Ordering tokens")
    );
    assert!(
        s.exists("region/north/index.html"),
        "closed terms get a page even when empty"
    );
    assert!(s.read("tags/index.html").contains("Tokens"));
}

#[test]
fn orders_by_weight_then_title_and_links_neighbours() {
    let s = probe_site(&[
        ("content/_index.md", &page("title: Home", "")),
        ("content/s/_index.md", &page("title: S", "")),
        ("content/s/b.md", &page("title: Bravo\nweight: 2", "")),
        ("content/s/a.md", &page("title: Alpha\nweight: 2", "")),
        ("content/s/c.md", &page("title: Charlie\nweight: 1", "")),
        ("content/s/z.md", &page("title: Aardvark", "")),
    ]);
    s.build_ok();
    let section = s.read("s/index.html");
    assert_eq!(
        field(&section, "pages"),
        "Charlie>c/;Alpha>a/;Bravo>b/;Aardvark>z/;"
    );
    let alpha = s.read("s/a/index.html");
    assert_eq!(field(&alpha, "prev"), "Charlie>../c/");
    assert_eq!(field(&alpha, "next"), "Bravo>../b/");
    assert_eq!(field(&alpha, "crumbs"), "Home>../../;S>../;");
    assert_eq!(field(&alpha, "nav"), "S*[Charlie;Alpha!;Bravo;Aardvark;]");
    assert_eq!(field(&s.read("s/c/index.html"), "prev"), "");
}

#[test]
fn news_is_newest_first_with_dates_from_file_names() {
    let s = probe_site(&[
        ("content/_index.md", &page("title: Home", "")),
        ("content/news/_index.md", &page("title: News", "")),
        (
            "content/news/2026-01-05-first.md",
            &page("title: First", ""),
        ),
        (
            "content/news/2026-03-01-third.md",
            &page("title: Third", ""),
        ),
        (
            "content/news/second.md",
            &page("title: Second\ndate: 2026-02-01", ""),
        ),
        (
            "content/news/2026-04-01-fourth.md",
            &page("title: Fourth", ""),
        ),
    ]);
    s.build_ok();
    let news = s.read("news/index.html");
    assert_eq!(
        field(&news, "pages"),
        "Fourth>fourth/;Third>third/;Second>second/;First>first/;"
    );
    assert_eq!(
        field(&s.read("news/third/index.html"), "date"),
        "2026-03-01"
    );
    assert_eq!(
        field(&s.read("index.html"), "latest"),
        "Fourth;Third;Second;"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let s = probe_site(&[
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/wip.md",
            &page("title: Work in progress\ndraft: true", ""),
        ),
    ]);
    s.build_ok();
    assert!(!s.exists("wip/index.html"));
    assert!(!s.read("sitemap.xml").contains("wip"));
    let r = s.build_with(|o| o.drafts = true);
    crate::support::assert_no_errors(&r);
    assert_eq!(field(&s.read("wip/index.html"), "draft"), "true");
}

#[test]
fn missing_home_page_is_made_from_the_site_title() {
    let s = probe_site(&[("content/a.md", &page("title: A", ""))]);
    s.build_ok();
    assert_eq!(field(&s.read("index.html"), "title"), "Probe");
    assert_eq!(field(&s.read("a/index.html"), "parent"), "Probe>../");
}

#[test]
fn a_number_or_date_left_empty_by_an_editing_tool_is_not_set() {
    let s = probe_site(&[(
        "content/a.md",
        "---\ntitle: A\nweight: \"\"\nreview_due: \"\"\nreviewed: ''\ndate: \" \"\n---\nBody.\n",
    )]);
    s.build_ok();
    let html = s.read("a/index.html");
    for key in ["weight", "review_due", "reviewed", "date"] {
        assert_eq!(field(&html, key), "", "{key} is not set");
    }
}
