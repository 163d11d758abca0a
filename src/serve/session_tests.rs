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

/// The output files where `out` differs from a clean build of `opts`.
fn differs_from_clean(opts: &BuildOptions, out: &Path) -> Vec<String> {
    let clean = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let report = crate::build(&BuildOptions {
        output: Some(clean.path().join("site")),
        ..opts.clone()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.diagnostics.has_errors());
    let want = tree_of(&clean.path().join("site"));
    let got = tree_of(out);
    let mut differ: Vec<String> = want
        .keys()
        .chain(got.keys())
        .filter(|k| want.get(*k) != got.get(*k))
        .cloned()
        .collect();
    differ.sort();
    differ.dedup();
    differ
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
        "title: T\nbase_url: http://127.0.0.1:1/\ntheme: t\ntaxonomies:\n  - name: tags\n    title: Topics\n",
    );
    // A term page that shows its pages in the term's own order, as a
    // theme may.
    write(root, "themes/t/theme.yaml", "extends: default\n");
    write(
        root,
        "themes/t/templates/term.html",
        "{% extends \"base.html\" %}{% block main %}{% for p in term.pages %}{{ p.title }};{% endfor %}{% endblock main %}",
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
        &page(
            "A",
            "related:\n  - p1.md\n",
            "## Stock\nSee [p1](p1.md#part-1).",
        ),
    );
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut opts = BuildOptions::new(root);
    opts.drafts = true;
    opts.base_url = Some("http://127.0.0.1:1/".into());
    let written = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let on_search = {
        let written = Arc::clone(&written);
        Box::new(move |files: Vec<String>| {
            if let Ok(mut w) = written.lock() {
                w.extend(files);
            }
        })
    };
    let mut session = Session::new(opts.clone(), out.path().to_path_buf(), on_search);
    assert!(
        !session
            .rebuild(&Change::Everything)
            .unwrap_or_else(|e| panic!("{e}"))
            .failed()
    );
    let mut rng = Lcg(7);
    let mut scoped = 0;
    let mut patched = 0;
    for step in 0..60 {
        let n = rng.next(6);
        let file = format!("content/s/p{n}.md");
        let mut changed = vec![file.clone()];
        let item = format!("content/news/2026-01-{:02}-item{n}.md", n + 1);
        match rng.next(15) {
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
                write(root, &item, &page(&format!("News {step}"), "", ""));
                changed = vec![item];
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
            // Only the weight: the section's order and neighbours.
            10 => write(
                root,
                &file,
                &page(
                    &format!("Page {n}"),
                    &format!("weight: {}\ntags: [x]\n", rng.next(7)),
                    &format!("## Part {n}\nText {n}."),
                ),
            ),
            // The description and the date, and the body with them.
            11 => write(
                root,
                &file,
                &format!(
                    "---\ntitle: Page {n}\ndescription: Told again at {step}.\ndate: 2025-0{}-1{}\ntags: [x]\n---\n## Part {n}\nNew {step}.\n",
                    1 + rng.next(9),
                    rng.next(10)
                ),
            ),
            // Another term, or two.
            12 => write(
                root,
                &file,
                &page(
                    &format!("Page {n}"),
                    [
                        "tags: [y]\n",
                        "tags: [x, y]\n",
                        "tags: [z]\n",
                        "tags: [X]\n",
                    ][rng.next(4)],
                    &format!("## Part {n}\nText {n}."),
                ),
            ),
            // A news item's date: the latest news every page shows.
            13 => {
                if root.join(&item).exists() {
                    write(
                        root,
                        &item,
                        &format!(
                            "---\ntitle: News {n}\ndescription: About news.\ndate: 2026-0{}-0{}\n---\nNews.\n",
                            1 + rng.next(9),
                            1 + rng.next(9)
                        ),
                    );
                    changed = vec![item];
                }
            }
            14 => {}
            _ => {
                let to = format!("content/s/moved{n}.md");
                let _ = std::fs::rename(root.join(&file), root.join(&to));
                changed.push(to);
            }
        }
        // Keep the page (and anchor) that a.md links to, so the site stays valid.
        let p1 = std::fs::read_to_string(root.join("content/s/p1.md"));
        if !p1.is_ok_and(|t| !t.contains("draft: true")) {
            changed.push("content/s/p1.md".into());
            write(
                root,
                "content/s/p1.md",
                &page("Page 1", "tags: [x]\n", &format!("## Part 1\nKept {step}.")),
            );
        }
        let batch: HashSet<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let change = session.classify(batch);
        if change == Change::Nothing {
            continue;
        }
        let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
        assert!(!outcome.failed(), "step {step}: {:?}", outcome.diagnostics);
        scoped += usize::from(outcome.scoped);
        patched += usize::from(outcome.patched);
        // Serve writes the print pages a one-page rebuild left for later
        // once the page is on screen. Every third step it does not get to
        // before the next save: the catch-up after that one must bring
        // both up to date.
        if step % 3 == 1 {
            continue;
        }
        let later = session.catch_up().unwrap_or_else(|e| panic!("{e}"));
        assert!(!later.failed(), "step {step}: {:?}", later.diagnostics);
        // The search index catches up in the background; once it has, the
        // search files too are as a clean build writes them.
        session.wait_search().unwrap_or_else(|e| panic!("{e}"));
        let differ = differs_from_clean(&opts, out.path());
        assert!(
            differ.is_empty(),
            "step {step}: incremental output differs from a clean build in {differ:?}"
        );
    }
    assert!(
        patched >= 5,
        "only {patched} front-matter edits were patched in"
    );
    assert!(
        scoped >= 5,
        "only {scoped} rebuilds were scoped to what changed"
    );
    // Single-page body edits go through the fast path.
    if let Ok(mut w) = written.lock() {
        w.clear();
    }
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
    // The page first; its section's print page, which holds its text,
    // once the page is on screen; the search index follows.
    assert_eq!(outcome.changed, vec!["s/p1/index.html".to_string()]);
    let later = session.catch_up().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(later.changed, vec!["s/print/index.html".to_string()]);
    let print = std::fs::read_to_string(out.path().join("s/print/index.html"));
    assert!(
        print.is_ok_and(|t| t.contains("Only the body.")),
        "the print page holds the new text"
    );
    assert!(
        session.catch_up().is_ok_and(|o| o.changed.is_empty()),
        "nothing is left for later"
    );
    session.wait_search().unwrap_or_else(|e| panic!("{e}"));
    assert!(!session.has_pending());
    let then = written.lock().map(|w| w.clone()).unwrap_or_default();
    assert!(!then.is_empty(), "the page's new text reaches the index");
    assert!(then.iter().all(|p| p.starts_with("search/")), "{then:?}");
    let fragments = tree_of(out.path());
    assert!(
        fragments.iter().any(|(k, v)| k.starts_with("search/p/")
            && String::from_utf8_lossy(v).contains("Only the body")),
        "a page fragment holds the new text"
    );
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
    let mut session = Session::new(
        BuildOptions::new(root),
        out.path().to_path_buf(),
        Box::new(|_| {}),
    );
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

#[test]
fn a_deleted_page_is_gone_at_once_even_while_links_to_it_break_the_build() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = site.path();
    write(root, "site.yaml", "title: T\n");
    write(root, "content/_index.md", &page("Home", "", ""));
    write(root, "content/a.md", &page("A", "", "See [B](b.md)."));
    write(root, "content/b.md", &page("B", "", "Bee."));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut session = Session::new(
        BuildOptions::new(root),
        out.path().to_path_buf(),
        Box::new(|_| {}),
    );
    assert!(
        !session
            .rebuild(&Change::Everything)
            .unwrap_or_else(|e| panic!("{e}"))
            .failed()
    );
    assert!(out.path().join("b/index.html").is_file());
    let _ = std::fs::remove_file(root.join("content/b.md"));
    let change = session.classify(HashSet::from([PathBuf::from("content/b.md")]));
    let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome.failed(), "a.md's link to b.md is broken");
    assert!(
        outcome.diagnostics.iter().any(|d| d.code == "broken-link"),
        "{:?}",
        outcome.diagnostics
    );
    assert!(
        !out.path().join("b/index.html").exists(),
        "b's page answers 404 at once"
    );
    assert_eq!(outcome.changed, vec!["b/index.html".to_string()]);
    assert!(
        out.path().join("a/index.html").is_file(),
        "the last good a.md stays"
    );
    // Put back, it is served again, though nothing else changed.
    write(root, "content/b.md", &page("B", "", "Bee."));
    let change = session.classify(HashSet::from([PathBuf::from("content/b.md")]));
    let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
    assert!(!outcome.failed(), "{:?}", outcome.diagnostics);
    assert!(out.path().join("b/index.html").is_file());
}

