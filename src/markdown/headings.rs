//! Heading ids and the table of contents. Ids follow GitHub's rule: lower
//! case, spaces to hyphens, punctuation dropped, repeats numbered `-1`, `-2`.

use serde::Serialize;
use std::collections::HashSet;

/// One heading, as the table of contents shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct TocEntry {
    /// 2 for `##`, 3 for `###`...
    pub(crate) level: u8,
    /// The anchor, without `#`.
    pub(crate) id: String,
    /// The heading's text.
    pub(crate) title: String,
    /// Headings nested under this one.
    pub(crate) children: Vec<TocEntry>,
}

/// GitHub's heading slug, before de-duplication.
pub(crate) fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Hands out unique ids within one page.
#[derive(Default)]
pub(crate) struct IdSet {
    used: HashSet<String>,
    /// For each base id, the next number to try, so a page with thousands
    /// of equal headings takes linear time, not quadratic.
    next: std::collections::HashMap<String, usize>,
}

impl IdSet {
    /// Records an id the author chose (`{#id}`).
    pub(crate) fn claim(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique id for a heading with this text.
    pub(crate) fn unique(&mut self, text: &str) -> String {
        let mut base = github_slug(text);
        if base.is_empty() {
            base = "section".into();
        }
        let mut id = base.clone();
        let n = self.next.entry(base.clone()).or_insert(0);
        while self.used.contains(&id) {
            *n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        id
    }

    /// Every id on the page.
    pub(crate) fn into_ids(self) -> Ids {
        let mut ids: Vec<String> = self.used.into_iter().collect();
        ids.sort_unstable();
        Ids::from_sorted(&ids)
    }
}

/// A page's ids, kept by every page until the site's `#anchor` links are
/// checked, so compact: sorted, one after another in one string, each
/// ended by a line feed (which no id holds: heading ids are slugs, and
/// `{#id}` ends at white space).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Ids(Box<str>);

impl Ids {
    /// The ids `sorted` (in order, without duplicates).
    pub(crate) fn from_sorted(sorted: &[String]) -> Ids {
        let mut joined = String::with_capacity(sorted.iter().map(|i| i.len() + 1).sum());
        for id in sorted.iter().filter(|i| !i.contains('\n')) {
            joined.push_str(id);
            joined.push('\n');
        }
        Ids(joined.into())
    }

    /// True when the page has the id `id`.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.iter().any(|i| i == id)
    }

    /// The ids, sorted.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split_terminator('\n')
    }
}

/// Nests a flat list of headings by level.
pub(crate) fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    fn take(
        items: &mut std::iter::Peekable<std::vec::IntoIter<TocEntry>>,
        level: u8,
    ) -> Vec<TocEntry> {
        let mut out: Vec<TocEntry> = Vec::new();
        while let Some(next) = items.peek() {
            if next.level < level {
                break;
            }
            let Some(mut entry) = items.next() else { break };
            let child_level = entry.level + 1;
            entry.children = take(items, child_level);
            out.push(entry);
        }
        out
    }
    let min = flat.iter().map(|e| e.level).min().unwrap_or(1);
    take(&mut flat.into_iter().peekable(), min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_github_style_ids() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("Using the PMR system"), "using-the-pmr-system");
        assert_eq!(
            ids.unique("How do I order tokens?"),
            "how-do-i-order-tokens"
        );
        assert_eq!(ids.unique("Using the PMR system"), "using-the-pmr-system-1");
        assert_eq!(ids.unique("Using the PMR system"), "using-the-pmr-system-2");
        assert_eq!(ids.unique("FP10DT: what's new"), "fp10dt-whats-new");
        assert_eq!(ids.unique("!!!"), "section");
    }

    #[test]
    fn nests_headings_by_level() {
        let e = |level, id: &str| TocEntry {
            level,
            id: id.into(),
            title: id.into(),
            children: vec![],
        };
        let toc = nest(vec![e(2, "a"), e(3, "b"), e(3, "c"), e(2, "d"), e(4, "e")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "e");
    }
}
