//! site.yaml: the raw settings exactly as written, validated into a
//! [`Config`] with defaults filled in. The blocks with rules of their own
//! have modules: [`feedback`] (`feedback_url`), [`banners`] and [`cms`].

pub mod banners;
pub mod cms;
pub mod feedback;

pub use banners::Banner;
pub(crate) use cms::CMS_KEYS;
pub use cms::{CmsConfig, DEFAULT_CMS_SCRIPT};
pub use feedback::FeedbackUrl;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use crate::yaml;
use serde::Deserialize;
use std::path::Path;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Environment variable `name` as a setting: `None` when it is unset or
/// blank. A value that is not valid Unicode comes back with `\u{FFFD}` in
/// place of the bytes that are not, so the caller refuses it with its own
/// message instead of acting as if it were unset.
pub(crate) fn env_setting(name: &str) -> Option<String> {
    std::env::var_os(name)
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.trim().is_empty())
}

/// What a site.yaml setting holds, for `pestle schema site`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettingKind {
    /// One line of text.
    Text,
    /// An absolute http(s) address, or a path.
    Url,
    /// A whole number, 0 or more.
    Count,
    /// `true` or `false`.
    Bool,
    /// The list of taxonomies.
    Taxonomies,
    /// `pestle check`'s settings.
    Check,
    /// A feedback address template ([`FeedbackUrl`]).
    FeedbackUrl,
    /// The list of banners.
    Banners,
    /// The web editor's settings ([`CMS_KEYS`]).
    Cms,
    /// Anything, as `key: value` lines.
    Map,
}

/// One site.yaml setting: the table the validator's list of keys and
/// `pestle schema site` both come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setting {
    pub(crate) name: &'static str,
    pub(crate) kind: SettingKind,
    pub(crate) description: &'static str,
}

const fn setting(name: &'static str, kind: SettingKind, description: &'static str) -> Setting {
    Setting {
        name,
        kind,
        description,
    }
}

/// Every setting site.yaml may have.
pub(crate) const SETTINGS: &[Setting] = &[
    setting(
        "title",
        SettingKind::Text,
        "The site's name, shown in the header and page titles. Required.",
    ),
    setting(
        "description",
        SettingKind::Text,
        "One sentence about the site, for the home page and search engines.",
    ),
    setting(
        "base_url",
        SettingKind::Url,
        "The address the site is published at, like https://guidance.example.org/.",
    ),
    setting(
        "language",
        SettingKind::Text,
        "The language of the pages, like en-GB.",
    ),
    setting(
        "theme",
        SettingKind::Text,
        "The theme: a folder under themes/, or default.",
    ),
    setting(
        "review_period_months",
        SettingKind::Count,
        "How many months after `reviewed` a page's next review is due.",
    ),
    setting(
        "edit_url",
        SettingKind::Url,
        "Where \"Suggest a change\" links go: the address each page's source path is added to.",
    ),
    setting(
        "file_urls",
        SettingKind::Bool,
        "true makes links end in index.html, so the site works opened from disk.",
    ),
    setting(
        "taxonomies",
        SettingKind::Taxonomies,
        "Ways of grouping pages: tags and region, their titles and terms.",
    ),
    setting(
        "news_section",
        SettingKind::Text,
        "The section whose pages are the site's news.",
    ),
    setting(
        "latest_news",
        SettingKind::Count,
        "How many news items the home page and others show.",
    ),
    setting(
        "news_per_page",
        SettingKind::Count,
        "How many news items each page of the news listing shows.",
    ),
    setting(
        "feedback_url",
        SettingKind::FeedbackUrl,
        "Where \"Is this page useful?\" and \"Report a problem\" links go: an https:// address with {url} (the page's address), and optionally {title} and {answer} (yes, no or problem), each URL-encoded.",
    ),
    setting(
        "banners",
        SettingKind::Banners,
        "Notices shown on every page between two dates (both included): a list of {text, from, until}; the text is Markdown, dates are YYYY-MM-DD.",
    ),
    setting(
        "check",
        SettingKind::Check,
        "Settings for `pestle check`: codes to ignore and the external link checker.",
    ),
    setting(
        "cms",
        SettingKind::Cms,
        "The web editor (Decap CMS): where edits are stored, and where uploaded images go. With it, the build writes admin/.",
    ),
    setting(
        "extra",
        SettingKind::Map,
        "Anything else, for the theme's templates as site.extra.",
    ),
];

