//! site.yaml's `cms:` block: the web editor's settings, checked into a
//! [`CmsConfig`]. With it, the build writes `admin/index.html` and
//! `admin/config.yml` for Decap CMS ([`crate::cms`]).

use crate::diagnostics::{Diagnostic, Position};
use serde::Deserialize;
use std::path::Path;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCms {
    backend: serde_yaml::Mapping,
    media_folder: Option<String>,
    script_url: Option<String>,
    local_backend_url: Option<String>,
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

/// Validates the `cms:` block; `None` (with errors) when it cannot work.
pub(super) fn check(
    raw: RawCms,
    path: &Path,
    at: Position,
    diags: &mut Vec<Diagnostic>,
) -> Option<CmsConfig> {
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
    let script_ok = match super::check_base_url(&script_url) {
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
        if !absolute || super::check_base_url(url).is_err() || url.chars().any(char::is_control) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

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
}
