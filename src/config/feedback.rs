//! `feedback_url`: where a page's "Is this page useful? Yes / No" and
//! "Report a problem with this page" links go. The setting is an address
//! template; pestle fills in `{url}` (the page's address), `{title}` (its
//! title) and `{answer}` (`yes`, `no` or `problem`), each URL-encoded. A
//! template without `{answer}` gets `answer=yes|no|problem` added to its
//! query string, so the three links always differ.

/// The three links a page ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// "Yes", the page was useful.
    Yes,
    /// "No", it was not.
    No,
    /// "Report a problem with this page".
    Problem,
}

impl Answer {
    /// The word the address carries.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Problem => "problem",
        }
    }
}

/// The placeholders a feedback template may hold.
const PLACEHOLDERS: &[&str] = &["url", "title", "answer"];

/// A checked `feedback_url` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackUrl {
    template: String,
}

/// Why a template was refused: the message, the hint, and the byte within
/// the value to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) message: String,
    pub(crate) hint: String,
    pub(crate) at: usize,
}

fn refuse(at: usize, message: impl Into<String>, hint: impl Into<String>) -> Refusal {
    Refusal {
        message: message.into(),
        hint: hint.into(),
        at,
    }
}

const EXAMPLE: &str = "feedback_url: https://example.org/feedback?page={url}&title={title}";

impl FeedbackUrl {
    /// Checks a template: an absolute http(s) address with a host, no
    /// spaces or control characters, only the known placeholders, and
    /// `{url}` among them (feedback that does not say which page is no use).
    pub(crate) fn parse(value: &str) -> Result<FeedbackUrl, Refusal> {
        let Some(rest) = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
        else {
            return Err(refuse(
                0,
                format!(
                    "`{}` is not an absolute web address: feedback links must start with https:// (or http://)",
                    value.escape_debug()
                ),
                format!("write the whole address, like {EXAMPLE}"),
            ));
        };
        let host_at = value.len() - rest.len();
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if host_end == 0 || rest[..host_end].contains(['{', '}', '@']) {
            return Err(refuse(
                host_at,
                "the feedback address has no host name after https://",
                format!("name the site that collects feedback, like {EXAMPLE}"),
            ));
        }
        if let Some(bad) = value.find(|c: char| c.is_whitespace() || c.is_control()) {
            return Err(refuse(
                bad,
                "the feedback address has a space or control character in it",
                "write spaces as %20, or take them out",
            ));
        }
        let mut seen_url = false;
        let mut i = 0;
        while let Some(open) = value[i..].find(['{', '}']).map(|o| i + o) {
            if value.as_bytes()[open] == b'}' {
                return Err(refuse(
                    open,
                    "the feedback address has a `}` with no `{` before it",
                    "placeholders are written {url}, {title} or {answer}",
                ));
            }
            let Some(close) = value[open..].find('}').map(|c| open + c) else {
                return Err(refuse(
                    open,
                    "the feedback address has a `{` that is never closed",
                    "placeholders are written {url}, {title} or {answer}",
                ));
            };
            let name = &value[open + 1..close];
            if !PLACEHOLDERS.contains(&name) {
                let hint =
                    match crate::diagnostics::did_you_mean(name, PLACEHOLDERS.iter().copied()) {
                        Some(s) => format!("did you mean `{{{s}}}`?"),
                        None => "the placeholders are {url}, {title} and {answer}".into(),
                    };
                return Err(refuse(
                    open,
                    format!(
                        "the feedback address has an unknown placeholder `{{{}}}`",
                        name.escape_debug()
                    ),
                    hint,
                ));
            }
            seen_url |= name == "url";
            i = close + 1;
        }
        if !seen_url {
            return Err(refuse(
                value.len(),
                "the feedback address has no {url}, so feedback would not say which page it is about",
                format!("add the page's address as a parameter, like {EXAMPLE}"),
            ));
        }
        Ok(FeedbackUrl {
            template: value.to_string(),
        })
    }

    /// The address as written in site.yaml.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The part before the first placeholder: every feedback link starts
    /// with it (so `check --external` can leave them alone: a visit would
    /// count as an answer).
    pub(crate) fn fixed_prefix(&self) -> &str {
        let end = self.template.find('{').unwrap_or(self.template.len());
        &self.template[..end]
    }

    /// The link for `answer` about the page at absolute address `url`
    /// titled `title`.
    pub(crate) fn link(&self, url: &str, title: &str, answer: Answer) -> String {
        let mut out = String::with_capacity(self.template.len() + url.len() + title.len());
        let mut rest = self.template.as_str();
        let mut answered = false;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            match &rest[open + 1..close] {
                "url" => out.push_str(&percent_encode(url)),
                "title" => out.push_str(&percent_encode(title)),
                _ => {
                    out.push_str(answer.word());
                    answered = true;
                }
            }
            rest = rest.get(close + 1..).unwrap_or("");
        }
        out.push_str(rest);
        if !answered {
            let (before, fragment) = match out.find('#') {
                Some(h) => out.split_at(h),
                None => (out.as_str(), ""),
            };
            let joiner = if !before.contains('?') {
                "?"
            } else if before.ends_with(['?', '&']) {
                ""
            } else {
                "&"
            };
            out = format!("{before}{joiner}answer={}{fragment}", answer.word());
        }
        out
    }
}

/// `s` with every byte but the unreserved characters of RFC 3986
/// (letters, digits, `-._~`) written as `%XX`.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> FeedbackUrl {
        FeedbackUrl::parse(s).unwrap_or_else(|r| panic!("{s}: {r:?}"))
    }

    #[test]
    fn fills_in_encoded_values_and_tells_the_answers_apart() {
        let f = ok("https://example.org/feedback?page={url}&title={title}");
        assert_eq!(
            f.link("https://g.example/eps/a b/", "Tokens & forms", Answer::No),
            "https://example.org/feedback?page=https%3A%2F%2Fg.example%2Feps%2Fa%20b%2F&title=Tokens%20%26%20forms&answer=no"
        );
        let f = ok("https://example.org/f/{answer}?u={url}#top");
        assert_eq!(
            f.link("https://g/x/", "T", Answer::Problem),
            "https://example.org/f/problem?u=https%3A%2F%2Fg%2Fx%2F#top"
        );
        let f = ok("https://example.org/f#u={url}");
        assert_eq!(
            f.link("u", "T", Answer::Yes),
            "https://example.org/f?answer=yes#u=u"
        );
        assert_eq!(f.fixed_prefix(), "https://example.org/f#u=");
    }

    #[test]
    fn refuses_what_cannot_work() {
        for (bad, at) in [
            ("/feedback?u={url}", 0),
            ("mailto:a@b.org?subject={url}", 0),
            ("https://?u={url}", 8),
            ("https://example.org/f?u={url}&p={page}", 32),
            ("https://example.org/f?u={url", 24),
            ("https://example.org/f?title={title}", 35),
            ("https://example.org/f ?u={url}", 21),
        ] {
            let r = FeedbackUrl::parse(bad).expect_err(bad);
            assert_eq!(r.at, at, "{bad}: {r:?}");
            assert!(!r.hint.is_empty());
        }
        let r = FeedbackUrl::parse("https://e.org/?u={url}&t={titel}").expect_err("typo");
        assert_eq!(r.hint, "did you mean `{title}`?");
    }
}
