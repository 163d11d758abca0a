//! The tokeniser must give the same terms in Rust and in the browser client.
//! These tests run the real client (`themes/default/static/search/search.js`)
//! in Node through `tests/search/terms.mjs`: over the shared golden file and
//! over every word of the site in this repository. Node is required; set
//! `PESTLE_SKIP_NODE=1` to skip them on a machine without it.

use super::tokens::{Analyzer, normalize, words};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The client's terms for each text, or `None` when Node is skipped.
fn client_terms(glossary: &[String], texts: &[String]) -> Option<Vec<Vec<String>>> {
    if std::env::var_os("PESTLE_SKIP_NODE").is_some() {
        eprintln!("PESTLE_SKIP_NODE is set: not running the JavaScript half");
        return None;
    }
    let mut child = Command::new("node")
        .arg(repo().join("tests/search/terms.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node must be installed for the parity tests (or set PESTLE_SKIP_NODE=1)");
    let input = serde_json::json!({ "glossary": glossary, "texts": texts }).to_string();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to node");
    let out = child.wait_with_output().expect("node ran");
    assert!(out.status.success(), "tests/search/terms.mjs failed");
    Some(serde_json::from_slice(&out.stdout).expect("JSON from node"))
}

#[derive(serde::Deserialize)]
struct Golden {
    glossary: Vec<String>,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    terms: Vec<String>,
}

fn golden() -> Golden {
    let text = std::fs::read_to_string(repo().join("tests/search/golden.json")).expect("golden");
    serde_json::from_str(&text).expect("golden.json")
}

#[test]
fn rust_tokeniser_gives_the_golden_terms() {
    let g = golden();
    let a = Analyzer::new(g.glossary.iter().map(String::as_str));
    for c in &g.cases {
        assert_eq!(a.terms(&c.text), c.terms, "for {:?}", c.text);
    }
}

#[test]
fn client_tokeniser_gives_the_golden_terms() {
    let g = golden();
    let texts: Vec<String> = g.cases.iter().map(|c| c.text.clone()).collect();
    let Some(js) = client_terms(&g.glossary, &texts) else {
        return;
    };
    for (c, got) in g.cases.iter().zip(js) {
        assert_eq!(got, c.terms, "the client's terms for {:?}", c.text);
    }
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read content").flatten() {
        let p = e.path();
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

#[test]
fn client_and_rust_agree_on_every_word_of_the_site() {
    let mut files = Vec::new();
    markdown_files(&repo().join("content"), &mut files);
    files.push(repo().join("glossary.yaml"));
    let mut vocab = BTreeSet::new();
    for f in &files {
        let text = normalize(&std::fs::read_to_string(f).expect("read"));
        for (s, e) in words(&text) {
            vocab.insert(text[s..e].to_string());
            vocab.insert(text[s..e].to_lowercase());
        }
    }
    let glossary_text = std::fs::read_to_string(repo().join("glossary.yaml")).expect("glossary");
    let glossary: Vec<String> =
        crate::glossary::parse(&glossary_text, Path::new("glossary.yaml"), &mut Vec::new())
            .into_iter()
            .map(|e| e.term)
            .collect();
    let a = Analyzer::new(glossary.iter().map(String::as_str));
    let words: Vec<String> = vocab.into_iter().collect();
    assert!(words.len() > 3000, "only {} words", words.len());
    let Some(js) = client_terms(&glossary, &words) else {
        return;
    };
    let mut differ = Vec::new();
    for (w, got) in words.iter().zip(js) {
        let want = a.terms(w);
        if got != want {
            differ.push(format!("{w}: rust {want:?}, client {got:?}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} words differ:\n{}",
        differ.len(),
        words.len(),
        differ.join("\n")
    );
}
