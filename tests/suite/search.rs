//! The static search: the index files a build writes, and what the real
//! client (run in Node by `tests/search/query.mjs`) finds in them. Node is
//! required for the behaviour tests; `PESTLE_SKIP_NODE=1` skips them.

use crate::support::{Site, page, snapshot};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const GLOSSARY: &str = "\
- term: SCR
  expansion: Summary Care Record
  description: A summary of the GP record.
- term: RA
  expansion: Registration Authority
  description: Issues Smartcards.
  aliases: [RA team]
";

const SITE_YAML: &str = "title: Test site\nbase_url: https://example.org/docs/\ntaxonomies:\n  - name: region\n    title: Regions\n    closed: true\n    terms:\n      - { slug: london, title: London }\n      - { slug: north, title: North }\n";

fn fixture() -> Site {
    Site::new(&[
        ("site.yaml", SITE_YAML),
        ("glossary.yaml", GLOSSARY),
        ("content/_index.md", &page("title: Home", "Welcome.\n")),
        (
            "content/records/_index.md",
            &page("title: Records", "Records section.\n"),
        ),
        (
            "content/records/scr.md",
            &page(
                "title: Viewing patient summaries\ndescription: How pharmacists look at GP data.",
                "## Access {#access}\n\nYou need the Summary Care Record role on your card.\n\n## Consent\n\nAsk the patient first.\n",
            ),
        ),
        (
            "content/records/acronym.md",
            &page(
                "title: Using the SCR",
                "The SCR is quick to open in the pharmacy.\n",
            ),
        ),
        (
            "content/cards/_index.md",
            &page("title: Cards", "Cards section.\n"),
        ),
        (
            "content/cards/ra.md",
            &page(
                "title: Getting a card",
                "Your Registration Authorities issue every Smartcard. Organize a meeting.\n\n## Locked cards\n\nAsk the NHS IT helpdesk if it is locked.\n",
            ),
        ),
        (
            "content/cards/repeat.md",
            &page(
                "title: Repeat dispensing\nregion: london",
                "Electronic repeat dispensing saves time. Dispensing repeat items is different.\n",
            ),
        ),
        (
            "content/cards/north.md",
            &page(
                "title: Northern dispensing\nregion: north",
                "Dispensing in the north uses the same cards.\n",
            ),
        ),
        (
            "content/cards/xss.md",
            &page(
                "title: \"<img src=x onerror=alert(1)>\"",
                "A page about <b>markup</b> and smartcard safety.\n",
            ),
        ),
    ])
}

