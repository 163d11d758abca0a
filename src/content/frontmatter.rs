//! Front matter: the YAML block between `---` lines at the top of a page.
//! Sliced from the original text so every position stays a byte offset into
//! the file, deserialised exactly as written, then validated into [`Meta`].

use crate::config::Config;
use crate::date::{Date, DateError};
use crate::diagnostics::{Diagnostic, Position};
use crate::yaml::{self, KeyMap};
use serde::Deserialize;
use std::path::Path;

/// The keys a page's front matter may use.
pub(crate) const KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "date",
    "updated",
    "reviewed",
    "review_due",
    "owner",
    "tags",
    "region",
    "related",
    "aliases",
    "slug",
    "draft",
    "template",
    "ignore_checks",
    "extra",
];

#[derive(Deserialize)]
struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    weight: Option<i64>,
    date: Option<String>,
    updated: Option<String>,
    reviewed: Option<String>,
    review_due: Option<String>,
    owner: Option<String>,
    tags: Option<OneOrMany>,
    region: Option<OneOrMany>,
    related: Option<Vec<RawRelated>>,
    aliases: Option<OneOrMany>,
    slug: Option<String>,
    draft: Option<bool>,
    template: Option<String>,
    ignore_checks: Option<OneOrMany>,
    extra: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawRelated {
    Target(String),
    Link { title: Option<String>, url: String },
}

/// One entry of `related`, before its target is resolved.
#[derive(Debug, Clone)]
pub(crate) struct Related {
    /// The title given, if any (a content path takes its page's title).
    pub(crate) title: Option<String>,
    /// A content path (`../tokens.md`) or an external URL.
    pub(crate) target: String,
    /// Where it is written, for errors.
    pub(crate) offset: usize,
}

/// A page's validated front matter.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) weight: Option<i64>,
    pub(crate) date: Option<Date>,
    pub(crate) updated: Option<Date>,
    pub(crate) reviewed: Option<Date>,
    pub(crate) review_due: Option<Date>,
    pub(crate) owner: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) regions: Vec<String>,
    pub(crate) related: Vec<Related>,
    /// Alias URL paths, each with the offset where it is written.
    pub(crate) aliases: Vec<(String, usize)>,
    pub(crate) slug: Option<String>,
    pub(crate) draft: bool,
    pub(crate) template: Option<String>,
    /// Finding codes `pestle check` leaves out for this page.
    pub(crate) ignore_checks: Vec<String>,
    pub(crate) extra: serde_json::Value,
    /// Where each key is, for errors found later (templates, terms).
    pub(crate) keys: KeyMap,
}

impl Meta {
    /// Front matter with only a title (the home page of a site without
    /// `content/_index.md`).
    pub(crate) fn titled(title: &str) -> Meta {
        Meta {
            title: title.to_string(),
            description: None,
            weight: None,
            date: None,
            updated: None,
            reviewed: None,
            review_due: None,
            owner: None,
            tags: vec![],
            regions: vec![],
            related: vec![],
            aliases: vec![],
            slug: None,
            draft: false,
            template: None,
            ignore_checks: vec![],
            extra: serde_json::Value::Object(Default::default()),
            keys: Default::default(),
        }
    }

    /// The values written under a taxonomy's key (`tags` or `region`).
    pub(crate) fn terms(&self, taxonomy: &str) -> &[String] {
        match taxonomy {
            "tags" => &self.tags,
            "region" => &self.regions,
            _ => &[],
        }
    }

    /// The most recent of `updated`, `reviewed` and `date`: when the page
    /// last changed, as listings and feeds show it.
    pub(crate) fn last_updated(&self) -> Option<Date> {
        [self.updated, self.reviewed, self.date]
            .into_iter()
            .flatten()
            .max()
    }
}

/// Turns carriage returns that end lines on their own (old Mac files) into
/// line feeds, byte for byte, so offsets stay the same and the front matter
/// is found; CommonMark reads both as line endings anyway.
pub(crate) fn lone_cr_to_lf(text: String) -> String {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return text;
    }
    let mut out = text.into_bytes();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // Only ASCII bytes were swapped for ASCII bytes.
    String::from_utf8(out).unwrap_or_default()
}

