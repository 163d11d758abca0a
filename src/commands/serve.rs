//! `pestle serve`: build (drafts included), serve on loopback, watch the
//! site's files, rebuild only what changed and tell open pages to reload.
//! A failed rebuild keeps the last good pages and shows its errors in the
//! terminal and over the open page.

use crate::diagnostics::{Diagnostic, Fatal, Printer, Severity, terminal_safe};
use crate::pipeline::BuildOptions;
use crate::serve::plan::Change;
use crate::serve::session::{Outcome, Session};
use crate::serve::{http, watch};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// What `pestle serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding site.yaml.
    pub root: PathBuf,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The address to listen on.
    pub bind: String,
    /// Opens the site in the default browser.
    pub open: bool,
    /// Colour in terminal messages.
    pub color: bool,
    /// The date to show banners for (default: `PESTLE_TODAY`,
    /// `SOURCE_DATE_EPOCH` or today).
    pub date: Option<crate::date::Date>,
}

/// The errors as the overlay shows them: place, message, hint, code, and
/// the source line with the column to mark.
fn errors_json(printer: &Printer, ds: &[Diagnostic]) -> String {
    let list: Vec<serde_json::Value> = ds
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let (line, column) = printer.line_col(d).unzip();
            serde_json::json!({
                "place": printer.place(d),
                "message": d.message,
                "hint": d.hint,
                "code": d.code,
                "line": line,
                "column": column,
                "source": d.source_line,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// Runs the server until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<super::Status, Fatal> {
    let out_dir = std::env::temp_dir().join(format!("pestle-serve-{}", std::process::id()));
    if out_dir.exists() {
        crate::fs::remove_dir_all(&out_dir)?;
    }
    crate::fs::create_dir_all(&out_dir)?;
    let out_dir = crate::fs::canonicalize(&out_dir)?;
    let result = serve(opts, &out_dir);
    let _ = std::fs::remove_dir_all(&out_dir);
    result.map(|()| super::Status::Success)
}

fn bind(opts: &ServeOptions) -> Result<(std::net::TcpListener, String, bool), Fatal> {
    let listener = std::net::TcpListener::bind((opts.bind.as_str(), opts.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Fatal::new(format!(
                "port {} on {} is already in use: stop the other server, or choose another port with --port",
                opts.port, opts.bind
            ))
        } else {
            Fatal::new(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Fatal::new(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{host}:{}/", addr.port());
    Ok((listener, base_url, addr.ip().is_loopback()))
}

fn serve(opts: &ServeOptions, out_dir: &std::path::Path) -> Result<(), Fatal> {
    let (listener, base_url, is_loopback) = bind(opts)?;
    let mut build_opts = BuildOptions::new(&opts.root);
    build_opts.drafts = true;
    build_opts.preview = true;
    build_opts.base_url = Some(base_url.clone());
    build_opts.date = opts.date;
    let shared = Arc::new(http::Shared {
        out_dir: out_dir.to_path_buf(),
        live: Mutex::new(http::LiveState::default()),
        wake: Condvar::new(),
        loopback: is_loopback,
    });
    let on_search = {
        let shared = Arc::clone(&shared);
        Box::new(move |changed: Vec<String>| shared.publish_files(changed))
    };
    let mut session = Session::new(build_opts, out_dir.to_path_buf(), on_search);
    // Watch before the first build, so no save is missed between them.
    let mut watch = watch::Watch::start(&opts.root)?;
    let first = session.rebuild(&Change::Everything)?;
    // The first search index is there before the address is announced.
    if let Err(e) = session.wait_search() {
        eprintln!("error: {}", terminal_safe(&e.to_string()));
    }
    report(opts, &shared, &first, true);
    // Ctrl-C is caught before the address is announced, so a stop that
    // follows at once still cleans up.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let server = http::Server::start(listener, Arc::clone(&shared))
        .map_err(|e| Fatal::new(format!("cannot serve on {}:{}: {e}", opts.bind, opts.port)))?;
    println!(
        "Serving {} at {base_url} (drafts included). Press Ctrl-C to stop.",
        opts.root.display()
    );
    if !is_loopback {
        eprintln!(
            "warning: listening on {}: anyone on your network can read this site, drafts included",
            opts.bind
        );
    }
    if opts.open {
        open_browser(&base_url);
    }
    watch_and_rebuild(opts, &mut session, &mut watch, &shared, &|| {
        stop.load(Ordering::SeqCst)
    });
    shared.publish(|s| s.stopping = true);
    server.stop();
    println!("Stopped.");
    Ok(())
}

/// Rebuilds on every batch of changes until `stopping` says so.
fn watch_and_rebuild(
    opts: &ServeOptions,
    session: &mut Session,
    watch: &mut watch::Watch,
    shared: &http::Shared,
    stopping: &dyn Fn() -> bool,
) {
    loop {
        // Print pages left for later are written once the editor pauses,
        // so they never hold up a save.
        let next = if session.has_later() {
            watch.next_batch_or_quiet(LATER_AFTER, stopping)
        } else {
            watch
                .next_batch(stopping)
                .map_or(watch::Next::Stopped, watch::Next::Batch)
        };
        let batch = match next {
            watch::Next::Batch(batch) => batch,
            watch::Next::Quiet => {
                match session.catch_up() {
                    Ok(later) if later.failed() => report(opts, shared, &later, false),
                    Ok(later) if !later.changed.is_empty() => shared.publish_files(later.changed),
                    Ok(_) => {}
                    Err(e) => eprintln!("error: {}", terminal_safe(&e.to_string())),
                }
                continue;
            }
            watch::Next::Stopped => break,
        };
        // A static/ or themes/ folder made after serve started is watched too.
        watch.follow_new_folders(&batch);
        let change = session.classify(batch);
        if change == Change::Nothing {
            continue;
        }
        match session.rebuild(&change) {
            Ok(outcome) => report(opts, shared, &outcome, false),
            Err(e) => eprintln!("error: {}", terminal_safe(&e.to_string())),
        }
        if let Some(e) = session.search_error() {
            eprintln!("error: search index: {}", terminal_safe(&e));
        }
    }
}

/// How long the editor must pause before the print pages that hold the
/// saved pages are rewritten.
const LATER_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Prints a rebuild's findings and summary, and tells open pages: its
/// errors for the overlay, or the files that changed. The first build
/// prints no summary (the address follows).
fn report(opts: &ServeOptions, shared: &http::Shared, outcome: &Outcome, first_build: bool) {
    let printer = Printer::new(opts.color);
    for d in &outcome.diagnostics {
        eprintln!("{}", printer.format(d));
    }
    if outcome.failed() {
        let json = errors_json(&printer, &outcome.diagnostics);
        if !first_build {
            eprintln!("Rebuild failed; still serving the last good version.");
        }
        shared.publish(|s| s.errors = Some(json));
        return;
    }
    if first_build {
        return;
    }
    let was_failing = shared.live.lock().is_ok_and(|s| s.errors.is_some());
    if was_failing {
        println!("Fixed: the site builds again, with no errors.");
    }
    println!(
        "Rebuilt {} file{} in {} ms{}",
        outcome.changed.len(),
        if outcome.changed.len() == 1 { "" } else { "s" },
        outcome.elapsed.as_millis(),
        if outcome.fast {
            " (one page)"
        } else if outcome.scoped {
            ""
        } else {
            " (whole site checked)"
        }
    );
    shared.publish_changes(outcome.changed.clone());
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("note: could not open a browser; visit {url}");
    }
}
