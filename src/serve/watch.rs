//! Watching the site's files with notify: site.yaml, glossary.yaml,
//! content/, static/ and the theme folders, with editors' temporary files
//! left out and bursts of events (save by rename, git checkout) gathered
//! into one batch.

use crate::content::is_ignored_name;
use crate::diagnostics::Fatal;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A running watcher and the paths it reports (relative to the site root).
pub(crate) struct Watch {
    watcher: notify::RecommendedWatcher,
    rx: Receiver<PathBuf>,
    root: PathBuf,
    /// The top-level folders watched so far.
    watched: HashSet<&'static str>,
}

/// What [`Watch::next_batch_or_quiet`] saw.
pub(crate) enum Next {
    /// A batch of changed paths.
    Batch(HashSet<PathBuf>),
    /// Nothing changed for the time given.
    Quiet,
    /// Watching has ended, or `stop` said so.
    Stopped,
}

/// The folders watched with everything in them.
const FOLDERS: [&str; 3] = ["content", "static", "themes"];

/// True for a path pestle cares about.
fn relevant(rel: &Path) -> bool {
    let ignored = rel
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    if ignored {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(
        first.as_deref(),
        Some("site.yaml" | "glossary.yaml" | "content" | "static" | "themes")
    )
}

impl Watch {
    /// Watches the site at `root`: its top folder, and content/, static/
    /// and themes/ with everything in them.
    pub(crate) fn start(root: &Path) -> Result<Watch, Fatal> {
        let (tx, rx) = channel();
        let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let base = root_abs.clone();
        let watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
            let Ok(event) = res else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for p in event.paths {
                if let Ok(rel) = p.strip_prefix(&base) {
                    if relevant(rel) {
                        let _ = tx.send(rel.to_path_buf());
                    }
                }
            }
        })
        .map_err(|e| Fatal::new(format!("cannot watch {}: {e}", root.display())))?;
        let mut watch = Watch {
            watcher,
            rx,
            root: root_abs.clone(),
            watched: HashSet::new(),
        };
        watch
            .watcher
            .watch(&root_abs, RecursiveMode::NonRecursive)
            .map_err(|e| Fatal::new(format!("cannot watch {}: {e}", root.display())))?;
        for dir in FOLDERS {
            watch.add(dir)?;
        }
        Ok(watch)
    }

    /// Starts watching the top-level folder `dir` if it exists now.
    fn add(&mut self, dir: &'static str) -> Result<(), Fatal> {
        let full = self.root.join(dir);
        if self.watched.contains(dir) || !full.is_dir() {
            return Ok(());
        }
        self.watcher
            .watch(&full, RecursiveMode::Recursive)
            .map_err(|e| Fatal::new(format!("cannot watch {}: {e}", full.display())))?;
        self.watched.insert(dir);
        Ok(())
    }

    /// Watches any of content/, static/ or themes/ that `batch` shows were
    /// just made (only the site folder itself was watched for them).
    pub(crate) fn follow_new_folders(&mut self, batch: &HashSet<PathBuf>) {
        for dir in FOLDERS {
            if batch.iter().any(|p| p.starts_with(dir)) && !self.watched.contains(dir) {
                if let Err(e) = self.add(dir) {
                    eprintln!("warning: {e}");
                }
            }
        }
    }

    /// The rest of a burst of events that began with `first`.
    fn gather(&self, first: PathBuf) -> HashSet<PathBuf> {
        let mut batch = HashSet::from([first]);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(1) {
            match self.rx.recv_timeout(Duration::from_millis(15)) {
                Ok(p) => {
                    batch.insert(p);
                }
                Err(_) => break,
            }
        }
        batch
    }

    /// Like [`Watch::next_batch`], but gives up with [`Next::Quiet`] when
    /// nothing changes for `quiet`.
    pub(crate) fn next_batch_or_quiet(&self, quiet: Duration, stop: &dyn Fn() -> bool) -> Next {
        let started = Instant::now();
        let first = loop {
            if stop() {
                return Next::Stopped;
            }
            let left = quiet.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Next::Quiet;
            }
            match self.rx.recv_timeout(left.min(Duration::from_millis(200))) {
                Ok(p) => break p,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
            }
        };
        Next::Batch(self.gather(first))
    }

    /// Waits for changes and returns them as one batch: events until 15 ms
    /// pass without one (at most 1 s). Editors that save through a temporary
    /// file and a rename, and git checkouts, send their events well within
    /// that gap. `None` when watching has ended or
    /// `stop` says so.
    pub(crate) fn next_batch(&self, stop: &dyn Fn() -> bool) -> Option<HashSet<PathBuf>> {
        let first = loop {
            if stop() {
                return None;
            }
            match self.rx.recv_timeout(Duration::from_millis(200)) {
                Ok(p) => break p,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        };
        Some(self.gather(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_files_and_other_folders() {
        assert!(relevant(Path::new("content/a.md")));
        assert!(relevant(Path::new("site.yaml")));
        assert!(!relevant(Path::new("content/.a.md.swp")));
        assert!(!relevant(Path::new("content/a.md~")));
        assert!(!relevant(Path::new("output/index.html")));
        assert!(!relevant(Path::new("target/debug/x")));
    }
}
