//! Rendering: the theme ([`theme`]) and its compiled Tera templates
//! ([`Templates`]), the template context built from view types borrowed
//! from the site ([`context`], documented in README.md), the output plan
//! ([`plan`]: every output file and what it is made from), and [`emit`](mod@emit),
//! which makes one output file: a page, a listing, a print page, a feed
//! ([`feed`]), the sitemap ([`sitemap`]), a redirect or the hosts'
//! `_redirects` rules ([`redirect`]), `llms.txt` ([`llms`]); the JSON-LD of
//! pages is [`structured`].

pub(crate) mod chapter;
pub(crate) mod context;
pub(crate) mod emit;
pub(crate) mod feed;
pub(crate) mod functions;
pub(crate) mod llms;
pub(crate) mod plan;
pub(crate) mod redirect;
pub(crate) mod sitemap;
pub(crate) mod structured;
pub(crate) mod theme;

pub(crate) use context::{SiteModel, Uses};
pub(crate) use emit::{Emitted, Made, Origin, make};
pub(crate) use plan::Plan;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Position};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use tera::Tera;
use theme::Theme;

/// The compiled templates of a theme.
pub(crate) struct Templates {
    tera: Tera,
    texts: Vec<String>,
    /// A hash of every template's name and text.
    pub(crate) generation: u64,
    /// Per template: a hash of its text and of every template it extends,
    /// includes or imports, so a change re-renders only the pages that use
    /// it; and the shared context parts that chain reads.
    generations: HashMap<String, (u64, Uses)>,
    files: HashMap<String, PathBuf>,
    names: BTreeSet<String>,
}

/// `{{ page.reviewed | date_long }}`: `2026-11-26` → `26 November 2026`.
fn date_long(value: &tera::Value, _: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let s = value.as_str().unwrap_or_default();
    match Date::parse(s) {
        Ok(d) => Ok(tera::Value::String(d.long())),
        Err(_) => Ok(value.clone()),
    }
}

/// The most items `range()` may make: a theme cannot exhaust memory with
/// `range(end=100000000000)`.
const RANGE_LIMIT: u64 = 100_000;

/// Tera's `range`, bounded by [`RANGE_LIMIT`].
fn bounded_range(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let number = |name: &str, default: Option<u64>| -> tera::Result<u64> {
        match args.get(name) {
            Some(v) => v.as_u64().ok_or_else(|| {
                tera::Error::msg(format!("range: `{name}` must be a whole number, not {v}"))
            }),
            None => default.ok_or_else(|| tera::Error::msg(format!("range needs `{name}`"))),
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step = number("step_by", Some(1))?;
    if step == 0 {
        return Err(tera::Error::msg("range: `step_by` must be at least 1"));
    }
    if start > end {
        return Err(tera::Error::msg("range: `start` is after `end`"));
    }
    if (end - start).div_ceil(step) > RANGE_LIMIT {
        return Err(tera::Error::msg(format!(
            "range: at most {RANGE_LIMIT} numbers, but this asks for {}",
            (end - start).div_ceil(step)
        )));
    }
    let items: Vec<tera::Value> = (start..end)
        .step_by(usize::try_from(step).unwrap_or(usize::MAX))
        .map(tera::Value::from)
        .collect();
    Ok(tera::Value::Array(items))
}

/// Stands in for Tera's `get_env`: a theme (which a pull request can change)
/// must not publish the build machine's environment, its secrets included.
fn no_env(_: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    Err(tera::Error::msg(
        "templates cannot read environment variables (get_env is switched off, so a theme cannot publish the build machine's secrets); put the value in site.yaml's `extra:` and use `site.extra`",
    ))
}

fn escape_html(s: &str) -> String {
    crate::escape::html(s)
}

/// The templates each template names in `extends`, `include` or `import`.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for keyword in ["extends", "include", "import"] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            rest = &rest[at + keyword.len()..];
            let trimmed = rest.trim_start();
            if let Some(q) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if let Some(end) = trimmed[1..].find(q) {
                    out.push(trimmed[1..=end].to_string());
                }
            }
        }
    }
    out
}

