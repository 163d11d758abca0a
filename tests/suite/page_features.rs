//! Page features from GOV.UK and the NHS website: feedback links, banners
//! that follow the calendar, structured data and Open Graph tags, the
//! hosts' `_redirects` rules and `llms.txt`.

use crate::support::{Site, assert_message, assert_no_errors, page, pestle_cmd};
use pestle::date::Date;

fn day(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// A small guide: a home page, a section with two pages, a page at the top.
fn guide(site_yaml: &str) -> Site {
    Site::new(&[
        ("site.yaml", site_yaml),
        (
            "content/_index.md",
            &page("title: Home\ndescription: The home page.", "[EPS](eps/)"),
        ),
        (
            "content/eps/_index.md",
            &page("title: EPS\ndescription: All about EPS.", "Intro."),
        ),
        (
            "content/eps/tokens.md",
            &page(
                "title: Tokens & forms\ndescription: Ordering tokens.\nweight: 1\nreviewed: 2026-02-01\nowner: Pharmacy IT team",
                "## Stock\nText.",
            ),
        ),
        (
            "content/eps/nominations.md",
            &page("title: Nominations\nweight: 2", "Text."),
        ),
        ("content/about.md", &page("title: About", "About.")),
    ])
}

const BASE: &str = "title: Guidance\ndescription: Help for pharmacy teams.\nbase_url: https://example.org/guide/\nlanguage: en-GB\n";

fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in\n{text}"));
    let rest = &text[start..];
    &rest[..rest.find(to).map_or(rest.len(), |e| e + to.len())]
}

#[test]
fn feedback_links_end_every_guidance_page_and_carry_the_encoded_page() {
    let s = guide(&format!(
        "{BASE}feedback_url: https://forms.example/f?page={{url}}&title={{title}}\n"
    ));
    s.build_ok();
    let html = s.read("eps/tokens/index.html");
    let feedback = between(&html, "<section class=\"feedback\"", "</section>");
    assert!(feedback.contains("Is this page useful?"), "{feedback}");
    let page =
        "page=https%3A%2F%2Fexample.org%2Fguide%2Feps%2Ftokens%2F&amp;title=Tokens%20%26%20forms";
    for answer in ["yes", "no", "problem"] {
        let href = format!("href=\"https://forms.example/f?{page}&amp;answer={answer}\"");
        assert!(feedback.contains(&href), "no {href} in\n{feedback}");
    }
    assert!(feedback.contains(">Report a problem with this page</a>"));
    assert!(
        html.rfind("class=\"feedback\"") > html.rfind("class=\"page-review\""),
        "feedback comes last"
    );
    assert!(s.read("eps/index.html").contains("class=\"feedback\""));
    assert!(s.read("about/index.html").contains("class=\"feedback\""));
    assert!(
        !s.read("index.html").contains("class=\"feedback\""),
        "the home page is not a guidance page"
    );
}

#[test]
fn an_answer_placeholder_puts_the_answer_where_the_template_says() {
    let s = guide(&format!(
        "{BASE}feedback_url: \"https://forms.example/{{answer}}?u={{url}}\"\n"
    ));
    s.build_ok();
    let html = s.read("eps/index.html");
    assert!(html.contains(
        "href=\"https://forms.example/no?u=https%3A%2F%2Fexample.org%2Fguide%2Feps%2F\""
    ));
}

#[test]
fn without_feedback_url_no_feedback_is_shown() {
    let s = guide(BASE);
    s.build_ok();
    for file in [
        "eps/index.html",
        "eps/tokens/index.html",
        "about/index.html",
    ] {
        let html = s.read(file);
        assert!(!html.contains("feedback"), "{file} shows feedback");
        assert!(!html.contains("Is this page useful"));
    }
}