/// The keys site.yaml may have, in [`SETTINGS`] order.
fn keys() -> Vec<&'static str> {
    SETTINGS.iter().map(|s| s.name).collect()
}

/// Front-matter keys that can feed a taxonomy.
pub const TAXONOMY_KEYS: &[&str] = &["tags", "region"];

#[derive(Deserialize)]
struct RawConfig {
    title: String,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    review_period_months: Option<u32>,
    edit_url: Option<String>,
    file_urls: Option<bool>,
    taxonomies: Option<Vec<RawTaxonomy>>,
    news_section: Option<String>,
    latest_news: Option<usize>,
    news_per_page: Option<usize>,
    feedback_url: Option<String>,
    banners: Option<Vec<banners::RawBanner>>,
    check: Option<RawCheck>,
    cms: Option<cms::RawCms>,
    extra: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    closed: bool,
    #[serde(default)]
    feeds: bool,
    #[serde(default)]
    terms: Vec<RawTerm>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    ignore: Vec<String>,
    external_cache_hours: Option<u64>,
    external_timeout_seconds: Option<u64>,
    external_retries: Option<u32>,
}

/// Settings for `pestle check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckConfig {
    /// Finding codes silenced for the whole site.
    pub ignore: Vec<String>,
    /// How long a checked external link's result is trusted.
    pub external_cache_hours: u64,
    /// How long to wait for an external site.
    pub external_timeout_seconds: u64,
    /// How many times to try again after a network failure.
    pub external_retries: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    slug: String,
    title: String,
}

/// A taxonomy: a way of grouping pages by the terms in one front-matter key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyConfig {
    /// The front-matter key and URL segment: `tags` or `region`.
    pub name: String,
    /// The heading of its index page.
    pub title: String,
    /// An introduction for its index page.
    pub description: String,
    /// When true, only the listed terms may be used.
    pub closed: bool,
    /// When true, each term has an Atom feed of its pages.
    pub feeds: bool,
    /// The listed terms: (slug, title), in the order written.
    pub terms: Vec<(String, String)>,
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The site's name.
    pub title: String,
    /// A one-sentence summary of the site.
    pub description: String,
    /// The absolute URL the site is published at, ending in `/`.
    pub base_url: String,
    /// The language tag for `<html lang>`.
    pub language: String,
    /// The theme folder name under `themes/`.
    pub theme: String,
    /// Months from `reviewed` to the default `review_due`.
    pub review_period_months: u32,
    /// Prefix for "Suggest a change" links, joined with the page's source path.
    pub edit_url: Option<String>,
    /// When true, internal links end in `index.html` so the output works from disk.
    pub file_urls: bool,
    /// The taxonomies, in the order written.
    pub taxonomies: Vec<TaxonomyConfig>,
    /// The section whose pages are the site's news.
    pub news_section: String,
    /// How many news items `latest_news` holds.
    pub latest_news: usize,
    /// How many news items each page of the news listing shows.
    pub news_per_page: usize,
    /// Where feedback links go, when the site collects feedback.
    pub feedback_url: Option<FeedbackUrl>,
    /// Notices shown between two dates, in the order written.
    pub banners: Vec<Banner>,
    /// Settings for `pestle check`.
    pub check: CheckConfig,
    /// The web editor, when site.yaml has a `cms:` block.
    pub cms: Option<CmsConfig>,
    /// Anything else, passed to templates as `site.extra`.
    pub extra: serde_json::Value,
    /// The date the build is for (banners, review dates): not a site.yaml
    /// setting, but set by the pipeline from `--date`, `PESTLE_TODAY`,
    /// `SOURCE_DATE_EPOCH` or the clock ([`Date::for_build`]); 1970-01-01
    /// until then.
    pub build_date: Date,
}

impl Config {
    /// The path part of `base_url`, e.g. `/` or `/guidance/`.
    pub fn base_path(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |i| &rest[i..])
    }

    /// The absolute URL of a site path such as `/eps/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Marks a build for `pestle serve`: the CMS admin then saves through
    /// the local proxy.
    pub(crate) fn set_preview(&mut self, preview: bool) {
        if let Some(cms) = &mut self.cms {
            cms.preview = preview;
        }
    }
}

