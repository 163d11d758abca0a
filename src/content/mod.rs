//! The content model: discovering files under `content/`, reading their
//! front matter, and arranging pages into the section tree with URLs,
//! ordering, breadcrumbs and neighbours.

mod discover;
mod frontmatter;
mod model;
mod taxonomy;
pub(crate) mod tree;

pub(crate) use discover::{discover, is_ignored_name};
pub(crate) use frontmatter::{Meta, parse_file};
pub(crate) use model::{Kind, Page};
pub(crate) use taxonomy::{Taxonomy, Term, build_taxonomies};
pub(crate) use tree::{Tree, build_tree};

/// Turns a name into a URL segment: lower case, spaces and underscores to
/// hyphens, anything but letters, digits, `-` and `.` dropped.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '.' {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugifies_names_for_urls() {
        assert_eq!(slugify("Midlands and East"), "midlands-and-east");
        assert_eq!(slugify("EPS_Phase 4!"), "eps-phase-4");
        assert_eq!(slugify("nominations"), "nominations");
    }
}