#[test]
fn a_feedback_url_that_cannot_work_is_an_error_at_its_line_and_column() {
    for (value, place, fragment) in [
        (
            "/feedback?u={url}",
            "site.yaml:5:15:",
            "is not an absolute web address",
        ),
        (
            "https://forms.example/f?u={url}&t={titel}",
            "site.yaml:5:49:",
            "unknown placeholder `{titel}`",
        ),
        (
            "https://forms.example/f?title={title}",
            "site.yaml:5:52:",
            "has no {url}",
        ),
    ] {
        let s = guide(&format!("{BASE}feedback_url: {value}\n"));
        let out = s.run(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{value}");
        let err = String::from_utf8_lossy(&out.stderr);
        let line = format!("{place} error: the feedback address");
        assert!(
            err.contains(&line) || err.contains(&format!("{place} error: `")),
            "{value}: want {place} in\n{err}"
        );
        assert!(err.contains(fragment), "{value}: {err}");
        assert!(
            err.contains("[bad-config]") && err.contains("help: "),
            "{err}"
        );
    }
}

fn banner_site(banners: &str) -> Site {
    guide(&format!("{BASE}banners:\n{banners}"))
}

#[test]
fn a_banner_shows_from_its_first_to_its_last_day_and_not_a_day_either_side() {
    let s = banner_site(
        "  - text: The Spine is down. Use the contingency plan.\n    from: 2026-03-01\n    until: 2026-03-10\n",
    );
    for (date, shown) in [
        ("2026-02-28", false),
        ("2026-03-01", true),
        ("2026-03-05", true),
        ("2026-03-10", true),
        ("2026-03-11", false),
    ] {
        let r = s.build_with(|o| o.date = Some(day(date)));
        assert_no_errors(&r);
        for file in [
            "index.html",
            "eps/index.html",
            "eps/tokens/index.html",
            "404.html",
        ] {
            let html = s.read(file);
            assert_eq!(html.contains("The Spine is down."), shown, "{date}: {file}");
        }
    }
    let html = s.read("eps/tokens/index.html");
    assert!(!html.contains("notification-banner"));
    s.build_with(|o| o.date = Some(day("2026-03-01")));
    let html = s.read("eps/tokens/index.html");
    let banner = between(&html, "<div class=\"notification-banner\"", "</div>");
    assert!(banner.contains("role=\"region\" aria-labelledby=\"notification-banner-title\""));
    assert!(banner.contains(
        "<h2 class=\"notification-banner-title\" id=\"notification-banner-title\">Important</h2>"
    ));
    let (crumbs, banner_at, h1) = (
        html.find("class=\"breadcrumbs\"").expect("breadcrumbs"),
        html.find("class=\"notification-banner\"").expect("banner"),
        html.find("<h1").expect("h1"),
    );
    assert!(
        crumbs < banner_at && banner_at < h1,
        "after the breadcrumbs, before the h1"
    );
}

#[test]
fn of_several_current_banners_the_one_that_started_last_is_shown_alone() {
    let s = banner_site(
        "  - text: Long notice\n    from: 2026-01-01\n    until: 2026-12-31\n  - text: Outage now\n    from: 2026-06-01\n    until: 2026-06-02\n  - text: Next week\n    from: 2026-06-08\n    until: 2026-06-09\n",
    );
    let shown = |date: &str| {
        assert_no_errors(&s.build_with(|o| o.date = Some(day(date))));
        let html = s.read("eps/index.html");
        assert!(
            html.matches("notification-banner-text").count() <= 1,
            "one at a time"
        );
        ["Long notice", "Outage now", "Next week"]
            .into_iter()
            .filter(|t| html.contains(t))
            .collect::<Vec<_>>()
    };
    assert_eq!(shown("2026-05-31"), ["Long notice"]);
    assert_eq!(shown("2026-06-01"), ["Outage now"]);
    assert_eq!(shown("2026-06-03"), ["Long notice"]);
    assert_eq!(shown("2026-06-09"), ["Next week"]);
    assert_eq!(shown("2027-01-01"), Vec::<&str>::new());
}

#[test]
fn a_banner_is_inline_markdown_whose_links_work_from_every_page() {
    let s = banner_site(
        "  - text: \"**Spine down**: see [tokens](/eps/tokens.md#stock) or [NHS](https://www.nhs.uk/). <script>x</script>\"\n    from: 2026-01-01\n    until: 2026-01-01\n",
    );
    assert_no_errors(&s.build_with(|o| o.date = Some(day("2026-01-01"))));
    let text = |file: &str| {
        let html = s.read(file);
        between(&html, "<p class=\"notification-banner-text\">", "</p>").to_string()
    };
    let home = text("index.html");
    assert!(home.contains("<strong>Spine down</strong>"), "{home}");
    assert!(
        home.contains("<a href=\"eps/tokens/#stock\">tokens</a>"),
        "{home}"
    );
    assert!(home.contains("<a href=\"https://www.nhs.uk/\">NHS</a>"));
    assert!(
        home.contains("&lt;script&gt;x&lt;/script&gt;"),
        "raw HTML is text"
    );
    assert!(text("eps/tokens/index.html").contains("<a href=\"./#stock\">"));
    assert!(text("about/index.html").contains("<a href=\"../eps/tokens/#stock\">"));
    assert!(text("404.html").contains("<a href=\"/guide/eps/tokens/#stock\">"));
}

#[test]
fn banner_dates_that_cannot_work_are_errors_at_their_line_in_site_yaml() {
    let s = banner_site(
        "  - text: One\n    from: 2026-01-01\n    until: 2026-01-02\n  - text: Two\n    from: 1 March\n    until: 2026-03-02\n  - text: Three\n    from: 2026-04-02\n    until: 2026-04-01\n  - text: \"\"\n    from: 2026-04-02\n    until: 2026-04-03\n",
    );
    let r = s.build_with(|o| o.date = Some(day("2025-01-01")));
    assert_message(
        &s,
        &r,
        &[
            "site.yaml:10:11:",
            "`from: 1 March` is not a date",
            "[bad-date]",
        ],
    );
    assert_message(
        &s,
        &r,
        &["site.yaml:14:12:", "before it starts", "[bad-date]"],
    );
    assert_message(
        &s,
        &r,
        &["site.yaml:15:11:", "banner 4 has no text", "[bad-config]"],
    );
    assert_eq!(r.diagnostics.error_count(), 3);
}

#[test]
fn a_banner_link_to_no_page_fails_the_build_even_before_its_dates() {
    let s = banner_site(
        "  - text: Ready.\n    from: 2026-01-01\n    until: 2026-01-02\n  - text: See [the plan](/eps/missing.md).\n    from: 2030-01-01\n    until: 2030-01-02\n",
    );
    let r = s.build_with(|o| o.date = Some(day("2026-01-01")));
    assert_message(
        &s,
        &r,
        &[
            "site.yaml:9:11:",
            "the banner's link `/eps/missing.md` is broken",
            "[broken-link]",
        ],
    );
}

#[test]
fn the_build_date_comes_from_the_option_or_the_environment() {
    let s = banner_site("  - text: Notice\n    from: 2026-05-01\n    until: 2026-05-01\n");
    let build = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = pestle_cmd();
        c.arg("build").args(args).current_dir(s.path());
        c.env_remove("PESTLE_TODAY").env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().expect("run pestle");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let shown = || s.read("eps/index.html").contains("Notice");
    // 2026-05-01T12:00:00Z
    assert_eq!(
        build(&[], &[("SOURCE_DATE_EPOCH", "1777636800")]).0,
        Some(0)
    );
    assert!(shown(), "SOURCE_DATE_EPOCH sets the day");
    assert_eq!(
        build(&[], &[("SOURCE_DATE_EPOCH", "1777680000")]).0,
        Some(0)
    );
    assert!(!shown(), "the day after");
    assert_eq!(build(&[], &[("PESTLE_TODAY", "2026-05-01")]).0, Some(0));
    assert!(shown(), "PESTLE_TODAY sets the day");
    let r = build(&["--date", "2026-04-30"], &[("PESTLE_TODAY", "2026-05-01")]);
    assert_eq!(r.0, Some(0));
    assert!(!shown(), "--date wins");
    let (code, err) = build(&[], &[("PESTLE_TODAY", "1 May")]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("PESTLE_TODAY is `1 May`, which is not a date"),
        "{err}"
    );
    let (code, err) = build(&["--date", "2026-13-01"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("is not a date: write it as YYYY-MM-DD"),
        "{err}"
    );
}

/// The JSON-LD of an output page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let json = between(html, open, "</script>");
    let json = &json[open.len()..json.len() - "</script>".len()];
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn guidance_pages_carry_medical_web_page_json_ld_with_their_breadcrumbs() {
    let s = guide(BASE);
    s.build_ok();
    let ld = json_ld(&s.read("eps/tokens/index.html"));
    assert_eq!(ld["@context"], "https://schema.org");
    let graph = ld["@graph"].as_array().expect("@graph");
    let page = &graph[0];
    assert_eq!(page["@type"], "MedicalWebPage");
    assert_eq!(page["name"], "Tokens & forms");
    assert_eq!(page["description"], "Ordering tokens.");
    assert_eq!(page["lastReviewed"], "2026-02-01");
    assert_eq!(page["reviewedBy"]["name"], "Pharmacy IT team");
    assert_eq!(page["url"], "https://example.org/guide/eps/tokens/");
    assert_eq!(page["inLanguage"], "en-GB");
    assert_eq!(page["audience"]["@type"], "MedicalAudience");
    assert_eq!(page["audience"]["name"], "Pharmacy professionals");
    let crumbs = &graph[1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    assert_eq!(page["breadcrumb"]["@id"], crumbs["@id"]);
    let items: Vec<(String, String)> = crumbs["itemListElement"]
        .as_array()
        .expect("items")
        .iter()
        .enumerate()
        .map(|(n, i)| {
            assert_eq!(i["position"], n + 1);
            (
                i["name"].as_str().unwrap_or("").into(),
                i["item"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("Home".to_string(), "https://example.org/guide/".to_string()),
            ("EPS".into(), "https://example.org/guide/eps/".into()),
            (
                "Tokens & forms".into(),
                "https://example.org/guide/eps/tokens/".into()
            ),
        ]
    );
    let section = json_ld(&s.read("eps/index.html"));
    assert_eq!(section["@graph"][0]["@type"], "MedicalWebPage");
    assert!(section["@graph"][0].get("lastReviewed").is_none());
    let home = json_ld(&s.read("index.html"));
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(home["name"], "Guidance");
    assert_eq!(home["url"], "https://example.org/guide/");
    assert!(!s.read("tags/index.html").contains("application/ld+json"));
}

#[test]
fn a_title_that_closes_a_script_cannot_break_out_of_the_json_ld() {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/a.md",
            &page("title: \"x</script><script>alert(1)</script> & <!--\"", ""),
        ),
    ]);
    s.build_ok();
    let html = s.read("a/index.html");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    assert!(!html.contains("<script>alert"));
    let ld = json_ld(&html);
    assert_eq!(
        ld["@graph"][0]["name"],
        "x</script><script>alert(1)</script> & <!--"
    );
}

#[test]
fn open_graph_tags_name_each_page_for_sharing() {
    let s = guide(BASE);
    s.build_ok();
    let html = s.read("eps/tokens/index.html");
    for tag in [
        "<meta property=\"og:title\" content=\"Tokens &amp; forms\">",
        "<meta property=\"og:description\" content=\"Ordering tokens.\">",
        "<meta property=\"og:url\" content=\"https://example.org/guide/eps/tokens/\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:site_name\" content=\"Guidance\">",
        "<link rel=\"canonical\" href=\"https://example.org/guide/eps/tokens/\">",
    ] {
        assert!(html.contains(tag), "no {tag}");
    }
    let home = s.read("index.html");
    assert!(home.contains("<meta property=\"og:type\" content=\"website\">"));
    // A page without a description is shared with the site's.
    assert!(
        s.read("eps/nominations/index.html")
            .contains("<meta property=\"og:description\" content=\"Help for pharmacy teams.\">")
    );
}

#[test]
fn redirects_file_sends_every_alias_on_from_the_base_path() {
    let s = Site::new(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/guide/\n",
        ),
        ("content/_index.md", &page("title: Home", "")),
        ("content/news/_index.md", &page("title: News", "")),
        (
            "content/eps/a.md",
            &page("title: A\naliases: [/old-a/, /older a.html]", ""),
        ),
    ]);
    s.build_ok();
    assert_eq!(
        s.read("_redirects"),
        "/guide/news/page/1/ /guide/news/ 301\n/guide/old-a/ /guide/eps/a/ 301\n/guide/older%20a.html /guide/eps/a/ 301\n"
    );
    assert!(
        s.read("old-a/index.html").contains("url=../eps/a/"),
        "the HTML redirects stay"
    );
}

