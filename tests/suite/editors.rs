//! The usual mistakes of an editor who has never seen YAML, each answered in
//! one run with a plain message, the line as written, and what to type
//! instead. Each test asserts the whole message as `pestle build` prints it.

use crate::support::{Site, page, pestle_cmd};

/// A site with a guide section whose page `content/guide/other.md` is
/// `other`; returns the site and what `pestle build` printed on stderr.
fn build_with(other: &str) -> (Site, String) {
    let s = Site::new(&[
        (
            "content/_index.md",
            &page("title: Home", "[Guide](guide/_index.md)"),
        ),
        ("content/guide/_index.md", &page("title: Guide", "")),
        (
            "content/guide/page.md",
            &page("title: A page", "## Stock\nText."),
        ),
        ("content/guide/other.md", other),
        ("content/guide/map.png", crate::support::GIF_1X1),
    ]);
    let out = s.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (s, err)
}

fn assert_block(printed: &str, block: &str) {
    assert!(
        printed.contains(block),
        "expected this message:\n{block}\n--- in what was printed:\n{printed}"
    );
}

#[test]
fn an_unquoted_colon_in_a_title_gets_the_quoted_line() {
    let (_, err) = build_with("---\ntitle: Smartcards: a guide\n---\nText.\n");
    assert_block(
        &err,
        "content/guide/other.md:2:18: error: the text after `title:` cannot be read: a colon followed by a space in it starts a new setting [bad-yaml]
  |
2 | title: Smartcards: a guide
  |                  ^
  help: put the text in straight double quotes: title: \"Smartcards: a guide\"
",
    );
    assert!(
        !err.contains("title is empty"),
        "one mistake, one message:\n{err}"
    );
    assert!(!err.contains("mapping values"), "no parser words:\n{err}");
}

#[test]
fn a_tab_at_the_start_of_a_line_is_named_once_with_the_line_to_write() {
    let (_, err) = build_with("---\ntitle: Other\n\tweight: 3\n---\nText.\n");
    assert_block(
        &err,
        "content/guide/other.md:3:1: error: line 3 starts with a tab: use spaces, not tabs, at the start of line 3 [bad-yaml]
  |
3 |     weight: 3
  | ^
  help: write the line as: weight: 3
",
    );
    assert_eq!(err.matches("[bad-yaml]").count(), 1, "{err}");
}

#[test]
fn a_number_written_as_a_word_asks_for_digits() {
    let (_, err) = build_with("---\ntitle: Other\nweight: ten\n---\n");
    assert_block(
        &err,
        "content/guide/other.md:3:9: error: weight must be a whole number, like 10, not `ten` [bad-type]
  |
3 | weight: ten
  |         ^
  help: write it in digits: weight: 10
",
    );
}

#[test]
fn yes_for_a_true_or_false_setting_asks_for_true() {
    let (_, err) = build_with("---\ntitle: Other\ndraft: yes\n---\n");
    assert_block(
        &err,
        "content/guide/other.md:3:8: error: draft must be true or false, not `yes` [bad-type]
  |
3 | draft: yes
  |        ^
  help: write true or false: draft: true
",
    );
}

#[test]
fn curly_quotes_are_a_warning_and_with_a_colon_an_error_naming_them() {
    let (s, err) = build_with("---\ntitle: “Other”\n---\nText.\n");
    assert_block(
        &err,
        "content/guide/other.md:2:8: warning: the value of `title` is in curly quotes, which will show on the page [curly-quotes]
  |
2 | title: “Other”
  |        ^
  help: use straight quotes, or none: title: \"Other\"
",
    );
    drop(s);
    let (_, err) = build_with("---\ntitle: “Smartcards: a guide”\n---\nText.\n");
    assert_block(
        &err,
        "content/guide/other.md:2:19: error: the text after `title:` cannot be read: curly quotes are not quotes in YAML, so the colon in it starts a new setting [bad-yaml]",
    );
    assert_block(
        &err,
        "  help: put the text in straight double quotes: title: \"Smartcards: a guide\"\n",
    );
}

#[test]
fn tags_written_with_commas_are_read_as_a_list_with_a_warning() {
    let (s, err) = build_with("---\ntitle: Other\ntags: eps, tokens\n---\nText.\n");
    assert_block(
        &err,
        "content/guide/other.md:3:7: warning: tags is written as text with commas, so it is read as 2 separate items [list-as-text]
  |
3 | tags: eps, tokens
  |       ^
  help: write it as a list: tags: [eps, tokens]
",
    );
    assert!(s.exists("tags/eps/index.html") && s.exists("tags/tokens/index.html"));
}

