//! Front matter: the YAML block between `---` lines at the top of a page.
//! Sliced from the original text so every position stays a byte offset into
//! the file, then read key by key against the table in [`fields`]: each key
//! that does not fit is its own diagnostic, in plain words with the line to
//! write instead, and the rest of the page is still read and checked.

pub(crate) mod fields;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use crate::yaml::{self, Entry, KeyMap};
use fields::{Kind, Misfit};
use serde_yaml::Value;
use std::path::Path;

/// Every key a page's front matter may have, in the order of [`fields::FIELDS`].
pub(crate) fn keys() -> Vec<&'static str> {
    fields::FIELDS.iter().map(|f| f.name).collect()
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

    /// Lets go of what only finding problems needs (where each key is, the
    /// checks to leave out, `related` as written), once a one-off build
    /// has found them.
    pub(crate) fn forget_checks(&mut self) {
        self.keys = KeyMap::default();
        self.ignore_checks = Vec::new();
        self.related = Vec::new();
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
    // Most files have no carriage return at all: `contains` finds that
    // out a word at a time.
    if !text.contains('\r') {
        return text;
    }
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

/// Where the front matter is in a file.
#[derive(Debug, PartialEq, Eq)]
enum Block {
    /// `---` on the first line, closed by `---`: the YAML's start and end,
    /// and where the body starts.
    Found(usize, usize, usize),
    /// `---` after blank lines: where that `---` line starts, then as `Found`.
    AfterBlankLines(usize, usize, usize, usize),
    /// Opened but never closed: the YAML's start, and where it seems to end
    /// (the first line that is not a setting).
    Unclosed(usize, usize),
    /// No front matter at all.
    Missing,
}

/// True for a line that can belong to front matter.
fn looks_like_yaml(line: &str) -> bool {
    let t = line.trim_end();
    if t.is_empty() || t.starts_with([' ', '\t', '#', '-']) {
        return true;
    }
    match t.split_once(':') {
        Some((key, _)) => {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        }
        None => false,
    }
}

/// Finds the front matter of `text`.
fn split(text: &str) -> Block {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut pos = start;
    let mut blank_lines = 0;
    let mut open = None;
    for line in text[start..].split_inclusive('\n') {
        if line.trim().is_empty() {
            blank_lines += 1;
            pos += line.len();
            continue;
        }
        if line.trim_end() == "---" {
            open = Some((pos, pos + line.len()));
        }
        break;
    }
    let Some((dash, yaml_start)) = open else {
        return Block::Missing;
    };
    let mut pos = yaml_start;
    let mut last_yaml_end = yaml_start;
    let mut guess = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let body = pos + line.len();
            return if blank_lines == 0 {
                Block::Found(yaml_start, pos, body)
            } else {
                Block::AfterBlankLines(dash, yaml_start, pos, body)
            };
        }
        if guess.is_none() {
            // After a blank line, a `#` line is more likely a Markdown
            // heading than a YAML comment.
            let after_blank = pos > yaml_start && text[..pos].ends_with("\n\n");
            let heading = after_blank && line.starts_with('#');
            if line.trim().is_empty() {
            } else if looks_like_yaml(line) && !heading {
                last_yaml_end = pos + line.len();
            } else {
                guess = Some(last_yaml_end);
            }
        }
        pos += line.len();
    }
    Block::Unclosed(yaml_start, guess.unwrap_or(last_yaml_end))
}

/// The file's name without `.md`, as a stand-in title.
fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "Untitled".into(), |s| s.to_string_lossy().into_owned())
}

