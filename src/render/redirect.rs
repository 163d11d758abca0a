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
