//! File-system access. [`source`] decides which files of the site may be
//! read (nothing outside the site folder, only regular files); the wrappers
//! here put the path in every I/O error, so no failure ever reaches the user
//! as a bare "No such file or directory".

mod source;
pub(crate) mod spill;

pub(crate) use source::{
    SiteRoot, SourceFile, bad_name, copy_regular, read_regular, text_or_diagnostic,
};

use crate::diagnostics::Fatal;
use std::path::Path;

/// Writes a file, creating its parent folders.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(|e| Fatal::io("write", path, &e))
}

/// Creates a folder and its parents.
pub(crate) fn create_dir_all(path: &Path) -> Result<(), Fatal> {
    std::fs::create_dir_all(path).map_err(|e| Fatal::io("create folder", path, &e))
}

/// Writes a file by writing a temporary file beside it and renaming it into
/// place, so a reader never sees half a file, and a link at `path` is
/// replaced rather than followed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    let parent = path.parent().unwrap_or(Path::new("."));
    create_dir_all(parent)?;
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = parent.join(format!(".{name}.pestle-{}-{n}", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, bytes));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Fatal::io("write", path, &e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Fatal::io("write", path, &e)
    })
}

/// Copies a site file to `to` through a temporary file, as [`write_atomic`].
pub(crate) fn copy_atomic(from: &Path, to: &Path) -> Result<(), Fatal> {
    let parent = to.parent().unwrap_or(Path::new("."));
    create_dir_all(parent)?;
    let name = to
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.pestle-copy-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    copy_regular(from, &tmp)?;
    std::fs::rename(&tmp, to).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Fatal::io("write", to, &e)
    })
}

/// Renames a file or folder.
pub(crate) fn rename(from: &Path, to: &Path) -> Result<(), Fatal> {
    std::fs::rename(from, to).map_err(|e| {
        Fatal::new(format!(
            "cannot rename {} to {}: {e}",
            from.display(),
            to.display()
        ))
    })
}

/// Removes a folder and everything in it.
pub(crate) fn remove_dir_all(path: &Path) -> Result<(), Fatal> {
    std::fs::remove_dir_all(path).map_err(|e| Fatal::io("remove", path, &e))
}

/// The canonical absolute form of a path that exists.
pub(crate) fn canonicalize(path: &Path) -> Result<std::path::PathBuf, Fatal> {
    std::fs::canonicalize(path).map_err(|e| Fatal::io("find", path, &e))
}
