//! Print a whole guide: each section's `print/` page holds it and every
//! page under it, in order, with unique ids and working links, and passes
//! `pestle check`'s link checker.

use crate::support::{Site, assert_message, assert_no_errors, page};
use std::collections::HashSet;

fn guide() -> Site {
    Site::new(&[
        ("content/_index.md", &page("title: Home", "[EPS](eps/)")),
        (
            "content/eps/_index.md",
            &page(
                "title: EPS\ndescription: The whole of EPS.\nreviewed: 2026-01-10",
                "## Overview\nStart with [nominations](nominations.md#overview).",
            ),
        ),
        (
            "content/eps/nominations.md",
            &page(
                "title: Nominations\nweight: 1\nreviewed: 2026-02-01\nreview_due: 2026-08-01",
                "## Overview\nSee [tokens](tokens/index.md#stock), [the top](#overview), [EPS](_index.md), \
                 [Smartcards](../smartcards/cards.md) and [NHS](https://www.nhs.uk/).[^n]\n\n\
                 ![The flow](flow.gif)\n\n### Deeper\n\n[^n]: A note.\n",
            ),
        ),
        (
            "content/eps/tokens/index.md",
            &page(
                "title: Tokens\nweight: 2",
                "## Overview\n## Stock\nSee [the map](map.gif) and [nominations](../nominations.md).[^n]\n\n[^n]: Another note.\n",
            ),
        ),
        ("content/eps/flow.gif", crate::support::GIF_1X1),
        ("content/eps/tokens/map.gif", crate::support::GIF_1X1),
        (
            "content/eps/sub/_index.md",
            &page("title: Sub\nweight: 3", "Sub intro."),
        ),
        (
            "content/eps/sub/deep.md",
            &page("title: Deep", "## Overview\nDeep text."),
        ),
        (
            "content/smartcards/_index.md",
            &page("title: Smartcards", ""),
        ),
        (
            "content/smartcards/cards.md",
            &page("title: Cards", "Cards."),
        ),
    ])
}

/// Every `id="..."` in `html`.
fn ids(html: &str) -> Vec<String> {
    html.match_indices(" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .collect()
}

#[test]
fn a_sections_print_page_holds_it_and_every_page_under_it_in_order() {
    let s = guide();
    s.build_ok();
    let html = s.read("eps/print/index.html");
    let order: Vec<usize> = [
        "<h1 id=\"p1\">EPS</h1>",
        "<h2 id=\"p2\">Nominations</h2>",
        "<h2 id=\"p3\">Tokens</h2>",
        "<h2 id=\"p4\">Sub</h2>",
        "<h3 id=\"p5\">Deep</h3>",
    ]
    .iter()
    .map(|h| html.find(h).unwrap_or_else(|| panic!("no {h} in\n{html}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in the tree's order");
    // The section's own text keeps its levels; its pages' move down one,
    // a subsection's pages two.
    assert!(html.contains("<h2 id=\"p1-overview\">Overview</h2>"));
    assert!(html.contains("<h3 id=\"p2-overview\">Overview</h3>"));
    assert!(html.contains("<h4 id=\"p2-deeper\">Deeper</h4>"));
    assert!(html.contains("<h4 id=\"p5-overview\">Overview</h4>"));
    // Each page's review dates.
    assert!(html.contains("Page last reviewed: <time datetime=\"2026-02-01\">1 February 2026</time>. Next review due: <time datetime=\"2026-08-01\">1 August 2026</time>."));
    assert!(html.contains("<time datetime=\"2026-01-10\">10 January 2026</time>"));
    // Links to pages in it are anchors; others work from the print page.
    for link in [
        "<a href=\"#p3-stock\">tokens</a>",
        "<a href=\"#p2-overview\">the top</a>",
        "<a href=\"#p1\">EPS</a>",
        "<a href=\"#p2-overview\">nominations</a>",
        "<a href=\"#p2\">nominations</a>",
        "<a href=\"../../smartcards/cards/\">Smartcards</a>",
        "<a href=\"https://www.nhs.uk/\">NHS</a>",
        "<img src=\"../flow.gif\" alt=\"The flow\" width=\"1\" height=\"1\" />",
        "<a href=\"../tokens/map.gif\">the map</a>",
    ] {
        assert!(html.contains(link), "no {link} in\n{html}");
    }
    assert!(
        !html.contains("loading=\"lazy\""),
        "a printed page loads every image"
    );
    let all = ids(&html);
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), unique.len(), "repeated ids in {all:?}");
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        !html.contains("class=\"site-nav\""),
        "no menu on the print page"
    );
    // The subsection has its own, and the home page none.
    assert!(
        s.read("eps/sub/print/index.html")
            .contains("<h2 id=\"p2\">Deep</h2>")
    );
    assert!(s.exists("smartcards/print/index.html"));
    assert!(!s.exists("print/index.html"));
    assert!(!s.read("sitemap.xml").contains("print"));
}

