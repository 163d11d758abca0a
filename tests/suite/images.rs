//! Images made from Markdown carry their size, so pages do not jump as they
//! load, and all but the first load lazily. The image files are written here
//! byte by byte: just the headers that say how large each image is.

use crate::support::{Site, assert_message, page};

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend(width.to_le_bytes());
    b.extend(height.to_le_bytes());
    b.extend([0, 0, 0]);
    b
}

fn jpeg(width: u16, height: u16) -> Vec<u8> {
    // SOI, an APP0 (JFIF) block, then the SOF0 frame header with the size.
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend(b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    b.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend(height.to_be_bytes());
    b.extend(width.to_be_bytes());
    b.extend([0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    b.extend([0xFF, 0xD9]);
    b
}

fn webp(width: u32, height: u32) -> Vec<u8> {
    // A RIFF file holding a VP8X chunk: the canvas size less one, 24 bits each.
    let mut b = b"RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00".to_vec();
    b.extend(&(width - 1).to_le_bytes()[..3]);
    b.extend(&(height - 1).to_le_bytes()[..3]);
    b
}

fn img<'a>(html: &'a str, src: &str) -> &'a str {
    let at = html
        .find(&format!("<img src=\"{src}\""))
        .unwrap_or_else(|| panic!("no image {src} in\n{html}"));
    let rest = &html[at..];
    &rest[..rest.find('>').map_or(rest.len(), |e| e + 1)]
}

#[test]
fn every_image_format_gets_its_width_and_height_and_later_images_load_lazily() {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/guide/index.md",
            &page(
                "title: Guide",
                "![A PNG](a.png)\n\n![A GIF](b.gif)\n\n![A JPEG](c.jpg \"Photo\")\n\n![A WebP](d.webp)\n\n\
                 ![Sized SVG](e.svg) ![Boxed SVG](f.svg) ![Loose SVG](g.svg) ![Elsewhere](https://example.org/x.png)\n",
            ),
        ),
        (
            "content/guide/e.svg",
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64px\" height=\"48\"></svg>",
        ),
        (
            "content/guide/f.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 180\" width=\"100%\"></svg>",
        ),
        (
            "content/guide/g.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        ),
    ]);
    s.write_bytes("content/guide/a.png", &png(640, 480));
    s.write_bytes("content/guide/b.gif", &gif(17, 3));
    s.write_bytes("content/guide/c.jpg", &jpeg(1024, 768));
    s.write_bytes("content/guide/d.webp", &webp(300, 200));
    s.build_ok();
    let html = s.read("guide/index.html");
    assert_eq!(
        img(&html, "a.png"),
        "<img src=\"a.png\" alt=\"A PNG\" width=\"640\" height=\"480\" />",
        "the first image loads at once"
    );
    assert_eq!(
        img(&html, "b.gif"),
        "<img src=\"b.gif\" alt=\"A GIF\" width=\"17\" height=\"3\" loading=\"lazy\" />"
    );
    assert_eq!(
        img(&html, "c.jpg"),
        "<img src=\"c.jpg\" alt=\"A JPEG\" title=\"Photo\" width=\"1024\" height=\"768\" loading=\"lazy\" />"
    );
    assert_eq!(
        img(&html, "d.webp"),
        "<img src=\"d.webp\" alt=\"A WebP\" width=\"300\" height=\"200\" loading=\"lazy\" />"
    );
    assert!(img(&html, "e.svg").contains("width=\"64\" height=\"48\""));
    assert!(img(&html, "f.svg").contains("width=\"320\" height=\"180\""));
    assert_eq!(
        img(&html, "g.svg"),
        "<img src=\"g.svg\" alt=\"Loose SVG\" loading=\"lazy\" />",
        "an SVG with no size of its own gets none"
    );
    assert_eq!(
        img(&html, "https://example.org/x.png"),
        "<img src=\"https://example.org/x.png\" alt=\"Elsewhere\" loading=\"lazy\" />"
    );
}

#[test]
fn images_in_static_files_get_their_size_too() {
    let s = Site::new(&[(
        "content/_index.md",
        &page("title: Home", "![Logo](/img/logo.gif)"),
    )]);
    s.write_bytes("static/img/logo.gif", &gif(40, 20));
    s.build_ok();
    assert!(
        s.read("index.html")
            .contains("<img src=\"img/logo.gif\" alt=\"Logo\" width=\"40\" height=\"20\" />")
    );
}

#[test]
fn a_corrupt_or_mislabelled_image_is_an_error_at_its_line_and_column() {
    let s = Site::new(&[
        ("content/_index.md", &page("title: Home", "")),
        (
            "content/a.md",
            &page(
                "title: A",
                "Intro.\n\nSee ![the map](map.png) and\n  ![a chart](chart.svg) and ![cut](cut.jpg).\n",
            ),
        ),
        ("content/map.png", "this is not a picture"),
        ("content/chart.svg", "<html>not svg</html>"),
        ("content/unused.png", "never shown, never an error"),
    ]);
    let mut cut = jpeg(10, 10);
    cut.truncate(24);
    s.write_bytes("content/cut.jpg", &cut);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:6:5:",
            "the image `map.png` cannot be used: the file is not a PNG, JPEG, GIF or WebP image",
            "[bad-image]",
        ],
    );
    assert_message(
        &s,
        &r,
        &[
            "content/a.md:7:3:",
            "the image `chart.svg` cannot be used: the file is not an SVG image",
        ],
    );
    assert_message(&s, &r, &["content/a.md:7:29:", "`cut.jpg`", "cut short"]);
    assert_eq!(
        r.diagnostics.error_count(),
        3,
        "unused images are not errors"
    );
    let printed = crate::support::messages(&r, s.path()).join("\n");
    assert!(printed.contains("help: save the image again as a PNG, JPEG, GIF, WebP or SVG file"));
}

#[cfg(unix)]
#[test]
fn an_image_that_links_out_of_the_site_is_never_read() {
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, png(9, 9)).expect("write");
    let s = Site::new(&[(
        "content/_index.md",
        &page("title: Home", "![Secret](leak.png)"),
    )]);
    std::os::unix::fs::symlink(&secret, s.path().join("content/leak.png")).expect("symlink");
    let r = s.build();
    let printed = crate::support::messages(&r, s.path()).join("\n");
    assert!(printed.contains("[outside-site]"), "{printed}");
    assert!(!printed.contains("width"), "{printed}");
}
