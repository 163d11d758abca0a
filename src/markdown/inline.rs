//! One paragraph of Markdown as inline HTML, for text that is shown on
//! every page (a banner): emphasis, strong, strikethrough, code and links.
//! Raw HTML is shown as text. Links to pages of the site are written from
//! the content folder (`/help/contingency.md`) and kept as site paths, so
//! each page can write them relative to itself.

use super::options;
use crate::escape::html as escape;
use crate::links::{self, LinkIndex, Resolved};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A piece of inline HTML: markup as it is, or a site path to write as a
/// URL relative to the page it is shown on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum InlinePart {
    /// HTML, already escaped.
    Html(String),
    /// A site path with its `#fragment` or `?query`, like `/help/#phone`.
    SitePath(String),
}

/// Why the text cannot be shown inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InlineProblem {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) hint: String,
}

fn problem(code: &'static str, message: String, hint: &str) -> InlineProblem {
    InlineProblem {
        code,
        message,
        hint: hint.to_string(),
    }
}

const ONE_LINE: &str = "a banner is one paragraph of text: write it on one line, with **bold**, *italics*, `code` and [links](/help/contingency.md)";

/// Renders `text` as inline HTML, resolving links from the content folder.
pub(crate) fn render_inline(
    text: &str,
    index: &LinkIndex,
) -> Result<Vec<InlinePart>, InlineProblem> {
    let mut parts: Vec<InlinePart> = Vec::new();
    let mut html = String::new();
    let mut paragraphs = 0;
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                if paragraphs > 1 {
                    return Err(problem(
                        "bad-config",
                        "this banner has more than one paragraph".into(),
                        ONE_LINE,
                    ));
                }
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => html.push_str(&escape(&t)),
            Event::Code(t) => {
                html.push_str("<code>");
                html.push_str(&escape(&t));
                html.push_str("</code>");
            }
            Event::SoftBreak | Event::HardBreak => html.push(' '),
            Event::Start(Tag::Emphasis) => html.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => html.push_str("</em>"),
            Event::Start(Tag::Strong) => html.push_str("<strong>"),
            Event::End(TagEnd::Strong) => html.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => html.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => html.push_str("</del>"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                html.push_str("<a href=\"");
                match link_target(&dest_url, index)? {
                    InlinePart::Html(url) => html.push_str(&url),
                    path => {
                        parts.push(InlinePart::Html(std::mem::take(&mut html)));
                        parts.push(path);
                    }
                }
                html.push_str("\">");
            }
            Event::End(TagEnd::Link) => html.push_str("</a>"),
            other => {
                return Err(problem(
                    "bad-config",
                    format!("this banner has {} in it", describe(&other)),
                    ONE_LINE,
                ));
            }
        }
    }
    if !html.is_empty() {
        parts.push(InlinePart::Html(html));
    }
    Ok(parts)
}

/// Where a banner's link goes: another site's address (escaped), or a
/// page or file of this site as its site path.
fn link_target(dest: &str, index: &LinkIndex) -> Result<InlinePart, InlineProblem> {
    if dest.starts_with('#') {
        return Err(problem(
            "broken-link",
            format!("the banner's link `{dest}` names no page: a banner is shown on every page"),
            "link to the page and its heading, like `/help/contingency.md#phone`",
        ));
    }
    if links::is_external(dest) {
        return Ok(InlinePart::Html(escape(dest)));
    }
    match index.resolve("", dest) {
        Resolved::Page(i, fragment) => {
            let mut path = index.page_urls[i].clone();
            if let Some(f) = fragment {
                path.push('#');
                path.push_str(&f);
            }
            Ok(InlinePart::SitePath(path))
        }
        Resolved::File(path, rest) => Ok(InlinePart::SitePath(path + &rest)),
        Resolved::Draft(source) => Err(problem(
            "draft-link",
            format!("the banner links to content/{source}, a draft this build leaves out"),
            "publish that page (remove `draft: true`) or link to another",
        )),
        Resolved::External => Ok(InlinePart::Html(escape(dest))),
        Resolved::Missing(why) => Err(problem(
            "broken-link",
            format!("the banner's link `{dest}` is broken: {why}"),
            "write links in a banner from the content folder, like `/help/contingency.md`, or as a full address, like https://example.org/",
        )),
    }
}

/// What a block or other unsupported event is, in words.
fn describe(event: &Event<'_>) -> &'static str {
    match event {
        Event::Start(Tag::Heading { .. }) => "a heading",
        Event::Start(Tag::List(_) | Tag::Item) => "a list",
        Event::Start(Tag::Image { .. }) => "an image",
        Event::Start(Tag::BlockQuote(_)) => "a quotation block",
        Event::Start(Tag::CodeBlock(_)) => "a code block",
        Event::Start(Tag::Table(_)) => "a table",
        Event::Rule => "a horizontal rule",
        Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => "a footnote",
        Event::TaskListMarker(_) => "a task list",
        _ => "something other than text and links",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut index = LinkIndex::default();
        index.pages.insert("help/contingency.md".into(), 0);
        index.page_urls.push("/help/contingency/".into());
        index
    }

    #[test]
    fn keeps_inline_markup_and_makes_site_links_paths() {
        let parts = render_inline(
            "**Spine down** <b>now</b>: see [the guide](/help/contingency.md#phone) or [NHS](https://www.nhs.uk/?a=1&b=2).",
            &index(),
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(
            parts,
            vec![
                InlinePart::Html(
                    "<strong>Spine down</strong> &lt;b&gt;now&lt;/b&gt;: see <a href=\"".into()
                ),
                InlinePart::SitePath("/help/contingency/#phone".into()),
                InlinePart::Html(
                    "\">the guide</a> or <a href=\"https://www.nhs.uk/?a=1&amp;b=2\">NHS</a>."
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn refuses_blocks_and_broken_links() {
        let i = index();
        assert_eq!(
            render_inline("# Down", &i).map_err(|p| p.message),
            Err("this banner has a heading in it".to_string())
        );
        assert!(render_inline("One.\n\nTwo.", &i).is_err());
        assert_eq!(
            render_inline("[x](/nope.md)", &i).map_err(|p| p.code),
            Err("broken-link")
        );
    }
}
