//! Escaping text for HTML and XML.

/// Escapes `&`, `<`, `>`, `"` and `'`, for text and attribute values.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    // Text between the characters to escape is copied a run at a time:
    // Tera escapes every value a template prints or tests this way.
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn escapes_each_special_character_and_keeps_the_rest() {
        assert_eq!(html(""), "");
        assert_eq!(html("plain text"), "plain text");
        assert_eq!(
            html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(html("&&"), "&amp;&amp;");
        assert_eq!(html("café <b>—</b> 薬局"), "café &lt;b&gt;—&lt;/b&gt; 薬局");
    }
}
