//! pestle turns a folder of Markdown guidance into a fast, accessible,
//! static website.
//!
//! A build runs these steps, each a function from owned input to owned
//! output plus diagnostics:
//!
//! 1. [`config`] reads `site.yaml` into a validated configuration.
//! 2. `render::theme` loads the theme (and any theme it extends); `render`
//!    compiles its templates.
//! 3. `content` discovers the files under `content/`, reads each page's front
//!    matter in parallel, places pages in the section tree with their URLs,
//!    order, breadcrumbs and neighbours, and groups them into taxonomies.
//! 4. `links` indexes everything a link may point at.
//! 5. `markdown` renders each page once, in parallel: heading ids, the table
//!    of contents, alerts, and links rewritten to relative URLs, with broken
//!    links and `#anchors` reported at their line and column.
//! 6. `render::context` builds each page's template context and the theme
//!    renders it, in parallel.
//! 7. `search` builds the static search index from each page's rendered
//!    text: term shards, page fragments and `meta.js`, all classic scripts,
//!    while the pages are being written.
//! 8. `output` writes pages, redirects for aliases, the sitemap, feeds, the
//!    404 page and static files to a staging folder that replaces the output
//!    folder only when the whole build succeeded.
//!
//! `site` holds the assembled site between those steps; `commands::build`
//! writes it, `check` renders it in memory and adds content governance and
//! link checks, and `serve` keeps it in memory, rebuilding only what a
//! change touched.
//!
//! Problems in content are [`diagnostics::Diagnostic`]s, collected across the
//! whole build and printed together; the command decides the exit code.

pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod glossary;
pub(crate) mod hash;

pub(crate) mod check;
pub(crate) mod content;
pub(crate) mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod output;
pub(crate) mod render;
pub(crate) mod search;
pub mod serve;
pub(crate) mod site;
pub(crate) mod yaml;

pub use commands::build::{BuildOptions, BuildReport, build};
pub use commands::check::{CheckOptions, CheckReport, check};
pub use content::slugify;
pub use output::MARKER as OUTPUT_MARKER;