#[test]
fn a_title_date_and_tag_edit_patched_in_shows_everywhere_a_clean_build_shows_it() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = site.path();
    write(
        root,
        "site.yaml",
        "title: T\nlatest_news: 2\ntaxonomies:\n  - name: tags\n    title: Topics\n",
    );
    write(root, "content/_index.md", &page("Home", "", ""));
    write(root, "content/news/_index.md", &page("News", "", ""));
    for (n, date) in ["2026-01-01", "2026-02-01", "2026-03-01"]
        .iter()
        .enumerate()
    {
        write(
            root,
            &format!("content/news/n{n}.md"),
            &page(
                &format!("News {n}"),
                &format!("date: {date}\ntags: [x]\n"),
                "Item.",
            ),
        );
    }
    write(root, "content/guide/_index.md", &page("Guide", "", ""));
    write(
        root,
        "content/guide/a.md",
        &page("A", "weight: 1\nrelated:\n  - ../news/n0.md\n", "A."),
    );
    write(
        root,
        "content/guide/b.md",
        &page("B", "weight: 2\ntags: [y]\n", "B."),
    );
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let opts = BuildOptions::new(root);
    let mut session = Session::new(opts.clone(), out.path().to_path_buf(), Box::new(|_| {}));
    assert!(
        !session
            .rebuild(&Change::Everything)
            .unwrap_or_else(|e| panic!("{e}"))
            .failed()
    );
    let edits = [
        // The oldest item becomes the newest, retitled: the latest news on
        // every page, the news listing, the feed, a.md's related box.
        (
            "content/news/n0.md",
            page("Fresh news", "date: 2026-04-01\ntags: [x]\n", "Item."),
        ),
        // Filed under the other tag.
        (
            "content/news/n1.md",
            page("News 1", "date: 2026-02-01\ntags: [y]\n", "Item."),
        ),
        // Spelt another way: a tie, so the capital wins the term's title.
        (
            "content/news/n2.md",
            page("News 2", "date: 2026-03-01\ntags: [X]\n", "Item."),
        ),
        // Moved to the top of its section.
        (
            "content/guide/b.md",
            page("B", "weight: 0\ntags: [y]\n", "B."),
        ),
    ];
    for (file, text) in edits {
        write(root, file, &text);
        let change = session.classify(HashSet::from([PathBuf::from(file)]));
        let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
        assert!(!outcome.failed(), "{file}: {:?}", outcome.diagnostics);
        assert!(outcome.patched, "{file}: a front-matter edit is patched in");
        session.catch_up().unwrap_or_else(|e| panic!("{e}"));
        let differ = differs_from_clean(&opts, out.path());
        let differ: Vec<&String> = differ
            .iter()
            .filter(|p| !p.starts_with("search/"))
            .collect();
        assert!(
            differ.is_empty(),
            "{file}: differs from a clean build in {differ:?}"
        );
    }
    let a = std::fs::read_to_string(out.path().join("guide/a/index.html")).unwrap_or_default();
    assert!(
        a.contains("Fresh news"),
        "a.md's related link takes the new title"
    );
}

