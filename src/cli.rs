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
    /// The site folder, holding site.yaml (default: the current folder).
    #[arg(long, global = true, value_name = "DIR")]
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
    },
    /// Build the site, serve it on this computer, and rebuild and reload
    /// the browser on every save. Drafts are shown and marked.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 makes the site
        /// reachable from your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in your web browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the site without writing it: everything build checks, plus
    /// review dates, descriptions, alt text, headings and every link.
    Check {
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
    },
    /// Create a new site in DIR with a sample section and page.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
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
/// NO_COLOR is set to anything non-empty (https://no-color.org).
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
    let root = cli.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let err_color = use_color(&std::io::stderr());
    let outcome = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            file_urls,
        } => {
            let opts = commands::build::BuildOptions {
                root: root.clone(),
                output,
                base_url,
                drafts,
                file_urls,
            };
            commands::build::build(&opts)
                .map(|report| commands::build::print(&report, &root, err_color))
        }
        Command::Serve { port, bind, open } => {
            let opts = commands::serve::ServeOptions {
                root,
                port,
                bind,
                open,
                color: err_color,
            };
            commands::serve::run(&opts)
        }
        Command::Check {
            format,
            strict,
            external,
            allow_private,
        } => {
            let opts = commands::check::CheckOptions {
                strict,
                external,
                allow_private,
                ..commands::check::CheckOptions::new(&root)
            };
            let format = match format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            let color = use_color(&std::io::stdout());
            commands::check::check(&opts)
                .map(|report| commands::check::print(&report, format, &root, color))
        }
        Command::New { dir } => {
            let dir = if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            };
            commands::new::run(&dir)
        }
    };
    commands::exit_code(outcome, err_color)
}