#[test]
fn llms_txt_lists_every_page_by_section_with_absolute_addresses() {
    let s = guide(BASE);
    s.write(
        "content/eps/draft.md",
        &page("title: Draft\ndraft: true", "Not yet."),
    );
    s.build_ok();
    assert_eq!(
        s.read("llms.txt"),
        "# Guidance\n\n> Help for pharmacy teams.\n\n## EPS\n\n\
- [EPS](https://example.org/guide/eps/): All about EPS.\n\
- [Tokens & forms](https://example.org/guide/eps/tokens/): Ordering tokens.\n\
- [Nominations](https://example.org/guide/eps/nominations/)\n\n\
## Also on this site\n\n- [About](https://example.org/guide/about/)\n"
    );
    let with_drafts = s.build_with(|o| o.drafts = true);
    assert_no_errors(&with_drafts);
    assert!(!s.read("llms.txt").contains("Draft"), "drafts are left out");
}

#[test]
fn the_deploy_workflow_builds_and_deploys_every_day() {
    let yml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/site.yml"),
    )
    .expect("read the workflow");
    let on = between(&yml, "\non:\n", "\njobs:");
    assert!(on.contains("schedule:") && on.contains("- cron: "), "{on}");
    let deploy = between(&yml, "\n  deploy:\n", "steps:");
    assert!(
        deploy.contains("if: github.event_name != 'pull_request'"),
        "the scheduled run deploys too: {deploy}"
    );
    assert_eq!(
        yml.matches("if: github.event_name == 'push'").count(),
        0,
        "no step is left to push events alone"
    );
}

