//! Markdown to HTML, once per page: CommonMark with tables, footnotes,
//! strikethrough, task lists, heading attributes, smart punctuation and
//! GitHub-style alerts. While rendering it gives headings their ids, builds
//! the table of contents, rewrites links to `.md` files into relative URLs,
//! and reports links to missing pages or files at their byte offset.

mod headings;

pub(crate) use headings::TocEntry;

use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::glossary::Matcher;
use crate::links::{self, LinkIndex, Resolved};
use headings::IdSet;
use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};
use std::collections::HashSet;
use std::path::Path;

/// A link to another page's `#fragment`, checked once every page has its ids.
#[derive(Debug, Clone)]
pub(crate) struct AnchorRef {
    pub(crate) target: usize,
    pub(crate) fragment: String,
    /// Byte offset of the link in the source file.
    pub(crate) offset: usize,
}

/// What rendering one page's Markdown produces.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    /// A hash of `html`, so serve can tell what changed without comparing it.
    pub(crate) html_hash: u64,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) ids: HashSet<String>,
    pub(crate) words: usize,
    pub(crate) anchors: Vec<AnchorRef>,
    /// Each heading's level and byte offset in the file, in order.
    pub(crate) headings: Vec<(u8, usize)>,
    /// Byte offsets of images written without alt text.
    pub(crate) images_without_alt: Vec<usize>,
    /// The plain text of each heading's section, for search (the text
    /// before the first heading comes first, with an empty id).
    pub(crate) sections: Vec<TextSection>,
}

/// One heading's section as plain text: what search indexes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TextSection {
    /// The heading's id (empty for the text before the first heading).
    pub(crate) id: String,
    /// The heading's text.
    pub(crate) heading: String,
    /// 2 for `##`... (0 before the first heading).
    pub(crate) level: u8,
    /// The section's text without code blocks; blocks end with a newline.
    pub(crate) text: String,
}

/// The page being rendered and what its links can point at.
pub(crate) struct PageRef<'a> {
    pub(crate) index: usize,
    pub(crate) url: &'a str,
    pub(crate) source_dir: &'a str,
    pub(crate) file: &'a Path,
    /// Glossary terms to mark with `<abbr>` on first use, unless the page opts out.
    pub(crate) glossary: Option<&'a Matcher<'a>>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

struct OpenHeading<'a> {
    at: usize,
    offset: usize,
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    text: String,
}

/// Renders `body` (which starts at byte `body_offset` of the page's file).
pub(crate) fn render(
    body: &str,
    body_offset: usize,
    page: &PageRef<'_>,
    index: &LinkIndex,
    file_urls: bool,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 8);
    let mut ids = IdSet::default();
    let mut flat_toc = Vec::new();
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut code_depth = 0usize;
    let mut link_depth = 0usize;
    let mut image_alt: Option<(usize, String)> = None;
    let mut used_terms = vec![false; page.glossary.map_or(0, Matcher::len)];
    // Search: the plain text of each heading's section.
    let mut section = TextSection::default();

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let offset = body_offset + range.start;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                if let Some(id) = &id {
                    ids.claim(id);
                }
                heading = Some(OpenHeading {
                    at: events.len(),
                    offset,
                    level,
                    id,
                    classes,
                    attrs,
                    text: String::new(),
                });
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(h) = heading.take() {
                    out.headings.push((level as u8, h.offset));
                    let title = h.text.trim().to_string();
                    let id = match h.id {
                        Some(id) => id,
                        None => CowStr::from(ids.unique(&title)),
                    };
                    // Search: a new section starts at each heading.
                    let done = std::mem::replace(
                        &mut section,
                        TextSection {
                            id: id.to_string(),
                            heading: title.clone(),
                            level: level as u8,
                            text: String::new(),
                        },
                    );
                    if !done.text.trim().is_empty() || !done.id.is_empty() {
                        out.sections.push(done);
                    }
                    flat_toc.push(TocEntry {
                        level: level as u8,
                        id: id.to_string(),
                        title,
                        children: vec![],
                    });
                    events[h.at] = Event::Start(Tag::Heading {
                        level: h.level,
                        id: Some(id),
                        classes: h.classes,
                        attrs: h.attrs,
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    rewrite(
                        &dest_url, offset, page, index, file_urls, &mut out, diags, "link",
                    )
                    .map_or(dest_url, CowStr::from)
                };
                link_depth += 1;
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(
                    &dest_url, offset, page, index, file_urls, &mut out, diags, "image",
                )
                .map_or(dest_url, CowStr::from);
                link_depth += 1;
                image_alt = Some((offset, String::new()));
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                link_depth = link_depth.saturating_sub(1);
                if let Some((at, alt)) = image_alt.take() {
                    if alt.trim().is_empty() {
                        out.images_without_alt.push(at);
                    }
                }
                events.push(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::Table(aligns)) => {
                events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n",
                )));
                events.push(Event::Start(Tag::Table(aligns)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            // A task list's box gets a name, so screen readers say what it means.
            Event::TaskListMarker(done) => {
                events.push(Event::InlineHtml(CowStr::Borrowed(if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                })));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code_depth += 1;
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                code_depth = code_depth.saturating_sub(1);
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) => {
                if let Some(h) = &mut heading {
                    h.text.push_str(&text);
                }
                if let Some((_, alt)) = &mut image_alt {
                    alt.push_str(&text);
                }
                if code_depth == 0 {
                    out.words += text.split_whitespace().count();
                    if heading.is_none() {
                        section.text.push_str(&text);
                    }
                }
                match page.glossary {
                    Some(g) if heading.is_none() && code_depth == 0 && link_depth == 0 => {
                        mark_terms(text, g, &mut used_terms, &mut events);
                    }
                    _ => events.push(Event::Text(text)),
                }
            }
            Event::Code(code) => {
                if let Some(h) = &mut heading {
                    h.text.push_str(&code);
                }
                out.words += 1;
                if heading.is_none() {
                    section.text.push_str(&code);
                }
                events.push(Event::Code(code));
            }
            // Search: blocks and line breaks separate words.
            Event::SoftBreak | Event::HardBreak => {
                section.text.push(' ');
                events.push(event);
            }
            Event::End(
                end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow),
            ) => {
                if !section.text.ends_with('\n') {
                    section.text.push('\n');
                }
                events.push(Event::End(end));
            }
            other => events.push(other),
        }
    }
    if !section.text.trim().is_empty() || !section.id.is_empty() {
        out.sections.push(section);
    }
    out.html.reserve(body.len() + body.len() / 2);
    html::push_html(&mut out.html, events.into_iter());
    out.html_hash = crate::hash::hash_of(out.html.as_str());
    out.toc = headings::nest(flat_toc);
    out.ids = ids.into_set();
    out
}

