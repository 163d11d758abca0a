//! `banners`: notices shown on every page between two dates, such as an
//! outage of a national system. Each is `{text, from, until}`; the dates
//! are inclusive, and when several are current on the build's date, the
//! one that started most recently is shown (the first listed of those that
//! started the same day), so readers see one notice at a time.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use serde::Deserialize;
use std::path::Path;

/// A banner as written in site.yaml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBanner {
    text: String,
    from: String,
    until: String,
}

/// A checked banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// The notice, in Markdown (one paragraph: emphasis, code and links).
    pub text: String,
    /// The first day it is shown.
    pub from: Date,
    /// The last day it is shown.
    pub until: Date,
    /// Where its `text:` value is in site.yaml, for problems found later
    /// (a broken link in the text).
    pub(crate) text_at: Position,
}

impl Banner {
    /// True when `day` falls within the banner's dates, both ends included.
    pub fn is_current(&self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }
}

/// The banner to show on `day`: of the current ones, the one that started
/// most recently; of those that started the same day, the first listed.
pub(crate) fn current(banners: &[Banner], day: Date) -> Option<&Banner> {
    banners
        .iter()
        .filter(|b| b.is_current(day))
        .fold(None, |best: Option<&Banner>, b| match best {
            Some(x) if x.from >= b.from => Some(x),
            _ => Some(b),
        })
}

/// Where one list item and its keys' values sit in site.yaml.
#[derive(Debug, Default, Clone, Copy)]
struct ItemAt {
    item: usize,
    text: Option<usize>,
    from: Option<usize>,
    until: Option<usize>,
}

/// Finds the list items written under the `banners:` key that starts at
/// byte `key_at` of `yaml`, with where their `text:`, `from:` and `until:`
/// values start. Flow lists (`[{...}]`) give no items, and their problems
/// are placed at the key.
fn items(yaml: &str, key_at: usize) -> Vec<ItemAt> {
    let mut out: Vec<ItemAt> = Vec::new();
    let mut at = key_at;
    let mut lines = yaml.get(key_at..).unwrap_or("").split_inclusive('\n');
    if let Some(first) = lines.next() {
        at += first.len();
    }
    for line in lines {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let blank = trimmed.trim().is_empty() || trimmed.starts_with('#');
        if !blank && indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        let mut body = trimmed;
        let mut body_at = at + indent;
        if let Some(after) = trimmed.strip_prefix('-') {
            if after.is_empty() || after.starts_with([' ', '\n', '\r']) {
                out.push(ItemAt {
                    item: at + indent,
                    ..ItemAt::default()
                });
                body = after.trim_start();
                body_at = at + line.len() - body.len();
            }
        }
        if let Some(item) = out.last_mut() {
            for (key, slot) in [
                ("text", &mut item.text),
                ("from", &mut item.from),
                ("until", &mut item.until),
            ] {
                if slot.is_none() {
                    *slot = value_at(body, key).map(|v| body_at + v);
                }
            }
        }
        at += line.len();
    }
    out
}

/// The offset in `line` of the value of `key:` written in it, if it is.
fn value_at(line: &str, key: &str) -> Option<usize> {
    let pattern = format!("{key}:");
    line.match_indices(&pattern).find_map(|(i, _)| {
        let before = line[..i].chars().next_back();
        let starts_word = before.is_none_or(|c| matches!(c, ' ' | '{' | ','));
        starts_word.then(|| {
            let v = i + pattern.len();
            v + (line[v..].len() - line[v..].trim_start_matches([' ', '\t']).len())
        })
    })
}

/// Checks the banners read from site.yaml (`yaml`, whose `banners:` key
/// starts at byte `key_at`, the whole list at `list_at` when no better
/// place is known).
pub(super) fn check(
    raw: Vec<RawBanner>,
    yaml: &str,
    key_at: Option<usize>,
    list_at: Position,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Banner> {
    let places = key_at.map(|k| items(yaml, k)).unwrap_or_default();
    let mut out = Vec::with_capacity(raw.len());
    for (n, r) in raw.into_iter().enumerate() {
        let place = places.get(n).copied();
        let pos = |o: Option<usize>| {
            o.or(place.map(|p| p.item))
                .map_or(list_at, Position::Offset)
        };
        let date = |value: &str, key: &str, at: Option<usize>, diags: &mut Vec<Diagnostic>| {
            match Date::parse(value.trim()) {
                Ok(d) => Some(d),
                Err(_) => {
                    diags.push(
                        Diagnostic::error(
                            "bad-date",
                            path,
                            pos(at),
                            format!(
                                "banner {}: `{key}: {}` is not a date",
                                n + 1,
                                value.escape_debug()
                            ),
                        )
                        .with_hint(format!(
                            "write the date as YYYY-MM-DD, like `{key}: 2026-12-24`"
                        )),
                    );
                    None
                }
            }
        };
        let from = date(&r.from, "from", place.and_then(|p| p.from), diags);
        let until = date(&r.until, "until", place.and_then(|p| p.until), diags);
        let text_at = pos(place.and_then(|p| p.text));
        if r.text.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    path,
                    text_at,
                    format!("banner {} has no text", n + 1),
                )
                .with_hint("say what readers need to know, like `text: The Spine is down until 2 pm; use the contingency guide.`"),
            );
            continue;
        }
        let (Some(from), Some(until)) = (from, until) else {
            continue;
        };
        if until < from {
            diags.push(
                Diagnostic::error(
                    "bad-date",
                    path,
                    pos(place.and_then(|p| p.until)),
                    format!(
                        "banner {} ends on {} (`until`), before it starts on {} (`from`)",
                        n + 1,
                        until.long(),
                        from.long()
                    ),
                )
                .with_hint("put the first day it shows in `from:` and the last day in `until:`"),
            );
            continue;
        }
        out.push(Banner {
            text: r.text.trim().to_string(),
            from,
            until,
            text_at,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|_| panic!("{s}"))
    }

    fn banner(text: &str, from: &str, until: &str) -> Banner {
        Banner {
            text: text.into(),
            from: day(from),
            until: day(until),
            text_at: Position::File,
        }
    }

    #[test]
    fn the_most_recently_started_current_banner_wins_and_ties_go_to_the_first() {
        let list = [
            banner("long", "2026-01-01", "2026-12-31"),
            banner("short", "2026-06-01", "2026-06-10"),
            banner("same day", "2026-06-01", "2026-06-30"),
        ];
        let shown = |d: &str| current(&list, day(d)).map(|b| b.text.as_str());
        assert_eq!(shown("2025-12-31"), None);
        assert_eq!(shown("2026-01-01"), Some("long"));
        assert_eq!(shown("2026-05-31"), Some("long"));
        assert_eq!(shown("2026-06-01"), Some("short"));
        assert_eq!(shown("2026-06-10"), Some("short"));
        assert_eq!(shown("2026-06-11"), Some("same day"));
        assert_eq!(shown("2026-07-01"), Some("long"));
        assert_eq!(shown("2027-01-01"), None);
    }

    #[test]
    fn finds_each_items_values() {
        let yaml = "title: T\nbanners:\n  - text: Down\n    from: 2026-01-01\n    until: x\n- {text: B, from: 1, until: 2}\nextra: {}\n";
        let key = yaml.find("banners").unwrap_or_default();
        let found = items(yaml, key);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, Some(yaml.find("Down").unwrap_or_default()));
        assert_eq!(found[0].until, Some(yaml.find("x\n").unwrap_or_default()));
        assert_eq!(found[1].from, Some(yaml.find("1,").unwrap_or_default()));
    }
}
