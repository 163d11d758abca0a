//! A one-off build's overflow: what the build makes of every page and needs
//! again later, moved out of memory into an unnamed temporary file and read
//! back when it is needed: each page's source text once read (for its
//! Markdown), its rendered HTML and search text once rendered (for the
//! page, its print page and its search entry), and the search index's term
//! lists a chunk of pages at a time ([`crate::search`]). This keeps a
//! build's memory to what every page needs (its title, address, place in
//! the tree) plus the pages in flight, instead of every page's whole text:
//! 50,000 pages do not need five times the memory of 10,000.
//!
//! The file is made by the system (in `TMPDIR`) with no name, so nothing
//! is left behind however the build ends, and no page can name it. A write
//! that fails keeps the page in memory; a read that fails is remembered,
//! and the build stops before it replaces the output ([`Spill::failure`]).

use std::fs::File;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Where one piece of text went in the spill file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    offset: u64,
    len: u32,
}

/// The temporary file pages are moved into.
#[derive(Debug)]
pub(crate) struct Spill {
    file: File,
    /// The end of what has been reserved so far.
    end: AtomicU64,
    /// The first read that failed, to stop the build.
    failed: Mutex<Option<String>>,
    /// Bytes that pages may still keep in memory instead of moving them
    /// here ([`Spill::keep`]).
    room: AtomicUsize,
}

impl Spill {
    /// A new, empty spill file, or `None` when the system has no room for
    /// one (the build then keeps every page in memory, as before).
    pub(crate) fn new(budget: usize) -> Option<Spill> {
        if !cfg!(any(unix, windows)) {
            return None;
        }
        let file = tempfile::tempfile().ok()?;
        Some(Spill {
            file,
            end: AtomicU64::new(0),
            failed: Mutex::new(None),
            room: AtomicUsize::new(budget),
        })
    }

    /// Takes `bytes` out of the memory budget, for something to stay in
    /// memory rather than go to the file: false once the budget is spent.
    pub(crate) fn keep(&self, bytes: usize) -> bool {
        self.room
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |room| {
                room.checked_sub(bytes)
            })
            .is_ok()
    }

    /// Writes `bytes` to the file; `None` when it could not be written (or
    /// is over 4 GiB), and the caller keeps them.
    pub(crate) fn put(&self, bytes: &[u8]) -> Option<Span> {
        let len = u32::try_from(bytes.len()).ok()?;
        let offset = self.end.fetch_add(u64::from(len), Ordering::Relaxed);
        write_at(&self.file, bytes, offset).ok()?;
        Some(Span { offset, len })
    }

    /// Writes `parts` one after the other, in one write (each is a system
    /// call, and writes to one file wait for each other); `None` as `put`.
    pub(crate) fn put_parts<const N: usize>(&self, parts: [&[u8]; N]) -> Option<[Span; N]> {
        let mut bytes = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut lens = [0u32; N];
        for (len, part) in lens.iter_mut().zip(parts) {
            *len = u32::try_from(part.len()).ok()?;
            bytes.extend_from_slice(part);
        }
        let whole = self.put(&bytes)?;
        let mut offset = whole.offset;
        Some(lens.map(|len| {
            let span = Span { offset, len };
            offset += u64::from(len);
            span
        }))
    }

    /// Reads back what `put` wrote; `None` (and the build marked failed)
    /// when it cannot be read.
    pub(crate) fn get(&self, span: Span) -> Option<Vec<u8>> {
        let mut buf = vec![0; span.len as usize];
        match read_at(&self.file, &mut buf, span.offset) {
            Ok(()) => Some(buf),
            Err(e) => {
                self.fail(format!(
                    "could not read back the build's temporary file: {e}"
                ));
                None
            }
        }
    }

    /// Marks the spill failed, for `why`, unless it failed before.
    pub(crate) fn fail(&self, why: String) {
        if let Ok(mut f) = self.failed.lock() {
            f.get_or_insert(why);
        }
    }

    /// Why reading back failed, if it ever did: the pages written since
    /// may be missing their content, so the output must not be used.
    pub(crate) fn failure(&self) -> Option<String> {
        self.failed.lock().ok().and_then(|f| f.clone())
    }

    /// Reads back text `put` wrote.
    pub(crate) fn text(&self, span: Span) -> String {
        match self.get(span).map(String::from_utf8) {
            Some(Ok(s)) => s,
            Some(Err(_)) => {
                self.fail("the build's temporary file did not hold what was written".into());
                String::new()
            }
            None => String::new(),
        }
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, buf, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn write_at(_: &File, _: &[u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_written_from_many_threads_read_back_whole() {
        let Some(spill) = Spill::new(0) else {
            return;
        };
        let spans: Vec<(String, Span)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|t| {
                    let spill = &spill;
                    s.spawn(move || {
                        (0..200)
                            .map(|i| {
                                let text = format!("<p>page {t}-{i}</p>").repeat(i % 7 + 1);
                                let span = spill.put(text.as_bytes()).expect("written");
                                (text, span)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("thread"))
                .collect()
        });
        for (text, span) in spans {
            assert_eq!(spill.text(span), text);
        }
        assert_eq!(spill.failure(), None);
    }

    #[test]
    fn parts_written_together_read_back_one_by_one() {
        let Some(spill) = Spill::new(0) else {
            return;
        };
        let before = spill.put(b"before").expect("written");
        let [a, empty, b] = spill
            .put_parts([b"<p>html</p>", b"", "sections £".as_bytes()])
            .expect("written");
        assert_eq!(spill.text(a), "<p>html</p>");
        assert_eq!(spill.text(empty), "");
        assert_eq!(spill.text(b), "sections £");
        assert_eq!(spill.text(before), "before");
        assert_eq!(spill.failure(), None);
    }

    #[test]
    fn a_read_past_the_end_stops_the_build() {
        let Some(spill) = Spill::new(0) else {
            return;
        };
        let span = spill.put(b"abc").expect("written");
        let beyond = Span {
            offset: span.offset + 100,
            len: 3,
        };
        assert_eq!(spill.text(beyond), "");
        assert!(spill.failure().is_some());
    }
}