/// Parses and validates site.yaml's text.
pub fn parse(text: &str, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Config> {
    let (raw, keys) = yaml::parse::<RawConfig>(text, 0, path, &keys(), "site.yaml", diags);
    let raw = raw?;
    let before = diags.len();
    let mut base_url = raw.base_url.unwrap_or_else(|| "/".into());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    if let Err(msg) = check_base_url(&base_url) {
        diags.push(
            Diagnostic::error("bad-config", path, keys.value_pos("base_url"), msg)
                .with_hint("write the full address, like https://example.org/guidance/"),
        );
    }
    if raw.title.trim().is_empty() {
        diags.push(
            Diagnostic::error(
                "bad-config",
                path,
                keys.value_pos("title"),
                "the site title is empty",
            )
            .with_hint("give the site a name, like `title: Community pharmacy IT guidance`"),
        );
    }
    let theme = raw.theme.unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        diags.push(
            Diagnostic::error(
                "bad-config",
                path,
                keys.value_pos("theme"),
                format!("`{theme}` is not a theme folder name"),
            )
            .with_hint("name a folder under themes/, like `theme: default`"),
        );
    }
    let taxonomies = match raw.taxonomies {
        None => default_taxonomies(),
        Some(list) => taxonomies(list, path, keys.value_pos("taxonomies"), diags),
    };
    let check = check_settings(
        raw.check.unwrap_or_default(),
        path,
        keys.value_pos("check"),
        diags,
    );
    let feedback_url = raw
        .feedback_url
        .as_deref()
        .and_then(|v| feedback_url(v, text, keys.get("feedback_url"), path, diags));
    let banners = banners::check(
        raw.banners.unwrap_or_default(),
        text,
        keys.get("banners").map(|s| s.key),
        keys.value_pos("banners"),
        path,
        diags,
    );
    let cms = raw
        .cms
        .and_then(|c| cms::check(c, path, keys.value_pos("cms"), diags));
    if diags.len() > before {
        return None;
    }
    Some(Config {
        title: raw.title,
        description: raw.description.unwrap_or_default(),
        base_url,
        language: raw.language.unwrap_or_else(|| "en".into()),
        theme,
        review_period_months: raw.review_period_months.unwrap_or(12),
        edit_url: raw.edit_url,
        file_urls: raw.file_urls.unwrap_or(false),
        taxonomies,
        news_section: raw.news_section.unwrap_or_else(|| "news".into()),
        latest_news: raw.latest_news.unwrap_or(3),
        news_per_page: raw.news_per_page.unwrap_or(10).max(1),
        feedback_url,
        banners,
        check,
        cms,
        extra: raw
            .extra
            .unwrap_or(serde_json::Value::Object(Default::default())),
        build_date: Date::from_unix_days(0),
    })
}

/// The taxonomies of a site.yaml without `taxonomies`: tags and region,
/// both open.
fn default_taxonomies() -> Vec<TaxonomyConfig> {
    vec![
        TaxonomyConfig {
            name: "tags".into(),
            title: "Topics".into(),
            description: String::new(),
            closed: false,
            feeds: false,
            terms: vec![],
        },
        TaxonomyConfig {
            name: "region".into(),
            title: "Regions".into(),
            description: String::new(),
            closed: false,
            feeds: false,
            terms: vec![],
        },
    ]
}

/// The `check:` settings, each within its bounds.
fn check_settings(
    c: RawCheck,
    path: &Path,
    at: Position,
    diags: &mut Vec<Diagnostic>,
) -> CheckConfig {
    let mut bounded = |value: Option<u64>, default: u64, max: u64, name: &str| {
        let v = value.unwrap_or(default);
        if v > max {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    path,
                    at,
                    format!("check.{name} is {v}; the most it can be is {max}"),
                )
                .with_hint(format!("write a number from 0 to {max}")),
            );
        }
        v.min(max)
    };
    CheckConfig {
        external_cache_hours: bounded(c.external_cache_hours, 24, 24 * 365, "external_cache_hours"),
        external_timeout_seconds: bounded(
            c.external_timeout_seconds,
            10,
            60,
            "external_timeout_seconds",
        )
        .max(1),
        external_retries: bounded(c.external_retries.map(u64::from), 1, 5, "external_retries")
            as u32,
        ignore: c.ignore,
    }
}

