//! pestle turns a folder of Markdown guidance into a fast, accessible,
//! static website.
//!
//! # How a build runs
//!
//! Each step is a function from owned input to owned output plus
//! diagnostics; [`pipeline::prepare`] runs steps 1 to 4, which every
//! command shares.
//!
//! 1. **Read**: [`config`] reads `site.yaml`; [`render::theme`] loads the
//!    theme (and any theme it extends) and [`render::Templates`] compiles
//!    it; `site::read` reads every page's front matter ([`content`]), in
//!    parallel, through [`fs::SiteRoot`], which reads nothing outside the
//!    site.
//! 2. **Assemble** ([`site::assemble`]): [`content`] places pages in the
//!    section tree (URLs, order, neighbours) and groups them into
//!    taxonomies; [`links`] indexes what a link may point at; [`markdown`]
//!    renders every page's Markdown once (heading ids, table of contents,
//!    alerts, links rewritten, broken links and `#anchors` reported); then
//!    related resources, the news section, the tree walk, and the banner
//!    shown on the build's date ([`config::Config::build_date`]). Image
//!    sizes are read here too, so `<img>` gets `width` and `height`.
//! 3. **Plan** ([`render::plan`]): every output file and what it is made
//!    from, each path claimed once.
//! 4. **Render** ([`render::emit`](mod@render::emit)): one output file at a time, through the
//!    theme's templates with the context of [`render::context`]: pages,
//!    listings, each section's print page in parts of 100 pages (their
//!    HTML moved in by [`render::chapter`]), feeds, the sitemap, redirects,
//!    `_redirects` and `llms.txt`; JSON-LD comes from
//!    [`render::structured`].
//! 5. **Write** ([`output::write`](mod@output::write)): the plan turned into files through a
//!    sink, each page written as it is rendered: a staging folder that
//!    replaces the output folder only when the whole build succeeded
//!    ([`output::Staging`]), serve's folder, or `check`'s scan in memory.
//!    The [`search`] index is built from every page's rendered text while
//!    the pages are written, and before the pages whose size grows with a
//!    section (print pages, listings).
//!
//! A one-off build (`pestle build`) keeps little of each page: its text is
//! let go of once its front matter is read (and read again for its
//! Markdown), its rendered HTML and search text stay in memory up to a
//! budget and go to a temporary file beyond it ([`fs::spill`]), what only
//! checking needs goes once the site is checked, and the search index's
//! term lists go to the temporary file a chunk of pages at a time.
//!
//! # The commands
//!
//! [`commands`] holds one module per command, each an options struct, a run
//! function and the printing of its report; [`cli`] only parses the command
//! line, runs the command and maps the exit code.
//! - `build` prepares, then writes the plan and the search index.
//! - `check` prepares, adds [`check`](mod@check)'s governance findings, renders every
//!   page in memory and checks the links in it.
//! - `serve` keeps a prepared site in a [`serve`] session and, on each
//!   save, redoes only what the change touched ([`serve::plan`]), serving
//!   the output over [`serve::http`].
//!
//! # Where a new feature goes
//!
//! A front-matter key: [`content`] (and README's table). A site.yaml key:
//! [`config`]. Something every page shows: a field of a view in
//! [`render::context`] and the theme's templates. A new output file: a
//! claim in [`render::plan`], an [`render::Origin`] and its arm in
//! [`render::emit`](mod@render::emit). A new finding: [`check`](mod@check) (governance) or the phase that
//! can see the problem, as a [`diagnostics::Diagnostic`] with a stable code.
//!
//! Problems in content are [`diagnostics::Diagnostic`]s, collected across
//! the whole run and printed together; [`commands::exit_code`] decides the
//! exit code once.

// The crate docs narrate the internal pipeline for developers, and are
// built with --document-private-items (see .ci/run).
#![allow(rustdoc::private_intra_doc_links)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod glossary;

pub(crate) mod check;
pub(crate) mod cms;
pub(crate) mod content;
pub(crate) mod escape;
pub(crate) mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod hash;
pub(crate) mod image;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod output;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod schema;
pub(crate) mod search;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod slug;
pub(crate) mod yaml;

pub use commands::build::{BuildReport, build};
pub use commands::check::{CheckOptions, CheckReport, check};
pub use content::slugify;
pub use output::MARKER as OUTPUT_MARKER;
pub use pipeline::BuildOptions;