/// Splits a file into its front-matter YAML (with its byte offset) and the
/// offset where the Markdown body starts.
fn split(text: &str) -> Result<Option<(usize, usize, usize)>, ()> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = start + first_end;
    let mut pos = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Ok(Some((yaml_start, pos, pos + line.len())));
        }
        pos += line.len();
    }
    Err(())
}

/// Reads a page's front matter. Returns the metadata (when valid) and the
/// byte offset where the Markdown body starts.
pub(crate) fn parse_file(
    text: &str,
    path: &Path,
    file_stem_date: Option<Date>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Meta>, usize) {
    let (yaml_text, yaml_start, body_start) = match split(text) {
        Ok(Some((ys, ye, body))) => (&text[ys..ye], ys, body),
        Ok(None) => {
            diags.push(
                Diagnostic::error(
                    "missing-title",
                    path,
                    Position::Offset(0),
                    "this page has no front matter, so it has no title",
                )
                .with_hint(
                    "start the file with three lines: `---`, `title: Your page title`, `---`",
                ),
            );
            return (None, 0);
        }
        Err(()) => {
            diags.push(
                Diagnostic::error(
                    "bad-front-matter",
                    path,
                    Position::Offset(0),
                    "the front matter is never closed",
                )
                .with_hint("add a line with just `---` after the last front-matter line"),
            );
            return (None, 0);
        }
    };
    let before = diags.len();
    let (raw, keys) =
        yaml::parse::<RawFrontMatter>(yaml_text, yaml_start, path, KEYS, "front-matter", diags);
    let Some(raw) = raw else {
        return (None, body_start);
    };
    let mut v = Validator {
        path,
        keys: &keys,
        yaml: yaml_text,
        yaml_start,
        diags,
    };
    let title = match raw.title.map(|t| t.trim().to_string()) {
        Some(t) if !t.is_empty() => t,
        Some(_) => {
            v.error(
                "missing-title",
                v.keys.value_pos("title"),
                "the title is empty",
                "write the page's title after `title:`",
            );
            String::new()
        }
        None => {
            v.error(
                "missing-title",
                Position::Offset(yaml_start.saturating_sub(4)),
                "this page has no title",
                "add a line `title: Your page title` to the front matter",
            );
            String::new()
        }
    };
    let date = v.date("date", raw.date).or(file_stem_date);
    let updated = v.date("updated", raw.updated);
    let reviewed = v.date("reviewed", raw.reviewed);
    let review_due = v
        .date("review_due", raw.review_due)
        .or_else(|| reviewed.map(|r| r.add_months(config.review_period_months)));
    if let (Some(r), Some(due)) = (reviewed, review_due) {
        if due < r {
            v.error(
                "bad-date",
                v.keys.value_pos("review_due"),
                &format!("review_due {due} is before reviewed {r}"),
                "the next review must come after the last one",
            );
        }
    }
    let slug = raw.slug.map(|s| s.trim().to_string());
    if let Some(s) = &slug {
        if crate::slug::bad_segment(s).is_some() || s.contains(['?', '#', ' ']) {
            v.error(
                "bad-slug",
                v.keys.value_pos("slug"),
                &format!("`{s}` cannot be a URL segment"),
                "use letters, digits and hyphens, like `ordering-tokens`",
            );
        }
    }
    let aliases = raw
        .aliases
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| {
            let at = v.offset_of("aliases", &a);
            match normalise_alias(&a) {
                Some(n) => Some((n, at)),
                None => {
                    v.error(
                        "bad-alias",
                        Position::Offset(at),
                        &format!("`{a}` is not a URL path on this site"),
                        "write an old address as a path from the site root, like /eps/old-page/",
                    );
                    None
                }
            }
        })
        .collect();
    let related = raw
        .related
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let (title, target) = match r {
                RawRelated::Target(t) => (None, t),
                RawRelated::Link { title, url } => (title, url),
            };
            let offset = v.offset_of("related", &target);
            Related {
                title,
                target,
                offset,
            }
        })
        .collect();
    let template = raw.template.map(|t| t.trim().to_string());
    let extra = match raw.extra {
        None | Some(serde_json::Value::Null) => serde_json::Value::Object(Default::default()),
        Some(e @ serde_json::Value::Object(_)) => e,
        Some(_) => {
            v.error(
                "bad-type",
                v.keys.value_pos("extra"),
                "extra must be a map of `key: value` lines",
                "indent the lines under `extra:`, like `  area: London`",
            );
            serde_json::Value::Object(Default::default())
        }
    };
    let meta = Meta {
        title,
        description: raw
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        weight: raw.weight,
        date,
        updated,
        reviewed,
        review_due,
        owner: raw.owner,
        tags: raw.tags.map(OneOrMany::into_vec).unwrap_or_default(),
        regions: raw.region.map(OneOrMany::into_vec).unwrap_or_default(),
        related,
        aliases,
        slug,
        draft: raw.draft.unwrap_or(false),
        template,
        ignore_checks: raw
            .ignore_checks
            .map(OneOrMany::into_vec)
            .unwrap_or_default(),
        extra,
        keys: keys.clone(),
    };
    let ok = diags.len() == before;
    (ok.then_some(meta), body_start)
}

