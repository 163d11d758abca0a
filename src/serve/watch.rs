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
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<PathBuf>,
}

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
    /// Watches the site at `root` (`theme_dirs` are the theme folders in use).
    pub(crate) fn start(root: &Path, theme_dirs: &[PathBuf]) -> Result<Watch, Fatal> {
        let (tx, rx) = channel();
        let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let base = root_abs.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
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
        let mut watch = |p: &Path, mode| {
            if p.exists() {
                watcher
                    .watch(p, mode)
                    .map_err(|e| Fatal::new(format!("cannot watch {}: {e}", p.display())))
            } else {
                Ok(())
            }
        };
        watch(&root_abs, RecursiveMode::NonRecursive)?;
        for dir in ["content", "static"] {
            watch(&root_abs.join(dir), RecursiveMode::Recursive)?;
        }
        for dir in theme_dirs {
            if dir.is_dir() {
                watch(dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watch {
            _watcher: watcher,
            rx,
        })
    }

    /// Like [`Watch::next_batch`], but gives up after `idle` without a change
    /// and returns an empty batch.
    pub(crate) fn next_batch_or_idle(
        &self,
        stop: &dyn Fn() -> bool,
        idle: Duration,
    ) -> Option<HashSet<PathBuf>> {
        let started = Instant::now();
        loop {
            if stop() {
                return None;
            }
            let left = idle.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Some(HashSet::new());
            }
            match self.rx.recv_timeout(left.min(Duration::from_millis(200))) {
                Ok(p) => return Some(self.gather(p)),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return None,
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
