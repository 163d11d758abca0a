//! The command line: clap's types, and the one place that turns a command's
//! outcome into output and an exit code (0 success, 1 content errors, 2
//! usage or I/O errors).

use crate::commands;
use crate::diagnostics::{Fatal, Printer};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
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

fn fatal(e: &Fatal) -> ExitCode {
    let color = use_color(&std::io::stderr());
    let label = if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    eprintln!(
        "{label}: {}",
        crate::diagnostics::terminal_safe(&e.to_string())
    );
    ExitCode::from(2)
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
    match cli.command {
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
            let report = match commands::build::build(&opts) {
                Ok(r) => r,
                Err(e) => return fatal(&e),
            };
            let mut printer = Printer::new(&root, use_color(&std::io::stderr()));
            let stderr = std::io::stderr();
            let mut err = stderr.lock();
            let _ = printer.print_all(report.diagnostics.items(), &mut err);
            let errors = report.diagnostics.error_count();
            if errors > 0 {
                let _ = writeln!(
                    err,
                    "error: the build found {errors} error{}; {} was left as it was",
                    if errors == 1 { "" } else { "s" },
                    report.output.display()
                );
                return ExitCode::from(1);
            }
            println!(
                "Built {} pages, {} sections and {} listing pages into {} in {:.2} s",
                report.pages,
                report.sections,
                report.listings,
                report.output.display(),
                report.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Command::Serve { port, bind, open } => {
            let opts = crate::serve::ServeOptions {
                root: root.clone(),
                port,
                bind,
                open,
                color: use_color(&std::io::stderr()),
            };
            match crate::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fatal(&e),
            }
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
            let report = match commands::check::check(&opts) {
                Ok(r) => r,
                Err(e) => return fatal(&e),
            };
            let items = report.diagnostics.items();
            let errors = report.diagnostics.error_count();
            let warnings = report.diagnostics.warning_count();
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match format {
                FormatArg::Human => {
                    let mut printer = Printer::new(&root, use_color(&std::io::stdout()));
                    for d in items {
                        let _ = writeln!(out, "{}", printer.format_check(d));
                    }
                    let _ = writeln!(
                        out,
                        "check: {errors} error{}, {warnings} warning{} in {} pages",
                        if errors == 1 { "" } else { "s" },
                        if warnings == 1 { "" } else { "s" },
                        report.pages
                    );
                }
                FormatArg::Json => {
                    let mut printer = Printer::new(&root, false);
                    let _ = writeln!(out, "{}", printer.json(items));
                }
                FormatArg::Github => {
                    let mut printer = Printer::new(&root, false);
                    for d in items {
                        let _ = writeln!(out, "{}", printer.github(d));
                    }
                    let _ = writeln!(out, "check: {errors} errors, {warnings} warnings");
                }
            }
            if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New { dir } => {
            let dir = if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            };
            match commands::new::run(&dir) {
                Ok(()) => {
                    println!(
                        "Created a new site in {}. Next: cd {} && pestle build",
                        dir.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fatal(&e),
            }
        }
    }
}
