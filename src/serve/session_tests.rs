//! The serve session's tests: incremental rebuilds equal clean builds.

use super::*;
use crate::serve::plan::Change;
use std::collections::BTreeMap;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
}

fn tree_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap_or_else(|e| panic!("{e}"));
        if e.file_type().is_file() && e.file_name() != crate::output::MARKER {
            let rel = e.path().strip_prefix(dir).unwrap_or_else(|e| panic!("{e}"));
            out.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_else(|e| panic!("{e}")),
            );
        }
    }
    out
}

fn page(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndescription: About {title}.\n{extra}---\n{body}\n")
}

/// A tiny deterministic generator, so the edit sequence is repeatable.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn any_sequence_of_edits_rebuilt_incrementally_equals_a_clean_build() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = site.path();
    write(
        root,
        "site.yaml",
        "title: T\nbase_url: http://127.0.0.1:1/\ntaxonomies:\n  - name: tags\n    title: Topics\n",
    );
    write(root, "content/_index.md", &page("Home", "", "[a](s/a.md)"));
    write(root, "content/news/_index.md", &page("News", "", ""));
    write(root, "content/s/_index.md", &page("S", "weight: 1\n", ""));
    for n in 0..6 {
        write(
            root,
            &format!("content/s/p{n}.md"),
            &page(
                &format!("Page {n}"),
                "tags: [x]\n",
                &format!("## Part {n}\nText {n}."),
            ),
        );
    }
    write(
        root,
        "content/s/a.md",
        &page("A", "", "## Stock\nSee [p1](p1.md#part-1)."),
    );
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut opts = BuildOptions::new(root);
    opts.drafts = true;
    opts.base_url = Some("http://127.0.0.1:1/".into());
    let mut session = Session::new(opts.clone(), out.path().to_path_buf());
    assert!(
        !session
            .rebuild(&Change::Everything)
            .unwrap_or_else(|e| panic!("{e}"))
            .failed()
    );
    let mut rng = Lcg(7);
    let mut scoped = 0;
    for step in 0..60 {
        let n = rng.next(6);
        let file = format!("content/s/p{n}.md");
        let mut changed = vec![file.clone()];
        match rng.next(10) {
            0..=2 => write(
                root,
                &file,
                &page(
                    &format!("Page {n}"),
                    "tags: [x]\n",
                    &format!("## Part {n}\nEdited at step {step}."),
                ),
            ),
            3 => write(
                root,
                &file,
                &page(
                    &format!("Renamed {n} at {step}"),
                    &format!("weight: {}\ntags: [y]\n", rng.next(5)),
                    &format!("## Part {n}\nText."),
                ),
            ),
            4 => {
                let _ = std::fs::remove_file(root.join(&file));
            }
            5 => {
                let news = format!("content/news/2026-01-{:02}-item{n}.md", n + 1);
                write(root, &news, &page(&format!("News {step}"), "", ""));
                changed.push(news);
            }
            6 => {
                write(
                    root,
                    &file,
                    &page(
                        &format!("Page {n}"),
                        "draft: true\n",
                        &format!("## Part {n}\nDraft."),
                    ),
                );
            }
            // Only the title: listings, neighbours and menus change, not the structure.
            8 | 9 => write(
                root,
                &file,
                &page(
                    &format!("Title {n} at {step}"),
                    "tags: [x]\n",
                    &format!("## Part {n}\nText {n}."),
                ),
            ),
            _ => {
                let to = format!("content/s/moved{n}.md");
                let _ = std::fs::rename(root.join(&file), root.join(&to));
                changed.push(to);
            }
        }
        // Keep the anchor that a.md links to, so the site stays valid.
        write(
            root,
            "content/s/p1.md",
            &page("Page 1", "tags: [x]\n", &format!("## Part 1\nKept {step}.")),
        );
        changed.push("content/s/p1.md".into());
        let batch: HashSet<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let change = session.classify(batch);
        if change == Change::Nothing {
            continue;
        }
        let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
        assert!(!outcome.failed(), "step {step}: {:?}", outcome.diagnostics);
        scoped += usize::from(outcome.scoped);
        if session.has_pending() {
            session.complete().unwrap_or_else(|e| panic!("{e}"));
        }
        let clean = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let report = crate::build(&BuildOptions {
            output: Some(clean.path().join("site")),
            ..opts.clone()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(!report.diagnostics.has_errors());
        let want = tree_of(&clean.path().join("site"));
        let got = tree_of(out.path());
        let differ: Vec<&String> = want
            .keys()
            .chain(got.keys())
            .filter(|k| want.get(*k) != got.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "step {step}: incremental output differs from a clean build in {differ:?}"
        );
    }
    assert!(
        scoped >= 5,
        "only {scoped} rebuilds were scoped to what changed"
    );
    // Single-page body edits go through the fast path.
    let file = "content/s/p1.md";
    write(
        root,
        file,
        &page("Page 1", "tags: [x]\n", "## Part 1\nOnly the body."),
    );
    let change = session.classify(HashSet::from([PathBuf::from(file)]));
    let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outcome.fast,
        "a body-only edit takes the one-page fast path"
    );
    // The page first; the search index that holds its text follows.
    assert_eq!(outcome.changed, vec!["s/p1/index.html".to_string()]);
    assert!(session.has_pending());
    let then = session.complete().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !then.changed.is_empty(),
        "the page's new text reaches the index"
    );
    assert!(
        then.changed.iter().all(|p| p.starts_with("search/")),
        "{:?}",
        then.changed
    );
    assert!(!session.has_pending());
}

#[test]
fn a_template_change_rewrites_only_the_pages_that_use_it() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = site.path();
    write(root, "site.yaml", "title: T\ntheme: t\n");
    write(root, "themes/t/theme.yaml", "extends: default\n");
    write(
        root,
        "themes/t/templates/term.html",
        "{% extends \"base.html\" %}{% block main %}One{% endblock main %}",
    );
    write(root, "content/_index.md", &page("Home", "", ""));
    write(root, "content/a.md", &page("A", "tags: [x, y]\n", ""));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut session = Session::new(BuildOptions::new(root), out.path().to_path_buf());
    assert!(
        !session
            .rebuild(&Change::Everything)
            .unwrap_or_else(|e| panic!("{e}"))
            .failed()
    );
    write(
        root,
        "themes/t/templates/term.html",
        "{% extends \"base.html\" %}{% block main %}Two{% endblock main %}",
    );
    let change = session.classify(HashSet::from([PathBuf::from(
        "themes/t/templates/term.html",
    )]));
    let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outcome.changed,
        vec![
            "tags/x/index.html".to_string(),
            "tags/y/index.html".to_string()
        ]
    );
}
