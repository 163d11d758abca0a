//! Themes: the built-in default, themes on disk, and `extends`.

use crate::support::{Site, page};

#[test]
fn a_theme_can_extend_the_default_and_override_one_template() {
    let s = Site::new(&[
        ("site.yaml", "title: T\ntheme: mine\n"),
        ("themes/mine/theme.yaml", "extends: default\n"),
        (
            "themes/mine/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"mine\">{{ page.title }}</p>{% endblock main %}",
        ),
        ("themes/mine/static/extra.js", "// js"),
        ("content/_index.md", &page("title: Home", "")),
        ("content/a.md", &page("title: A", "")),
    ]);
    s.build_ok();
    let a = s.read("a/index.html");
    assert!(a.contains("<p class=\"mine\">A</p>"));
    assert!(
        a.contains("<a class=\"skip-link\""),
        "base.html comes from the default theme"
    );
    assert!(s.exists("css/site.css"));
    assert_eq!(s.read("extra.js"), "// js");
}

#[test]
fn the_built_in_default_theme_needs_no_themes_folder() {
    let s = Site::new(&[("content/_index.md", &page("title: Home", "Hello"))]);
    s.build_ok();
    assert!(s.read("index.html").contains("Hello"));
    assert!(s.exists("css/site.css"));
}

#[test]
fn reports_a_missing_theme() {
    let s = Site::new(&[("site.yaml", "title: T\ntheme: nothere\n")]);
    let r = s.build();
    crate::support::assert_message(
        &s,
        &r,
        &["site.yaml: error: there is no theme folder themes/nothere"],
    );
}