/// Reads a page's front matter: the metadata (with stand-ins for what is
/// missing or does not fit, so the page can still be checked) and the byte
/// offset where the Markdown body starts. Every problem goes to `diags`.
pub(crate) fn parse_file(
    text: &str,
    path: &Path,
    file_stem_date: Option<Date>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Meta, usize) {
    let (yaml_start, yaml_end, body) = match split(text) {
        Block::Found(s, e, b) => (s, e, b),
        Block::AfterBlankLines(dash, s, e, b) => {
            let lines = text[..dash].matches('\n').count();
            diags.push(
                Diagnostic::error(
                    "bad-front-matter",
                    path,
                    Position::Offset(dash),
                    "the front matter must start on the very first line of the file",
                )
                .with_hint(format!(
                    "delete the {} above this `---`",
                    if lines == 1 {
                        "empty line".to_string()
                    } else {
                        format!("{lines} empty lines")
                    }
                )),
            );
            (s, e, b)
        }
        Block::Unclosed(s, end) => {
            let line = text[..end].matches('\n').count();
            diags.push(
                Diagnostic::error(
                    "bad-front-matter",
                    path,
                    Position::Offset(s.saturating_sub(4)),
                    "the front matter is never closed",
                )
                .with_hint(format!(
                    "add a line with just `---` after line {line}, where the settings end"
                )),
            );
            (s, end, end)
        }
        Block::Missing => {
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
            let mut meta = Meta::titled(&stem_of(path));
            meta.date = file_stem_date;
            return (meta, 0);
        }
    };
    let yaml_text = &text[yaml_start..yaml_end];
    let first_line = 1 + text[..yaml_start].matches('\n').count();
    let parsed = yaml::parse_entries(
        yaml_text,
        yaml_start,
        first_line,
        path,
        "front-matter",
        diags,
    );
    let mut r = Reader {
        path,
        yaml: yaml_text,
        yaml_start,
        diags,
        meta: Meta::titled(""),
        broken: parsed.broken,
    };
    r.meta.keys = parsed.keys;
    for e in &parsed.entries {
        r.entry(e);
    }
    r.finish(file_stem_date, config);
    (r.meta, body)
}

/// Reads entries into a [`Meta`], reporting what does not fit.
struct Reader<'a> {
    path: &'a Path,
    yaml: &'a str,
    yaml_start: usize,
    diags: &'a mut Vec<Diagnostic>,
    meta: Meta,
    /// Keys whose lines could not be read, already reported.
    broken: Vec<String>,
}

