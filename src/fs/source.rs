//! The one place that decides whether a file of the site may be read.
//!
//! Everything under content/, static/ and themes/, and site.yaml and
//! glossary.yaml, comes from the repository, which in CI may be a pull
//! request from anyone. So a file is read only when it is a regular file
//! inside the site folder: a symbolic link may point anywhere inside the
//! site, but one that leads out of it (to `/etc/passwd`, `/proc/self/environ`,
//! a folder of the CI machine) is refused, as are FIFOs, devices and sockets
//! (reading `/proc/kmsg` or a FIFO would hang the build), names that cannot
//! become a path on every system, and files too large to be pages.
//!
//! A refusal is a [`Diagnostic`] at the path, never a silent skip, so a
//! hostile file shows up in the pull request's check.

use crate::diagnostics::{Diagnostic, Fatal, Position};
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The largest text file pestle reads (a page, a template, site.yaml).
pub(crate) const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// The site folder, with its canonical form for containment checks.
#[derive(Debug, Clone)]
pub(crate) struct SiteRoot {
    given: PathBuf,
    real: PathBuf,
}

/// Why a file of the site was not read.
#[derive(Debug)]
pub(crate) enum Refused {
    /// A symbolic link (or a folder on the way) that leads out of the site.
    Outside,
    /// Not a regular file: a FIFO, device, socket or folder.
    NotAFile(&'static str),
    /// Larger than [`MAX_TEXT_BYTES`].
    TooLarge(u64),
    /// The file could not be opened or read.
    Io(std::io::Error),
}

impl Refused {
    /// The refusal as an error at `path` (relative to the site root).
    pub(crate) fn diagnostic(&self, path: &Path) -> Diagnostic {
        match self {
            Refused::Outside => Diagnostic::error(
                "outside-site",
                path,
                Position::File,
                "this is a symbolic link to a file outside the site folder, so pestle does not read it",
            )
            .with_hint("copy the file into the site folder instead of linking to it"),
            Refused::NotAFile(kind) => Diagnostic::error(
                "not-a-file",
                path,
                Position::File,
                format!("this is {kind}, not a regular file, so pestle does not read it"),
            )
            .with_hint("remove it from the site folder"),
            Refused::TooLarge(size) => Diagnostic::error(
                "file-too-large",
                path,
                Position::File,
                format!(
                    "this file is {} MiB; pestle reads text files of up to {} MiB",
                    size / (1024 * 1024),
                    MAX_TEXT_BYTES / (1024 * 1024)
                ),
            )
            .with_hint("split it into smaller pages"),
            Refused::Io(e) => Diagnostic::error(
                "unreadable",
                path,
                Position::File,
                format!("cannot read this file: {e}"),
            )
            .with_hint("check that the file exists and that you may read it"),
        }
    }
}

/// A file found by [`SiteRoot::walk`].
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// The path below the folder walked, `/`-separated.
    pub(crate) rel: String,
    /// Where to read it: the path found, or for a link, the file it names.
    pub(crate) real: PathBuf,
}

/// Why a file or folder name cannot be used, if it cannot.
pub(crate) fn bad_name(name: &str) -> Option<&'static str> {
    if name.contains('\\') {
        Some("it contains a backslash (\\)")
    } else if name.chars().any(char::is_control) {
        Some("it contains a control character")
    } else {
        None
    }
}

fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Opens `path` for reading if it is a regular file, without following a
/// link in its last part and without blocking on a FIFO.
fn open_regular(path: &Path) -> Result<(std::fs::File, u64), Refused> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Refused::Outside;
        }
        Refused::Io(e)
    })?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind_of(meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most [`MAX_TEXT_BYTES`].
pub(crate) fn read_regular(path: &Path) -> Result<Vec<u8>, Refused> {
    let (file, len) = open_regular(path)?;
    if len > MAX_TEXT_BYTES {
        return Err(Refused::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take` keeps a file that grows while it is read within the limit.
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(Refused::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Copies a regular file (of any size) to `to`, which is created or replaced.
pub(crate) fn copy_regular(from: &Path, to: &Path) -> Result<(), Fatal> {
    let (mut file, _) = open_regular(from).map_err(|r| match r {
        Refused::Io(e) => Fatal::io("read", from, &e),
        other => Fatal::new(format!(
            "cannot copy {}: {}",
            from.display(),
            other.diagnostic(from).message
        )),
    })?;
    let mut out = std::fs::File::create(to).map_err(|e| Fatal::io("write", to, &e))?;
    std::io::copy(&mut file, &mut out).map_err(|e| Fatal::io("write", to, &e))?;
    Ok(())
}

impl SiteRoot {
    /// The site folder at `root`, which must exist.
    pub(crate) fn new(root: &Path) -> Result<SiteRoot, Fatal> {
        let real = std::fs::canonicalize(root).map_err(|e| Fatal::io("open", root, &e))?;
        Ok(SiteRoot {
            given: root.to_path_buf(),
            real,
        })
    }

    /// The folder as it was given.
    pub(crate) fn path(&self) -> &Path {
        &self.given
    }

    /// The folder's canonical absolute path.
    pub(crate) fn real(&self) -> &Path {
        &self.real
    }

    /// Where `rel` (relative to the root) really is, when it exists:
    /// `Err(Outside)` when a link on the way leads out of the site.
    pub(crate) fn resolve(&self, rel: &Path) -> Result<Option<PathBuf>, Refused> {
        let full = self.real.join(rel);
        if std::fs::symlink_metadata(&full).is_err() {
            return Ok(None);
        }
        match std::fs::canonicalize(&full) {
            Ok(real) if real.starts_with(&self.real) => Ok(Some(real)),
            Ok(_) => Err(Refused::Outside),
            // A link to nothing is as good as no file.
            Err(_) => Ok(None),
        }
    }

    /// True when `rel` is a folder inside the site (following links inside it).
    pub(crate) fn is_dir(&self, rel: &Path) -> bool {
        matches!(self.resolve(rel), Ok(Some(p)) if p.is_dir())
    }

    /// True when `rel` exists inside the site (it may still be refused).
    pub(crate) fn exists(&self, rel: &Path) -> bool {
        std::fs::symlink_metadata(self.real.join(rel)).is_ok()
    }

    /// Reads the file at `rel`: `Ok(None)` when there is none.
    pub(crate) fn read(&self, rel: &Path) -> Result<Option<Vec<u8>>, Refused> {
        match self.resolve(rel)? {
            None => Ok(None),
            Some(real) => read_regular(&real).map(Some),
        }
    }

    /// Reads the first `limit` bytes of the file at `rel` (an image whose
    /// header is all pestle needs), with the file's whole length:
    /// `Ok(None)` when there is none. The same guard as [`SiteRoot::read`].
    pub(crate) fn read_head(
        &self,
        rel: &Path,
        limit: u64,
    ) -> Result<Option<(Vec<u8>, u64)>, Refused> {
        let Some(real) = self.resolve(rel)? else {
            return Ok(None);
        };
        let (file, len) = open_regular(&real)?;
        let mut bytes = Vec::with_capacity(len.min(limit) as usize);
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(Refused::Io)?;
        Ok(Some((bytes, len)))
    }

    /// Reads the UTF-8 text file at `rel`, reporting a refusal or bad
    /// encoding as a diagnostic. `None` when absent or refused.
    pub(crate) fn read_text(&self, rel: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
        match self.read(rel) {
            Ok(None) => None,
            Ok(Some(bytes)) => text_or_diagnostic(bytes, rel, diags),
            Err(r) => {
                diags.push(r.diagnostic(rel));
                None
            }
        }
    }

    /// Every regular file under the folder `rel_dir` (relative to the
    /// root), sorted, leaving out names `skip` says to ignore. Anything
    /// refused is reported in `diags` at its path.
    pub(crate) fn walk(
        &self,
        rel_dir: &Path,
        skip: fn(&str) -> bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<SourceFile> {
        let top = match self.resolve(rel_dir) {
            Ok(Some(p)) if p.is_dir() => p,
            Ok(_) => return Vec::new(),
            Err(r) => {
                diags.push(r.diagnostic(rel_dir));
                return Vec::new();
            }
        };
        let found = std::cell::RefCell::new(Vec::new());
        let at = |p: &Path| rel_dir.join(p.strip_prefix(&top).unwrap_or(p));
        let walker = WalkDir::new(&top)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                if skip(&name) {
                    return false;
                }
                let problem = match e.file_name().to_str() {
                    None => Some(
                        Diagnostic::error(
                            "bad-file-name",
                            at(e.path()),
                            Position::File,
                            "this name is not valid UTF-8 text",
                        )
                        .with_hint("rename it using plain letters, digits and hyphens"),
                    ),
                    Some(n) => bad_name(n).map(|why| {
                        Diagnostic::error(
                            "bad-file-name",
                            at(e.path()),
                            Position::File,
                            format!("this name cannot be used: {why}"),
                        )
                        .with_hint("rename it using plain letters, digits and hyphens")
                    }),
                };
                let problem = problem.or_else(|| {
                    if !e.path_is_symlink() {
                        return None;
                    }
                    match std::fs::canonicalize(e.path()) {
                        Ok(real) if real.starts_with(&self.real) => None,
                        _ => Some(Refused::Outside.diagnostic(&at(e.path()))),
                    }
                });
                match problem {
                    Some(d) => {
                        found.borrow_mut().push(Err(d));
                        false
                    }
                    None => true,
                }
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map_or_else(|| rel_dir.to_path_buf(), &at);
                    let why = if e.loop_ancestor().is_some() {
                        "this folder link leads back into a folder that holds it".to_string()
                    } else {
                        format!("cannot read this file or folder: {e}")
                    };
                    found.borrow_mut().push(Err(Diagnostic::error(
                        "unreadable",
                        path,
                        Position::File,
                        why,
                    )));
                    continue;
                }
            };
            let t = entry.file_type();
            if t.is_dir() {
                continue;
            }
            if !t.is_file() {
                found.borrow_mut().push(Err(
                    Refused::NotAFile(kind_of(t)).diagnostic(&at(entry.path()))
                ));
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&top) else {
                continue;
            };
            let Some(rel) = rel.to_str() else { continue };
            let real = if entry.path_is_symlink() {
                std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_path_buf())
            } else {
                entry.path().to_path_buf()
            };
            found.borrow_mut().push(Ok(SourceFile {
                rel: rel.replace(std::path::MAIN_SEPARATOR, "/"),
                real,
            }));
        }
        let mut files = Vec::new();
        for r in found.into_inner() {
            match r {
                Ok(f) => files.push(f),
                Err(d) => diags.push(d),
            }
        }
        files
    }
}

/// `bytes` as text, or a `not-utf8` error at the first bad byte.
pub(crate) fn text_or_diagnostic(
    bytes: Vec<u8>,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            // The text cannot be re-read as a string to find line:col later,
            // so the place is worked out here, from the valid part.
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            let col = 1 + String::from_utf8_lossy(&bytes[line_start..at])
                .chars()
                .count();
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    rel,
                    Position::LineCol(line, col),
                    "this file is not UTF-8 text",
                )
                .with_hint("save the file as UTF-8 in your editor"),
            );
            None
        }
    }
}
