//! One walk over a page's Markdown events: headings get their ids and the
//! table of contents its entries, links and images are rewritten (and
//! reported when broken), alerts, tables and task lists get their markup,
//! the first use of each glossary term is marked, and the plain text of
//! each heading's section is kept for search.

use super::headings::{IdSet, TocEntry, nest};
use super::{AnchorRef, PageRef, Rendered, TextSection, alert};
use crate::diagnostics::{Diagnostic, Position};
use crate::glossary::Matcher;
use crate::image::ImageSize;
use crate::links::{self, LinkIndex, Resolved};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd, html};

/// A heading whose text is still being read.
struct OpenHeading<'a> {
    /// Where its start event sits in `events` (replaced when it ends).
    at: usize,
    offset: usize,
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    text: String,
}

/// An image whose alt text is still being read.
struct OpenImage {
    /// Where its start event sits in `events` (the image becomes one tag).
    at: usize,
    /// Images inside its alt text (they become part of the text).
    nested: usize,
    size: Option<ImageSize>,
    lazy: bool,
}

/// The state of one page's walk.
pub(super) struct Walker<'a, 'p> {
    page: &'p PageRef<'p>,
    index: &'p LinkIndex,
    file_urls: bool,
    diags: &'p mut Vec<Diagnostic>,
    out: Rendered,
    checks: super::Checks,
    events: Vec<Event<'a>>,
    ids: IdSet,
    flat_toc: Vec<TocEntry>,
    heading: Option<OpenHeading<'a>>,
    code_depth: usize,
    link_depth: usize,
    image_alt: Option<(usize, String)>,
    /// The image being read: where its start event sits and its size.
    image: Option<OpenImage>,
    /// How many images the page has shown so far (all but the first load lazily).
    images_seen: usize,
    used_terms: Vec<bool>,
    /// Search: the plain text of the current heading's section.
    section: TextSection,
}

impl<'a, 'p> Walker<'a, 'p> {
    pub(super) fn new(
        body: &'a str,
        page: &'p PageRef<'p>,
        index: &'p LinkIndex,
        file_urls: bool,
        diags: &'p mut Vec<Diagnostic>,
    ) -> Self {
        Walker {
            page,
            index,
            file_urls,
            diags,
            out: Rendered::default(),
            checks: super::Checks::default(),
            // About one event per 30 bytes of Markdown (pulldown-cmark
            // guesses its own tree the same way); a larger guess costs a
            // fresh, zeroed allocation per page.
            events: Vec::with_capacity(64.max(body.len() / 24)),
            ids: IdSet::default(),
            flat_toc: Vec::new(),
            heading: None,
            code_depth: 0,
            link_depth: 0,
            image_alt: None,
            image: None,
            images_seen: 0,
            used_terms: vec![false; page.glossary.map_or(0, Matcher::len)],
            section: TextSection::default(),
        }
    }