/// Turns `old/page`, `/old/page` or `/old/page/` into `/old/page/`;
/// `/old.html` stays a file. `None` for anything that is not a site path.
fn normalise_alias(a: &str) -> Option<String> {
    let a = a.trim();
    if a.is_empty() || a.contains("://") || a.starts_with("//") || a.contains(['?', '#', '\\']) {
        return None;
    }
    let segs: Vec<&str> = a.split('/').filter(|s| !s.is_empty()).collect();
    if segs.is_empty() || segs.iter().any(|s| crate::slug::bad_segment(s).is_some()) {
        return None;
    }
    let joined = segs.join("/");
    if joined.ends_with(".html") || joined.ends_with(".htm") {
        Some(format!("/{joined}"))
    } else {
        Some(format!("/{joined}/"))
    }
}

struct Validator<'a> {
    path: &'a Path,
    keys: &'a KeyMap,
    yaml: &'a str,
    yaml_start: usize,
    diags: &'a mut Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(&mut self, code: &'static str, at: Position, message: &str, hint: &str) {
        self.diags
            .push(Diagnostic::error(code, self.path, at, message).with_hint(hint));
    }

    fn date(&mut self, key: &str, value: Option<String>) -> Option<Date> {
        let s = value?;
        match Date::parse(s.trim()) {
            Ok(d) => Some(d),
            Err(DateError::Format) => {
                self.error(
                    "bad-date",
                    self.keys.value_pos(key),
                    &format!("{key} `{s}` is not a date"),
                    "write dates as YYYY-MM-DD, like 2026-11-26",
                );
                None
            }
            Err(DateError::Impossible) => {
                self.error(
                    "bad-date",
                    self.keys.value_pos(key),
                    &format!("{key} `{s}` is not a real day"),
                    "check the month (01-12) and the day of the month",
                );
                None
            }
        }
    }

    /// The offset of `needle` written under `key`, or of the key itself.
    fn offset_of(&self, key: &str, needle: &str) -> usize {
        let Some(span) = self.keys.get(key) else {
            return self.yaml_start;
        };
        let from = span.value - self.yaml_start;
        self.yaml
            .get(from..)
            .and_then(|s| s.find(needle))
            .map_or(span.key, |i| span.value + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "---\ntitle: A\n---\nBody";
        assert_eq!(split(t), Ok(Some((4, 13, 17))));
        assert_eq!(split("No front matter"), Ok(None));
        assert_eq!(split("---\ntitle: A\n"), Err(()));
        assert_eq!(
            split("\u{feff}---\r\ntitle: A\r\n---\r\nx"),
            Ok(Some((8, 18, 23)))
        );
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(
            lone_cr_to_lf("---\rtitle: A\r---\r\nx".into()),
            "---\ntitle: A\n---\r\nx"
        );
        assert_eq!(lone_cr_to_lf("a\r\nb".into()), "a\r\nb");
    }

    #[test]
    fn normalises_alias_paths() {
        assert_eq!(normalise_alias("old/page").as_deref(), Some("/old/page/"));
        assert_eq!(normalise_alias("/old.html").as_deref(), Some("/old.html"));
        assert_eq!(normalise_alias("/../etc"), None);
        assert_eq!(normalise_alias("https://x.org/a"), None);
    }
}
