//! The front-matter keys: one table ([`FIELDS`]) that the validator reads,
//! `pestle schema front-matter` turns into a JSON Schema, and README.md
//! documents; and the check of one key's value against its kind, with a
//! plain message and the corrected line when it does not fit.

use crate::date::{Date, DateError};
use serde_yaml::Value;

/// What a key's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One line of text.
    Text,
    /// A whole number.
    Integer,
    /// A date written YYYY-MM-DD.
    Date,
    /// `true` or `false`.
    Bool,
    /// One text, or a list of them.
    List,
    /// A taxonomy's terms: one text or a list.
    Terms,
    /// Related resources: content paths, or `{title, url}`.
    Related,
    /// Anything, as `key: value` lines.
    Map,
}

/// One front-matter key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// A short title, as editors' tools show it.
    pub(crate) title: &'static str,
    /// What it does, in a sentence.
    pub(crate) description: &'static str,
}

const fn field(
    name: &'static str,
    kind: Kind,
    title: &'static str,
    description: &'static str,
) -> Field {
    Field {
        name,
        kind,
        title,
        description,
    }
}

/// Every key a page's front matter may have.
pub(crate) const FIELDS: &[Field] = &[
    field(
        "title",
        Kind::Text,
        "Title",
        "The page's title, shown as its heading, in menus and in search results. Required.",
    ),
    field(
        "description",
        Kind::Text,
        "Description",
        "One sentence that sums up the page: shown in listings, search results and link previews.",
    ),
    field(
        "weight",
        Kind::Integer,
        "Order",
        "A whole number that orders the page within its section: lower numbers first.",
    ),
    field(
        "date",
        Kind::Date,
        "Published",
        "When the page was published (news), as YYYY-MM-DD.",
    ),
    field(
        "updated",
        Kind::Date,
        "Updated",
        "When the page last changed in substance, as YYYY-MM-DD.",
    ),
    field(
        "reviewed",
        Kind::Date,
        "Last reviewed",
        "When the page's content was last reviewed, as YYYY-MM-DD.",
    ),
    field(
        "review_due",
        Kind::Date,
        "Next review due",
        "When the next review is due, as YYYY-MM-DD; by default the review date plus the site's review period.",
    ),
    field(
        "owner",
        Kind::Text,
        "Owner",
        "Who is responsible for reviewing the page: a team or a role.",
    ),
    field(
        "tags",
        Kind::Terms,
        "Topics",
        "Topics the page is listed under: a list like [nominations, smartcards].",
    ),
    field(
        "region",
        Kind::Terms,
        "Region",
        "The NHS England region or regions the page is about.",
    ),
    field(
        "related",
        Kind::Related,
        "Related",
        "Related pages (paths to their .md files) and links elsewhere (title and url).",
    ),
    field(
        "aliases",
        Kind::List,
        "Old addresses",
        "Addresses the page used to have, which redirect here, like /eps/old-page/.",
    ),
    field(
        "slug",
        Kind::Text,
        "Address",
        "Replaces the last part of the page's address: letters, digits and hyphens.",
    ),
    field(
        "draft",
        Kind::Bool,
        "Draft",
        "true keeps the page out of the published site (serve still shows it).",
    ),
    field(
        "template",
        Kind::Text,
        "Template",
        "A theme template other than the usual one for this kind of page.",
    ),
    field(
        "ignore_checks",
        Kind::List,
        "Ignored checks",
        "Codes of `pestle check` findings to leave out for this page.",
    ),
    field(
        "extra",
        Kind::Map,
        "Extra",
        "Anything else, for the theme's templates.",
    ),
];

/// The field named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// Why a value does not fit its key, and the line that would.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Misfit {
    pub(crate) message: String,
    pub(crate) hint: String,
}

fn misfit(message: String, hint: String) -> Misfit {
    Misfit { message, hint }
}

/// A scalar as the text the editor wrote (`2026`, `true`, `yes`).
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value as one line of text: numbers and `true` are taken as the text
/// they are written as.
pub(crate) fn text(name: &str, v: &Value) -> Result<Option<String>, Misfit> {
    match v {
        Value::Null => Ok(None),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => Err(misfit(
            format!("{name} must be text on one line, not a list or settings"),
            format!("write it on the same line: {name}: Your text here"),
        )),
        other => Ok(scalar_text(other)),
    }
}

/// The value as a whole number.
pub(crate) fn integer(name: &str, v: &Value) -> Result<Option<i64>, Misfit> {
    match v {
        Value::Null => Ok(None),
        // A cleared field, as some editing tools write it.
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| {
            let rounded = n.as_f64().map_or(10, |f| f.round() as i64);
            misfit(
                format!("{name} must be a whole number, like 10, not {n}"),
                format!("write {name}: {rounded}"),
            )
        }),
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(misfit(
                format!("{name} must be a whole number, like 10, not `{s}`"),
                format!(
                    "write it in digits: {name}: {}",
                    number_word(s).unwrap_or(10)
                ),
            )),
        },
        _ => Err(misfit(
            format!("{name} must be a whole number, like 10"),
            format!("write {name}: 10"),
        )),
    }
}

