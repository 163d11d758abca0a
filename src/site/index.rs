//! Phase 3 of assembly: everything a link may point at. Pages by source
//! path and URL, section and bundle folders, content files (images, PDFs)
//! with their site paths, and the theme's and site's static files.

use crate::content::{Kind, Page, Tree};
use crate::diagnostics::{Diagnostic, Position};
use crate::fs::{SiteRoot, SourceFile};
use crate::glossary;
use crate::image::{self, HEAD_BYTES, ImageSize, MAX_IMAGE_BYTES, SizeError};
use crate::links::LinkIndex;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// A content file that is not a page, copied to the output as it is.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// The path under `content/`.
    pub(crate) rel: String,
    /// Its site path.
    pub(crate) url: String,
    /// Where to read it.
    pub(crate) real: PathBuf,
}

/// The site path of each content file that is not a page; a file whose
/// address would hold a part that cannot be used is an error.
pub(crate) fn assets(files: &[SourceFile], tree: &Tree, diags: &mut Vec<Diagnostic>) -> Vec<Asset> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let (dir, name) = f.rel.rsplit_once('/').unwrap_or(("", f.rel.as_str()));
        let url = format!("{}{name}", tree.dir_url(dir));
        let bad = crate::slug::bad_url_segments(&url);
        if bad.is_empty() {
            out.push(Asset {
                rel: f.rel.clone(),
                url,
                real: f.real.clone(),
            });
            continue;
        }
        for (seg, why) in bad {
            diags.push(
                Diagnostic::error(
                    "bad-file-name",
                    PathBuf::from("content").join(&f.rel),
                    Position::File,
                    format!(
                        "this file's address would have the part `{}`, which cannot be used: {why}",
                        seg.escape_debug()
                    ),
                )
                .with_hint("rename the folder using letters, digits and hyphens"),
            );
        }
    }
    out
}

/// Builds the link index; `static_paths` are the site paths of static files.
pub(crate) fn link_index<P: AsRef<Page>>(
    pages: &[P],
    tree: &Tree,
    assets: &[Asset],
    static_paths: impl Iterator<Item = String>,
    drafts_left_out: HashSet<String>,
) -> LinkIndex {
    let mut index = LinkIndex {
        pages: tree.by_source.clone(),
        urls: tree.by_url.iter().map(|(u, &i)| (u.clone(), i)).collect(),
        drafts: drafts_left_out,
        page_urls: pages.iter().map(|p| p.as_ref().url.clone()).collect(),
        ..LinkIndex::default()
    };
    for (i, p) in pages.iter().enumerate() {
        let p = p.as_ref();
        match (p.kind, &p.bundle_dir) {
            (Kind::Home, _) => {
                index.dirs.insert(String::new(), i);
            }
            (Kind::Section, _) => {
                index.dirs.insert(p.source_dir().to_string(), i);
            }
            (Kind::Page, Some(b)) => {
                index.dirs.insert(b.clone(), i);
            }
            _ => {}
        }
    }
    for a in assets {
        index.assets.insert(a.rel.clone(), a.url.clone());
    }
    index.static_files.extend(static_paths);
    index
}

/// The size of every image among the content files and the static files on
/// disk (`statics`: site path, path under the site root), by site path:
/// read from each file's first bytes, in parallel.
pub(crate) fn image_sizes(
    root: &SiteRoot,
    assets: &[Asset],
    statics: &[(String, PathBuf)],
) -> HashMap<String, Result<ImageSize, String>> {
    let files: Vec<(&str, PathBuf)> = assets
        .iter()
        .filter(|a| image::is_sized_image(&a.rel))
        .map(|a| (a.url.as_str(), Path::new("content").join(&a.rel)))
        .chain(statics.iter().map(|(url, rel)| (url.as_str(), rel.clone())))
        .collect();
    files
        .par_iter()
        .map(|(url, rel)| ((*url).to_string(), image_size(root, rel)))
        .collect()
}

/// The size of the image at `rel`, or why it cannot be read.
fn image_size(root: &SiteRoot, rel: &Path) -> Result<ImageSize, String> {
    let name = rel.to_string_lossy();
    let read = |limit: u64| match root.read_head(rel, limit) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err("the file is not there".to_string()),
        Err(r) => Err(r.diagnostic(rel).message),
    };
    let (bytes, len) = read(HEAD_BYTES)?;
    match image::size_of(&name, &bytes) {
        Err(SizeError::Truncated) if len > bytes.len() as u64 => {
            let (all, _) = read(MAX_IMAGE_BYTES)?;
            match image::size_of(&name, &all) {
                Ok(size) => Ok(size),
                Err(SizeError::NotAnImage(why)) => Err(why),
                Err(SizeError::Truncated) => Err(format!(
                    "its size is not in its first {} MiB, which is all pestle reads",
                    MAX_IMAGE_BYTES / (1024 * 1024)
                )),
            }
        }
        Ok(size) => Ok(size),
        Err(SizeError::NotAnImage(why)) => Err(why),
        Err(SizeError::Truncated) => Err(
            "the file is cut short: it ends before its header says how large the image is".into(),
        ),
    }
}

/// A hash of everything a page's rendered Markdown depends on besides its
/// own text: where every link can point, and the glossary.
pub(crate) fn environment(index: &LinkIndex, glossary: &[glossary::Entry], file_urls: bool) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut pages: Vec<(&String, &usize)> = index.pages.iter().collect();
    pages.sort();
    pages.hash(&mut h);
    index.page_urls.hash(&mut h);
    let mut dirs: Vec<(&String, &usize)> = index.dirs.iter().collect();
    dirs.sort();
    dirs.hash(&mut h);
    let mut assets: Vec<(&String, &String)> = index.assets.iter().collect();
    assets.sort();
    assets.hash(&mut h);
    let mut statics: Vec<&String> = index.static_files.iter().collect();
    statics.sort();
    statics.hash(&mut h);
    let mut drafts: Vec<&String> = index.drafts.iter().collect();
    drafts.sort();
    drafts.hash(&mut h);
    let mut images: Vec<_> = index.images.iter().collect();
    images.sort();
    images.hash(&mut h);
    for g in glossary {
        (&g.term, &g.expansion).hash(&mut h);
    }
    file_urls.hash(&mut h);
    h.finish()
}