#[test]
fn a_renamed_folder_answers_404_at_its_old_addresses_at_once() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = site.path();
    write(root, "site.yaml", "title: T\n");
    write(
        root,
        "content/_index.md",
        &page("Home", "", "See [B](guide/b.md)."),
    );
    write(root, "content/guide/_index.md", &page("Guide", "", ""));
    write(root, "content/guide/b.md", &page("B", "", "Bee."));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut session = Session::new(
        BuildOptions::new(root),
        out.path().to_path_buf(),
        Box::new(|_| {}),
    );
    assert!(
        !session
            .rebuild(&Change::Everything)
            .unwrap_or_else(|e| panic!("{e}"))
            .failed()
    );
    std::fs::rename(root.join("content/guide"), root.join("content/guides"))
        .unwrap_or_else(|e| panic!("{e}"));
    let change = session.classify(HashSet::from([
        PathBuf::from("content/guide"),
        PathBuf::from("content/guides"),
    ]));
    assert_eq!(change, Change::Everything);
    let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outcome.failed(),
        "the home page's link to guide/b.md is broken"
    );
    for gone in ["guide/index.html", "guide/b/index.html"] {
        assert!(
            !out.path().join(gone).exists(),
            "{gone} answers 404 at once"
        );
    }
    // The link fixed, the new addresses are served and the old stay gone.
    write(
        root,
        "content/_index.md",
        &page("Home", "", "See [B](guides/b.md)."),
    );
    let change = session.classify(HashSet::from([PathBuf::from("content/_index.md")]));
    let outcome = session.rebuild(&change).unwrap_or_else(|e| panic!("{e}"));
    assert!(!outcome.failed(), "{:?}", outcome.diagnostics);
    assert!(out.path().join("guides/b/index.html").is_file());
    assert!(!out.path().join("guide").exists());
}