impl Reader<'_> {
    fn report(&mut self, e: &Entry, m: Misfit, code: &'static str) {
        self.diags.push(
            Diagnostic::error(code, self.path, Position::Offset(e.span.value), m.message)
                .with_hint(m.hint),
        );
    }

    fn warn(&mut self, e: &Entry, m: Misfit) {
        self.diags.push(
            Diagnostic::warning(
                "list-as-text",
                self.path,
                Position::Offset(e.span.value),
                m.message,
            )
            .with_hint(m.hint),
        );
    }

    /// Takes one key, if it is known and its value fits.
    fn entry(&mut self, e: &Entry) {
        let Some(field) = fields::find(&e.key) else {
            let names = keys();
            self.diags.push(yaml::unknown_key(
                &e.key,
                &names,
                "front-matter",
                self.path,
                Position::Offset(e.span.key),
            ));
            return;
        };
        let name = field.name;
        let v = &e.value;
        let m = &mut self.meta;
        let result: Result<(), Misfit> = match field.kind {
            Kind::Text => fields::text(name, v).map(|t| {
                let t = t.map(|t| t.trim().to_string());
                match name {
                    "title" => m.title = t.unwrap_or_default(),
                    "description" => m.description = t.filter(|d| !d.is_empty()),
                    "owner" => m.owner = t,
                    "slug" => m.slug = t,
                    "template" => m.template = t,
                    _ => {}
                }
            }),
            Kind::Integer => fields::integer(name, v).map(|n| m.weight = n),
            Kind::Bool => fields::boolean(name, v).map(|b| m.draft = b.unwrap_or(false)),
            Kind::Date => fields::date(name, v).map(|d| match name {
                "date" => m.date = d,
                "updated" => m.updated = d,
                "reviewed" => m.reviewed = d,
                _ => m.review_due = d,
            }),
            Kind::List | Kind::Terms => match fields::list(name, v) {
                Ok((items, warning)) => {
                    match name {
                        "tags" => m.tags = items,
                        "region" => m.regions = items,
                        "ignore_checks" => m.ignore_checks = items,
                        _ => self.aliases(e, items),
                    }
                    if let Some(w) = warning {
                        self.warn(e, w);
                    }
                    Ok(())
                }
                Err(misfit) => Err(misfit),
            },
            Kind::Related => self.related(e),
            Kind::Map => self.extra(v),
        };
        if let Err(misfit) = result {
            let code = if field.kind == Kind::Date {
                "bad-date"
            } else {
                "bad-type"
            };
            self.report(e, misfit, code);
        }
    }

    /// The offset of `needle` written under the entry, or of its value.
    fn offset_of(&self, e: &Entry, needle: &str) -> usize {
        let from = e.span.value.saturating_sub(self.yaml_start);
        self.yaml
            .get(from..)
            .and_then(|s| s.find(needle))
            .map_or(e.span.value, |i| e.span.value + i)
    }

    fn aliases(&mut self, e: &Entry, items: Vec<String>) {
        let mut out = Vec::new();
        for a in items {
            let at = self.offset_of(e, &a);
            match normalise_alias(&a) {
                Some(n) => out.push((n, at)),
                None => self.diags.push(
                    Diagnostic::error(
                        "bad-alias",
                        self.path,
                        Position::Offset(at),
                        format!("`{a}` is not an address on this site"),
                    )
                    .with_hint(
                        "write an old address as a path from the site root, like /eps/old-page/",
                    ),
                ),
            }
        }
        self.meta.aliases = out;
    }

    fn related(&mut self, e: &Entry) -> Result<(), Misfit> {
        let items: Vec<Value> = match &e.value {
            Value::Null => vec![],
            Value::Sequence(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut out = Vec::new();
        for item in &items {
            let (title, target) = match item {
                Value::Mapping(map) => {
                    let get = |k: &str| map.get(k).and_then(fields::scalar_text);
                    match get("url") {
                        Some(url) => (get("title"), url),
                        None => {
                            return Err(Misfit {
                                message: "a related link written with a title needs its url".into(),
                                hint: "write it as `- title: NHS England` and, under it, `  url: https://www.england.nhs.uk/`".into(),
                            });
                        }
                    }
                }
                other => match fields::scalar_text(other) {
                    Some(t) => (None, t),
                    None => continue,
                },
            };
            let offset = self.offset_of(e, &target);
            out.push(Related {
                title,
                target,
                offset,
            });
        }
        self.meta.related = out;
        Ok(())
    }

    fn extra(&mut self, v: &Value) -> Result<(), Misfit> {
        match v {
            Value::Null => Ok(()),
            Value::Mapping(_) => {
                self.meta.extra = serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
                Ok(())
            }
            _ => Err(Misfit {
                message: "extra must be `key: value` lines under `extra:`".into(),
                hint: "indent the lines under `extra:` by two spaces, like `  area: London`".into(),
            }),
        }
    }

    /// Checks what spans keys (a title at all, review order, the slug) and
    /// fills the defaults.
    fn finish(&mut self, file_stem_date: Option<Date>, config: &Config) {
        let keys = self.meta.keys.clone();
        let path = self.path;
        let mut error = |code, at, message: String, hint: &str| {
            self.diags
                .push(Diagnostic::error(code, path, at, message).with_hint(hint));
        };
        let title_unreadable = self.broken.iter().any(|k| k == "title");
        if self.meta.title.is_empty() && !title_unreadable {
            if keys.get("title").is_some() {
                error(
                    "missing-title",
                    keys.value_pos("title"),
                    "the title is empty".into(),
                    "write the page's title after `title:`",
                );
            } else {
                error(
                    "missing-title",
                    Position::Offset(self.yaml_start.saturating_sub(4)),
                    "this page has no title".into(),
                    "add a line `title: Your page title` to the front matter",
                );
            }
        }
        if self.meta.title.is_empty() {
            self.meta.title = stem_of(path);
        }
        if let Some(s) = &self.meta.slug {
            if crate::slug::bad_segment(s).is_some() || s.contains(['?', '#', ' ']) {
                error(
                    "bad-slug",
                    keys.value_pos("slug"),
                    format!("`{}` cannot be part of an address", s.escape_debug()),
                    "use letters, digits and hyphens, like `ordering-tokens`",
                );
                self.meta.slug = None;
            }
        }
        let m = &mut self.meta;
        m.date = m.date.or(file_stem_date);
        if m.review_due.is_none() {
            m.review_due = m
                .reviewed
                .map(|r| r.add_months(config.review_period_months));
        }
        if let (Some(r), Some(due)) = (m.reviewed, m.review_due) {
            if due < r {
                self.diags.push(
                    Diagnostic::error(
                        "bad-date",
                        path,
                        keys.value_pos("review_due"),
                        format!("review_due {due} is before reviewed {r}"),
                    )
                    .with_hint("the next review must come after the last one"),
                );
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "---\ntitle: A\n---\nBody";
        assert_eq!(split(t), Block::Found(4, 13, 17));
        assert_eq!(split("No front matter"), Block::Missing);
        assert_eq!(split("---\ntitle: A\n"), Block::Unclosed(4, 13));
        assert_eq!(split("---\ntitle: A\n\n## Body\n"), Block::Unclosed(4, 13));
        assert_eq!(
            split("\n\n---\ntitle: A\n---\nx"),
            Block::AfterBlankLines(2, 6, 15, 19)
        );
        assert_eq!(
            split("\u{feff}---\r\ntitle: A\r\n---\r\nx"),
            Block::Found(8, 18, 23)
        );
    }

    #[test]
    fn every_key_in_the_table_is_read_into_the_page() {
        let text = "---\ntitle: T\ndescription: D\nweight: 3\ndate: 2026-01-02\nupdated: 2026-01-03\nreviewed: 2026-01-04\nreview_due: 2026-02-04\nowner: O\ntags: [a]\nregion: london\nrelated: [x.md]\naliases: [/old/]\nslug: s\ndraft: true\ntemplate: page.html\nignore_checks: [orphan-page]\nextra: {k: v}\n---\n";
        let mut d = Vec::new();
        let config = crate::config::parse("title: S", Path::new("site.yaml"), &mut d)
            .unwrap_or_else(|| panic!("{d:?}"));
        let (m, _) = parse_file(text, Path::new("content/a.md"), None, &config, &mut d);
        assert!(d.is_empty(), "{d:?}");
        let fields: Vec<&str> = keys();
        let read = [
            m.title == "T",
            m.description.as_deref() == Some("D"),
            m.weight == Some(3),
            m.date.is_some(),
            m.updated.is_some(),
            m.reviewed.is_some(),
            m.review_due.map(|d| d.to_string()).as_deref() == Some("2026-02-04"),
            m.owner.as_deref() == Some("O"),
            m.tags == ["a"],
            m.regions == ["london"],
            m.related.len() == 1,
            m.aliases.len() == 1,
            m.slug.as_deref() == Some("s"),
            m.draft,
            m.template.as_deref() == Some("page.html"),
            m.ignore_checks == ["orphan-page"],
            m.extra.get("k").is_some(),
        ];
        assert_eq!(
            fields.len(),
            read.len(),
            "a key was added to the table: read it here too"
        );
        for (name, ok) in fields.iter().zip(read) {
            assert!(ok, "`{name}` is in the table but not read into the page");
        }
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
