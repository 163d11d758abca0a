//! The command line: clap's types, and [`main`], which parses the command
//! line, runs the command and returns its exit code.

use crate::commands;
use crate::diagnostics::Format;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// pestle: a static site generator for documentation and knowledge bases.
#[derive(Parser, Debug)]
#[command(name = "pestle", version, about, long_about = None)]
pub struct Cli {
    /// The site folder, holding site.yaml (default: the current folder, or
    /// the nearest folder above it that has site.yaml).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site folder, holding site.yaml (default: the current folder,
        /// or the nearest folder above it that has site.yaml).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Where to write the site (default: output, inside the site folder).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The address the site is published at, overriding site.yaml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Make links end in index.html so the site works opened from disk.
        #[arg(long)]
        file_urls: bool,
        /// The date to build for, YYYY-MM-DD: banners show when it is within
        /// their dates (default: PESTLE_TODAY, SOURCE_DATE_EPOCH or today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: Option<crate::date::Date>,
    },
    /// Build the site, serve it on this computer, and rebuild and reload
    /// the browser on every save. Drafts are shown and marked.
    Serve {
        /// The site folder, holding site.yaml (default: the current folder,
        /// or the nearest folder above it that has site.yaml).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111, value_parser = port)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 makes the site
        /// reachable from your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in your web browser.
        #[arg(long)]
        open: bool,
        /// The date to build for, YYYY-MM-DD: banners show when it is within
        /// their dates (default: PESTLE_TODAY, SOURCE_DATE_EPOCH or today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: Option<crate::date::Date>,
    },
    /// Check the site without writing it: everything build checks, plus
    /// review dates, descriptions, alt text, headings and every link.
    Check {
        /// The site folder, holding site.yaml (default: the current folder,
        /// or the nearest folder above it that has site.yaml).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// How to print findings.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Treat warnings as errors (exit 1 on any finding).
        #[arg(long)]
        strict: bool,
        /// Also check links to other websites (cached for a day).
        #[arg(long)]
        external: bool,
        /// With --external, also visit links to this machine and private
        /// networks (refused by default, so a pull request cannot aim the
        /// check at the CI machine's own services).
        #[arg(long, requires = "external")]
        allow_private: bool,
        /// The date reviews are due against and banners are shown for,
        /// YYYY-MM-DD (default: PESTLE_TODAY, SOURCE_DATE_EPOCH or today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: Option<crate::date::Date>,
    },
    /// Create a new site in DIR with a sample section and page.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Print a JSON Schema for editors' tools: front-matter (this site's
    /// own, with its region names), site or glossary.
    Schema {
        /// The site folder, holding site.yaml (default: the current folder,
        /// or the nearest folder above it that has site.yaml).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Which file the schema describes.
        #[arg(value_enum)]
        which: SchemaArg,
    },
}

/// The files `pestle schema` describes.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SchemaArg {
    /// A page's front matter.
    FrontMatter,
    /// site.yaml.
    Site,
    /// glossary.yaml.
    Glossary,
}

/// `--port`: a number from 0 to 65535, said plainly when it is not.
fn port(s: &str) -> Result<u16, String> {
    s.trim().parse::<u16>().map_err(|_| {
        format!("`{s}` is not a port number: write a whole number from 0 to 65535, like --port 1111 (0 picks a free port)")
    })
}

/// `--date`: a day written YYYY-MM-DD, said plainly when it is not.
fn date(s: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(s.trim())
        .map_err(|_| format!("`{s}` is not a date: write it as YYYY-MM-DD, like --date 2026-11-26"))
}

/// The site folder: `--root`, else the current folder or the nearest one
/// above it that holds site.yaml (as git and cargo find their files).
fn find_root(given: Option<PathBuf>) -> Result<PathBuf, crate::diagnostics::Fatal> {
    if let Some(root) = given {
        return Ok(root);
    }
    let here = std::env::current_dir().map_err(|e| {
        crate::diagnostics::Fatal::new(format!("cannot find the current folder: {e}"))
    })?;
    let mut dir = here.as_path();
    loop {
        if dir.join(crate::config::CONFIG_FILE).is_file() {
            return Ok(if dir == here {
                PathBuf::from(".")
            } else {
                dir.to_path_buf()
            });
        }
        match dir.parent() {
            Some(parent) => dir = parent,
            None => {
                return Err(crate::diagnostics::Fatal::new(format!(
                    "there is no site.yaml in {} or any folder above it: run pestle in a site folder, use --root DIR, or create a site with `pestle new DIR`",
                    here.display()
                )));
            }
        }
    }
}

/// The `--format` values of `pestle check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// Lines for people, with hints.
    Human,
    /// One JSON object.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// Colour is on for a terminal, or when CLICOLOR_FORCE is set, unless
/// NO_COLOR is set to anything non-empty (<https://no-color.org>).
fn use_color(stream: &impl IsTerminal) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    !set("NO_COLOR") && (set("CLICOLOR_FORCE") || stream.is_terminal())
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let err_color = use_color(&std::io::stderr());
    let top_root = cli.root.clone();
    let site_root = |own: Option<PathBuf>| find_root(own.or_else(|| top_root.clone()));
    let outcome = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            file_urls,
            date,
        } => site_root(root).and_then(|root| {
            let opts = commands::build::BuildOptions {
                root,
                output,
                base_url,
                drafts,
                file_urls,
                date,
                preview: false,
            };
            commands::build::build(&opts).map(|report| commands::build::print(&report, err_color))
        }),
        Command::Serve {
            root,
            port,
            bind,
            open,
            date,
        } => site_root(root).and_then(|root| {
            let opts = commands::serve::ServeOptions {
                root,
                port,
                bind,
                open,
                color: err_color,
                date,
            };
            commands::serve::run(&opts)
        }),
        Command::Check {
            root,
            format,
            strict,
            external,
            allow_private,
            date,
        } => site_root(root).and_then(|root| {
            let opts = commands::check::CheckOptions {
                strict,
                external,
                allow_private,
                today: date,
                ..commands::check::CheckOptions::new(&root)
            };
            let format = match format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            let color = use_color(&std::io::stdout());
            commands::check::check(&opts)
                .map(|report| commands::check::print(&report, format, color))
        }),
        Command::New { dir } => {
            let dir = match (&cli.root, dir.is_absolute()) {
                (Some(root), false) => root.join(dir),
                _ => dir,
            };
            commands::new::run(&dir)
        }
        Command::Schema { root, which } => {
            let which = match which {
                SchemaArg::FrontMatter => commands::schema::Which::FrontMatter,
                SchemaArg::Site => commands::schema::Which::Site,
                SchemaArg::Glossary => commands::schema::Which::Glossary,
            };
            commands::schema::run(which, site_root(root).ok())
        }
    };
    commands::exit_code(outcome, err_color)
}