#[test]
fn front_matter_after_a_blank_line_must_start_on_the_first_line() {
    let (_, err) = build_with("\n---\ntitle: Other\n---\nText.\n");
    assert_block(
        &err,
        "content/guide/other.md:2:1: error: the front matter must start on the very first line of the file [bad-front-matter]
  |
2 | ---
  | ^
  help: delete the empty line above this `---`
",
    );
    assert!(!err.contains("no front matter"), "{err}");
}

#[test]
fn front_matter_never_closed_says_where_the_line_goes() {
    let (_, err) = build_with("---\ntitle: Other\ndescription: Text.\n\n## First\n");
    assert_block(
        &err,
        "content/guide/other.md:1:1: error: the front matter is never closed [bad-front-matter]
  |
1 | ---
  | ^
  help: add a line with just `---` after line 3, where the settings end
",
    );
}

#[test]
fn an_unclosed_list_or_quote_gets_the_closed_line() {
    let (_, err) = build_with("---\ntitle: Other\ntags: [eps, tokens\n---\n");
    assert_block(
        &err,
        "content/guide/other.md:3:1: error: a list opened with `[` is not closed on this line [bad-yaml]
  |
3 | tags: [eps, tokens
  | ^
  help: end the line with `]`: tags: [eps, tokens]
",
    );
    let (_, err) = build_with("---\ntitle: \"Other\ndescription: x\n---\n");
    assert_block(
        &err,
        "content/guide/other.md:2:1: error: a quote (\") opened on this line is never closed [bad-yaml]",
    );
}

#[test]
fn a_date_written_another_way_gets_it_as_yyyy_mm_dd() {
    let (_, err) = build_with("---\ntitle: Other\nreviewed: 26/11/2026\n---\n");
    assert_block(
        &err,
        "content/guide/other.md:3:11: error: reviewed `26/11/2026` is not a date in the form pestle reads [bad-date]
  |
3 | reviewed: 26/11/2026
  |           ^
  help: write dates as YYYY-MM-DD: reviewed: 2026-11-26
",
    );
}

#[test]
fn a_link_with_the_wrong_letter_case_suggests_what_to_type_from_this_page() {
    let (_, err) = build_with(&page("title: Other", "See [x](Guide/Page.md)."));
    assert_block(
        &err,
        "content/guide/other.md:4:5: error: broken link `Guide/Page.md`: there is no page content/guide/Guide/Page.md [broken-link]
  |
4 | See [x](Guide/Page.md).
  |     ^
  help: did you mean the page `page.md`? Write `[...](page.md)`
",
    );
}

#[test]
fn a_link_to_nothing_like_any_page_never_suggests_the_page_itself() {
    let (_, err) = build_with(&page("title: Other", "See [x](nope.md)."));
    assert_block(
        &err,
        "  help: link to the page's .md file, relative to this page, like `../tokens/ordering.md`, or from the content folder, like `/tokens/ordering.md`\n",
    );
    assert!(!err.contains("`other.md`"), "{err}");
}

#[test]
fn a_link_to_a_page_address_suggests_its_file() {
    let (_, err) = build_with(&page(
        "title: Other",
        "See [x](/guide/page/index.html#stock).",
    ));
    assert_block(
        &err,
        "  help: did you mean the page `page.md#stock`? Write `[...](page.md#stock)`\n",
    );
}

#[test]
fn images_get_image_hints_and_case_insensitive_matches() {
    let (_, err) = build_with(&page("title: Other", "![Map](Map.PNG) ![Chart](chart.png)"));
    assert_block(
        &err,
        "content/guide/other.md:4:1: error: broken image `Map.PNG`: there is no file content/guide/Map.PNG [broken-link]
  |
4 | ![Map](Map.PNG) ![Chart](chart.png)
  | ^
  help: did you mean the image `map.png`? Write `![...](map.png)`
",
    );
    assert_block(
        &err,
        "  help: write the path to the image file, relative to this page, like `images/map.png`\n",
    );
    assert!(
        !err.contains(".md file"),
        "image problems get image hints:\n{err}"
    );
}

#[test]
fn an_empty_section_index_is_a_page_without_a_title_not_a_missing_page() {
    let s = Site::new(&[
        (
            "content/_index.md",
            &page("title: Home", "[Guide](guide/_index.md)"),
        ),
        ("content/guide/_index.md", ""),
    ]);
    let out = s.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_block(
        &err,
        "content/guide/_index.md:1:1: error: this page has no front matter, so it has no title [missing-title]",
    );
    assert!(!err.contains("there is no page"), "{err}");
}

/// A page with four different problems: a key misspelt, a value of the
/// wrong kind, a broken link, and an image without alt text.
fn four_problems() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            &page("title: Home\ndescription: Home.", "[A](a.md)"),
        ),
        (
            "content/a.md",
            "---\ntitle: A\ndescription: A.\nregoin: london\nweight: ten\n---\nSee [b](b.md).\n\n![](pic.png)\n",
        ),
        ("content/pic.png", crate::support::GIF_1X1),
    ])
}

