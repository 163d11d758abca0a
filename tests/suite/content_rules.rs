//! Rules for the guidance in this repository's content/ folder, from issue 14
//! ("Content, second edition"): no placeholder table cells, no sources on
//! mirror hosts, editors' notes kept on one page, and every STP footprint of
//! 2016 listed on its region's page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every page: its path under content/ (with `/` separators) and its text.
fn pages() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read content") {
            let path: PathBuf = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                let rel = path
                    .strip_prefix(repo().join("content"))
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path).expect("read page");
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

/// The front matter (between the opening and closing `---`) and the body.
fn split(text: &str) -> (&str, &str) {
    let rest = text.strip_prefix("---\n").unwrap_or("");
    match rest.find("\n---") {
        Some(end) => (&rest[..end], &rest[end + 4..]),
        None => ("", text),
    }
}

fn front_matter(rel: &str, text: &str) -> serde_yaml::Value {
    serde_yaml::from_str(split(text).0).unwrap_or_else(|e| panic!("{rel}: front matter: {e}"))
}

/// Every string anywhere inside a YAML value.
fn strings(v: &serde_yaml::Value, out: &mut Vec<String>) {
    match v {
        serde_yaml::Value::String(s) => out.push(s.clone()),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| strings(i, out)),
        serde_yaml::Value::Mapping(m) => m.values().for_each(|i| strings(i, out)),
        serde_yaml::Value::Tagged(t) => strings(&t.value, out),
        _ => {}
    }
}

/// The hosts of every http(s) address in a text.
fn hosts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["http://", "https://"] {
        let mut rest = text;
        while let Some(at) = rest.find(scheme) {
            let after = &rest[at + scheme.len()..];
            let end = after
                .find(|c: char| {
                    c == '/' || c == ')' || c == '"' || c == '\'' || c == '>' || c.is_whitespace()
                })
                .unwrap_or(after.len());
            out.push(after[..end].to_ascii_lowercase());
            rest = &after[end..];
        }
    }
    out
}

const BANNED_HOSTS: [&str; 8] = [
    "nhsd-proxy.dokku3",
    "docest.com",
    "vdocuments.mx",
    "production-like.nhsd.io",
    "slideplayer.com.",
    "hada.news",
    "crimeline.co.uk",
    "ipfs.io",
];

fn is_banned(host: &str) -> Option<&'static str> {
    BANNED_HOSTS.iter().copied().find(|b| {
        if b.ends_with('.') {
            // "slideplayer.com." is the odd trailing-dot form; the plain host is allowed.
            host == *b || host.ends_with(&format!(".{b}"))
        } else {
            host == *b || host.starts_with(&format!("{b}.")) || host.ends_with(&format!(".{b}"))
        }
    })
}

const ABOUT_SOURCES: &str = "about-sources.md";
const EDITOR_NOTES: [&str; 5] = [
    "our sources do not",
    "unconfirmed",
    "not recorded in our sources",
    "we have not confirmed",
    "we have not checked",
];