/// A loopback server that answers 200 to everything and records each path
/// asked for.
fn recording_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).into_owned();
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
            if let Ok(mut l) = log.lock() {
                l.push(path);
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (base, seen)
}

#[test]
fn check_external_never_visits_the_feedback_links() {
    let (base, seen) = recording_server();
    let s = Site::new(&[
        (
            "site.yaml",
            &format!(
                "{BASE}feedback_url: {base}/feedback?page={{url}}&title={{title}}\ncheck:\n  external_retries: 0\n"
            ),
        ),
        (
            "content/_index.md",
            &page("title: Home\ndescription: Home.", "[EPS](eps/_index.md)"),
        ),
        (
            "content/eps/_index.md",
            &page(
                "title: EPS\ndescription: All about EPS.",
                &format!("[a working link]({base}/ok)"),
            ),
        ),
    ]);
    s.build_ok();
    assert!(
        s.read("eps/index.html")
            .contains(&format!("{base}/feedback?page="))
    );
    let out = pestle_cmd()
        .args(["check", "--external", "--allow-private"])
        .current_dir(s.path())
        .env("PESTLE_TODAY", "2026-11-26")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let seen = seen.lock().expect("log").clone();
    assert!(
        seen.iter().any(|p| p == "/ok"),
        "the other external link was checked: {seen:?}"
    );
    assert!(
        !seen.iter().any(|p| p.starts_with("/feedback")),
        "a visit would count as an answer: {seen:?}"
    );
}
