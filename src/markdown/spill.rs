//! A page's table of contents and search sections as bytes, to move them
//! into the build's temporary file ([`crate::fs::spill`]) and back.

use super::{TextSection, TocEntry};
use crate::fs::spill::{Span, Spill};

/// Sections as bytes: for each, its level, then its id, heading and text,
/// each after its length (4 bytes, little-endian).
pub(crate) fn encode_sections(sections: &[TextSection]) -> Vec<u8> {
    let size: usize = sections
        .iter()
        .map(|s| 13 + s.id.len() + s.heading.len() + s.text.len())
        .sum();
    let mut out = Vec::with_capacity(size);
    for s in sections {
        out.push(s.level);
        for part in [&s.id, &s.heading, &s.text] {
            put_string(&mut out, part);
        }
    }
    out
}

/// Appends `text` after its length (4 bytes, little-endian), as [`string`]
/// reads it back.
fn put_string(out: &mut Vec<u8>, text: &str) {
    let len = len32(text.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&text.as_bytes()[..len as usize]);
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = (bytes.get(..n)?, bytes.get(n..)?);
    *bytes = rest;
    Some(head)
}

fn string(bytes: &mut &[u8]) -> Option<String> {
    let len = u32::from_le_bytes(take(bytes, 4)?.try_into().ok()?) as usize;
    String::from_utf8(take(bytes, len)?.to_vec()).ok()
}

/// The sections `encode_sections` wrote, or `None` if `bytes` is not that.
pub(crate) fn decode_sections(mut bytes: &[u8]) -> Option<Vec<TextSection>> {
    let mut out = Vec::new();
    while let Some((&level, rest)) = bytes.split_first() {
        bytes = rest;
        out.push(TextSection {
            level,
            id: string(&mut bytes)?,
            heading: string(&mut bytes)?,
            text: string(&mut bytes)?,
        });
    }
    Some(out)
}

/// A table of contents as bytes: each entry, parents first, as its level,
/// its number of children (4 bytes, little-endian), then its id and title,
/// each after its length.
pub(crate) fn encode_toc(toc: &[TocEntry]) -> Vec<u8> {
    fn put(out: &mut Vec<u8>, entries: &[TocEntry]) {
        for e in entries {
            out.push(e.level);
            out.extend_from_slice(&len32(e.children.len()).to_le_bytes());
            for part in [&e.id, &e.title] {
                put_string(out, part);
            }
            put(out, &e.children);
        }
    }
    let mut out = Vec::new();
    put(&mut out, toc);
    out
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The table of contents `encode_toc` wrote, or `None` if `bytes` is not
/// that.
pub(crate) fn decode_toc(mut bytes: &[u8]) -> Option<Vec<TocEntry>> {
    fn entries(bytes: &mut &[u8], n: Option<usize>) -> Option<Vec<TocEntry>> {
        let mut out = Vec::new();
        while n.is_none_or(|n| out.len() < n) {
            let Some((&level, rest)) = bytes.split_first() else {
                return n.is_none().then_some(out);
            };
            *bytes = rest;
            let children = u32::from_le_bytes(take(bytes, 4)?.try_into().ok()?) as usize;
            let id = string(bytes)?;
            let title = string(bytes)?;
            let children = entries(bytes, Some(children))?;
            out.push(TocEntry {
                level,
                id,
                title,
                children,
            });
        }
        Some(out)
    }
    entries(&mut bytes, None)
}

/// Reads back a table of contents [`encode_toc`] wrote into `spill`; none
/// (and the spill marked failed) when it cannot be read.
pub(crate) fn read_toc(spill: &Spill, span: Span) -> Vec<TocEntry> {
    let Some(bytes) = spill.get(span) else {
        return Vec::new();
    };
    decode_toc(&bytes).unwrap_or_else(|| {
        spill.fail("the build's temporary file did not hold what was written".into());
        Vec::new()
    })
}

/// Reads back sections [`encode_sections`] wrote into `spill`; none (and
/// the spill marked failed) when they cannot be read.
pub(crate) fn read_sections(spill: &Spill, span: Span) -> Vec<TextSection> {
    let Some(bytes) = spill.get(span) else {
        return Vec::new();
    };
    decode_sections(&bytes).unwrap_or_else(|| {
        spill.fail("the build's temporary file did not hold what was written".into());
        Vec::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `items` come back from their bytes as they went in; cut short, the
    /// bytes give the whole items before the cut, or nothing when the cut
    /// is inside one.
    fn round_trips<T: PartialEq + Clone + std::fmt::Debug>(
        items: &[T],
        encode: fn(&[T]) -> Vec<u8>,
        decode: fn(&[u8]) -> Option<Vec<T>>,
    ) {
        let bytes = encode(items);
        assert_eq!(decode(&bytes), Some(items.to_vec()));
        assert_eq!(decode(&[]), Some(Vec::new()));
        for cut in 1..bytes.len() {
            if let Some(v) = decode(&bytes[..cut]) {
                assert!(items.starts_with(&v), "cut at {cut}");
                assert_eq!(encode(&v).len(), cut, "cut at {cut}");
            }
        }
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
    }

    fn section(level: u8, id: &str, heading: &str, text: &str) -> TextSection {
        TextSection {
            id: id.into(),
            heading: heading.into(),
            level,
            text: text.into(),
        }
    }

    #[test]
    fn sections_come_back_as_they_went_in() {
        let sections = vec![
            section(0, "", "", "Before the first heading.\n"),
            section(
                2,
                "tokens",
                "Prescription tokens",
                "Give the patient a token. £ é 🙂\n",
            ),
            section(3, "", "", ""),
        ];
        round_trips(&sections, encode_sections, decode_sections);
    }

    #[test]
    fn a_table_of_contents_comes_back_as_it_went_in() {
        let e = |level: u8, id: &str, children: Vec<TocEntry>| TocEntry {
            level,
            id: id.into(),
            title: format!("About {id} £"),
            children,
        };
        let toc = vec![
            e(
                2,
                "a",
                vec![e(3, "b", vec![e(4, "c", vec![])]), e(3, "d", vec![])],
            ),
            e(2, "e", vec![]),
        ];
        round_trips(&toc, encode_toc, decode_toc);
    }
}