fn queries(site_dir: &Path, qs: &Value) -> Option<Vec<Value>> {
    if std::env::var_os("PESTLE_SKIP_NODE").is_some() {
        eprintln!("PESTLE_SKIP_NODE is set: not running the search client");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/query.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(site_dir)
        .arg(qs.to_string())
        .output()
        .expect("node must be installed for the search tests (or set PESTLE_SKIP_NODE=1)");
    assert!(
        out.status.success(),
        "query.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("JSON"))
}

fn built() -> Site {
    let site = fixture();
    site.build_ok();
    site
}

fn urls(r: &Value) -> Vec<String> {
    r["urls"]
        .as_array()
        .expect("urls")
        .iter()
        .map(|u| u.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The path of page `i`'s first fragment, in the numbering `meta.js` names.
fn fragment(site: &Site, i: usize) -> String {
    let meta = site.read("search/meta.js");
    let numbering = meta
        .split("\"numbering\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string();
    format!("search/p/{numbering}/{i}.js")
}

#[test]
fn writes_the_index_as_classic_scripts_and_the_page_loads_the_client_deferred() {
    let site = built();
    assert!(
        site.read("search/meta.js")
            .starts_with("pestleSearch.meta({")
    );
    assert!(site.exists("search/search.js"));
    assert!(site.exists(&fragment(&site, 0)));
    let shards: Vec<_> = std::fs::read_dir(site.path().join("output/search/t"))
        .expect("shards")
        .flatten()
        .collect();
    assert!(!shards.is_empty());
    for s in shards {
        let text = std::fs::read_to_string(s.path()).expect("shard");
        assert!(text.starts_with("pestleSearch.shard(\""), "{text}");
    }
    let html = site.read("search/index.html");
    assert!(html.contains(r#"<script src="../search/search.js" defer></script>"#));
    assert!(html.contains(r#"data-root="../""#));
}

#[test]
fn search_files_are_deterministic_and_unchanged_content_keeps_its_names() {
    let site = fixture();
    site.build_ok();
    let search = |s: &Site| snapshot(&s.path().join("output/search"));
    let first = search(&site);
    site.build_ok();
    assert_eq!(first, search(&site), "same input, same bytes");
    site.write(
        "content/cards/north.md",
        &page(
            "title: Northern dispensing\nregion: north",
            "Dispensing in the north uses zebra cards.\n",
        ),
    );
    site.build_ok();
    let second = search(&site);
    let names = |s: &[(std::path::PathBuf, Vec<u8>)], dir: &str| -> Vec<String> {
        s.iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(p, _)| p.display().to_string())
            .collect()
    };
    assert_ne!(
        names(&first, "t"),
        names(&second, "t"),
        "a changed shard gets a new name"
    );
    let unchanged_vocab = names(&first, "v")
        .into_iter()
        .filter(|n| n.starts_with("v/a-"))
        .all(|n| names(&second, "v").contains(&n));
    assert!(
        unchanged_vocab,
        "vocabulary files for untouched letters keep their names"
    );
}

#[test]
fn fragments_hold_sections_with_heading_ids_and_no_menus_or_footer() {
    let site = built();
    let meta = site.read("search/meta.js");
    assert!(meta.contains(r#"["records","Records",[["#), "{meta}");
    let all: String = (0..10)
        .filter(|i| site.exists(&fragment(&site, *i)))
        .map(|i| site.read(&fragment(&site, i)))
        .collect();
    assert!(
        all.contains(
            r#"["access","Access","You need the Summary Care Record role on your card."]"#
        ),
        "{all}"
    );
    assert!(!all.contains("Skip to main content"));
    assert!(!all.contains("Support links"));
}

#[test]
fn titles_that_look_like_html_are_data_and_the_client_never_writes_html() {
    let site = built();
    let all: String = (0..10)
        .filter(|i| site.exists(&fragment(&site, *i)))
        .map(|i| site.read(&fragment(&site, i)))
        .collect();
    assert!(all.contains(r#""t":"<img src=x onerror=alert(1)>""#));
    let client = site.read("search/search.js");
    assert!(!client.contains("innerHTML") && !client.contains("insertAdjacentHTML"));
}

#[test]
fn acronyms_and_expansions_find_each_other_and_show_a_glossary_card() {
    let site = built();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([{"q": "SCR"}, {"q": "summary care record"}, {"q": "registration authority"}, {"q": "RA"}]),
    ) else {
        return;
    };
    for i in [0, 1] {
        let u = urls(&r[i]);
        assert!(
            u.contains(&"records/scr/".to_string()),
            "{}: {u:?}",
            r[i]["q"]
        );
        assert!(
            u.contains(&"records/acronym/".to_string()),
            "{}: {u:?}",
            r[i]["q"]
        );
        assert_eq!(r[i]["concept"], "SCR");
    }
    assert_eq!(urls(&r[2])[0], "cards/ra/");
    assert_eq!(urls(&r[3])[0], "cards/ra/");
}

#[test]
fn short_acronyms_that_are_words_match_only_in_capitals() {
    let site = built();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([{"q": "IT"}, {"q": "it"}]),
    ) else {
        return;
    };
    assert_eq!(urls(&r[0]), ["cards/ra/"]);
    assert_eq!(r[1]["mode"], "stop");
    assert_eq!(r[1]["total"], 0);
}

#[test]
fn spelling_variants_typos_and_prefixes_still_find_the_page() {
    let site = built();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([{"q": "organise"}, {"q": "smartcrd"}, {"q": "smartc"}, {"q": "smartcrd", "exact": true}]),
    ) else {
        return;
    };
    assert_eq!(urls(&r[0]), ["cards/ra/"]);
    assert!(urls(&r[1]).contains(&"cards/ra/".to_string()));
    assert_eq!(r[1]["corrections"][0]["to"], "smartcard");
    assert!(urls(&r[2]).contains(&"cards/ra/".to_string()));
    assert_eq!(
        r[3]["total"], 0,
        "asking for the exact word turns correction off"
    );
}

#[test]
fn all_words_first_then_an_explained_fallback_then_phrases() {
    let site = built();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([
            {"q": "repeat dispensing"},
            {"q": "dispensing zebra"},
            {"q": "\"repeat dispensing\""},
            {"q": "\"dispensing repeat\""},
            {"q": "the of and"},
            {"q": ""}
        ]),
    ) else {
        return;
    };
    assert_eq!(urls(&r[0])[0], "cards/repeat/");
    assert_eq!(r[1]["mode"], "or");
    assert!(r[1]["total"].as_u64().unwrap_or(0) >= 2);
    assert_eq!(urls(&r[2]), ["cards/repeat/"]);
    assert_eq!(urls(&r[3]), ["cards/repeat/"]);
    assert_eq!(r[4]["mode"], "stop");
    assert_eq!(r[5]["mode"], "empty");
}

#[test]
fn facets_filter_by_section_and_region_with_counts() {
    let site = built();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([
            {"q": "dispensing"},
            {"q": "dispensing", "region": ["london"]},
            {"q": "dispensing", "section": ["records"]}
        ]),
    ) else {
        return;
    };
    assert_eq!(r[0]["counts"]["region"]["london"], 1);
    assert_eq!(r[0]["counts"]["region"]["north"], 1);
    assert_eq!(r[0]["counts"]["section"]["cards"], 2);
    assert_eq!(urls(&r[1]), ["cards/repeat/"]);
    assert_eq!(r[2]["total"], 0);
}

#[test]
fn snippets_mark_query_words_and_link_the_best_heading() {
    let site = built();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([{"q": "locked"}]),
    ) else {
        return;
    };
    assert_eq!(r[0]["headings"][0], "locked-cards");
    assert!(
        r[0]["snippets"][0]
            .as_str()
            .unwrap_or("")
            .contains("[locked]")
    );
}

#[test]
fn a_theme_that_extends_the_default_keeps_search() {
    let site = fixture();
    site.write("themes/plain/theme.yaml", "extends: default\n");
    site.write("site.yaml", &format!("{SITE_YAML}theme: plain\n"));
    site.build_ok();
    assert!(
        site.exists("search/meta.js"),
        "the default search page is inherited"
    );
}

fn question_site() -> Site {
    let site = Site::new(&[
        ("site.yaml", "title: Test site\n"),
        ("content/_index.md", &page("title: Home", "Welcome.\n")),
        (
            "content/locked.md",
            &page(
                "title: Cards",
                "## What if my card is locked?\n\nAsk your card administrator to unlock it.\n\n## Sources\n\n- Zebra handbook on prescription tokens\n",
            ),
        ),
        (
            "content/tokens.md",
            &page(
                "title: Prescription tokens",
                "Tokens are paper copies of a prescription.\n",
            ),
        ),
        (
            "content/other.md",
            &page(
                "title: Administrators",
                "Administrators of cards, prescriptions and tokens, and what a card administrator does when a locked card must be replaced or renewed.\n",
            ),
        ),
    ]);
    site.build_ok();
    site
}

#[test]
fn sources_lists_are_not_indexed_and_never_give_a_snippet() {
    let site = question_site();
    let all: String = (0..4)
        .filter(|i| site.exists(&fragment(&site, *i)))
        .map(|i| site.read(&fragment(&site, i)))
        .collect();
    assert!(!all.contains("Zebra"), "{all}");
    assert!(!all.contains("\"sources\""), "{all}");
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([{"q": "zebra handbook", "exact": true}, {"q": "tokens"}]),
    ) else {
        return;
    };
    assert_eq!(r[0]["total"], 0, "only a Sources list has these words");
    for h in r[1]["headings"].as_array().expect("headings") {
        assert_ne!(h, "sources");
    }
}

#[test]
fn questions_rank_by_coverage_and_typos_are_fixed_in_the_whole_query() {
    let site = question_site();
    let Some(r) = queries(
        &site.path().join("output"),
        &serde_json::json!([
            {"q": "what do I do if my card is locked"},
            {"q": "perscription tokens"},
            {"q": "tokesn"},
            {"q": "prescription"},
            {"q": "TOKENS"},
            {"q": "can't unlock card"}
        ]),
    ) else {
        return;
    };
    assert_eq!(
        urls(&r[0])[0],
        "locked/",
        "the heading says what the question says"
    );
    assert_eq!(r[1]["corrections"][0]["to"], "prescription");
    assert_eq!(
        r[1]["corrected"], "prescription tokens",
        "the whole query is shown"
    );
    assert_eq!(urls(&r[1])[0], "tokens/");
    assert_eq!(
        r[2]["corrections"][0]["to"], "tokens",
        "a swap of two letters is one edit"
    );
    for i in [3, 4] {
        assert_eq!(
            r[i]["corrections"],
            serde_json::json!([]),
            "a word the site has is never corrected"
        );
        assert_eq!(urls(&r[i])[0], "tokens/");
    }
    assert_eq!(urls(&r[5])[0], "locked/", "can't is a stop word");
}