/// Checks `feedback_url`'s value (`value`, written at `span` of `text`).
fn feedback_url(
    value: &str,
    text: &str,
    span: Option<yaml::KeySpan>,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<FeedbackUrl> {
    let trimmed = value.trim();
    match FeedbackUrl::parse(trimmed) {
        Ok(f) => Some(f),
        Err(r) => {
            // Point into the value as written, when it is on the key's line
            // as written (unquoted, or in quotes).
            let at = span.map_or(Position::File, |s| {
                let written = text.get(s.value..).unwrap_or("");
                let lead = written.find(trimmed).filter(|&i| i <= 1);
                Position::Offset(s.value + lead.map_or(0, |l| l + r.at))
            });
            diags.push(Diagnostic::error("bad-config", path, at, r.message).with_hint(r.hint));
            None
        }
    }
}

/// Checks a base URL: absolute http(s) with a host, or a bare path.
pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    let ok = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace)
    } else {
        url.starts_with('/') && !url.contains(char::is_whitespace)
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{url}` is not a base URL: it must start with https:// (or http://) and name a host"
        ))
    }
}

fn taxonomies(
    list: Vec<RawTaxonomy>,
    path: &Path,
    at: Position,
    diags: &mut Vec<Diagnostic>,
) -> Vec<TaxonomyConfig> {
    let mut out: Vec<TaxonomyConfig> = Vec::new();
    for t in list {
        if !TAXONOMY_KEYS.contains(&t.name.as_str()) {
            let hint =
                match crate::diagnostics::did_you_mean(&t.name, TAXONOMY_KEYS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("taxonomies can be: {}", TAXONOMY_KEYS.join(", ")),
                };
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    path,
                    at,
                    format!("`{}` cannot be a taxonomy: pages have no such key", t.name),
                )
                .with_hint(hint),
            );
            continue;
        }
        if out.iter().any(|o| o.name == t.name) {
            diags.push(Diagnostic::error(
                "bad-config",
                path,
                at,
                format!("taxonomy `{}` is listed twice", t.name),
            ));
            continue;
        }
        let mut terms: Vec<(String, String)> = Vec::new();
        for term in t.terms {
            let slug = term.slug.trim().to_string();
            if slug.is_empty()
                || crate::slug::slugify(&slug) != slug
                || crate::slug::bad_segment(&slug).is_some()
            {
                diags.push(
                    Diagnostic::error(
                        "bad-config",
                        path,
                        at,
                        format!("term slug `{slug}` in `{}` is not a URL slug", t.name),
                    )
                    .with_hint(
                        "use lower-case letters, digits and hyphens, like `midlands-and-east`",
                    ),
                );
            } else if terms.iter().any(|(s, _)| *s == slug) {
                diags.push(Diagnostic::error(
                    "bad-config",
                    path,
                    at,
                    format!("term `{slug}` is listed twice in `{}`", t.name),
                ));
            } else {
                terms.push((slug, term.title));
            }
        }
        if t.closed && terms.is_empty() {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    path,
                    at,
                    format!("taxonomy `{}` is closed but lists no terms", t.name),
                )
                .with_hint("list its terms under `terms:`, or remove `closed: true`"),
            );
        }
        let title = t.title.unwrap_or_else(|| t.name.clone());
        out.push(TaxonomyConfig {
            name: t.name,
            title,
            description: t.description.unwrap_or_default(),
            closed: t.closed,
            feeds: t.feeds,
            terms,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_read_and_every_field_read_is_a_setting() {
        let read = crate::yaml::struct_fields::<RawConfig>();
        assert_eq!(
            read,
            keys(),
            "SETTINGS and RawConfig must list the same keys, in order"
        );
    }

    #[test]
    fn base_path_is_the_path_part_of_base_url() {
        let mut d = Vec::new();
        let c = parse(
            "title: T\nbase_url: https://example.org/guide",
            Path::new("site.yaml"),
            &mut d,
        );
        let c = c.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(c.base_url, "https://example.org/guide/");
        assert_eq!(c.base_path(), "/guide/");
        assert_eq!(c.permalink("/eps/"), "https://example.org/guide/eps/");
    }
}
