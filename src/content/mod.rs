//! The content model: discovering files under `content/`, reading their
//! front matter, and arranging pages into the section tree with URLs,
//! ordering, breadcrumbs and neighbours.

mod discover;
pub(crate) mod frontmatter;
mod model;
mod taxonomy;
pub(crate) mod tree;

pub use crate::slug::slugify;
pub(crate) use discover::{Discovered, discover, is_ignored_name};
pub(crate) use frontmatter::{Meta, Related, lone_cr_to_lf, parse_file};
pub(crate) use model::{Kind, Page};
pub(crate) use taxonomy::{Taxonomy, Term, build_taxonomies};
pub(crate) use tree::{Tree, build_tree};
