//! Themes: `themes/NAME/templates/*.html` (Tera) and `themes/NAME/static/`.
//! A theme may say `extends: other` in `theme.yaml` and override only some
//! templates. The default theme is also built into the binary, so a site made
//! by `pestle new` builds without a themes folder.

use crate::diagnostics::{Diagnostic, Fatal, Position};
use crate::fs;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Where a file of a theme comes from.
#[derive(Debug, Clone)]
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
    /// Theme folders (or `<built-in default>`), base first, for messages and watching.
    pub(crate) chain: Vec<PathBuf>,
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
        "templates/macros.html",
        include_bytes!("../../themes/default/templates/macros.html"),
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

/// Loads theme `name` for the site at `root`, following `extends`.
pub(crate) fn load(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Result<Theme, Fatal> {
    let mut chain: Vec<(String, Option<PathBuf>)> = Vec::new();
    let mut next = Some(name.to_string());
    while let Some(n) = next.take() {
        if chain.iter().any(|(c, _)| *c == n) {
            diags.push(Diagnostic::error(
                "theme-loop",
                PathBuf::from("themes").join(&n).join("theme.yaml"),
                Position::File,
                format!("theme `{n}` extends itself through its parents"),
            ));
            break;
        }
        let dir = root.join("themes").join(&n);
        if dir.is_dir() {
            let yaml_path = dir.join("theme.yaml");
            if yaml_path.is_file() {
                let text = fs::read_to_string(&yaml_path)?;
                let rel = PathBuf::from("themes").join(&n).join("theme.yaml");
                if let Some(t) = crate::yaml::parse_any::<Option<ThemeYaml>>(&text, &rel, diags) {
                    next = t.and_then(|t| t.extends);
                }
            }
            chain.push((n, Some(dir)));
        } else if n == "default" {
            chain.push((n, None));
        } else {
            diags.push(
                Diagnostic::error(
                    "missing-theme",
                    crate::config::CONFIG_FILE,
                    Position::File,
                    format!("there is no theme folder themes/{n}"),
                )
                .with_hint("create it, or use the built-in theme with `theme: default`"),
            );
            return Ok(Theme::default());
        }
    }
    chain.reverse();
    let mut theme = Theme::default();
    for (n, dir) in chain {
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
            Some(dir) => {
                theme.chain.push(dir.clone());
                let rel_dir = PathBuf::from("themes").join(&n);
                for (rel, full) in files_under(&dir.join("templates"))? {
                    if !rel.ends_with(".html") && !rel.ends_with(".xml") && !rel.ends_with(".txt") {
                        continue;
                    }
                    let text = fs::read_to_string(&full)?;
                    add_template(
                        &mut theme,
                        rel.clone(),
                        rel_dir.join("templates").join(&rel),
                        text,
                    );
                }
                for (rel, full) in files_under(&dir.join("static"))? {
                    theme.statics.push((rel, Source::Disk(full)));
                }
            }
        }
    }
    Ok(theme)
}

fn add_template(theme: &mut Theme, name: String, file: PathBuf, text: String) {
    theme.templates.retain(|t| t.name != name);
    theme.templates.push(TemplateFile { name, file, text });
}

/// Every file under `dir` as (`/`-separated relative path, full path), sorted.
pub(crate) fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, Fatal> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| Fatal::new(format!("cannot read {}: {e}", dir.display())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if crate::content::is_ignored_name(&name) {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_default_theme_lists_every_theme_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = files_under(&dir)
            .unwrap_or_default()
            .into_iter()
            .map(|(rel, _)| rel)
            .filter(|rel| rel != "theme.yaml")
            .collect();
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
