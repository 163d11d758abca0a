//! The site in this repository: it builds with no errors, and every page
//! carries the governance fields and sources the content standard asks for.

use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn content_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("content")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read content") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_real_site_builds_without_errors_or_warnings() {
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
    assert!(report.pages >= 30, "only {} pages", report.pages);
    for region in ["north", "midlands-and-east", "london", "south"] {
        assert!(
            out.path()
                .join(format!("site/region/{region}/index.html"))
                .exists()
        );
    }
}

#[test]
fn every_page_has_title_description_review_dates_and_a_source() {
    let mut problems = Vec::new();
    for file in content_files() {
        let text = std::fs::read_to_string(&file).expect("read");
        let rel = file
            .strip_prefix(repo())
            .expect("prefix")
            .display()
            .to_string();
        let front = text.split("\n---").next().unwrap_or("");
        for key in [
            "title:",
            "description:",
            "reviewed:",
            "review_due:",
            "owner:",
        ] {
            if !front.lines().any(|l| l.starts_with(key)) {
                problems.push(format!("{rel}: no {key}"));
            }
        }
        let sources = text.split("## Sources").nth(1).unwrap_or("");
        if !sources.contains("](http") {
            problems.push(format!("{rel}: no Sources section with a link"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_committed_schemas_are_what_pestle_schema_prints() {
    for (which, file) in [
        ("front-matter", "schemas/front-matter.schema.json"),
        ("site", "schemas/site.schema.json"),
        ("glossary", "schemas/glossary.schema.json"),
    ] {
        let out = crate::support::pestle_cmd()
            .args(["--root", repo().to_str().expect("utf-8"), "schema", which])
            .output()
            .expect("run pestle schema");
        assert_eq!(out.status.code(), Some(0));
        let committed = std::fs::read_to_string(repo().join(file)).expect("schema file");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            committed,
            "{file} is out of date: run `pestle schema {which} > {file}`"
        );
    }
}
