//! Every kind of mistake an editor can make comes back as
//! `path:line:col: error: message [code]` with a hint, all of them at once.

use crate::support::{Site, assert_message, messages, page, pestle_cmd};

fn home() -> (&'static str, String) {
    ("content/_index.md", page("title: Home", ""))
}

#[test]
fn reports_unknown_front_matter_key_with_suggestion() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        (
            "content/a.md",
            "---\ntitle: A\ntitel: B\ncolour: red\n---\n",
        ),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:3:1: error: unknown front-matter key `titel`",
            "did you mean `title`?",
        ],
    );
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:4:1: error: unknown front-matter key `colour`",
            "the allowed keys are",
        ],
    );
}

#[test]
fn reports_missing_title() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        ("content/a.md", "---\ndescription: x\n---\n"),
        ("content/b.md", "Just text\n"),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:1:1: error: this page has no title [missing-title]",
            "title: Your page title",
        ],
    );
    assert_message(
        &s,
        &r,
        &["content/b.md:1:1: error: this page has no front matter"],
    );
}

#[test]
fn reports_impossible_and_malformed_dates_at_their_line() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2026-02-30\nreviewed: 26/11/2026\n---\n",
        ),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["content/a.md:3:7: error: date `2026-02-30` is not a real day [bad-date]"],
    );
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:4:11: error: reviewed `26/11/2026` is not a date",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn reports_bad_yaml_and_wrong_types_at_their_position() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        ("content/a.md", "---\ntitle: A\nweight: heavy\n---\n"),
        ("content/b.md", "---\ntitle: [unclosed\n---\n"),
        ("content/c.md", "---\ntitle: C\n---\nno closing\n"),
        ("content/d.md", "---\ntitle: D\n"),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:3:9: error: weight must be a whole number, like 10, not `heavy` [bad-type]",
            "help: write it in digits: weight: 10",
        ],
    );
    assert_message(&s, &r, &["content/b.md:", "[bad-yaml]"]);
    assert_message(
        &s,
        &r,
        &["content/d.md:1:1: error: the front matter is never closed"],
    );
    assert!(
        !messages(&r, s.path())
            .iter()
            .any(|m| m.contains("content/c.md"))
    );
}

