//! Fixture sites in temporary folders, and ways to build and inspect them.

use pestle::{BuildOptions, BuildReport};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) const SITE_YAML: &str = "title: Test site\nbase_url: https://example.org/docs/\n";

/// A 1 by 1 GIF image's header: enough for pestle to read its size, and
/// plain text, so fixtures can write it as a string.
pub(crate) const GIF_1X1: &str = "GIF89a\x01\x00\x01\x00\x00\x00\x00";

/// A site in a temporary folder, removed when dropped.
pub(crate) struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A site with these files; a minimal site.yaml is added unless given.
    pub(crate) fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site { dir };
        if !files.iter().any(|(p, _)| *p == "site.yaml") {
            site.write("site.yaml", SITE_YAML);
        }
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// Writes a file of bytes (an image) into the site.
    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    /// Builds with the library and default options.
    pub(crate) fn build(&self) -> BuildReport {
        self.build_with(|_| {})
    }

    /// Builds with the library after adjusting the options.
    pub(crate) fn build_with(&self, f: impl FnOnce(&mut BuildOptions)) -> BuildReport {
        let mut opts = BuildOptions::new(self.path());
        f(&mut opts);
        pestle::build(&opts).expect("build ran")
    }

    /// Builds and fails the test on any error, printing them.
    pub(crate) fn build_ok(&self) -> BuildReport {
        let r = self.build();
        assert_no_errors(&r);
        r
    }

    /// Runs the pestle binary in the site folder, without colour.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        pestle_cmd()
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("run pestle")
    }

    /// A file of the output folder.
    pub(crate) fn read(&self, rel: &str) -> String {
        let p = self.path().join("output").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.path().join("output").join(rel).exists()
    }
}

/// The pestle binary with colour forced off.
pub(crate) fn pestle_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pestle"));
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    c
}

/// Every diagnostic as printed: `path:line:col: error: message [code]`.
pub(crate) fn messages(r: &BuildReport, root: &Path) -> Vec<String> {
    let _ = root;
    let p = pestle::diagnostics::Printer::new(false);
    r.diagnostics.items().iter().map(|d| p.format(d)).collect()
}

pub(crate) fn assert_no_errors(r: &BuildReport) {
    assert!(
        !r.diagnostics.has_errors(),
        "unexpected errors:\n{:#?}",
        r.diagnostics.items()
    );
}

/// Asserts that exactly one message contains every fragment.
pub(crate) fn assert_message(site: &Site, r: &BuildReport, fragments: &[&str]) {
    let all = messages(r, site.path());
    let found = all
        .iter()
        .filter(|m| fragments.iter().all(|f| m.contains(f)))
        .count();
    assert_eq!(
        found,
        1,
        "expected one message with {fragments:?}, got:\n{}",
        all.join("\n")
    );
}

/// A page file with front matter.
pub(crate) fn page(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

/// Every file under `dir` with its bytes, sorted by path.
pub(crate) fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir(dir) {
        let bytes = std::fs::read(&e).expect("read");
        out.push((e.strip_prefix(dir).expect("prefix").to_path_buf(), bytes));
    }
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
