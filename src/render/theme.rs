//! Themes: `themes/NAME/templates/*.html` (Tera) and `themes/NAME/static/`.
//! A theme may say `extends: other` in `theme.yaml` and override only some
//! templates. The default theme is also built into the binary, so a site made
//! by `pestle new` builds without a themes folder.

use crate::diagnostics::{Diagnostic, Fatal, Position, Sources};
use crate::fs::SiteRoot;
use serde::Deserialize;
use std::path::PathBuf;

/// Where a file of a theme comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A file on disk.
    Disk(PathBuf),
    /// A file built into the binary.
    Embedded(&'static [u8]),
}

/// A template: its name (`page.html`, `partials/nav.html`), the file it came
/// from (for messages) and its text.
#[derive(Debug, Clone)]
pub(crate) struct TemplateFile {
    pub(crate) name: String,
    pub(crate) file: PathBuf,
    pub(crate) text: String,
}

/// A theme with everything it inherits, later themes overriding earlier.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    /// Templates by name, each from the last theme in the chain that has it.
    pub(crate) templates: Vec<TemplateFile>,
    /// Static files: (path under the output folder, source), base theme first.
    pub(crate) statics: Vec<(String, Source)>,
    /// The site's own `static/` files, which override the theme's.
    pub(crate) site_statics: Vec<(String, Source)>,
    /// The site folder's real path, to name theme files in messages.
    pub(crate) root: PathBuf,
    /// Theme folders (or `<built-in default>`), base first, for messages and watching.
    pub(crate) chain: Vec<PathBuf>,
    /// True when a theme in the chain could not be loaded, so templates it
    /// would have given are missing for that reason alone.
    pub(crate) broken: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeYaml {
    extends: Option<String>,
}