/// True when the template `text` names `word` as a whole identifier (not
/// `glossary_url` for `glossary`) inside a `{{ }}` or `{% %}` tag; HTML and
/// `{# #}` comments around the tags do not count, strings inside them do.
fn names(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code_of(text).iter().any(|code| {
        code.match_indices(word).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            let after = code[at + word.len()..].chars().next();
            !before.is_some_and(ident) && !after.is_some_and(ident)
        })
    })
}

/// The insides of a template's `{{ }}` and `{% %}` tags. An unclosed tag
/// runs to the end, so nothing is missed.
fn code_of(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        let after = &rest[at + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let inner = &after[1..];
        let end = inner.find(close).unwrap_or(inner.len());
        if close != "#}" {
            out.push(&inner[..end]);
        }
        rest = inner.get(end + close.len()..).unwrap_or("");
    }
    out
}

/// For each template, a hash over it and every template it reaches, and
/// which shared context parts that chain names.
fn dependency_hashes(theme: &Theme) -> HashMap<String, (u64, Uses)> {
    let texts: HashMap<&str, &str> = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.text.as_str()))
        .collect();
    let refs: HashMap<&str, Vec<String>> = texts.iter().map(|(n, t)| (*n, references(t))).collect();
    texts
        .keys()
        .map(|&name| {
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            let mut stack = vec![name];
            while let Some(n) = stack.pop() {
                if !seen.insert(n) {
                    continue;
                }
                for r in refs.get(n).into_iter().flatten() {
                    if let Some((k, _)) = texts.get_key_value(r.as_str()) {
                        stack.push(k);
                    }
                }
            }
            let parts: Vec<(&str, &str)> = seen.iter().map(|n| (*n, texts[n])).collect();
            let all = parts.iter().any(|(_, t)| names(t, "__tera_context"));
            let any = |word: &str| all || parts.iter().any(|(_, t)| names(t, word));
            let uses = Uses {
                latest_news: any("latest_news"),
                taxonomies: any("taxonomies"),
                taxonomy_terms: any("taxonomies") && any("terms"),
                glossary: any("glossary"),
            };
            (name.to_string(), (crate::hash::hash_of(&parts), uses))
        })
        .collect()
}

/// The chain of messages of a Tera error, outermost first.
fn error_chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out
}