/// The 44 STP footprints of March 2016 by NHS England region of the time,
/// as FOOTPRINTS.md lists them (Lincolnshire, missing from the Wikipedia copy,
/// is in Midlands and East).
fn expected_footprints() -> BTreeMap<&'static str, Vec<&'static str>> {
    BTreeMap::from([
        (
            "north",
            vec![
                "Northumberland, Tyne and Wear",
                "West, North and East Cumbria",
                "Durham, Darlington, Tees, Hambleton, Richmondshire and Whitby",
                "Lancashire and South Cumbria",
                "West Yorkshire",
                "Coast, Humber and Vale",
                "Greater Manchester",
                "Cheshire and Merseyside",
                "South Yorkshire and Bassetlaw",
            ],
        ),
        (
            "midlands-and-east",
            vec![
                "Staffordshire",
                "Shropshire and Telford and Wrekin",
                "Derbyshire",
                "Lincolnshire",
                "Nottinghamshire",
                "Leicester, Leicestershire and Rutland",
                "The Black Country",
                "Birmingham and Solihull",
                "Coventry and Warwickshire",
                "Herefordshire and Worcestershire",
                "Northamptonshire",
                "Cambridgeshire and Peterborough",
                "Norfolk and Waveney",
                "Suffolk and North East Essex",
                "Milton Keynes, Bedfordshire and Luton",
                "Hertfordshire and West Essex",
                "Mid and South Essex",
            ],
        ),
        (
            "london",
            vec![
                "North West London",
                "North Central London",
                "North East London",
                "South East London",
                "South West London",
            ],
        ),
        (
            "south",
            vec![
                "Kent and Medway",
                "Sussex and East Surrey",
                "Frimley Health",
                "Surrey Heartlands",
                "Cornwall and the Isles of Scilly",
                "Devon",
                "Somerset",
                "Bristol, North Somerset and South Gloucestershire",
                "Bath, Swindon and Wiltshire",
                "Dorset",
                "Hampshire and the Isle of Wight",
                "Gloucestershire",
                "Buckinghamshire, Oxfordshire and Berkshire West",
            ],
        ),
    ])
}

/// The footprint rows kept once in content/ldr/_index.md.
fn footprint_rows() -> Vec<serde_yaml::Value> {
    let text =
        std::fs::read_to_string(repo().join("content/ldr/_index.md")).expect("read ldr/_index.md");
    let fm = front_matter("ldr/_index.md", &text);
    fm["extra"]["footprints"]
        .as_sequence()
        .expect("ldr/_index.md has extra.footprints")
        .clone()
}

fn text_of(v: &serde_yaml::Value) -> &str {
    v.as_str().unwrap_or("")
}

