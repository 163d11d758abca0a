//! Names to URL segments: [`slugify`], and the checks that keep a name
//! from the site from becoming a dangerous path. Output paths are built
//! only from checked segments. A name from the site
//! (a file, a folder, a slug, a tag, an alias) becomes part of a path under
//! the output folder, so a segment that is empty, `.` or `..`, hidden, or
//! holds a slash, a backslash or a control character could write outside it
//! or over another page; [`bad_segment`] says why one cannot be used, and
//! [`check_path`] guards every path at the moment it is written.

use unicode_normalization::UnicodeNormalization;

/// Turns a name into a URL segment: Unicode NFC, lower case, spaces and
/// underscores to hyphens, anything but letters, digits, `-` and `.` dropped.
pub fn slugify(name: &str) -> String {
    let name = name.trim();
    if name.is_ascii() {
        return slugify_ascii(name);
    }
    let mut out = String::with_capacity(name.len());
    for c in name.nfc() {
        if c.is_alphanumeric() || c == '-' || c == '.' {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// [`slugify`] for ASCII text, which is already in Unicode's composed form
/// (most names are): a byte at a time.
fn slugify_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
            out.push(char::from(b.to_ascii_lowercase()));
        } else if (matches!(b, b'\t'..=b'\r' | b' ') || b == b'_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Why `seg` cannot be one segment of an output path, if it cannot.
pub(crate) fn bad_segment(seg: &str) -> Option<&'static str> {
    if seg.is_empty() {
        Some("it is empty")
    } else if seg == "." || seg == ".." {
        Some("`.` and `..` mean \"this folder\" and \"the folder above\"")
    } else if seg.starts_with('.') {
        Some("it starts with a dot, which makes a hidden file")
    } else if seg.contains(['/', '\\']) {
        Some("it contains a slash or backslash")
    } else if seg.chars().any(char::is_control) {
        Some("it contains a control character")
    } else {
        None
    }
}

/// Checks every segment of a `/`-separated path under the output folder.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') {
        return Err(format!("`{path}` starts with a slash"));
    }
    for seg in path.split('/') {
        if let Some(why) = bad_segment(seg) {
            return Err(format!("`{}` in `{path}`: {why}", seg.escape_debug()));
        }
    }
    Ok(())
}

/// The segments of a site path (`/a/b/`) that cannot be used, with why.
pub(crate) fn bad_url_segments(url: &str) -> Vec<(String, &'static str)> {
    let inner = url.strip_prefix('/').unwrap_or(url);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Vec::new();
    }
    inner
        .split('/')
        .filter_map(|s| bad_segment(s).map(|why| (s.to_string(), why)))
        .collect()
}

/// The form two output paths are compared in: paths that differ only in
/// letter case or Unicode composition are one file on macOS and Windows.
pub(crate) fn conflict_key(path: &str) -> String {
    if path.is_ascii() {
        return path.to_ascii_lowercase();
    }
    path.nfc().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies_names_for_urls() {
        assert_eq!(slugify("Midlands and East"), "midlands-and-east");
        assert_eq!(slugify("EPS_Phase 4!"), "eps-phase-4");
        assert_eq!(slugify("nominations"), "nominations");
        assert_eq!(slugify("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn ascii_names_slugify_and_compare_as_any_other() {
        // The ASCII fast paths give what the general paths give.
        let general_slug = |name: &str| {
            let mut out = String::new();
            for c in name.trim().nfc() {
                if c.is_alphanumeric() || c == '-' || c == '.' {
                    out.extend(c.to_lowercase());
                } else if (c.is_whitespace() || c == '_') && !out.ends_with('-') {
                    out.push('-');
                }
            }
            out.trim_matches('-').to_string()
        };
        for name in [
            "",
            "  ",
            "--a--",
            "EPS_Phase 4!",
            "a\tb\x0bc\x0cd\re",
            "x.y-z",
            "__init__",
            "A  B",
            "What's new? (2026)",
            "/ldr/North-East/index.html",
        ] {
            assert_eq!(slugify(name), general_slug(name), "{name:?}");
            let general_key: String = name.nfc().flat_map(char::to_lowercase).collect();
            assert_eq!(conflict_key(name), general_key, "{name:?}");
        }
    }

    #[test]
    fn refuses_segments_that_leave_the_folder_or_hide() {
        for bad in ["", ".", "..", ".git", "a/b", "a\\b", "a\0b", "a\nb"] {
            assert!(bad_segment(bad).is_some(), "{bad:?}");
        }
        for good in ["eps", "a..b", "map.png", "café", "2026-11-01"] {
            assert!(bad_segment(good).is_none(), "{good:?}");
        }
        assert!(check_path("eps/index.html").is_ok());
        assert!(check_path("./index.html").is_err());
        assert!(check_path("a/../../x").is_err());
        assert!(check_path("/etc/passwd").is_err());
    }

    #[test]
    fn conflicting_paths_compare_without_case_or_composition() {
        assert_eq!(conflict_key("A/B.png"), conflict_key("a/b.png"));
        assert_eq!(conflict_key("cafe\u{301}"), conflict_key("caf\u{e9}"));
    }
}