    /// Takes one event found at byte `offset` of the file.
    pub(super) fn event(&mut self, event: Event<'a>, offset: usize) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading_start(level, id, classes, attrs, offset),
            Event::End(TagEnd::Heading(level)) => self.heading_end(level),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    self.rewrite(&dest_url, offset, "link")
                        .map_or(dest_url, CowStr::from)
                };
                self.link_depth += 1;
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.events.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_depth += 1;
                if let Some(open) = &mut self.image {
                    open.nested += 1;
                } else {
                    self.images_seen += 1;
                    self.image = Some(OpenImage {
                        at: self.events.len(),
                        nested: 0,
                        size: self.image_size(&dest_url, offset),
                        lazy: self.images_seen > 1,
                    });
                    self.image_alt = Some((offset, String::new()));
                }
                let dest_url = self
                    .rewrite(&dest_url, offset, "image")
                    .map_or(dest_url, CowStr::from);
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => self.image_end(),
            other => self.block(other),
        }
    }

    /// Blocks and inline text: alerts, tables, task lists, code, text.
    fn block(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                self.events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::Table(aligns)) => {
                self.events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n",
                )));
                self.events.push(Event::Start(Tag::Table(aligns)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            // A task list's box gets a name, so screen readers say what it means.
            Event::TaskListMarker(done) => {
                self.events
                    .push(Event::InlineHtml(CowStr::Borrowed(if done {
                        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                    } else {
                        "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                    })));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_depth += 1;
                self.events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                self.events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&code);
                }
                self.out.words += 1;
                if self.heading.is_none() {
                    self.section.text.push_str(&code);
                }
                self.events.push(Event::Code(code));
            }
            // Search: blocks and line breaks separate words.
            Event::SoftBreak | Event::HardBreak => {
                self.section.text.push(' ');
                self.events.push(event);
            }
            Event::End(
                end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow),
            ) => {
                if !self.section.text.ends_with('\n') {
                    self.section.text.push('\n');
                }
                self.events.push(Event::End(end));
            }
            other => self.events.push(other),
        }
    }

    fn heading_start(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        offset: usize,
    ) {
        if let Some(id) = &id {
            self.ids.claim(id);
        }
        self.heading = Some(OpenHeading {
            at: self.events.len(),
            offset,
            level,
            id,
            classes,
            attrs,
            text: String::new(),
        });
        self.events.push(Event::Text(CowStr::Borrowed("")));
    }

    fn heading_end(&mut self, level: HeadingLevel) {
        if let Some(h) = self.heading.take() {
            self.checks.headings.push((level as u8, h.offset));
            let title = h.text.trim().to_string();
            let id = match h.id {
                Some(id) => id,
                None => CowStr::from(self.ids.unique(&title)),
            };
            // Search: a new section starts at each heading.
            let done = std::mem::replace(
                &mut self.section,
                TextSection {
                    id: id.to_string(),
                    heading: title.clone(),
                    level: level as u8,
                    text: String::new(),
                },
            );
            if !done.text.trim().is_empty() || !done.id.is_empty() {
                self.out.sections.push(done);
            }
            self.flat_toc.push(TocEntry {
                level: level as u8,
                id: id.to_string(),
                title,
                children: vec![],
            });
            self.events[h.at] = Event::Start(Tag::Heading {
                level: h.level,
                id: Some(id),
                classes: h.classes,
                attrs: h.attrs,
            });
        }
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    fn text(&mut self, text: CowStr<'a>) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(&text);
        }
        if let Some((_, alt)) = &mut self.image_alt {
            alt.push_str(&text);
        }
        if self.code_depth == 0 {
            self.out.words += count_words(&text);
            if self.heading.is_none() {
                self.section.text.push_str(&text);
            }
        }
        match self.page.glossary {
            Some(g) if self.heading.is_none() && self.code_depth == 0 && self.link_depth == 0 => {
                mark_terms(text, g, &mut self.used_terms, &mut self.events);
            }
            _ => self.events.push(Event::Text(text)),
        }
    }

    /// Ends the walk: the HTML, the nested table of contents and the ids.
    pub(super) fn finish(mut self, body_len: usize) -> Rendered {
        let section = std::mem::take(&mut self.section);
        if !section.text.trim().is_empty() || !section.id.is_empty() {
            self.out.sections.push(section);
        }
        let mut out = self.out;
        out.html.reserve(body_len + body_len / 2);
        html::push_html(&mut out.html, self.events.into_iter());
        // Kept for the whole build (and a serve session): no spare room.
        out.html.shrink_to_fit();
        for s in &mut out.sections {
            s.text.shrink_to_fit();
        }
        out.sections.shrink_to_fit();
        out.html_hash = crate::hash::hash_of(out.html.as_str());
        out.toc = nest(self.flat_toc);
        let mut checks = self.checks;
        checks.ids = self.ids.into_ids();
        out.with_checks(checks)
    }

    /// The size of the image at `dest`, when it is a file of the site
    /// whose size pestle reads; one that cannot be read is reported here.
    fn image_size(&mut self, dest: &str, offset: usize) -> Option<ImageSize> {
        let Resolved::File(site_path, _) = self.index.resolve(self.page.source_dir, dest) else {
            return None;
        };
        match self.index.images.get(&site_path)? {
            Ok(size) => Some(*size),
            Err(why) => {
                self.diags.push(
                    Diagnostic::error(
                        "bad-image",
                        self.page.file,
                        Position::Offset(offset),
                        format!("the image `{dest}` cannot be used: {why}"),
                    )
                    .with_hint("save the image again as a PNG, JPEG, GIF, WebP or SVG file (or link to the one you meant), then build again"),
                );
                None
            }
        }
    }

    /// Ends an image: the outermost becomes one `<img>` tag, as the HTML
    /// writer makes it, with its size and (after the first) lazy loading.
    fn image_end(&mut self) {
        self.link_depth = self.link_depth.saturating_sub(1);
        let Some(open) = self.image.as_mut() else {
            self.events.push(Event::End(TagEnd::Image));
            return;
        };
        if open.nested > 0 {
            open.nested -= 1;
            self.events.push(Event::End(TagEnd::Image));
            return;
        }
        let Some(open) = self.image.take() else {
            return;
        };
        if let Some((at, alt)) = self.image_alt.take() {
            if alt.trim().is_empty() {
                self.checks.images_without_alt.push(at);
            }
        }
        let mut tag = String::new();
        let events = self.events.drain(open.at.min(self.events.len())..);
        html::push_html(
            &mut tag,
            events.chain(std::iter::once(Event::End(TagEnd::Image))),
        );
        let mut extra = String::new();
        if let Some(ImageSize::Known(w, h)) = open.size {
            extra.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        if open.lazy {
            extra.push_str(" loading=\"lazy\"");
        }
        if let Some(head) = tag.strip_suffix(" />") {
            tag = format!("{head}{extra} />");
        }
        self.events.push(Event::InlineHtml(CowStr::from(tag)));
    }

    /// Resolves one link or image destination; `Some(new)` when rewritten.
    fn rewrite(&mut self, dest: &str, offset: usize, what: &str) -> Option<String> {
        let page = self.page;
        if let Some(fragment) = dest.strip_prefix('#') {
            if !fragment.is_empty() {
                self.checks.anchors.push(AnchorRef {
                    target: page.index,
                    fragment: fragment.to_string(),
                    offset,
                });
            }
            return None;
        }
        match self.index.resolve(page.source_dir, dest) {
            Resolved::External => None,
            Resolved::Page(target, fragment) => {
                let mut url = if target == page.index && fragment.is_some() {
                    String::new()
                } else {
                    links::relative(page.url, &self.index.page_urls[target], self.file_urls)
                };
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(&f);
                    self.checks.anchors.push(AnchorRef {
                        target,
                        fragment: f,
                        offset,
                    });
                }
                Some(url)
            }
            Resolved::File(site_path, rest) => {
                Some(links::relative(page.url, &site_path, self.file_urls) + &rest)
            }
            Resolved::Draft(source) => {
                self.diags.push(
                    Diagnostic::error(
                        "draft-link",
                        page.file,
                        Position::Offset(offset),
                        format!(
                            "this {what} goes to content/{source}, a draft this build leaves out"
                        ),
                    )
                    .with_hint("publish that page (remove `draft: true`) or build with --drafts"),
                );
                None
            }
            Resolved::Missing(why) => {
                let image = what == "image";
                let own_file = page
                    .file
                    .strip_prefix("content")
                    .ok()
                    .and_then(|p| p.to_str())
                    .unwrap_or("");
                let hint = match links::suggest(self.index, page.source_dir, own_file, dest, image) {
                    Some(s) if image => format!("did you mean the image `{s}`? Write `![...]({s})`"),
                    Some(s) if s.ends_with(".md") || s.contains(".md#") => {
                        format!("did you mean the page `{s}`? Write `[...]({s})`")
                    }
                    Some(s) => format!("did you mean the file `{s}`? Write `[...]({s})`"),
                    None if image => "write the path to the image file, relative to this page, like `images/map.png`".into(),
                    None => "link to the page's .md file, relative to this page, like `../tokens/ordering.md`, or from the content folder, like `/tokens/ordering.md`".into(),
                };
                self.diags.push(
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
}

/// Pushes `text`, wrapping the first use of each glossary term in `<abbr>`
/// and, since no touch screen can show a `title`, writing its expansion
/// after it in brackets: `EPS (Electronic Prescription Service)`. Where the
/// text already gives the expansion next to the term ("Electronic
/// Prescription Service (EPS)", or "EPS (Electronic Prescription
/// Service)"), nothing is added; a term already in brackets gets the
/// expansion after a comma: "(PSNC, Pharmaceutical Services Negotiating
/// Committee)".
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
    // The text of this block so far, back to its start (inline events only).
    let mut before = String::new();
    for e in events.iter().rev() {
        match e {
            Event::Text(t) | Event::Code(t) => before.insert_str(0, t),
            Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak => before.insert(0, ' '),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {}
            _ => break,
        }
        if before.len() > 200 {
            break;
        }
    }
    let lower = |s: &str| s.to_lowercase();
    let mut rest: &str = &text;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    while let Some((start, end, i)) = g.first_in(rest, used) {
        used[i] = true;
        let expansion = g.expansion(i);
        // Shown without a bracketed note of its own: "Local Area Team, NHS England".
        let shown = expansion.replace(" (", ", ").replace(['(', ')'], "");
        let prior = format!("{before}{}", &rest[..start]);
        let prior = prior.trim_end();
        let after = rest[end..].trim_start();
        let core = shown.split(", ").next().unwrap_or(&shown);
        let given_before = prior.ends_with('(')
            && lower(prior[..prior.len() - 1].trim_end()).ends_with(&lower(core));
        let given_after = after.starts_with('(') && lower(&after[1..]).starts_with(&lower(core));
        let in_brackets = prior.ends_with('(') && after.starts_with(')');
        if start > 0 {
            pieces.push(Event::Text(CowStr::from(rest[..start].to_string())));
        }
        let abbr = format!(
            "<abbr title=\"{}\">{}</abbr>",
            crate::escape::html(expansion),
            crate::escape::html(&rest[start..end])
        );
        let html = if given_before || given_after {
            abbr
        } else if in_brackets {
            format!("{abbr}, {}", crate::escape::html(&shown))
        } else {
            format!("{abbr} ({})", crate::escape::html(&shown))
        };
        pieces.push(Event::InlineHtml(CowStr::from(html)));
        before = format!("{prior} {}", &rest[start..end]);
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

/// The words in `text` as `split_whitespace` counts them, a byte at a
/// time when the text is ASCII (most Markdown text is).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        // `char::is_whitespace` in ASCII: tab to carriage return, and space.
        let space = matches!(b, b'\t'..=b'\r' | b' ');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::count_words;

    #[test]
    fn counts_words_as_split_whitespace_does() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\nnew line\r\nand\x0bvertical\x0cfeed",
            "non-ASCII: café, 薬局\u{a0}and\u{2003}spaces",
            "\u{85}next line",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }
}