#[test]
fn no_table_cell_says_not_recorded() {
    let mut problems = Vec::new();
    for (rel, text) in pages() {
        let body = split(&text).1;
        for (n, line) in body.lines().enumerate() {
            if line.trim_start().starts_with('|') && line.to_lowercase().contains("not recorded") {
                problems.push(format!("{rel}: table row {}: {line}", n + 1));
            }
        }
        let mut values = Vec::new();
        strings(&front_matter(&rel, &text), &mut values);
        for v in values
            .iter()
            .filter(|v| v.to_lowercase().contains("not recorded"))
        {
            problems.push(format!("{rel}: front matter data says {v:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_source_or_link_is_on_a_mirror_host() {
    let mut problems = Vec::new();
    for (rel, text) in pages() {
        for host in hosts(&text) {
            if let Some(b) = is_banned(&host) {
                problems.push(format!("{rel}: links to {host} ({b})"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_host_check_catches_each_banned_form() {
    let sample = "[a](https://slideplayer.com./slide/1) [b](https://nhsd-proxy.dokku3.ebmdatalab.net/x) \
                  [c](https://docest.com/doc/1) [d](https://ipfs.io/ipfs/Qm) url: https://hada.news/en/x";
    let banned: Vec<_> = hosts(sample).iter().filter_map(|h| is_banned(h)).collect();
    assert_eq!(
        banned,
        [
            "slideplayer.com.",
            "nhsd-proxy.dokku3",
            "docest.com",
            "ipfs.io",
            "hada.news"
        ]
    );
    assert_eq!(is_banned("slideplayer.com"), None);
    assert_eq!(is_banned("vdocuments.net"), None);
}

#[test]
fn editor_notes_live_only_on_the_about_sources_page() {
    let mut problems = Vec::new();
    let mut about_found = false;
    for (rel, text) in pages() {
        if rel == ABOUT_SOURCES {
            about_found = true;
            continue;
        }
        let lower = text.to_lowercase();
        for phrase in EDITOR_NOTES {
            if lower.contains(phrase) {
                problems.push(format!("{rel}: says \"{phrase}\""));
            }
        }
    }
    assert!(about_found, "content/{ABOUT_SOURCES} is missing");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn footprint_rows_cover_every_stp_footprint_of_2016_once() {
    let rows = footprint_rows();
    let expected = expected_footprints();
    assert_eq!(expected.values().map(Vec::len).sum::<usize>(), 44);
    let mut problems = Vec::new();
    for (region, names) in &expected {
        let got: Vec<&str> = rows
            .iter()
            .filter(|r| text_of(&r["region"]) == *region)
            .map(|r| text_of(&r["stp"]))
            .collect();
        if got != *names {
            problems.push(format!(
                "{region}: expected {} footprints {names:?}\n  got {} {got:?}",
                names.len(),
                got.len()
            ));
        }
    }
    for r in &rows {
        let stp = text_of(&r["stp"]);
        if !expected.contains_key(text_of(&r["region"])) {
            problems.push(format!("{stp}: unknown region {:?}", r["region"]));
        }
        if text_of(&r["icb"]).is_empty() {
            problems.push(format!("{stp}: no ICB"));
        }
    }
    assert_eq!(
        rows.len(),
        44,
        "ldr/_index.md has {} footprint rows",
        rows.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn roadmap_documents_on_document_sharing_sites_are_marked_as_copies() {
    const SHARING: [&str; 9] = [
        "vdocument.in",
        "vdocuments.net",
        "fdocuments.net",
        "fdocuments.in",
        "docslib.org",
        "dokumen.tips",
        "careersdocbox.com",
        "pdfslide.us",
        "slideplayer.com",
    ];
    let mut problems = Vec::new();
    for r in footprint_rows() {
        for d in r["documents"].as_sequence().into_iter().flatten() {
            let url = text_of(&d["url"]);
            let on_sharing_site = hosts(url).iter().any(|h| {
                SHARING
                    .iter()
                    .any(|s| h == s || h.ends_with(&format!(".{s}")))
            });
            if on_sharing_site && d["copy"].as_bool() != Some(true) {
                problems.push(format!(
                    "{}: {url} is a copy but not marked `copy: true`",
                    text_of(&r["stp"])
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The built site: each region page, its region's term page and "Who covers
/// my area now?" show every footprint of the region as a table row, once.
#[test]
fn region_pages_show_every_footprint_of_their_region() {
    let out = tempfile::tempdir().expect("tmp");
    let report = pestle::build(&pestle::BuildOptions {
        output: Some(out.path().join("site")),
        ..pestle::BuildOptions::new(repo())
    })
    .expect("build ran");
    assert!(
        report.diagnostics.is_empty(),
        "{:#?}",
        report.diagnostics.items()
    );
    let read = |p: &str| {
        std::fs::read_to_string(out.path().join("site").join(p))
            .unwrap_or_else(|e| panic!("{p}: {e}"))
    };
    // A row header is the footprint's name, then its note (<br>) or the cell's end.
    let shown = |html: &str, name: &str| {
        html.matches(&format!("<th scope=\"row\">{name}<br>"))
            .count()
            + html
                .matches(&format!("<th scope=\"row\">{name}</th>"))
                .count()
    };
    let who = read("ldr/who-covers-my-area-now/index.html");
    let mut problems = Vec::new();
    for (region, names) in expected_footprints() {
        for page in [
            format!("ldr/{region}/index.html"),
            format!("region/{region}/index.html"),
        ] {
            let html = read(&page);
            let rows = html.matches("<th scope=\"row\">").count();
            if rows != names.len() {
                problems.push(format!(
                    "{page}: {rows} footprint rows, expected {}",
                    names.len()
                ));
            }
            for name in &names {
                if shown(&html, name) != 1 {
                    problems.push(format!("{page}: {name} is not shown exactly once"));
                }
            }
            if html.to_lowercase().contains("not recorded")
                || html.contains("Not dated (page last updated")
            {
                problems.push(format!("{page}: placeholder text in the table"));
            }
        }
        for name in &names {
            if shown(&who, name) != 1 {
                problems.push(format!(
                    "who-covers-my-area-now: {name} is not shown exactly once"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
