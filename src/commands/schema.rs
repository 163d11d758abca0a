//! `pestle schema front-matter|site|glossary`: prints a JSON Schema for
//! editors' tools (autocomplete and checks as they type). The front-matter
//! schema is the site's own: its closed taxonomies' terms are the only
//! values allowed.

use crate::diagnostics::Fatal;
use crate::fs::SiteRoot;
use std::path::PathBuf;

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// A page's front matter.
    FrontMatter,
    /// site.yaml.
    Site,
    /// glossary.yaml.
    Glossary,
}

/// Prints the schema; `root` is the site (for its closed terms), if any.
pub fn run(which: Which, root: Option<PathBuf>) -> Result<super::Status, Fatal> {
    let value = match which {
        Which::FrontMatter => {
            let config = match root {
                Some(root) => site_config(&root)?,
                None => None,
            };
            crate::schema::front_matter(config.as_ref())
        }
        Which::Site => crate::schema::site(),
        Which::Glossary => crate::schema::glossary(),
    };
    let text = serde_json::to_string_pretty(&value).map_err(|e| Fatal::new(e.to_string()))?;
    println!("{text}");
    Ok(super::Status::Success)
}

/// The site's configuration, when site.yaml is there and valid.
fn site_config(root: &std::path::Path) -> Result<Option<crate::config::Config>, Fatal> {
    let root = SiteRoot::new(root)?;
    let mut diags = Vec::new();
    let mut sources = crate::diagnostics::Sources::default();
    match crate::site::read::load_config(&root, &mut sources, &mut diags) {
        Ok(config) => Ok(config),
        Err(_) => Ok(None),
    }
}
