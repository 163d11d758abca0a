//! Listings: taxonomy and term pages, news pagination, Atom feeds, the
//! glossary and its `<abbr>` marking.

use crate::support::{Site, assert_message, page};

const TAXONOMIES: &str = "title: T\nbase_url: https://example.org/\ntaxonomies:\n  - name: region\n    title: NHS England regions\n    description: Choose your region.\n    closed: true\n    feeds: true\n    terms:\n      - { slug: london, title: London }\n      - { slug: north, title: North }\n  - name: tags\n    title: Topics\n";

fn news_site(items: usize) -> Site {
    let s = Site::new(&[
        ("site.yaml", "title: T\nbase_url: https://example.org/\n"),
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/news/_index.md",
            &page("title: News\ndescription: What changed.", ""),
        ),
    ]);
    for n in 1..=items {
        s.write(
            &format!("content/news/2026-01-{n:02}-item-{n}.md"),
            &page(
                &format!("title: Item {n}\ndescription: Summary {n}."),
                "Body.",
            ),
        );
    }
    s
}

#[test]
fn closed_and_open_taxonomies_get_index_and_term_pages() {
    let s = Site::new(&[
        ("site.yaml", TAXONOMIES),
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/ldr/_index.md",
            &page("title: Roadmaps\nweight: 1", ""),
        ),
        (
            "content/ldr/london.md",
            &page(
                "title: London roadmaps\nregion: London\ntags: [Smartcards]\nupdated: 2026-02-03",
                "",
            ),
        ),
        (
            "content/help/_index.md",
            &page("title: Help\nweight: 2", ""),
        ),
        (
            "content/help/a.md",
            &page(
                "title: Help A\nregion: [london]\ntags: [smartcards, EPS]",
                "",
            ),
        ),
    ]);
    s.build_ok();
    let index = s.read("region/index.html");
    assert!(index.contains("Choose your region."));
    assert!(
        index.contains("<a href=\"london/\">London</a> <span class=\"count\">2 pages</span>"),
        "{index}"
    );
    assert!(index.contains("<a href=\"north/\">North</a> <span class=\"count\">0 pages</span>"));
    let london = s.read("region/london/index.html");
    // Grouped by section in tree order, each with its last updated date.
    let roadmaps = london.find(">Roadmaps</a></h2>").expect("roadmaps group");
    let help = london.find(">Help</a></h2>").expect("help group");
    assert!(roadmaps < help, "groups follow the section order");
    assert!(london.contains("Last updated 3 February 2026"));
    assert!(
        s.read("region/north/index.html")
            .contains("No pages are filed under North yet.")
    );
    let tags = s.read("tags/index.html");
    assert!(tags.contains("<a href=\"eps/\">EPS</a>"));
    assert!(
        tags.contains(
            "<a href=\"smartcards/\">Smartcards</a> <span class=\"count\">2 pages</span>"
        ),
        "{tags}"
    );
    assert!(
        !s.exists("tags/smartcards/atom.xml"),
        "only taxonomies with feeds: true get feeds"
    );
}

#[test]
fn region_term_pages_show_ldr_tables() {
    let s = Site::new(&[
        ("site.yaml", TAXONOMIES),
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/london.md",
            &page(
                "title: London roadmaps\nregion: london\nreviewed: 2026-01-01\nextra:\n  ldrs:\n    - area: North Central London\n      priorities: EPS and SCR.\n      document: { title: NCL roadmap, url: \"https://ncl.example/ldr.pdf\" }\n      updated: 2016-10-31\n    - area: East London\n      obtain: Ask your LPC.",
                "",
            ),
        ),
    ]);
    s.build_ok();
    let html = s.read("region/london/index.html");
    for want in [
        "<caption>Local Digital Roadmaps listed in <a href=\"../../london/\">London roadmaps</a></caption>",
        "<th scope=\"row\" data-label=\"Area\">North Central London</th>",
        "<a href=\"https://ncl.example/ldr.pdf\">NCL roadmap</a>",
        "31 October 2016",
        "Ask your LPC.",
        "Not dated (page last updated 1 January 2026)",
    ] {
        assert!(html.contains(want), "missing {want} in\n{html}");
    }
}

