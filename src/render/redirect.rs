//! Redirect pages for aliases: an old URL that sends browsers and search
//! engines on to the page's current address.

use crate::escape::html as escape;

/// The HTML of a page that redirects to `href` (relative to the alias), with
/// `permalink` as its canonical address.
pub(crate) fn page(title: &str, href: &str, permalink: &str, lang: &str) -> String {
    let (title, href, permalink, lang) =
        (escape(title), escape(href), escape(permalink), escape(lang));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n\
<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n\
</head>\n<body>\n<p>This page has moved to <a href=\"{href}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

/// The `_redirects` file that Netlify and Cloudflare Pages read: one
/// `/old/path /new/path 301` line per alias (and the news section's first
/// pager page), sorted, both paths from the base URL's path, so a host
/// answers with a real 301 rather than the HTML page.
pub(crate) fn host_rules(site: &crate::site::Site) -> String {
    let base = site.config.base_path().trim_end_matches('/');
    let mut rules: Vec<(String, String)> = Vec::new();
    for p in &site.pages {
        for (alias, _) in &p.meta.aliases {
            rules.push((alias.clone(), p.url.clone()));
        }
    }
    if let Some(news) = &site.news {
        let url = &site.pages[news.section].url;
        rules.push((format!("{url}page/1/"), url.clone()));
    }
    rules.sort();
    rules.dedup();
    let mut out = String::new();
    for (from, to) in rules {
        out.push_str(&format!(
            "{base}{} {base}{} 301\n",
            path_safe(&from),
            path_safe(&to)
        ));
    }
    out
}

/// `path` with every byte a path may not hold as it is written `%XX`, so a
/// space cannot split a rule.
fn path_safe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
