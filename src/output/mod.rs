//! Writing the site: [`write`](mod@write) turns an output plan into files through a
//! sink. A build's sink is a [`Staging`] folder next to the output folder,
//! which replaces the old output only when the whole build succeeded.
//! pestle deletes nothing but its own staging folders and an output folder
//! it wrote before (marked by [`MARKER`]).

pub(crate) mod write;

pub(crate) use write::{Sink, write, write_with};

use crate::diagnostics::Fatal;
use crate::fs;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use crate::render::emit::MARKER;
pub(crate) use crate::render::emit::MARKER_TEXT;

/// Refuses output folders that would overwrite or hide the site's sources.
pub(crate) fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, Fatal> {
    let abs = absolute(output)?;
    let root = fs::canonicalize(root)?;
    // Where content/ really is, if it is a link.
    let content =
        std::fs::canonicalize(root.join("content")).unwrap_or_else(|_| root.join("content"));
    let refuse = |why: &str| {
        Err(Fatal::new(format!(
            "refusing to write the site to {}: {why}; choose another folder with --output",
            output.display()
        )))
    };
    if root.starts_with(&abs) {
        return refuse("it is or contains the site root");
    }
    if content.starts_with(&abs) || abs.starts_with(&content) {
        return refuse("it is, contains or is inside content/");
    }
    for protected in ["static", "themes"] {
        if abs.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside {protected}/"));
        }
    }
    match std::fs::metadata(&abs) {
        Ok(m) if m.is_file() => return refuse("it is a file"),
        Ok(m) if !m.is_dir() => return refuse("it is not a folder (a device, pipe or socket)"),
        _ => {}
    }
    if abs.is_dir() && !abs.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&abs)
            .map_err(|e| Fatal::io("read", &abs, &e))?
            .next()
            .is_none();
        if !empty {
            return refuse(
                "it already exists and was not written by pestle, so replacing it could delete your files",
            );
        }
    }
    Ok(abs)
}

/// The absolute form of `p`, resolving symbolic links in the part that exists.
fn absolute(p: &Path) -> Result<PathBuf, Fatal> {
    if p.exists() {
        return fs::canonicalize(p);
    }
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir()
            .map_err(|e| Fatal::new(format!("cannot find the current folder: {e}")))?
    };
    let full = base.join(p);
    let mut existing = full.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = if existing.as_os_str().is_empty() {
        existing
    } else {
        fs::canonicalize(&existing)?
    };
    for seg in rest.into_iter().rev() {
        if seg == ".." {
            out.pop();
        } else if seg != "." {
            out.push(seg);
        }
    }
    Ok(out)
}

/// A staging folder that becomes the output folder on [`Staging::commit`]
/// and is removed if dropped before.
pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates a fresh staging folder beside `target`.
    pub(crate) fn new(target: &Path) -> Result<Staging, Fatal> {
        let parent = target.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        sweep_stale(parent, &name);
        let dir = parent.join(format!(".{name}.pestle-tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        fs::write(&dir.join(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Creates, in one pass, every folder the files at `paths` need, so
    /// that writing them can skip a folder check per file (tens of
    /// thousands of system calls on a large site).
    pub(crate) fn make_folders<'a>(
        &self,
        paths: impl Iterator<Item = &'a str>,
    ) -> Result<(), Fatal> {
        let mut dirs: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for p in paths {
            let mut p = p.trim_start_matches('/');
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !dirs.insert(p) {
                    break;
                }
            }
        }
        // A level at a time, so every parent is made before its children
        // and each level's folders (most are one page's) are made in
        // parallel: on a big site this is thousands of system calls.
        let mut levels: Vec<Vec<&str>> = Vec::new();
        for d in dirs {
            let depth = d.matches('/').count();
            if levels.len() <= depth {
                levels.resize_with(depth + 1, Vec::new);
            }
            levels[depth].push(d);
        }
        levels.iter().try_for_each(|level| {
            level.par_iter().try_for_each(|d| {
                let full = self.dir.join(d);
                match std::fs::create_dir(&full) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                        Err(Fatal::io("create folder", &full, &e))
                    }
                    _ => Ok(()),
                }
            })
        })
    }

    /// Writes a file whose folder [`Staging::make_folders`] already made.
    /// Every path is checked once more here, where it is written.
    pub(crate) fn write_in_place(&self, rel: &str, bytes: &[u8]) -> Result<(), Fatal> {
        if rel != MARKER {
            crate::slug::check_path(rel)
                .map_err(|why| Fatal::new(format!("refusing to write {rel}: {why}")))?;
        }
        let full = self.dir.join(rel);
        std::fs::write(&full, bytes).map_err(|e| Fatal::io("write", &full, &e))
    }

    /// Replaces the output folder with the staging folder. Returns a note
    /// when the old output could not be removed (it is swept next time).
    pub(crate) fn commit(mut self) -> Result<Option<String>, Fatal> {
        let parent = self.target.parent().unwrap_or(Path::new("."));
        let old = parent.join(format!(
            ".{}.pestle-old-{}",
            self.target
                .file_name()
                .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            if let Err(e) = std::fs::remove_dir_all(&old) {
                return Ok(Some(format!(
                    "the new site is in place, but the previous one, moved to {}, could not be removed ({e}); the next build tries again",
                    old.display()
                )));
            }
        }
        Ok(None)
    }
}

/// Removes staging and old-output folders beside the output folder that a
/// build which no longer runs (killed, or out of disk) left behind. Only
/// folders with pestle's name pattern and marker file are touched.
fn sweep_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = n.strip_prefix(&format!(".{name}.pestle-")) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix("tmp-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let path = e.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && path.join(MARKER).is_file() && !process_alive(pid) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// True unless the process `pid` is known to have ended.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn prepare(&self, paths: &[&str]) -> Result<(), Fatal> {
        self.make_folders(paths.iter().copied())
    }

    fn bytes(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        self.write_in_place(path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Fatal> {
        crate::slug::check_path(path)
            .map_err(|why| Fatal::new(format!("refusing to write {path}: {why}")))?;
        fs::copy_regular(from, &self.dir.join(path))
    }

    fn stream(
        &self,
        path: &str,
        make: &mut write::Maker<'_>,
    ) -> Result<Option<crate::diagnostics::Diagnostic>, Fatal> {
        crate::slug::check_path(path)
            .map_err(|why| Fatal::new(format!("refusing to write {path}: {why}")))?;
        let full = self.dir.join(path);
        let file = std::fs::File::create(&full).map_err(|e| Fatal::io("write", &full, &e))?;
        let mut w = Tracked {
            inner: std::io::BufWriter::with_capacity(32 * 1024, file),
            error: None,
        };
        let made = make(&mut w);
        let flushed = std::io::Write::flush(&mut w.inner);
        // A failed write is the disk's problem, whatever the render said.
        if let Some(e) = w.error.take().or(flushed.err()) {
            return Err(Fatal::io("write", &full, &e));
        }
        Ok(made.err())
    }
}

/// A writer that remembers its first failure, which a render that wraps
/// it (Tera) would otherwise report as its own.
struct Tracked<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> std::io::Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            self.error
                .get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
