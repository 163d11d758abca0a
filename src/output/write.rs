//! The one place an output plan becomes files: every chosen file of the plan
//! is made by [`crate::render::make`], in parallel, and handed to a
//! [`Sink`]: the build's staging folder, serve's output folder (each file
//! renamed into place), or `check`'s scan in memory. A file a template
//! makes is written as it is rendered ([`Sink::stream`]), so no page is
//! ever held whole as text; the files whose size grows with a section
//! (print pages, listings of a section's or a term's pages) are made after
//! the build's search index, so the two never hold their memory at once.

use crate::diagnostics::{Diagnostic, Fatal};
use crate::render::{Emitted, Made, Origin, SiteModel, Templates, make};
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
    /// Takes the file at `path` as `make` writes it. A sink that can
    /// writes it to disk as it is made; by default it is made in memory
    /// and handed to [`Sink::bytes`]. `make`'s error (a template error)
    /// comes back as `Ok(Some(..))`, and the file is not to be used.
    fn stream(&self, path: &str, make: &mut Maker<'_>) -> Result<Option<Diagnostic>, Fatal> {
        let mut buf = Vec::new();
        match make(&mut buf) {
            Ok(()) => self.bytes(path, &buf).map(|()| None),
            Err(d) => Ok(Some(d)),
        }
    }
}

/// One file of the plan: its path and what it is made from.
type File<'a> = &'a (&'a str, &'a Origin);

/// Writes one file's bytes to a writer; a template error is `Err`.
pub(crate) type Maker<'a> = dyn FnMut(&mut dyn std::io::Write) -> Result<(), Diagnostic> + 'a;

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
    write_with(model, templates, files, sink, || Ok(()))
}

/// [`write()`], with `first` done beside the other files and before the
/// biggest ones (the build's search index), so that the two never hold
/// their memory at once.
pub(crate) fn write_with(
    model: &SiteModel<'_>,
    templates: &Templates,
    files: &[(&str, &Origin)],
    sink: &dyn Sink,
    first: impl FnOnce() -> Result<(), Fatal> + Send,
) -> Result<Vec<Failed>, Fatal> {
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    sink.prepare(&paths)?;
    // Files whose size grows with the site (print pages, listings of a
    // section's or a term's pages) are made after `first`, on one thread
    // while the others make the rest.
    let big = |origin: &Origin| match origin {
        Origin::Print(..) | Origin::Taxonomy(_) | Origin::Term(..) => true,
        Origin::Page(i) => model.site.pages[*i].is_section(),
        _ => false,
    };
    let (bigs, rest): (Vec<File<'_>>, Vec<File<'_>>) =
        files.iter().partition(|(_, origin)| big(origin));
    let one = |&&(path, origin): &File<'_>| -> Result<Option<Failed>, Fatal> {
        let failed = |diagnostic| {
            Some(Failed {
                path: path.to_string(),
                diagnostic,
            })
        };
        match make(model, templates, path, origin) {
            Made::Render(render) => {
                let mut render = Some(render);
                let mut write = |w: &mut dyn std::io::Write| {
                    render.take().map_or(Ok(()), |r| r.write_to(templates, w))
                };
                sink.stream(path, &mut write).map(|d| d.and_then(failed))
            }
            Made::Ready(Emitted::Text(text)) => sink.bytes(path, text.as_bytes()).map(|()| None),
            Made::Ready(Emitted::Bytes(bytes)) => sink.bytes(path, bytes).map(|()| None),
            Made::Ready(Emitted::Copy(from)) => sink.copy(path, &from).map(|()| None),
        }
    };
    // Only what failed is kept: a big site has tens of thousands of files.
    let (failed, printed) = rayon::join(
        || {
            rest.par_iter()
                .filter_map(|f| one(f).transpose())
                .collect::<Result<Vec<_>, Fatal>>()
        },
        || {
            first()?;
            bigs.par_iter()
                .filter_map(|f| one(f).transpose())
                .collect::<Result<Vec<_>, Fatal>>()
        },
    );
    let mut failed = failed?;
    failed.extend(printed?);
    Ok(failed)
}