#[test]
fn a_page_with_four_problems_reports_all_four_in_one_run_in_every_format() {
    let s = four_problems();
    let human = String::from_utf8_lossy(&s.run(&["check"]).stdout).into_owned();
    for want in [
        "content/a.md:4:1: error: unknown front-matter key `regoin` [unknown-key]",
        "content/a.md:5:9: error: weight must be a whole number, like 10, not `ten` [bad-type]",
        "content/a.md:7:5: error: broken link `b.md`: there is no page content/b.md [broken-link]",
        "content/a.md:9:1: warning: this image has no alt text [missing-alt]",
    ] {
        assert!(human.contains(want), "missing {want:?} in\n{human}");
    }
    assert!(
        human.trim_end().ends_with(
            "check: 3 errors, 1 warning in 2 pages (1 page could not be checked fully until its front matter is fixed)"
        ),
        "{human}"
    );
    let json = String::from_utf8_lossy(&s.run(&["check", "--format", "json"]).stdout).into_owned();
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        (doc["errors"].as_u64(), doc["warnings"].as_u64()),
        (Some(3), Some(1))
    );
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["unknown-key", "bad-type", "broken-link", "missing-alt"]
    );
    assert_eq!(doc["findings"][1]["source"], "weight: ten");
    let gh = String::from_utf8_lossy(&s.run(&["check", "--format", "github"]).stdout).into_owned();
    for want in [
        "::error file=content/a.md,line=4,col=1,title=unknown-key::",
        "::error file=content/a.md,line=5,col=9,title=bad-type::",
        "::error file=content/a.md,line=7,col=5,title=broken-link::",
        "::warning file=content/a.md,line=9,col=1,title=missing-alt::",
    ] {
        assert!(gh.contains(want), "missing {want:?} in\n{gh}");
    }
    assert!(
        gh.trim_end().ends_with("check: 3 errors, 1 warning"),
        "{gh}"
    );
}

#[test]
fn pestle_finds_site_yaml_in_a_folder_above() {
    let s = Site::new(&[("content/_index.md", &page("title: Home", ""))]);
    let out = pestle_cmd()
        .args(["build"])
        .current_dir(s.path().join("content"))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(s.path().join("output/index.html").exists());
    let elsewhere = tempfile::tempdir().expect("tmp");
    let out = pestle_cmd()
        .args(["build"])
        .current_dir(elsewhere.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr)
        .replace(&elsewhere.path().display().to_string(), "[TMP]");
    assert_eq!(
        err,
        "error: there is no site.yaml in [TMP] or any folder above it: run pestle in a site folder, use --root DIR, or create a site with `pestle new DIR`\n"
    );
}

#[test]
fn usage_errors_are_plain_words() {
    let out = pestle_cmd()
        .args(["serve", "--port", "abc"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`abc` is not a port number: write a whole number from 0 to 65535, like --port 1111 (0 picks a free port)"),
        "{err}"
    );
    assert!(!err.contains("invalid digit"), "{err}");
    let help = pestle_cmd().args(["new", "--help"]).output().expect("run");
    assert!(!String::from_utf8_lossy(&help.stdout).contains("--root"));
}

#[test]
fn new_prints_next_steps_that_work_as_printed() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = pestle_cmd()
        .args(["new", "my site"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text =
        String::from_utf8_lossy(&out.stdout).replace(env!("CARGO_BIN_EXE_pestle"), "[PESTLE]");
    assert_eq!(
        text,
        "Created a new site in my site.\nNext, to see it as you edit:\n  cd 'my site'\n  [PESTLE] serve\nthen open http://127.0.0.1:1111/ in your browser: each page updates when you save it.\n"
    );
    // Run as printed (build rather than serve, which would not return).
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd 'my site' && '{}' build",
            env!("CARGO_BIN_EXE_pestle")
        ))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
