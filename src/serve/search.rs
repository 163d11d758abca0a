//! The search index in the background: serve hands each good rebuild's
//! pages to a worker thread and goes back to serving, so a page is never
//! held up by the index. The worker keeps each page's analysis, so only the
//! pages that changed are analysed again; a newer snapshot handed over while
//! it works replaces the older one, which is never built.
//!
//! The files it serves are always a consistent set: every file but
//! `search/meta.js` is named by its content or its page numbering, each is
//! written to a temporary name and renamed into place, `meta.js` goes last,
//! and the files only the previous version named are removed a few seconds
//! later, so a search that loaded the old `meta.js` can still finish.

use crate::diagnostics::Fatal;
use crate::hash::hash_of;
use crate::search::{self, Files};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long files that only the previous index named are kept.
const GRACE: Duration = Duration::from_secs(3);

/// Told the paths written or removed each time the index is brought up to date.
pub(crate) type OnWritten = Box<dyn Fn(Vec<String>) + Send>;

#[derive(Default)]
struct State {
    /// The newest snapshot not yet built.
    next: Option<search::Input<'static>>,
    /// True while a snapshot is being built and written.
    busy: bool,
    stop: bool,
    /// Set to prune old files now rather than after the grace period.
    prune_now: bool,
    /// The last error, to report once.
    error: Option<String>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

/// A running worker; stopped when dropped.
pub(crate) struct Worker {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts a worker writing into `out_dir`.
    pub(crate) fn start(out_dir: PathBuf, on_written: OnWritten) -> Worker {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let inner = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("pestle-search".into())
            .spawn(move || run(&inner, &out_dir, &on_written))
            .ok();
        Worker { shared, thread }
    }

    /// Hands over the newest pages; an older snapshot still waiting is dropped.
    pub(crate) fn submit(&self, input: search::Input<'static>) {
        if let Ok(mut s) = self.shared.state.lock() {
            s.next = Some(input);
        }
        self.shared.wake.notify_all();
    }

    /// True while a snapshot waits or is being built.
    #[cfg(test)]
    pub(crate) fn is_busy(&self) -> bool {
        self.shared
            .state
            .lock()
            .is_ok_and(|s| s.busy || s.next.is_some())
    }

    /// The last error writing the index, once.
    pub(crate) fn take_error(&self) -> Option<String> {
        self.shared
            .state
            .lock()
            .ok()
            .and_then(|mut s| s.error.take())
    }

    /// Waits until every snapshot handed over is built and written, and the
    /// files of older versions are removed; returns the last error, if any.
    pub(crate) fn wait_idle(&self) -> Result<(), Fatal> {
        let Ok(mut s) = self.shared.state.lock() else {
            return Ok(());
        };
        s.prune_now = true;
        self.shared.wake.notify_all();
        while s.busy || s.next.is_some() || s.prune_now {
            let Ok(next) = self.shared.wake.wait_timeout(s, Duration::from_millis(50)) else {
                return Ok(());
            };
            s = next.0;
            if self.thread.as_ref().is_none_or(|t| t.is_finished()) {
                break;
            }
        }
        match s.error.take() {
            Some(e) => Err(Fatal::new(e)),
            None => Ok(()),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Ok(mut s) = self.shared.state.lock() {
            s.stop = true;
        }
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the worker has written: path → hash of the text, for this version
/// and the one before (kept until `prune_at`).
#[derive(Default)]
struct Written {
    current: HashMap<String, u64>,
    previous: HashMap<String, u64>,
    prune_at: Option<Instant>,
}

fn run(shared: &Shared, out_dir: &Path, on_written: &OnWritten) {
    // One thread: the other core stays free for rebuilding pages.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    let mut index = search::Incremental::retained();
    let mut built_once = false;
    let mut written = Written::default();
    loop {
        let input = {
            let Ok(mut s) = shared.state.lock() else {
                return;
            };
            loop {
                if s.stop {
                    return;
                }
                let due = written
                    .prune_at
                    .is_some_and(|t| s.prune_now || Instant::now() >= t);
                if due || (s.prune_now && written.prune_at.is_none() && s.next.is_none()) {
                    break None;
                }
                if let Some(input) = s.next.take() {
                    s.busy = true;
                    break Some(input);
                }
                let wait = written.prune_at.map_or(Duration::from_secs(3600), |t| {
                    t.saturating_duration_since(Instant::now())
                });
                let Ok(next) = shared.wake.wait_timeout(s, wait) else {
                    return;
                };
                s = next.0;
            }
        };
        let result = match input {
            Some(input) => {
                // The first index, which serve waits for, uses every core.
                let files = match pool.as_ref().filter(|_| built_once) {
                    Some(p) => p.install(|| index.build(&input)),
                    None => index.build(&input),
                };
                built_once = true;
                write(out_dir, &files, &mut written)
            }
            None => prune(out_dir, &mut written),
        };
        let Ok(mut s) = shared.state.lock() else {
            return;
        };
        s.busy = false;
        if written.prune_at.is_none() && s.next.is_none() {
            s.prune_now = false;
        }
        match result {
            Ok(changed) => {
                drop(s);
                if !changed.is_empty() {
                    on_written(changed);
                }
            }
            Err(e) => s.error = Some(e.to_string()),
        }
        shared.wake.notify_all();
    }
}

/// Writes the files of a new version that differ from what is on disk,
/// `meta.js` last; the files only the version before named are removed
/// after the grace period. Returns the paths written.
fn write(out_dir: &Path, files: &Files, written: &mut Written) -> Result<Vec<String>, Fatal> {
    let started = Instant::now();
    // Whatever the version before the previous one named, and no later
    // one, goes now: its grace period is over.
    let mut changed = prune(out_dir, written)?;
    let mut meta = None;
    let mut current = HashMap::with_capacity(files.len());
    for (path, text) in files {
        let h = hash_of(&**text);
        current.insert(path.clone(), h);
        if written.current.get(path) == Some(&h) {
            continue;
        }
        if path.ends_with("/meta.js") {
            meta = Some((path, text));
            continue;
        }
        crate::fs::write_atomic(&out_dir.join(path), text.as_bytes())?;
        changed.push(path.clone());
    }
    if let Some((path, text)) = meta {
        crate::fs::write_atomic(&out_dir.join(path), text.as_bytes())?;
        changed.push(path.clone());
    }
    let old = std::mem::replace(&mut written.current, current);
    written.previous = old
        .into_iter()
        .filter(|(p, _)| !written.current.contains_key(p))
        .collect();
    written.prune_at = (!written.previous.is_empty()).then(|| Instant::now() + GRACE);
    crate::diagnostics::timing(&format!("search: {} files written", changed.len()), started);
    Ok(changed)
}

/// Removes the files only the previous version named.
fn prune(out_dir: &Path, written: &mut Written) -> Result<Vec<String>, Fatal> {
    let mut gone: Vec<String> = written.previous.drain().map(|(p, _)| p).collect();
    gone.sort();
    for path in &gone {
        let full = out_dir.join(path);
        match std::fs::remove_file(&full) {
            Ok(()) => remove_empty_parents(out_dir, &full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Fatal::io("remove", &full, &e)),
        }
    }
    written.prune_at = None;
    Ok(gone)
}

/// Removes the folders above `file` (inside `top`) that are now empty.
pub(crate) fn remove_empty_parents(top: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
