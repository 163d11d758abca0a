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
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
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

/// True for addresses a link checker run in CI must not reach unless asked:
/// loopback, private networks, link-local (cloud metadata services live at
/// 169.254.169.254), unique-local, unspecified, multicast and broadcast.
pub(crate) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                // 100.64.0.0/10, carrier-grade NAT
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                // 198.18.0.0/15, benchmarking
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Resolves host names for ureq, dropping private addresses unless they
/// are allowed, so neither a link nor a DNS answer can aim the checker at
/// the machine it runs on or its network.
struct PublicOnly {
    allow_private: bool,
}

impl ureq::Resolver for PublicOnly {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
        if self.allow_private {
            return Ok(all);
        }
        let public: Vec<SocketAddr> = all.into_iter().filter(|a| !is_private(a.ip())).collect();
        if public.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                PRIVATE_REFUSAL,
            ));
        }
        Ok(public)
    }
}

const PRIVATE_REFUSAL: &str = "it is on this machine or a private network, which `pestle check --external` does not visit unless given --allow-private";

/// Why a link is not checked at all, if it is not.
fn refusal(url: &str, allow_private: bool) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !lower.starts_with("http://") && !lower.starts_with("https://") {
        return Some("only http and https links are checked".into());
    }
    if allow_private {
        return None;
    }
    let host = host_of(url);
    let host = host.rsplit_once('@').map_or(host.as_str(), |(_, h)| h);
    let bare = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    if bare == "localhost" || bare.ends_with(".localhost") {
        return Some(PRIVATE_REFUSAL.into());
    }
    match bare.parse::<IpAddr>() {
        Ok(ip) if is_private(ip) => Some(PRIVATE_REFUSAL.into()),
        _ => None,
    }
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
    allow_private: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut cache: Cache = read_cache(root)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let fresh_after = now().saturating_sub(config.external_cache_hours * 3600);
    let mut todo: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (url, file) in urls {
        if let Some(why) = refusal(url, allow_private) {
            out.push(
                Diagnostic::warning(
                    "external-link",
                    file,
                    Position::File,
                    format!("`{url}` was not checked: {why}"),
                )
                .with_hint("link to a public address, or run the check with --allow-private"),
            );
            continue;
        }
        let cached = cache.links.get(url).filter(|(at, _)| *at >= fresh_after);
        if cached.is_none() {
            todo.entry(host_of(url)).or_default().push(url);
        }
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(config.external_timeout_seconds))
        .redirects(0)
        .resolver(PublicOnly { allow_private })
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
    for (url, file) in urls {
        if refusal(url, allow_private).is_some() {
            continue;
        }
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
    if let Ok(text) = serde_json::to_string_pretty(&cache) {
        if let Err(why) = write_cache(root, &text) {
            out.push(
                Diagnostic::warning("external-link", CACHE_FILE, Position::File, why)
                    .with_hint("remove the link and let pestle make the folder"),
            );
        }
    }
    out
}

/// The cache folder under the site root, if it is a real folder (not a
/// link, which a pull request could aim at any file).
fn cache_dir(root: &Path) -> Option<PathBuf> {
    let dir = root.join(CACHE_FILE).parent()?.to_path_buf();
    std::fs::symlink_metadata(&dir)
        .ok()
        .filter(|m| m.is_dir())
        .map(|_| dir)
}

/// The cache's text, read without following a link.
fn read_cache(root: &Path) -> Option<String> {
    cache_dir(root)?;
    let bytes = crate::fs::read_regular(&root.join(CACHE_FILE)).ok()?;
    String::from_utf8(bytes).ok()
}

/// Writes the cache through a temporary file and a rename, so a link in
/// its place is replaced, never followed.
fn write_cache(root: &Path, text: &str) -> Result<(), String> {
    let path = root.join(CACHE_FILE);
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(format!(
                "{} is not a folder (a link?), so the link results were not saved",
                dir.strip_prefix(root).unwrap_or(dir).display()
            ));
        }
        Err(_) => {
            std::fs::create_dir(dir).map_err(|e| format!("cannot create the cache folder: {e}"))?
        }
    }
    crate::fs::write_atomic(&path, text.as_bytes()).map_err(|e| e.to_string())
}
