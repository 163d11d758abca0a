//! site.yaml: the raw settings exactly as written, validated into a
//! [`Config`] with defaults filled in. The page features' settings have
//! modules of their own: [`feedback`] (`feedback_url`) and [`banners`].

pub mod banners;
pub mod feedback;

pub use banners::Banner;
pub use feedback::FeedbackUrl;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use crate::yaml;
use serde::Deserialize;
use std::path::Path;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

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

/// The keys of site.yaml's `cms:` block and what each does, for
/// `pestle schema site` (a test keeps it in step with what is read).
pub(crate) const CMS_KEYS: &[(&str, &str)] = &[
    (
        "backend",
        "Decap CMS's backend settings, written into admin/config.yml as they are: {name: github, repo: ORG/REPO, branch: main}.",
    ),
    (
        "media_folder",
        "Where images uploaded in the editor are saved: a folder under static/ or content/. Default static/images.",
    ),
    (
        "script_url",
        "The address the editor page loads the CMS script from. Default: decap-cms.js of a pinned version, from a public CDN.",
    ),
    (
        "local_backend_url",
        "For pestle serve: the address of the local proxy (npx decap-server) that saves edits to this folder. Default Decap's own, http://localhost:8081/api/v1.",
    ),
];

/// The CMS script the editor page loads unless `cms.script_url` says
/// otherwise: the npm package's published file, at a pinned version.
pub const DEFAULT_CMS_SCRIPT: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";

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
    cms: Option<RawCms>,
    extra: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCms {
    backend: serde_yaml::Mapping,
    media_folder: Option<String>,
    script_url: Option<String>,
    local_backend_url: Option<String>,
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

/// The web editor's settings (site.yaml's `cms:`): with them, the build
/// writes `admin/index.html` and `admin/config.yml` for Decap CMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsConfig {
    /// Decap CMS's `backend:` settings, as written (`name` is present).
    pub backend: serde_yaml::Mapping,
    /// Where uploads go, from the repository root: `static/images`.
    pub media_folder: String,
    /// The site path uploads are linked at: `/images`.
    pub public_folder: String,
    /// Where the admin page loads the CMS script from.
    pub script_url: String,
    /// The local proxy's address for `pestle serve`, when not Decap's default.
    pub local_backend_url: Option<String>,
    /// Built for `pestle serve`: the admin then uses the local proxy.
    pub preview: bool,
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
        None => vec![
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
        ],
        Some(list) => taxonomies(list, path, keys.value_pos("taxonomies"), diags),
    };
    let check = {
        let c = raw.check.unwrap_or_default();
        let mut bounded = |value: Option<u64>, default: u64, max: u64, name: &str| {
            let v = value.unwrap_or(default);
            if v > max {
                diags.push(
                    Diagnostic::error(
                        "bad-config",
                        path,
                        keys.value_pos("check"),
                        format!("check.{name} is {v}; the most it can be is {max}"),
                    )
                    .with_hint(format!("write a number from 0 to {max}")),
                );
            }
            v.min(max)
        };
        CheckConfig {
            external_cache_hours: bounded(
                c.external_cache_hours,
                24,
                24 * 365,
                "external_cache_hours",
            ),
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
    };
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
        .and_then(|c| cms(c, path, keys.value_pos("cms"), diags));
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

/// Validates the `cms:` block; `None` (with errors) when it cannot work.
fn cms(raw: RawCms, path: &Path, at: Position, diags: &mut Vec<Diagnostic>) -> Option<CmsConfig> {
    let before = diags.len();
    let mut error = |message: String, hint: &str| {
        diags.push(Diagnostic::error("bad-config", path, at, message).with_hint(hint));
    };
    let named = raw
        .backend
        .get("name")
        .and_then(serde_yaml::Value::as_str)
        .is_some_and(|n| !n.trim().is_empty());
    if !named {
        error(
            "cms.backend needs a `name`: the service edits are saved to".into(),
            "write it like `backend: { name: github, repo: ORG/REPO, branch: main }`",
        );
    }
    let media_folder = raw
        .media_folder
        .unwrap_or_else(|| "static/images".into())
        .trim_end_matches('/')
        .to_string();
    let public_folder = match media_folder.split_once('/') {
        Some((top, rest)) if top == "static" || top == "content" => Some(format!("/{rest}")),
        None if media_folder == "static" || media_folder == "content" => Some("/".into()),
        _ => None,
    };
    let segments_ok = media_folder
        .split('/')
        .all(|s| crate::slug::bad_segment(s).is_none());
    let public_folder = match public_folder {
        Some(p) if segments_ok => p,
        _ => {
            error(
                format!(
                    "cms.media_folder `{media_folder}` is not a folder under static/ or content/"
                ),
                "write a folder path from the site's folder, like `media_folder: static/images`",
            );
            String::new()
        }
    };
    let script_url = raw.script_url.unwrap_or_else(|| DEFAULT_CMS_SCRIPT.into());
    let script_ok = match check_base_url(&script_url) {
        Ok(()) => !script_url.starts_with("//") && !script_url.chars().any(char::is_control),
        Err(_) => false,
    };
    if !script_ok {
        error(
            format!(
                "cms.script_url `{script_url}` is not an address a page can load a script from"
            ),
            "write a full https:// address, or a path on this site like /admin/decap-cms.js",
        );
    }
    if let Some(url) = &raw.local_backend_url {
        let absolute = url.starts_with("http://") || url.starts_with("https://");
        if !absolute || check_base_url(url).is_err() || url.chars().any(char::is_control) {
            error(
                format!("cms.local_backend_url `{url}` is not an http:// address"),
                "write the local proxy's address, like http://127.0.0.1:8081/api/v1",
            );
        }
    }
    if diags.len() > before {
        return None;
    }
    Some(CmsConfig {
        backend: raw.backend,
        media_folder,
        public_folder,
        script_url,
        local_backend_url: raw.local_backend_url,
        preview: false,
    })
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
    fn every_cms_key_is_read_and_described() {
        let read = crate::yaml::struct_fields::<RawCms>();
        let described: Vec<&str> = CMS_KEYS.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            read, described,
            "CMS_KEYS and RawCms must list the same keys, in order"
        );
    }

    #[test]
    fn cms_settings_are_checked() {
        let cms = |block: &str| {
            let mut d = Vec::new();
            let c = parse(
                &format!("title: T\ncms:\n{block}"),
                Path::new("site.yaml"),
                &mut d,
            );
            (c.and_then(|c| c.cms), d)
        };
        let (c, d) = cms("  backend: {name: github, repo: o/r}\n");
        let c = c.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(c.media_folder, "static/images");
        assert_eq!(c.public_folder, "/images");
        assert_eq!(c.script_url, DEFAULT_CMS_SCRIPT);
        let (c, _) = cms("  backend: {name: git-gateway}\n  media_folder: content/media/\n");
        assert_eq!(c.map(|c| c.public_folder).as_deref(), Some("/media"));
        for bad in [
            "  backend: {repo: o/r}\n",
            "  backend: {name: github}\n  media_folder: ../etc\n",
            "  backend: {name: github}\n  media_folder: images\n",
            "  backend: {name: github}\n  media_folder: static/.git\n",
            "  backend: {name: github}\n  script_url: javascript:alert(1)\n",
            "  backend: {name: github}\n  script_url: //cdn.example/x.js\n",
            "  backend: {name: github}\n  local_backend_url: /api\n",
            "  backend: {name: github}\n  colour: red\n",
            "  media_folder: static/images\n",
        ] {
            let (c, d) = cms(bad);
            assert!(c.is_none() && !d.is_empty(), "accepted {bad:?}");
        }
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
