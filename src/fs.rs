//! File-system wrappers whose errors name the path, so no I/O failure ever
//! reaches the user as a bare "No such file or directory".

use crate::diagnostics::Fatal;
use std::path::Path;

/// Reads a UTF-8 text file.
pub(crate) fn read_to_string(path: &Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| Fatal::io("read", path, &e))
}

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

/// Copies a file, creating the destination's parent folders.
pub(crate) fn copy(from: &Path, to: &Path) -> Result<(), Fatal> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| {
        Fatal::new(format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            to.display()
        ))
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