/// Finds a pest-style ` --> line:col` position in a parse error.
fn parse_position(msg: &str) -> Option<(usize, usize)> {
    let at = msg.find("--> ")? + 4;
    let rest = &msg[at..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

impl Templates {
    /// Compiles a theme's templates, reporting syntax errors at the theme
    /// file's line and column.
    pub(crate) fn compile(theme: &Theme, diags: &mut Vec<Diagnostic>) -> Option<Templates> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("date_long", date_long);
        tera.register_function("get_env", no_env);
        tera.register_function("range", bounded_range);
        // Tera's default escaper also escapes `/`, which bloats every URL.
        tera.set_escape_fn(escape_html);
        let files: HashMap<String, PathBuf> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.file.clone()))
            .collect();
        let raw: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            let chain = error_chain(&e);
            let culprit = theme.templates.iter().find(|t| {
                chain[0].contains(&format!("'{}'", t.name))
                    || chain[0].contains(&format!("\"{}\"", t.name))
            });
            let position = chain
                .iter()
                .find_map(|m| parse_position(m))
                .map_or(Position::File, |(l, c)| Position::LineCol(l, c));
            let detail = chain.last().cloned().unwrap_or_default();
            let detail = detail
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let path = culprit.map_or_else(|| PathBuf::from("themes"), |t| t.file.clone());
            diags.push(
                Diagnostic::error(
                    "template-error",
                    path,
                    position,
                    format!("template error: {}", chain[0]),
                )
                .with_hint(detail),
            );
            return None;
        }
        for t in &theme.templates {
            if let Some(at) = t.text.find("get_env") {
                diags.push(
                    Diagnostic::error(
                        "template-error",
                        &t.file,
                        Position::Offset(at),
                        "templates cannot read environment variables: get_env is switched off, so a theme cannot publish the build machine's secrets",
                    )
                    .with_hint("put the value in site.yaml under `extra:` and use `site.extra` in the template"),
                );
            }
        }
        let names = tera.get_template_names().map(str::to_string).collect();
        let generation = crate::hash::hash_of(
            &theme
                .templates
                .iter()
                .map(|t| (&t.name, &t.text))
                .collect::<Vec<_>>(),
        );
        let generations = dependency_hashes(theme);
        Some(Templates {
            tera,
            texts: theme.templates.iter().map(|t| t.text.clone()).collect(),
            generations,
            generation,
            files,
            names,
        })
    }

    /// Checks that every template the site's pages name exists, and (unless
    /// the theme could not be loaded whole) that the theme has the
    /// templates every site needs.
    pub(crate) fn check_site(
        &self,
        site: &crate::site::Site,
        theme: &Theme,
        diags: &mut Vec<Diagnostic>,
    ) {
        for p in &site.pages {
            if let Some(name) = &p.meta.template {
                if !self.has(name) {
                    diags.push(
                        Diagnostic::error(
                            "missing-template",
                            &p.file,
                            p.meta.keys.value_pos("template"),
                            format!("the theme has no template `{name}`"),
                        )
                        .with_hint(
                            "name a file in the theme's templates/ folder, like `page.html`",
                        ),
                    );
                }
            }
        }
        if theme.broken {
            return;
        }
        let mut needed = vec!["page.html", "section.html", "404.html"];
        if !site.taxonomies.is_empty() {
            needed.extend(["taxonomy.html", "term.html"]);
        }
        for name in needed {
            if !self.has(name) {
                diags.push(
                    Diagnostic::error("missing-template", "themes", Position::File, format!("the theme has no `{name}` template"))
                        .with_hint("add it to the theme's templates/ folder, or extend the default theme in theme.yaml"),
                );
            }
        }
    }

    /// Registers a function that templates can call.
    pub(crate) fn register_function(&mut self, name: &str, f: impl tera::Function + 'static) {
        self.tera.register_function(name, f);
    }

    /// A hash of template `name` and everything it uses.
    pub(crate) fn generation_of(&self, name: &str) -> u64 {
        self.generations
            .get(name)
            .map_or(self.generation, |(g, _)| *g)
    }

    /// The shared context parts template `name` (and what it uses) reads.
    pub(crate) fn uses(&self, name: &str) -> Uses {
        self.generations.get(name).map_or(Uses::ALL, |(_, u)| *u)
    }

    /// True when any template's text mentions `name` (a function it may call).
    pub(crate) fn calls(&self, name: &str) -> bool {
        self.texts.iter().any(|t| t.contains(name))
    }

    /// True when the theme has a template with this name.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The theme file a template comes from, for messages.
    pub(crate) fn file_of(&self, name: &str) -> PathBuf {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from("themes"))
    }

    /// Renders template `name` with `context` for the page in `file`.
    pub(crate) fn render(
        &self,
        name: &str,
        context: &tera::Context,
        file: &Path,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.render_error(name, file, &e))
    }

    /// Renders template `name` with `context` for the page in `file` into
    /// `w`, as it is made.
    pub(crate) fn render_to(
        &self,
        name: &str,
        context: &tera::Context,
        file: &Path,
        w: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(name, context, w)
            .map_err(|e| self.render_error(name, file, &e))
    }

    fn render_error(&self, name: &str, file: &Path, e: &tera::Error) -> Diagnostic {
        let chain = error_chain(e);
        let theme_file = self
            .files
            .get(name)
            .map_or_else(|| name.to_string(), |p| p.display().to_string());
        Diagnostic::error(
            "template-error",
            file,
            Position::File,
            format!("rendering this page with {theme_file} failed: {}", chain.join(": ")),
        )
        .with_hint(format!(
            "the problem is in the theme template {theme_file} (or a template it extends or includes)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_whole_identifiers_only() {
        assert!(names("{% if glossary %}", "glossary"));
        assert!(!names("{{ site.glossary_url }}", "glossary"));
        assert!(names("{% for n in latest_news %}", "latest_news"));
        assert!(
            names("{{ t[\"terms\"] }}", "terms"),
            "strings in tags count"
        );
        assert!(!names("{# its terms #}<dl class=\"terms\">", "terms"));
        assert!(
            names("{% if x %}{{ taxonomies", "taxonomies"),
            "an unclosed tag counts"
        );
    }

    #[test]
    fn finds_pest_positions() {
        assert_eq!(parse_position(" --> 3:14\n  |"), Some((3, 14)));
        assert_eq!(parse_position("no position"), None);
    }
}