#[test]
fn the_section_and_its_pages_link_to_print_this_guide() {
    let s = guide();
    s.build_ok();
    for (file, href) in [
        ("eps/index.html", "print/"),
        ("eps/nominations/index.html", "../print/"),
        ("eps/tokens/index.html", "../print/"),
        ("eps/sub/deep/index.html", "../print/"),
    ] {
        let want = format!("<a href=\"{href}\">Print this guide</a>");
        assert!(s.read(file).contains(&want), "{file}: no {want}");
    }
    assert!(!s.read("index.html").contains("Print this guide"));
}

#[test]
fn print_pages_pass_the_link_checker() {
    let s = guide();
    for file_urls in [false, true] {
        let text = if file_urls { "file_urls: true\n" } else { "" };
        s.write(
            "site.yaml",
            &format!("title: T\nbase_url: https://example.org/g/\n{text}"),
        );
        let bad = check_findings(&s, |d| {
            d.code.starts_with("broken") || d.severity == pestle::diagnostics::Severity::Error
        });
        assert!(bad.is_empty(), "file_urls {file_urls}: {bad:?}");
    }
}

#[test]
fn the_link_checker_reads_print_pages() {
    // A theme whose print page links to an id no chapter has: the checker
    // finds it, so a print page with broken anchors cannot pass.
    let s = guide();
    s.write("themes/t/theme.yaml", "extends: default\n");
    s.write(
        "themes/t/templates/print.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1><a href=\"#p9-nothing\">x</a>{% for c in print.chapters %}<h2 id=\"{{ c.id }}\">{{ c.title }}</h2>{{ c.content | safe }}{% endfor %}{% endblock main %}",
    );
    s.write("site.yaml", "title: T\ntheme: t\n");
    let r = pestle::check(&pestle::CheckOptions::new(s.path())).expect("check ran");
    let found = r
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.code == "broken-anchor")
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>();
    assert_eq!(
        found,
        [
            "eps/print/index.html links to `#p9-nothing`, but that page has no such id (and on 2 other pages)"
        ],
        "{:#?}",
        r.diagnostics.items()
    );
}

#[test]
fn a_page_named_print_conflicts_with_its_sections_print_page() {
    let s = guide();
    s.write("content/eps/print.md", &page("title: Print", ""));
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/eps/print.md",
            "output/eps/print/index.html",
            "[url-conflict]",
        ],
    );
}

#[test]
fn a_theme_without_a_print_template_makes_no_print_pages() {
    let s = guide();
    s.write("themes/plain/templates/page.html", "{{ page.title }}");
    s.write(
        "themes/plain/templates/section.html",
        "{{ page.title }}{% if page.print_url %}P{% endif %}",
    );
    s.write("themes/plain/templates/404.html", "404");
    s.write("themes/plain/templates/taxonomy.html", "t");
    s.write("themes/plain/templates/term.html", "t");
    s.write("site.yaml", "title: T\ntheme: plain\n");
    assert_no_errors(&s.build());
    assert!(!s.exists("eps/print/index.html"));
    assert_eq!(s.read("eps/index.html"), "EPS");
}

