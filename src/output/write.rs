//! The one place an output plan becomes files: every chosen file of the plan
//! is made by [`crate::render::emit`](fn@crate::render::emit), in parallel, and handed to a
//! [`Sink`]: the build's staging folder, serve's output folder (each file
//! renamed into place), or `check`'s scan in memory.

use crate::diagnostics::{Diagnostic, Fatal};
use crate::render::{Emitted, Origin, SiteModel, Templates, emit};
use rayon::prelude::*;
use std::path::Path;

/// Where made files go.
pub(crate) trait Sink: Sync {
    /// Called once, before any file, with every path to be written.
    fn prepare(&self, paths: &[&str]) -> Result<(), Fatal>;
    /// Takes the bytes of the file at `path`.
    fn bytes(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal>;
    /// Takes a file to copy as it is from `from`.
    fn copy(&self, path: &str, from: &Path) -> Result<(), Fatal>;
}

/// A file that could not be made (a template error), left out.
pub(crate) struct Failed {
    pub(crate) path: String,
    pub(crate) diagnostic: Diagnostic,
}

/// Makes each of `files` and hands it to `sink`. Template errors come back
/// as [`Failed`] (those files are not written); I/O errors are `Err`.
pub(crate) fn write(
    model: &SiteModel<'_>,
    templates: &Templates,
    files: &[(&str, &Origin)],
    sink: &dyn Sink,
) -> Result<Vec<Failed>, Fatal> {
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    sink.prepare(&paths)?;
    let results: Vec<Result<Option<Failed>, Fatal>> = files
        .par_iter()
        .map(
            |(path, origin)| match emit(model, templates, path, origin) {
                Ok(Emitted::Text(text)) => sink.bytes(path, text.as_bytes()).map(|()| None),
                Ok(Emitted::Bytes(bytes)) => sink.bytes(path, bytes).map(|()| None),
                Ok(Emitted::Copy(from)) => sink.copy(path, &from).map(|()| None),
                Err(diagnostic) => Ok(Some(Failed {
                    path: (*path).to_string(),
                    diagnostic,
                })),
            },
        )
        .collect();
    let mut failed = Vec::new();
    for r in results {
        if let Some(f) = r? {
            failed.push(f);
        }
    }
    Ok(failed)
}
