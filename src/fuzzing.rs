//! Entry points for the fuzz targets in `fuzz/` (run with `cargo fuzz`; see
//! README.md, "Development"). Each takes arbitrary input, runs one part of
//! the pipeline on it, and asserts what must hold for any input: no panic,
//! and no path that could leave the output folder. Not part of pestle's API.

use crate::diagnostics::Diagnostic;
use crate::links::{self, LinkIndex};
use crate::slug::{bad_segment, check_path, conflict_key};
use std::path::Path;

fn config() -> crate::config::Config {
    let mut d = Vec::new();
    crate::config::parse(
        "title: Fuzz\nbase_url: https://example.org/\ntaxonomies:\n  - name: region\n    closed: true\n    terms:\n      - { slug: london, title: London }\n  - name: tags\n",
        Path::new("site.yaml"),
        &mut d,
    )
    .unwrap_or_else(|| unreachable!("the fuzzing config is valid: {d:?}"))
}

fn index() -> LinkIndex {
    let mut index = LinkIndex::default();
    for (i, (source, url)) in [
        ("_index.md", "/"),
        ("eps/_index.md", "/eps/"),
        ("eps/nominations.md", "/eps/nominations/"),
        ("tokens/ordering.md", "/tokens/ordering/"),
    ]
    .iter()
    .enumerate()
    {
        index.pages.insert((*source).to_string(), i);
        index.urls.insert((*url).to_string(), i);
        index.page_urls.push((*url).to_string());
    }
    index.dirs.insert(String::new(), 0);
    index.dirs.insert("eps".into(), 1);
    index
        .assets
        .insert("eps/map.png".into(), "/eps/map.png".into());
    index.static_files.insert("/css/site.css".into());
    index
}

/// Front matter and Markdown of one page, as `content/eps/page.md`.
pub fn page(text: &str) {
    let config = config();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let path = Path::new("content/eps/page.md");
    let text = crate::content::lone_cr_to_lf(text.to_string());
    let (meta, body_offset) = crate::content::parse_file(&text, path, None, &config, &mut diags);
    let glossary = crate::glossary::parse(
        "- term: EPS\n  expansion: Electronic Prescription Service\n",
        Path::new("glossary.yaml"),
        &mut diags,
    );
    let matcher = crate::glossary::Matcher::new(&glossary);
    let index = index();
    let page = crate::markdown::PageRef {
        index: 2,
        url: "/eps/nominations/",
        source_dir: "eps",
        file: path,
        glossary: Some(&matcher),
    };
    let body = text.get(body_offset..).unwrap_or("");
    let rendered = crate::markdown::render(body, body_offset, &page, &index, false, &mut diags);
    for a in &meta.aliases {
        assert!(check_path(a.0.trim_start_matches('/')).is_ok(), "{a:?}");
    }
    for d in &diags {
        if let crate::diagnostics::Position::Offset(o) = d.position {
            assert!(o <= text.len(), "offset {o} past the end: {d:?}");
        }
    }
    let _ = rendered.html.len();
}

/// A whole site.yaml.
pub fn site_yaml(text: &str) {
    let mut d = Vec::new();
    let _ = crate::config::parse(text, Path::new("site.yaml"), &mut d);
}

/// A whole glossary.yaml.
pub fn glossary_yaml(text: &str) {
    let mut d = Vec::new();
    let entries = crate::glossary::parse(text, Path::new("glossary.yaml"), &mut d);
    let matcher = crate::glossary::Matcher::new(&entries);
    let used = vec![false; matcher.len()];
    let _ = matcher.first_in("EPS and SCR in a sentence", &used);
}

/// A link destination written in a page, and the folder it is written in.
pub fn link(from_dir: &str, dest: &str) {
    let index = index();
    let _ = index.resolve(from_dir, dest);
    if let Some(joined) = links::join(from_dir, dest) {
        assert!(
            !joined.split('/').any(|s| s == ".." || s == "."),
            "join kept a dot segment: {joined:?}"
        );
    }
    let from = format!("/{}/", from_dir.trim_matches('/'));
    let _ = links::relative(&from, dest, false);
    let _ = links::relative(&from, dest, true);
}

/// A file, folder or tag name on its way to an output path.
pub fn name(name: &str) {
    let slug = crate::content::slugify(name);
    if bad_segment(&slug).is_none() {
        assert!(check_path(&slug).is_ok(), "{slug:?}");
        assert!(slug != "." && slug != ".." && !slug.contains(['/', '\\']));
    }
    if check_path(name).is_ok() {
        for seg in name.split('/') {
            assert!(!seg.is_empty() && seg != "." && seg != "..", "{name:?}");
            assert!(!seg.starts_with('.') && !seg.contains('\\'), "{name:?}");
            assert!(!seg.chars().any(char::is_control), "{name:?}");
        }
    }
    let _ = conflict_key(name);
    let _ = crate::fs::bad_name(name);
}

/// Text through the search tokeniser, as the index and the client see it.
pub fn search_text(text: &str) {
    let analyzer = crate::search::tokens::Analyzer::new(["EPS", "SCR", "NHSmail"]);
    let _ = analyzer.tokens(text);
    for t in analyzer.terms(text) {
        assert!(!t.is_empty());
    }
    let _ = crate::search::tokens::normalize(text);
}

/// An image file's first bytes, as every kind pestle reads the size of:
/// no panic, and a size is never zero.
pub fn image_size(bytes: &[u8]) {
    for name in ["x.png", "x.svg"] {
        if let Ok(crate::image::ImageSize::Known(w, h)) = crate::image::size_of(name, bytes) {
            assert!(w > 0 && h > 0, "{name}: a zero size");
        }
    }
}