#[test]
fn term_feeds_are_atom_with_absolute_urls() {
    let s = Site::new(&[
        ("site.yaml", TAXONOMIES),
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/a.md",
            &page(
                "title: A & B\nregion: london\ndescription: About <A>.\nupdated: 2026-03-01\ndate: 2026-01-01",
                "",
            ),
        ),
        (
            "content/b.md",
            &page("title: B\nregion: london\nreviewed: 2026-05-01", ""),
        ),
    ]);
    s.build_ok();
    let feed = s.read("region/london/atom.xml");
    for want in [
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">",
        "<title>NHS England regions: London | T</title>",
        "<link href=\"https://example.org/region/london/atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>",
        "<id>https://example.org/region/london/</id>",
        "<updated>2026-05-01T00:00:00Z</updated>",
        "<title>A &amp; B</title>",
        "<summary>About &lt;A&gt;.</summary>",
        "<published>2026-01-01T00:00:00Z</published>",
    ] {
        assert!(feed.contains(want), "missing {want} in\n{feed}");
    }
    assert!(
        feed.find("<title>B</title>") < feed.find("<title>A &amp; B</title>"),
        "newest first"
    );
    let empty = s.read("region/north/atom.xml");
    assert!(
        empty.contains("<updated>2026-05-01T00:00:00Z</updated>"),
        "an empty feed still has a date"
    );
    assert!(!empty.contains("<entry>"));
}

fn pager_pages(s: &Site) -> Vec<String> {
    let mut out = vec!["news/index.html".to_string()];
    let mut n = 2;
    while s.exists(&format!("news/page/{n}/index.html")) {
        out.push(format!("news/page/{n}/index.html"));
        n += 1;
    }
    out
}

#[test]
fn news_is_paginated_ten_a_page_at_the_edges() {
    for (items, pages) in [(0, 1), (1, 1), (10, 1), (11, 2), (21, 3)] {
        let s = news_site(items);
        s.build_ok();
        assert_eq!(pager_pages(&s).len(), pages, "{items} items");
        let first = s.read("news/index.html");
        // Only the listing shows the items' summaries (menus and latest news do not).
        let shown = first.matches("Summary ").count();
        assert_eq!(shown, items.min(10), "{items} items on page 1");
        assert_eq!(first.contains("class=\"pagination\""), pages > 1);
        assert!(
            s.read("news/page/1/index.html").contains("url=../../"),
            "page 1 redirects to the listing"
        );
        let feed = s.read("news/atom.xml");
        assert_eq!(feed.matches("<entry>").count(), items);
    }
    let s = news_site(11);
    s.build_ok();
    let first = s.read("news/index.html");
    assert!(first.find("Item 11").expect("newest") < first.find("Item 2<").expect("older"));
    assert!(
        first.contains("<a href=\"page/2/\" rel=\"next\">Next page</a>"),
        "{first}"
    );
    assert!(first.contains("<a href=\"./\" aria-current=\"page\" aria-label=\"Page 1\">1</a>"));
    let second = s.read("news/page/2/index.html");
    assert!(
        second.contains("<a href=\"../../\" rel=\"prev\">Previous page</a>"),
        "{second}"
    );
    assert!(second.contains("<a href=\"../../item-1/\">Item 1</a>"));
    assert!(second.contains("<link rel=\"canonical\" href=\"https://example.org/news/page/2/\">"));
    assert!(!second.contains("rel=\"next\""));
}

#[test]
fn every_page_links_the_news_feed() {
    let s = news_site(2);
    s.build_ok();
    for path in ["index.html", "news/index.html", "news/item-1/index.html"] {
        let html = s.read(path);
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
            "{path}"
        );
        assert!(html.contains("atom.xml"), "{path}");
    }
}

const GLOSSARY: &str = "- term: EPS\n  expansion: Electronic Prescription Service\n  description: Sends prescriptions.\n- term: IT\n  expansion: information technology\n- term: EPS R2\n  expansion: EPS Release 2\n";

fn glossary_page(body: &str, front: &str) -> String {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        ("content/a.md", &page(&format!("title: A{front}"), body)),
        (
            "content/glossary.md",
            &page("title: Glossary\ntemplate: glossary.html", "Terms we use."),
        ),
        ("glossary.yaml", GLOSSARY),
    ]);
    s.build_ok();
    let html = s.read("a/index.html");
    let glossary = s.read("glossary/index.html");
    assert!(glossary.contains("id=\"eps\""), "{glossary}");
    assert!(glossary.contains("Electronic Prescription Service"));
    html
}