/// Small numbers written as words.
fn number_word(s: &str) -> Option<i64> {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let w = s.trim().to_lowercase();
    WORDS.iter().position(|x| *x == w).map(|i| i as i64)
}

/// The value as `true` or `false`.
pub(crate) fn boolean(name: &str, v: &Value) -> Result<Option<bool>, Misfit> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        other => {
            let written = scalar_text(other).unwrap_or_default();
            let meant = match written.trim().to_lowercase().as_str() {
                "yes" | "y" | "on" | "true" => "true",
                _ => "false",
            };
            Err(misfit(
                format!("{name} must be true or false, not `{}`", written.trim()),
                format!("write true or false: {name}: {meant}"),
            ))
        }
    }
}

/// The value as a date written YYYY-MM-DD.
pub(crate) fn date(name: &str, v: &Value) -> Result<Option<Date>, Misfit> {
    let Some(s) = text(name, v)?.filter(|s| !s.trim().is_empty()) else {
        return Ok(None);
    };
    match Date::parse(s.trim()) {
        Ok(d) => Ok(Some(d)),
        Err(DateError::Format) => {
            let hint = match guess_date(&s) {
                Some(d) => format!("write dates as YYYY-MM-DD: {name}: {d}"),
                None => format!("write dates as YYYY-MM-DD, like {name}: 2026-11-26"),
            };
            Err(misfit(
                format!(
                    "{name} `{}` is not a date in the form pestle reads",
                    s.trim()
                ),
                hint,
            ))
        }
        Err(DateError::Impossible) => Err(misfit(
            format!("{name} `{}` is not a real day", s.trim()),
            "check the month (01 to 12) and the day of the month".into(),
        )),
    }
}

/// A date written another common way: 26/11/2026, 26-11-2026, 2026/11/26,
/// 26 November 2026, 26 Nov 2026.
fn guess_date(s: &str) -> Option<Date> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let parts: Vec<&str> = s
        .trim()
        .split(|c: char| c == '/' || c == '-' || c == '.' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let month_of = |m: &str| -> Option<u32> {
        m.parse::<u32>().ok().or_else(|| {
            let lower = m.to_lowercase();
            MONTHS
                .iter()
                .position(|x| lower.starts_with(x))
                .map(|i| i as u32 + 1)
        })
    };
    let (y, m, d) = if a.len() == 4 {
        (a.parse::<u32>().ok()?, month_of(b)?, c.parse::<u32>().ok()?)
    } else {
        (c.parse::<u32>().ok()?, month_of(b)?, a.parse::<u32>().ok()?)
    };
    Date::parse(&format!("{y:04}-{m:02}-{d:02}")).ok()
}

/// The value as a list of texts: one text is a list of one; a text with
/// commas is taken as the list it was meant to be, with a warning.
pub(crate) fn list(name: &str, v: &Value) -> Result<(Vec<String>, Option<Misfit>), Misfit> {
    match v {
        Value::Null => Ok((vec![], None)),
        Value::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match scalar_text(item) {
                    Some(t) => out.push(t),
                    None => {
                        return Err(misfit(
                            format!("each item of {name} must be text"),
                            format!(
                                "write {name} as a list of words, like {name}: [nominations, smartcards]"
                            ),
                        ));
                    }
                }
            }
            Ok((out, None))
        }
        Value::Mapping(_) | Value::Tagged(_) => Err(misfit(
            format!("{name} must be a list"),
            format!("write {name} as a list, like {name}: [nominations, smartcards]"),
        )),
        other => {
            let t = scalar_text(other).unwrap_or_default();
            if t.contains(',') {
                let items: Vec<String> = t
                    .split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect();
                let warning = misfit(
                    format!(
                        "{name} is written as text with commas, so it is read as {} separate items",
                        items.len()
                    ),
                    format!("write it as a list: {name}: [{}]", items.join(", ")),
                );
                Ok((items, Some(warning)))
            } else {
                Ok((vec![t], None))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap_or(Value::Null)
    }

    #[test]
    fn values_that_do_not_fit_get_the_line_that_would() {
        let e = integer("weight", &yaml("ten")).expect_err("words");
        assert_eq!(
            e.message,
            "weight must be a whole number, like 10, not `ten`"
        );
        assert_eq!(e.hint, "write it in digits: weight: 10");
        let e = boolean("draft", &yaml("yes")).expect_err("yes");
        assert_eq!(e.message, "draft must be true or false, not `yes`");
        assert_eq!(e.hint, "write true or false: draft: true");
        let e = date("reviewed", &yaml("26/11/2026")).expect_err("uk date");
        assert_eq!(e.hint, "write dates as YYYY-MM-DD: reviewed: 2026-11-26");
        let e = date("reviewed", &yaml("26 November 2026")).expect_err("long date");
        assert_eq!(e.hint, "write dates as YYYY-MM-DD: reviewed: 2026-11-26");
        let (items, warning) = list("tags", &yaml("eps, tokens")).expect("text");
        assert_eq!(items, ["eps", "tokens"]);
        assert_eq!(
            warning.map(|w| w.hint).as_deref(),
            Some("write it as a list: tags: [eps, tokens]")
        );
        assert_eq!(text("title", &yaml("2026")), Ok(Some("2026".into())));
    }
}