/// Pushes `text`, wrapping the first use of each glossary term in `<abbr>`.
fn mark_terms<'a>(
    text: CowStr<'a>,
    g: &Matcher<'_>,
    used: &mut [bool],
    events: &mut Vec<Event<'a>>,
) {
    if g.is_empty() || !used.contains(&false) {
        events.push(Event::Text(text));
        return;
    }
    let mut rest: &str = &text;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    while let Some((start, end, i)) = g.first_in(rest, used) {
        used[i] = true;
        if start > 0 {
            pieces.push(Event::Text(CowStr::from(rest[..start].to_string())));
        }
        pieces.push(Event::InlineHtml(CowStr::from(format!(
            "<abbr title=\"{}\">{}</abbr>",
            crate::output::escape(g.expansion(i)),
            crate::output::escape(&rest[start..end])
        ))));
        rest = &rest[end..];
    }
    if pieces.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    if !rest.is_empty() {
        pieces.push(Event::Text(CowStr::from(rest.to_string())));
    }
    events.extend(pieces);
}

/// Resolves one link or image destination; `Some(new)` when rewritten.
#[allow(clippy::too_many_arguments)]
fn rewrite(
    dest: &str,
    offset: usize,
    page: &PageRef<'_>,
    index: &LinkIndex,
    file_urls: bool,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
    what: &str,
) -> Option<String> {
    if let Some(fragment) = dest.strip_prefix('#') {
        if !fragment.is_empty() {
            out.anchors.push(AnchorRef {
                target: page.index,
                fragment: fragment.to_string(),
                offset,
            });
        }
        return None;
    }
    match index.resolve(page.source_dir, dest) {
        Resolved::External => None,
        Resolved::Page(target, fragment) => {
            let mut url = if target == page.index && fragment.is_some() {
                String::new()
            } else {
                links::relative(page.url, &index.page_urls[target], file_urls)
            };
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(&f);
                out.anchors.push(AnchorRef {
                    target,
                    fragment: f,
                    offset,
                });
            }
            Some(url)
        }
        Resolved::File(site_path, rest) => {
            Some(links::relative(page.url, &site_path, file_urls) + &rest)
        }
        Resolved::Draft(source) => {
            diags.push(
                Diagnostic::error(
                    "draft-link",
                    page.file,
                    Position::Offset(offset),
                    format!("this {what} goes to content/{source}, a draft this build leaves out"),
                )
                .with_hint("publish that page (remove `draft: true`) or build with --drafts"),
            );
            None
        }
        Resolved::Missing(why) => {
            let wanted = links::join(page.source_dir, dest.split(['#', '?']).next().unwrap_or(""))
                .unwrap_or_default();
            let hint = did_you_mean(&wanted, index.pages.keys().map(String::as_str))
                .map(|s| format!("did you mean `content/{s}`? Links are paths to the .md file, relative to this page"))
                .unwrap_or_else(|| {
                    "link to the page's .md file, relative to this page (../tokens/ordering.md) or from the content folder (/tokens/ordering.md)".into()
                });
            diags.push(
                Diagnostic::error(
                    "broken-link",
                    page.file,
                    Position::Offset(offset),
                    format!("broken {what} `{dest}`: {why}"),
                )
                .with_hint(hint),
            );
            None
        }
    }
}

/// Checks each `#fragment` link against the ids its target page has.
pub(crate) fn check_anchors(
    rendered: &[std::sync::Arc<Rendered>],
    files: &[&Path],
    sources: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    for (i, r) in rendered.iter().enumerate() {
        for a in &r.anchors {
            let Some(target) = rendered.get(a.target) else {
                continue;
            };
            if target.ids.contains(&a.fragment) {
                continue;
            }
            let mut known: Vec<&str> = target.ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let hint = match did_you_mean(&a.fragment, known.iter().copied()) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if known.is_empty() => "that page has no headings to link to".into(),
                None => format!("its headings' ids are: {}", known.join(", ")),
            };
            let place = if a.target == i {
                "this page".to_string()
            } else {
                format!("content/{}", sources[a.target])
            };
            diags.push(
                Diagnostic::error(
                    "broken-anchor",
                    files[i],
                    Position::Offset(a.offset),
                    format!("{place} has no heading with the id `{}`", a.fragment),
                )
                .with_hint(hint),
            );
        }
    }
}
