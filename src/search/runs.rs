//! A one-off build's term lists, kept out of memory: each chunk of pages'
//! merged lists is written, sorted by term, as one run to the build's
//! temporary file ([`Spill`]), and the runs are merged term by term when
//! the index is scored. A site's lists grow with its size; this way a
//! build holds one chunk's lists and one term's whole list at a time.
//!
//! A run is a sequence of blocks of about [`BLOCK`] bytes. Each term is
//! its length and bytes, its number of postings, then each posting: the
//! gap from the last page number (the first from 0), the four field
//! counts, and the part. Runs are made in page order, so a term's list is
//! its pieces from each run, one after the other.

use super::index::{FIELDS, RawList};
use super::write::varint;
use crate::fs::spill::{Span, Spill};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// Bytes written to the spill at a time.
const BLOCK: usize = 64 * 1024;

/// Where a run's blocks are: the spill file, or memory when the build has
/// no temporary file.
enum Block {
    Spilled(Span),
    Held(Vec<u8>),
}

/// The runs written so far.
pub(crate) struct Runs {
    spill: Option<Arc<Spill>>,
    runs: Vec<Vec<Block>>,
}

impl Runs {
    /// No runs yet; they go to `spill` when there is one.
    pub(crate) fn new(spill: Option<Arc<Spill>>) -> Runs {
        Runs {
            spill,
            runs: Vec::new(),
        }
    }

    fn store(&self, bytes: Vec<u8>) -> Block {
        match self.spill.as_ref().and_then(|s| s.put(&bytes)) {
            Some(span) => Block::Spilled(span),
            None => Block::Held(bytes),
        }
    }

    /// Writes one run: `lists`, sorted by term, each in page order.
    pub(crate) fn push(&mut self, lists: &[(Arc<str>, RawList)]) {
        let mut blocks = Vec::new();
        let mut buf = Vec::with_capacity(BLOCK + 1024);
        for (term, list) in lists {
            varint(&mut buf, term.len() as u64);
            buf.extend_from_slice(term.as_bytes());
            varint(&mut buf, list.len() as u64);
            let mut prev = 0u32;
            for &(doc, tf, part) in list {
                varint(&mut buf, u64::from(doc - prev));
                prev = doc;
                buf.extend_from_slice(&tf);
                varint(&mut buf, u64::from(part));
            }
            if buf.len() >= BLOCK {
                blocks.push(self.store(std::mem::take(&mut buf)));
                buf.reserve(BLOCK + 1024);
            }
        }
        if !buf.is_empty() {
            blocks.push(self.store(buf));
        }
        self.runs.push(blocks);
    }

    /// Calls `f` with every term and its whole list, in term order. Stops
    /// at the first error `f` returns. A run that cannot be read back ends
    /// early (the spill remembers why, and the build stops before it uses
    /// its output).
    pub(crate) fn merge<E>(
        &self,
        mut f: impl FnMut(&str, &RawList) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut readers: Vec<Reader<'_>> = self
            .runs
            .iter()
            .map(|blocks| Reader::new(self.spill.as_deref(), blocks))
            .collect();
        // The next term of each run, smallest first; ties go to the
        // earlier run, whose pages come first.
        let mut heads: BinaryHeap<Reverse<(Box<str>, usize)>> = BinaryHeap::new();
        for (r, reader) in readers.iter_mut().enumerate() {
            if let Some(term) = reader.term() {
                heads.push(Reverse((term, r)));
            }
        }
        let mut list: RawList = Vec::new();
        while let Some(Reverse((term, r))) = heads.pop() {
            list.clear();
            readers[r].postings(&mut list);
            if let Some(next) = readers[r].term() {
                heads.push(Reverse((next, r)));
            }
            while heads.peek().is_some_and(|Reverse((t, _))| *t == term) {
                let Some(Reverse((_, r))) = heads.pop() else {
                    break;
                };
                readers[r].postings(&mut list);
                if let Some(next) = readers[r].term() {
                    heads.push(Reverse((next, r)));
                }
            }
            f(&term, &list)?;
        }
        Ok(())
    }
}