#[test]
fn reports_bad_site_yaml() {
    let s = Site::new(&[
        ("site.yaml", "title: T\nbase_url: example.org\nthemes: x\n"),
        ("content/_index.md", &page("title: Home", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "site.yaml:3:1: error: unknown site.yaml key `themes`",
            "did you mean `theme`?",
        ],
    );
    let s = Site::new(&[("site.yaml", "title: T\nbase_url: example.org\n")]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["site.yaml:2:11: error: `example.org/` is not a base URL"],
    );
    let s = Site::new(&[("site.yaml", "title: T\n  bad: indent\n")]);
    let r = s.build();
    assert_message(&s, &r, &["site.yaml:", "[bad-yaml]"]);
}

#[test]
fn reports_two_pages_claiming_one_url() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        ("content/a.md", &page("title: A", "")),
        ("content/b.md", &page("title: B\nslug: a", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["content/b.md: error: this page and content/a.md both want the URL /a/ [url-conflict]"],
    );
    let s = Site::new(&[
        (h, &hb),
        ("content/a.md", &page("title: A", "")),
        ("content/b.md", &page("title: B\naliases: [/a/]", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/b.md:3:11: error: this would write output/a/index.html, which content/a.md already writes",
        ],
    );
}

#[test]
fn reports_unknown_closed_taxonomy_term_with_suggestion() {
    let s = Site::new(&[
        (
            "site.yaml",
            "title: T\ntaxonomies:\n  - name: region\n    closed: true\n    terms:\n      - { slug: london, title: London }\n      - { slug: north, title: North }\n",
        ),
        ("content/a.md", &page("title: A\nregion: londn", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:3:9: error: `londn` is not one of the site's region terms",
            "did you mean `london`?",
        ],
    );
}

#[test]
fn reports_a_template_error_with_theme_file_and_line() {
    let s = Site::new(&[
        ("site.yaml", "title: T\ntheme: broken\n"),
        ("themes/broken/theme.yaml", "extends: default\n"),
        (
            "themes/broken/templates/page.html",
            "<p>\n{{ page.title }\n</p>\n",
        ),
        ("content/a.md", &page("title: A", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "themes/broken/templates/page.html:2:",
            "error: template error",
            "[template-error]",
        ],
    );
}

#[test]
fn reports_a_template_render_error_naming_page_and_template() {
    let s = Site::new(&[
        ("site.yaml", "title: T\ntheme: broken\n"),
        ("themes/broken/theme.yaml", "extends: default\n"),
        (
            "themes/broken/templates/page.html",
            "{{ page.nonexistent.deeper }}",
        ),
        ("content/a.md", &page("title: A", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["content/a.md: error: rendering this page with themes/broken/templates/page.html failed"],
    );
}

#[test]
fn reports_a_missing_custom_template() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        ("content/a.md", &page("title: A\ntemplate: fancy.html", "")),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["content/a.md:3:11: error: the theme has no template `fancy.html`"],
    );
}

#[test]
fn a_problem_found_after_markdown_keeps_its_line_though_the_build_let_go_of_the_text() {
    // A build lets go of each page's text once its Markdown is rendered;
    // a problem found later (here, by the template check) still comes back
    // with its line, column and the line itself.
    let (h, hb) = home();
    let body = "## Ordering\n\nText.\n".repeat(20);
    let s = Site::new(&[
        (h, &hb),
        (
            "content/a.md",
            &page("title: A\ntemplate: fancy.html", &body),
        ),
        (
            "content/b.md",
            &page("title: B\nrelated: [gone.md]", "Body."),
        ),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:3:11: error: the theme has no template `fancy.html`",
            "template: fancy.html",
        ],
    );
    assert_message(&s, &r, &["content/b.md:3:", "related: [gone.md]"]);
}

#[test]
fn collects_every_error_of_a_build_and_exits_1() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        ("content/a.md", &page("title: A\ntitel: x", "")),
        ("content/b.md", &page("title: B", "[gone](missing.md)")),
        ("content/c.md", &page("title: C\ndate: 2026-13-01", "")),
    ]);
    let out = s.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = "\
content/a.md:3:1: error: unknown front-matter key `titel` [unknown-key]
  |
3 | titel: x
  | ^
  help: did you mean `title`?
content/b.md:4:1: error: broken link `missing.md`: there is no page content/missing.md [broken-link]
  |
4 | [gone](missing.md)
  | ^
  help: link to the page's .md file, relative to this page, like `../tokens/ordering.md`, or from the content folder, like `/tokens/ordering.md`
content/c.md:3:7: error: date `2026-13-01` is not a real day [bad-date]
  |
3 | date: 2026-13-01
  |       ^
  help: check the month (01 to 12) and the day of the month
error: the build found 3 errors; output was left as it was
";
    assert_eq!(err, expected);
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_site_yaml_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = pestle_cmd()
        .arg("build")
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no site.yaml in"));
}

#[test]
fn reports_duplicate_glossary_terms() {
    let (h, hb) = home();
    let s = Site::new(&[
        (h, &hb),
        (
            "glossary.yaml",
            "- term: EPS\n  expansion: Electronic Prescription Service\n- term: RA\n  expansion: Registration Authority\n- term: EPS\n  expansion: Again\n",
        ),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "glossary.yaml:5:3: error: the term `EPS` is defined twice",
            "line 1",
        ],
    );
}

#[test]
fn never_panics_on_odd_input() {
    let (h, hb) = home();
    let odd = [
        "---\n---\n",
        "---\n- a\n- b\n---\n",
        "---\ntitle: A\nrelated: 3\n---\n",
        "---\ntitle: A\nrelated:\n  - { nope: 1 }\n---\n",
        "---\ntitle: A\nextra: 5\n---\n",
        "---\ntitle: A\naliases: ['../../etc']\n---\n",
        "---\ntitle: A\nslug: a/b\n---\n",
        "\u{feff}---\r\ntitle: A\r\n---\r\n[x](#nowhere)\r\n",
        "---\ntitle: \"\"\n---\n",
        "---\ntitle: A\n---\n[x](../../../../x.md) ![i](nope.png) [m](<>) [e](mailto:a@b)",
    ];
    for (n, text) in odd.iter().enumerate() {
        let s = Site::new(&[(h, &hb), ("content/odd.md", text)]);
        let r = s.build();
        assert!(r.diagnostics.has_errors(), "case {n} should be an error");
        for m in messages(&r, s.path()) {
            assert!(m.starts_with("content/odd.md:"), "case {n}: {m}");
        }
    }
}
