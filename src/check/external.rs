//! External links, checked only with `pestle check --external`: each URL
//! once, hosts in parallel but one request at a time per host, with a
//! timeout and retries, and definite answers cached for a while in
//! `.pestle-cache/external-links.json` under the site root. A network
//! failure is a warning (an error only with --strict): the site is not
//! broken because a server was slow today.

use crate::config::CheckConfig;
use crate::diagnostics::{Diagnostic, Position};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The cache file, relative to the site root.
pub(crate) const CACHE_FILE: &str = ".pestle-cache/external-links.json";

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// 2xx.
    Ok { status: u16 },
    /// A permanent redirect to another address.
    Moved { status: u16, location: String },
    /// 4xx or 5xx after retries.
    Broken { status: u16 },
    /// No answer: timeout, refused connection, bad TLS.
    Unreachable { reason: String },
}

#[derive(Serialize, Deserialize, Default)]
struct Cache {
    /// URL → (unix seconds when checked, outcome).
    links: BTreeMap<String, (u64, Outcome)>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn host_of(url: &str) -> String {
    url.split_once("://")
        .map(|(_, r)| {
            r.split(['/', '?', '#'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

fn check_one(agent: &ureq::Agent, url: &str, retries: u32) -> Outcome {
    let mut attempt = 0;
    loop {
        let result = match agent.head(url).call() {
            Err(ureq::Error::Status(405 | 501, _)) => agent.get(url).call(),
            other => other,
        };
        let outcome = match result {
            Ok(resp) => {
                let status = resp.status();
                if (300..400).contains(&status) {
                    let location = resp.header("location").unwrap_or("").to_string();
                    if status == 301 || status == 308 {
                        Outcome::Moved { status, location }
                    } else {
                        Outcome::Ok { status }
                    }
                } else {
                    Outcome::Ok { status }
                }
            }
            Err(ureq::Error::Status(status, _)) => Outcome::Broken { status },
            Err(ureq::Error::Transport(t)) => Outcome::Unreachable {
                reason: t.to_string(),
            },
        };
        let retry = match &outcome {
            Outcome::Unreachable { .. } => true,
            Outcome::Broken { status } => *status == 429 || *status >= 500,
            _ => false,
        };
        if !retry || attempt >= retries {
            return outcome;
        }
        attempt += 1;
        std::thread::sleep(Duration::from_millis(200 * u64::from(attempt)));
    }
}

/// Checks `urls` (each with the file that links to it), using and updating
/// the cache under `root`.
pub(crate) fn check(
    root: &Path,
    urls: &BTreeMap<String, PathBuf>,
    config: &CheckConfig,
) -> Vec<Diagnostic> {
    let cache_path = root.join(CACHE_FILE);
    let mut cache: Cache = std::fs::read_to_string(&cache_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let fresh_after = now().saturating_sub(config.external_cache_hours * 3600);
    let mut todo: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for url in urls.keys() {
        let cached = cache.links.get(url).filter(|(at, _)| *at >= fresh_after);
        if cached.is_none() {
            todo.entry(host_of(url)).or_default().push(url);
        }
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(config.external_timeout_seconds))
        .redirects(0)
        .user_agent(concat!(
            "pestle/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build();
    let hosts: Vec<(String, Vec<&str>)> = todo.into_iter().collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let run = |hosts: &[(String, Vec<&str>)]| -> Vec<(String, Outcome)> {
        use rayon::prelude::*;
        hosts
            .par_iter()
            .flat_map_iter(|(_, list)| {
                list.iter()
                    .map(|u| (u.to_string(), check_one(&agent, u, config.external_retries)))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let results = match &pool {
        Ok(p) => p.install(|| run(&hosts)),
        Err(_) => run(&hosts),
    };
    let stamp = now();
    for (url, outcome) in results {
        cache.links.insert(url, (stamp, outcome));
    }
    let mut out = Vec::new();
    for (url, file) in urls {
        let Some((_, outcome)) = cache.links.get(url) else {
            continue;
        };
        let d = match outcome {
            Outcome::Ok { .. } => continue,
            Outcome::Moved { status, location } => Diagnostic::warning(
                "external-link",
                file,
                Position::File,
                format!("`{url}` has moved ({status}) to `{location}`"),
            )
            .with_hint("update the link to the new address"),
            Outcome::Broken { status } => Diagnostic::error(
                "external-link",
                file,
                Position::File,
                format!("`{url}` answers {status}"),
            )
            .with_hint("find where the document lives now, or link to an archived copy"),
            Outcome::Unreachable { reason } => Diagnostic::warning(
                "external-link",
                file,
                Position::File,
                format!("`{url}` could not be reached: {reason}"),
            )
            .with_hint(
                "this may be a passing network problem; it fails the check only with --strict",
            ),
        };
        out.push(d);
    }
    // Only definite answers are worth keeping.
    cache
        .links
        .retain(|_, (_, o)| !matches!(o, Outcome::Unreachable { .. }));
    if let Some(parent) = cache_path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Ok(text) = serde_json::to_string_pretty(&cache) {
        let _ = std::fs::write(&cache_path, text);
    }
    out
}
