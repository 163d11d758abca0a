//! Image dimensions read from the first bytes of a file, so `<img>` can
//! carry `width` and `height` and a page does not jump as images load.
//! PNG, JPEG, GIF and WebP are read with the `imagesize` crate (which needs
//! only the headers); SVG from its root element's `width` and `height`, or
//! its `viewBox` when those are missing or relative (`100%`, `10em`). An SVG
//! with neither has no size of its own, and its `<img>` gets none.

/// How many bytes are read first; a JPEG whose size comes later (large
/// metadata blocks) is read again up to [`MAX_IMAGE_BYTES`].
pub(crate) const HEAD_BYTES: u64 = 256 * 1024;
/// The most of an image file pestle reads to find its size.
pub(crate) const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

/// An image's size in CSS pixels, or none it can be drawn at by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ImageSize {
    /// Width and height, in pixels.
    Known(u32, u32),
    /// An SVG without width, height or viewBox.
    Unsized,
}

/// The kinds of image whose size pestle reads, by file extension.
const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg"];

/// True when a file named `name` is an image pestle reads the size of.
pub(crate) fn is_sized_image(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Why an image's size could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum SizeError {
    /// The bytes are not an image of a kind pestle reads (or are damaged).
    NotAnImage(String),
    /// The size lies further in than the bytes given: read more.
    Truncated,
}

/// The size of the image named `name` (for its kind) from its first bytes.
pub(crate) fn size_of(name: &str, bytes: &[u8]) -> Result<ImageSize, SizeError> {
    let svg = name.to_ascii_lowercase().ends_with(".svg");
    if svg {
        return svg_size(bytes).map_err(SizeError::NotAnImage);
    }
    use imagesize::ImageType;
    let kind = match imagesize::image_type(bytes) {
        Ok(kind) => kind,
        Err(imagesize::ImageError::IoError(_)) => return Err(SizeError::Truncated),
        Err(_) => return Err(not_raster()),
    };
    if !matches!(
        kind,
        ImageType::Png | ImageType::Jpeg | ImageType::Gif | ImageType::Webp
    ) {
        return Err(not_raster());
    }
    match imagesize::blob_size(bytes) {
        Ok(s) => Ok(known(s.width as f64, s.height as f64)),
        Err(imagesize::ImageError::IoError(_)) => Err(SizeError::Truncated),
        Err(_) => Err(SizeError::NotAnImage(
            "the file is damaged: its header does not say how large the image is".into(),
        )),
    }
}

fn not_raster() -> SizeError {
    SizeError::NotAnImage("the file is not a PNG, JPEG, GIF or WebP image".into())
}

/// A size from measured lengths: rounded, or unsized when zero.
fn known(width: f64, height: f64) -> ImageSize {
    let px = |v: f64| (v.round() >= 1.0 && v.is_finite()).then(|| v.round().min(1e6) as u32);
    match (px(width), px(height)) {
        (Some(w), Some(h)) => ImageSize::Known(w, h),
        _ => ImageSize::Unsized,
    }
}

/// The size an SVG document draws itself at.
fn svg_size(bytes: &[u8]) -> Result<ImageSize, String> {
    let text = String::from_utf8_lossy(bytes);
    let attrs = svg_root(&text).ok_or("the file is not an SVG image: it has no <svg> element")?;
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let length = |v: Option<&str>| {
        let v = v?.trim();
        let number = v.strip_suffix("px").unwrap_or(v).trim();
        number.parse::<f64>().ok().filter(|n| *n > 0.0)
    };
    let view_box: Option<(f64, f64)> = get("viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split([' ', ',', '\t', '\n', '\r'])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<f64>().ok())
            .collect::<Option<Vec<f64>>>()?;
        (n.len() == 4 && n[2] > 0.0 && n[3] > 0.0).then(|| (n[2], n[3]))
    });
    Ok(
        match (length(get("width")), length(get("height")), view_box) {
            (Some(w), Some(h), _) => known(w, h),
            (Some(w), None, Some((vw, vh))) => known(w, w * vh / vw),
            (None, Some(h), Some((vw, vh))) => known(h * vw / vh, h),
            (None, None, Some((vw, vh))) => known(vw, vh),
            _ => ImageSize::Unsized,
        },
    )
}

/// The attributes of an SVG document's root `<svg>` element, past any XML
/// declaration, comments and doctype.
fn svg_root(text: &str) -> Option<Vec<(String, String)>> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else {
            break;
        }
    }
    let tag = rest.strip_prefix('<')?;
    let name_end = tag.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let name = &tag[..name_end];
    if name != "svg" && !name.ends_with(":svg") {
        return None;
    }
    let mut attrs = Vec::new();
    let mut s = &tag[name_end..];
    loop {
        s = s.trim_start();
        if s.is_empty() || s.starts_with('>') || s.starts_with('/') {
            return Some(attrs);
        }
        let key_end = s.find(|c: char| c == '=' || c.is_whitespace() || c == '>')?;
        let key = s[..key_end].to_string();
        s = s[key_end..].trim_start();
        let Some(after) = s.strip_prefix('=') else {
            attrs.push((key, String::new()));
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = &after[1..];
        let end = body.find(quote)?;
        attrs.push((key, body[..end].to_string()));
        s = &body[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_svg_sizes_from_attributes_or_the_view_box() {
        let size = |s: &str| size_of("x.svg", s.as_bytes());
        assert_eq!(
            size(
                "<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE svg><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120px\" height='60'></svg>"
            ),
            Ok(ImageSize::Known(120, 60))
        );
        assert_eq!(
            size("<svg viewBox=\"0 0 300.4 150\" width=\"100%\">"),
            Ok(ImageSize::Known(300, 150))
        );
        assert_eq!(
            size("<svg width=\"600\" viewBox=\"0,0,300,150\">"),
            Ok(ImageSize::Known(600, 300))
        );
        assert_eq!(size("<svg width=\"10em\">"), Ok(ImageSize::Unsized));
        assert!(matches!(
            size("<html><svg width=\"1\" height=\"1\">"),
            Err(SizeError::NotAnImage(_))
        ));
    }

    #[test]
    fn refuses_other_kinds_and_asks_for_more_of_a_truncated_header() {
        assert!(matches!(
            size_of("x.png", b"BM\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
            Err(SizeError::NotAnImage(_))
        ));
        assert_eq!(
            size_of("x.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF"),
            Err(SizeError::Truncated)
        );
        assert!(is_sized_image("Map.PNG") && !is_sized_image("form.pdf"));
    }
}