/// A guide of 230 pages: the section, 228 pages (`p001` ... `p228`, each
/// linking to the next and to the first) and a subsection with one page.
fn long_guide() -> Site {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "[Long](long/)")),
        (
            "content/long/_index.md",
            &page("title: Long guide", "## Start\nThe start."),
        ),
        (
            "content/long/sub/_index.md",
            &page("title: Sub\nweight: 1", "Sub intro."),
        ),
    ]);
    for n in 1..=228 {
        let next = n % 228 + 1;
        s.write(
            &format!("content/long/p{n:03}.md"),
            &page(
                &format!("title: Page {n:03}\nweight: {n}"),
                &format!("## Part {n}\nOn to [the next](p{next:03}.md#part-{next}), back to [the first](p001.md)."),
            ),
        );
    }
    s
}

#[test]
fn a_long_guide_prints_in_parts_of_100_pages_that_link_to_each_other() {
    let s = long_guide();
    s.build_ok();
    // 230 chapters: the section, its 228 pages, the subsection.
    let parts: Vec<String> = ["", "2/", "3/"]
        .iter()
        .map(|p| s.read(&format!("long/print/{p}index.html")))
        .collect();
    assert!(!s.exists("long/print/4/index.html"));
    assert!(parts[0].contains("<h1 id=\"p1\">Long guide: part 1 of 3</h1>"));
    assert!(parts[1].contains("<h1>Long guide: part 2 of 3</h1>"));
    assert!(parts[2].contains("<h1>Long guide: part 3 of 3</h1>"));
    // Each part holds its chapters, numbered across the whole guide.
    assert!(parts[0].contains("<h2 id=\"p100\">Page 099</h2>"));
    assert!(!parts[0].contains("id=\"p101\""));
    assert!(parts[1].contains("<h2 id=\"p101\">Page 100</h2>"));
    assert!(parts[2].contains("<h2 id=\"p229\">Page 228</h2>"));
    assert!(parts[2].contains("<h2 id=\"p230\">Sub</h2>"));
    // A link to a page in the same part is an anchor; to another part,
    // that part's address and the anchor.
    assert!(parts[0].contains("<a href=\"#p3-part-2\">the next</a>"));
    assert!(parts[0].contains("<a href=\"2/#p101-part-100\">the next</a>"));
    assert!(parts[1].contains("<a href=\"../#p2\">the first</a>"));
    assert!(parts[2].contains("<a href=\"../#p2-part-1\">the next</a>"));
    // Every part lists them all; the current one is not a link.
    for (k, html) in parts.iter().enumerate() {
        let start = html
            .find("<nav class=\"print-parts\"")
            .expect("a list of parts");
        let nav = &html[start..start + html[start..].find("</nav>").expect("its end")];
        assert!(nav.contains(&format!("<strong>Part {} (this page)</strong>", k + 1)));
        assert_eq!(nav.matches("<a href=").count(), 2, "part {}", k + 1);
    }
    assert!(parts[1].contains("<a href=\"../\">Part 1</a>: Long guide to Page 099</li>"));
    // Ids stay unique within each part.
    for html in &parts {
        let all = ids(html);
        let unique: HashSet<&String> = all.iter().collect();
        assert_eq!(all.len(), unique.len());
    }
    // Pages link to the first part; a short subsection prints whole.
    assert!(
        s.read("long/p150/index.html")
            .contains("<a href=\"../print/\">Print this guide</a>")
    );
    assert!(!s.read("long/sub/print/index.html").contains("part 1 of"));
    // The link checker finds nothing broken across the parts.
    let broken = check_findings(&s, |d| d.code.starts_with("broken"));
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_page_at_a_print_parts_address_conflicts_with_it() {
    let s = long_guide();
    s.write("content/long/print/_index.md", &page("title: Print", ""));
    s.write("content/long/print/2.md", &page("title: Two", ""));
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/long/print/2.md",
            "output/long/print/2/index.html",
            "[url-conflict]",
        ],
    );
}

/// The messages of what `pestle check` finds on `s` that `keep` keeps.
fn check_findings(
    s: &Site,
    keep: impl Fn(&pestle::diagnostics::Diagnostic) -> bool,
) -> Vec<String> {
    let r = pestle::check(&pestle::CheckOptions::new(s.path())).expect("check ran");
    r.diagnostics
        .items()
        .iter()
        .filter(|d| keep(d))
        .map(|d| d.message.clone())
        .collect()
}