/// Reads one run's terms and postings in order.
struct Reader<'a> {
    spill: Option<&'a Spill>,
    blocks: std::slice::Iter<'a, Block>,
    /// The block being read and the position in it.
    bytes: Cow<'a, [u8]>,
    at: usize,
    /// False once a block could not be read back: the run ends there.
    ok: bool,
}

impl<'a> Reader<'a> {
    fn new(spill: Option<&'a Spill>, blocks: &'a [Block]) -> Reader<'a> {
        Reader {
            spill,
            blocks: blocks.iter(),
            bytes: Cow::Borrowed(&[]),
            at: 0,
            ok: true,
        }
    }

    /// The next byte, moving on to the next block at the end of one.
    fn byte(&mut self) -> Option<u8> {
        while self.at >= self.bytes.len() {
            if !self.ok {
                return None;
            }
            self.bytes = match self.blocks.next()? {
                Block::Held(b) => Cow::Borrowed(b),
                Block::Spilled(span) => match self.spill.and_then(|s| s.get(*span)) {
                    Some(b) => Cow::Owned(b),
                    None => {
                        self.ok = false;
                        return None;
                    }
                },
            };
            self.at = 0;
        }
        let b = self.bytes[self.at];
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// The next term, or `None` at the end of the run.
    fn term(&mut self) -> Option<Box<str>> {
        let len = self.varint()? as usize;
        let mut bytes = Vec::with_capacity(len);
        for _ in 0..len {
            bytes.push(self.byte()?);
        }
        String::from_utf8(bytes).ok().map(String::into_boxed_str)
    }

    /// Appends the current term's postings to `list`.
    fn postings(&mut self, list: &mut RawList) {
        let Some(n) = self.varint() else { return };
        let mut doc = 0u64;
        for _ in 0..n {
            let Some(gap) = self.varint() else { return };
            doc += gap;
            let mut tf = [0u8; FIELDS];
            for t in &mut tf {
                let Some(b) = self.byte() else { return };
                *t = b;
            }
            let Some(part) = self.varint() else { return };
            list.push((doc as u32, tf, part as u16));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(seed: u32, docs: std::ops::Range<u32>) -> Vec<(Arc<str>, RawList)> {
        let mut out: Vec<(Arc<str>, RawList)> = (0..300u32)
            .filter(|t| (t * 7 + seed) % 3 != 0)
            .map(|t| {
                let list: RawList = docs
                    .clone()
                    .filter(|d| (d + t) % 4 != 1)
                    .map(|d| (d, [(t % 5) as u8, 1, 0, (d % 255) as u8], (d % 3) as u16))
                    .collect();
                (Arc::from(format!("term{t:04}é")), list)
            })
            .filter(|(_, l)| !l.is_empty())
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The runs merged, as (term, list) pairs.
    fn merged(runs: &Runs) -> Vec<(String, RawList)> {
        let mut out = Vec::new();
        runs.merge(|t, l| {
            out.push((t.to_string(), l.clone()));
            Ok::<(), ()>(())
        })
        .expect("merged");
        out
    }

    /// The lists of every run put together in memory.
    fn expected(parts: &[Vec<(Arc<str>, RawList)>]) -> Vec<(String, RawList)> {
        let mut all: std::collections::BTreeMap<String, RawList> = Default::default();
        for part in parts {
            for (t, l) in part {
                all.entry(t.to_string()).or_default().extend(l);
            }
        }
        all.into_iter().collect()
    }

    #[test]
    fn runs_merge_into_each_terms_whole_list_in_page_order() {
        let parts = vec![lists(1, 0..40), lists(2, 40..41), lists(3, 41..900)];
        for spill in [Spill::new(0).map(Arc::new), None] {
            let mut runs = Runs::new(spill);
            for p in &parts {
                runs.push(p);
            }
            assert_eq!(merged(&runs), expected(&parts));
        }
        assert!(merged(&Runs::new(None)).is_empty());
    }

    #[test]
    fn a_merge_stops_at_the_first_error() {
        let mut runs = Runs::new(None);
        runs.push(&lists(1, 0..10));
        let mut seen = 0;
        let r = runs.merge(|_, _| {
            seen += 1;
            if seen == 3 { Err("stop") } else { Ok(()) }
        });
        assert_eq!(r, Err("stop"));
        assert_eq!(seen, 3);
    }
}