#[test]
fn marks_the_first_use_of_a_glossary_term_with_abbr() {
    let html = glossary_page(
        "## EPS in headings is left alone\n\nUse `EPS` in code, [EPS](https://x.example) in links, then EPS in text, and EPS again.\n\nEPS R2 is longer. it is lower case. IT is marked.\n",
        "",
    );
    assert_eq!(
        html.matches("<abbr title=\"Electronic Prescription Service\">EPS</abbr>")
            .count(),
        1,
        "{html}"
    );
    assert!(html.contains("then <abbr title=\"Electronic Prescription Service\">EPS</abbr> (Electronic Prescription Service) in text, and EPS again."), "{html}");
    assert!(
        html.contains(
            "<h2 id=\"eps-in-headings-is-left-alone\">EPS in headings is left alone</h2>"
        )
    );
    assert!(html.contains("<code>EPS</code>"));
    assert!(html.contains("<a href=\"https://x.example\">EPS</a>"));
    assert!(html.contains("<abbr title=\"EPS Release 2\">EPS R2</abbr> (EPS Release 2) is longer"));
    assert!(
        html.contains(
            "it is lower case. <abbr title=\"information technology\">IT</abbr> (information technology) is marked."
        )
    );
}

#[test]
fn a_first_use_shows_its_expansion_in_the_text_for_touch_screens_but_never_twice() {
    let html = glossary_page(
        "The **Electronic Prescription Service** (EPS) is here. EPS R2 (EPS Release 2) too. Ask the team (IT) first.\n",
        "",
    );
    assert!(
        html.contains("<strong>Electronic Prescription Service</strong> (<abbr title=\"Electronic Prescription Service\">EPS</abbr>) is here."),
        "an expansion just before is enough: {html}"
    );
    assert!(
        html.contains("<abbr title=\"EPS Release 2\">EPS R2</abbr> (EPS Release 2) too."),
        "an expansion just after is enough: {html}"
    );
    assert!(
        html.contains(
            "(<abbr title=\"information technology\">IT</abbr>, information technology) first."
        ),
        "a term in brackets gets its expansion after a comma: {html}"
    );
}

#[test]
fn a_page_can_opt_out_of_glossary_marking() {
    let html = glossary_page("EPS here.\n", "\nextra:\n  glossary: false");
    assert!(!html.contains("<abbr"), "{html}");
}

#[test]
fn templates_can_list_any_terms_pages() {
    let s = Site::new(&[
        ("site.yaml", "title: T\ntheme: t\n"),
        ("themes/t/theme.yaml", "extends: default\n"),
        (
            "themes/t/templates/page.html",
            "{% for p in term_pages(taxonomy=\"region\", term=\"London\", from=page.path, exclude=page.path) %}{{ p.title }}>{{ p.url }};{% endfor %}",
        ),
        ("content/_index.md", &page("title: Home", "")),
        ("content/a/x.md", &page("title: X\nregion: london", "")),
        ("content/b.md", &page("title: B\nregion: london", "")),
        ("content/c.md", &page("title: C\nregion: north", "")),
    ]);
    s.build_ok();
    assert_eq!(s.read("a/x/index.html"), "B>../../b/;");
    assert_eq!(s.read("b/index.html"), "X>../a/x/;");
}

#[test]
fn open_taxonomy_terms_are_case_insensitive_and_unknown_closed_terms_fail() {
    let s = Site::new(&[
        ("site.yaml", TAXONOMIES),
        (
            "content/a.md",
            &page("title: A\nregion: [london, Nrth]", ""),
        ),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:3:9: error: `Nrth` is not one of the site's region terms",
            "did you mean `north`?",
        ],
    );
}

#[test]
fn open_taxonomy_terms_listed_in_site_yaml_take_their_titles() {
    let s = Site::new(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/\ntaxonomies:\n  - name: tags\n    title: Topics\n    terms:\n      - { slug: cpe, title: Community Pharmacy England }\n      - { slug: unused, title: Never used }\n",
        ),
        ("content/_index.md", &page("title: Home", "")),
        ("content/a.md", &page("title: A\ntags: [cpe, eps]", "")),
        ("content/b.md", &page("title: B\ntags: [CPE]", "")),
    ]);
    s.build_ok();
    let index = s.read("tags/index.html");
    assert!(index.contains("Community Pharmacy England"), "{index}");
    assert!(!index.contains("Never used"), "{index}");
    let term = s.read("tags/cpe/index.html");
    assert!(term.contains("Community Pharmacy England"));
    assert!(term.contains(">A<") && term.contains(">B<"), "{term}");
    assert!(!s.exists("tags/unused/index.html"));
    assert!(s.exists("tags/eps/index.html"));
}