/// The default theme's files, built in: (path under themes/default, bytes).
pub(crate) const EMBEDDED_DEFAULT: &[(&str, &[u8])] = &[
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/section.html",
        include_bytes!("../../themes/default/templates/section.html"),
    ),
    (
        "templates/home.html",
        include_bytes!("../../themes/default/templates/home.html"),
    ),
    (
        "templates/taxonomy.html",
        include_bytes!("../../themes/default/templates/taxonomy.html"),
    ),
    (
        "templates/term.html",
        include_bytes!("../../themes/default/templates/term.html"),
    ),
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/glossary.html",
        include_bytes!("../../themes/default/templates/glossary.html"),
    ),
    (
        "templates/search.html",
        include_bytes!("../../themes/default/templates/search.html"),
    ),
    (
        "templates/print.html",
        include_bytes!("../../themes/default/templates/print.html"),
    ),
    (
        "templates/macros.html",
        include_bytes!("../../themes/default/templates/macros.html"),
    ),
    (
        "templates/partials/footprint-content.html",
        include_bytes!("../../themes/default/templates/partials/footprint-content.html"),
    ),
    (
        "templates/partials/ldr-table.html",
        include_bytes!("../../themes/default/templates/partials/ldr-table.html"),
    ),
    (
        "templates/partials/page-end.html",
        include_bytes!("../../themes/default/templates/partials/page-end.html"),
    ),
    (
        "templates/partials/pagination.html",
        include_bytes!("../../themes/default/templates/partials/pagination.html"),
    ),
    (
        "static/css/site.css",
        include_bytes!("../../themes/default/static/css/site.css"),
    ),
    (
        "static/search/search.js",
        include_bytes!("../../themes/default/static/search/search.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// Why `name` cannot be a theme folder's name, if it cannot.
pub(crate) fn bad_theme_name(name: &str) -> Option<String> {
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        Some(format!("`{name}` is not a theme folder name"))
    } else {
        None
    }
}

/// The themes `name` extends, itself first: (name, folder under the site,
/// or `None` for the built-in default), and whether the chain broke off.
fn resolve_chain(
    root: &SiteRoot,
    name: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<(String, Option<PathBuf>)>, bool) {
    let mut chain: Vec<(String, Option<PathBuf>)> = Vec::new();
    let mut next = Some((name.to_string(), PathBuf::from(crate::config::CONFIG_FILE)));
    while let Some((n, named_in)) = next.take() {
        if chain.iter().any(|(c, _)| *c == n) {
            diags.push(Diagnostic::error(
                "theme-loop",
                PathBuf::from("themes").join(&n).join("theme.yaml"),
                Position::File,
                format!("theme `{n}` extends itself through its parents"),
            ));
            return (chain, false);
        }
        if let Some(why) = bad_theme_name(&n) {
            diags.push(
                Diagnostic::error("bad-config", &named_in, Position::File, why)
                    .with_hint("name a folder under themes/, like `default`"),
            );
            // Load what was named so far, so its own problems are found too.
            return (chain, true);
        }
        let rel_dir = PathBuf::from("themes").join(&n);
        if let Err(r) = root.resolve(&rel_dir) {
            diags.push(r.diagnostic(&rel_dir));
            return (chain, true);
        }
        if root.is_dir(&rel_dir) {
            let yaml_rel = rel_dir.join("theme.yaml");
            if let Some(text) = root.read_text(&yaml_rel, diags) {
                if let Some(t) =
                    crate::yaml::parse_any::<Option<ThemeYaml>>(&text, &yaml_rel, diags)
                {
                    next = t.and_then(|t| t.extends).map(|e| (e, yaml_rel.clone()));
                }
                sources.add(&yaml_rel, text.into());
            }
            chain.push((n, Some(rel_dir)));
        } else if n == "default" {
            chain.push((n, None));
        } else {
            diags.push(
                Diagnostic::error(
                    "missing-theme",
                    &named_in,
                    Position::File,
                    format!("there is no theme folder themes/{n}"),
                )
                .with_hint("create it, or use the built-in theme with `theme: default`"),
            );
            return (chain, true);
        }
    }
    (chain, false)
}

/// Loads theme `name` for the site at `root`, following `extends`.
pub(crate) fn load(
    root: &SiteRoot,
    name: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Result<Theme, Fatal> {
    let (mut chain, broken) = resolve_chain(root, name, sources, diags);
    chain.reverse();
    let mut theme = Theme {
        broken,
        root: root.real().to_path_buf(),
        ..Theme::default()
    };
    for f in root.walk(
        std::path::Path::new("static"),
        crate::content::is_ignored_name,
        diags,
    ) {
        theme.site_statics.push((f.rel, Source::Disk(f.real)));
    }
    for (_, dir) in chain {
        match dir {
            None => {
                theme.chain.push(PathBuf::from("<built-in default theme>"));
                for (path, bytes) in EMBEDDED_DEFAULT {
                    if let Some(name) = path.strip_prefix("templates/") {
                        let text = String::from_utf8_lossy(bytes).into_owned();
                        let file = PathBuf::from("themes/default").join(path);
                        add_template(&mut theme, name.to_string(), file, text);
                    } else if let Some(rel) = path.strip_prefix("static/") {
                        theme
                            .statics
                            .push((rel.to_string(), Source::Embedded(bytes)));
                    }
                }
            }
            Some(rel_dir) => {
                theme.chain.push(root.real().join(&rel_dir));
                let templates = rel_dir.join("templates");
                for f in root.walk(&templates, crate::content::is_ignored_name, diags) {
                    if !f.rel.ends_with(".html")
                        && !f.rel.ends_with(".xml")
                        && !f.rel.ends_with(".txt")
                    {
                        continue;
                    }
                    let file = templates.join(&f.rel);
                    let bytes = match crate::fs::read_regular(&f.real) {
                        Ok(b) => b,
                        Err(r) => {
                            diags.push(r.diagnostic(&file));
                            continue;
                        }
                    };
                    if let Some(text) = crate::fs::text_or_diagnostic(bytes, &file, diags) {
                        sources.add(&file, text.as_str().into());
                        add_template(&mut theme, f.rel.clone(), file, text);
                    }
                }
                let statics = rel_dir.join("static");
                for f in root.walk(&statics, crate::content::is_ignored_name, diags) {
                    theme.statics.push((f.rel, Source::Disk(f.real)));
                }
            }
        }
    }
    Ok(theme)
}

impl Theme {
    /// The site path of every static file (`/css/site.css`), for links.
    pub(crate) fn static_paths(&self) -> Vec<String> {
        self.statics
            .iter()
            .chain(&self.site_statics)
            .map(|(rel, _)| format!("/{rel}"))
            .collect()
    }
}

impl Theme {
    /// The static files on disk that are images pestle reads the size of:
    /// (site path, path relative to the site root `root`), the site's own
    /// overriding the theme's.
    pub(crate) fn static_images(&self, root: &std::path::Path) -> Vec<(String, PathBuf)> {
        let mut by_path: std::collections::BTreeMap<String, PathBuf> = Default::default();
        for (rel, src) in self.statics.iter().chain(&self.site_statics) {
            match src {
                Source::Disk(p) if crate::image::is_sized_image(rel) => {
                    if let Ok(under) = p.strip_prefix(root) {
                        by_path.insert(format!("/{rel}"), under.to_path_buf());
                    }
                }
                _ => {
                    by_path.remove(&format!("/{rel}"));
                }
            }
        }
        by_path.into_iter().collect()
    }
}

fn add_template(theme: &mut Theme, name: String, file: PathBuf, text: String) {
    theme.templates.retain(|t| t.name != name);
    theme.templates.push(TemplateFile { name, file, text });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_default_theme_lists_every_theme_file() {
        let root = SiteRoot::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut diags = Vec::new();
        let mut on_disk: Vec<String> = root
            .walk(
                std::path::Path::new("themes/default"),
                crate::content::is_ignored_name,
                &mut diags,
            )
            .into_iter()
            .map(|f| f.rel)
            .filter(|rel| rel != "theme.yaml")
            .collect();
        assert!(diags.is_empty(), "{diags:?}");
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED_DEFAULT
            .iter()
            .map(|(p, _)| p.to_string())
            .collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "update EMBEDDED_DEFAULT in src/render/theme.rs"
        );
    }
}
