//! The Markdown dialect: CommonMark plus tables, footnotes, strikethrough,
//! task lists, heading ids, smart punctuation, GitHub alerts and raw HTML.

use crate::support::{Site, page};

fn render(body: &str) -> String {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        ("content/a.md", &page("title: A", body)),
    ]);
    s.build_ok();
    s.read("a/index.html")
}

#[test]
fn renders_the_markdown_extensions() {
    let html = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: A note.\n\n~~old~~ \"quoted\" -- dash...\n\n- [x] done\n- [ ] todo\n\n<span class=\"raw\">raw</span>\n",
    );
    for want in [
        "<table>",
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">",
        "<td>1</td>",
        "class=\"footnote-reference\"",
        "A note.",
        "<del>old</del>",
        "“quoted” – dash…",
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> done",
        "<input type=\"checkbox\" disabled aria-label=\"Not done\"> todo",
        "<span class=\"raw\">raw</span>",
    ] {
        assert!(html.contains(want), "missing {want} in\n{html}");
    }
}

#[test]
fn renders_github_alerts_with_a_visible_label() {
    let html = render(
        "> [!NOTE]\n> Read this.\n\n> [!WARNING]\n> Careful.\n\n> [!CAUTION]\n> Stop.\n\n> A plain quote.\n",
    );
    assert!(html.contains("<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">Note</p>\n<p>Read this.</p>\n</div>"), "{html}");
    assert!(html.contains("<p class=\"alert-title\">Warning</p>"));
    assert!(html.contains("<p class=\"alert-title\">Caution</p>"));
    assert!(html.contains("<blockquote>\n<p>A plain quote.</p>\n</blockquote>"));
}

#[test]
fn gives_headings_github_style_ids_and_a_table_of_contents() {
    let html = render(
        "## Using the PMR system\n\n## Using the PMR system\n\n### What's `FP10DT`?\n\n## Custom {#my-id}\n",
    );
    assert!(
        html.contains("<h2 id=\"using-the-pmr-system\">Using the PMR system</h2>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"using-the-pmr-system-1\">"));
    assert!(html.contains("<h3 id=\"whats-fp10dt\">"));
    assert!(html.contains("<h2 id=\"my-id\">Custom</h2>"));
    assert!(
        html.contains("<nav class=\"toc\""),
        "four headings show a contents list"
    );
    assert!(html.contains("<a href=\"#whats-fp10dt\">What’s FP10DT?</a>"));
}
