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

/// Every `.html` file under `dir`, as paths relative to it.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read output") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p.strip_prefix(dir).expect("prefix").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_real_site_has_structured_data_print_pages_sized_images_and_llms_txt() {
    let out = tempfile::tempdir().expect("tmp");
    let site = out.path().join("site");
    let report = pestle::build(&pestle::BuildOptions {
        output: Some(site.clone()),
        ..pestle::BuildOptions::new(repo())
    })
    .expect("build ran");
    assert!(report.diagnostics.is_empty());
    let read = |rel: &str| std::fs::read_to_string(site.join(rel)).expect(rel);

    // JSON-LD: every content file's page has it, and it parses.
    let mut with_json_ld = 0;
    for rel in html_files(&site) {
        let html = read(rel.to_str().expect("utf-8"));
        let Some(start) = html.find("<script type=\"application/ld+json\">") else {
            continue;
        };
        let body = &html[start..];
        let body =
            &body[body.find('>').expect("tag end") + 1..body.find("</script>").expect("end")];
        let v: serde_json::Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{}: JSON-LD does not parse: {e}", rel.display()));
        with_json_ld += 1;
        if rel == Path::new("index.html") {
            assert_eq!(v["@type"], "WebSite");
            continue;
        }
        let page = &v["@graph"][0];
        assert_eq!(page["@type"], "MedicalWebPage", "{}", rel.display());
        for key in ["name", "description", "lastReviewed", "url", "inLanguage"] {
            assert!(page[key].is_string(), "{}: no {key}", rel.display());
        }
        assert!(page["reviewedBy"]["name"].is_string(), "{}", rel.display());
        assert_eq!(v["@graph"][1]["@type"], "BreadcrumbList");
    }
    assert_eq!(with_json_ld, content_files().len(), "one per content file");

    // Sections print as a whole, and say so; feedback is off (no address).
    let sections: Vec<PathBuf> = content_files()
        .into_iter()
        .filter(|f| f.ends_with("_index.md") && f.parent() != Some(&repo().join("content")))
        .collect();
    assert!(sections.len() >= 8);
    for s in &sections {
        let dir = s
            .parent()
            .expect("folder")
            .strip_prefix(repo().join("content"))
            .expect("under content");
        let print = format!("{}/print/index.html", dir.display());
        assert!(
            read(&print).contains("<article class=\"print-guide\">"),
            "{print}"
        );
        let section = read(&format!("{}/index.html", dir.display()));
        assert!(
            section.contains(">Print this guide</a>"),
            "{}",
            dir.display()
        );
        assert!(!section.contains("class=\"feedback\""));
    }

    // The EPS diagram keeps its space.
    let eps = read("eps/index.html");
    assert!(
        eps.contains("<img src=\"eps-flow.svg\" alt=\"Diagram of the steps above")
            && eps.contains("width=\"640\" height=\"320\" />"),
        "the diagram has no size"
    );

    // llms.txt names the site and every section.
    let llms = read("llms.txt");
    assert!(
        llms.starts_with("# Community pharmacy IT guidance\n\n> "),
        "{llms}"
    );
    assert_eq!(
        llms.matches("\n## ").count(),
        sections.len() + usize::from(llms.contains("\n## Also on this site\n")),
        "{llms}"
    );
    assert!(llms.contains("- [EPS essentials](https://example.org/eps/): "));
    assert!(site.join("_redirects").exists());
}
