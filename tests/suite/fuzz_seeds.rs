//! The fuzz targets' entry points (see fuzz/) run over the real site and a
//! few hostile inputs, so `cargo test` alone catches a panic on real content.

use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("content")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read content").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fuzz_entry_points_accept_the_real_site() {
    for p in pages() {
        let text = std::fs::read_to_string(&p).expect("page");
        pestle::fuzzing::page(&text);
        pestle::fuzzing::search_text(&text);
        let dir = p
            .parent()
            .and_then(|d| d.strip_prefix(repo().join("content")).ok())
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default();
        for dest in text.split("](").skip(1).filter_map(|r| r.split(')').next()) {
            pestle::fuzzing::link(&dir, dest);
        }
        pestle::fuzzing::name(&p.file_name().expect("name").to_string_lossy());
    }
    pestle::fuzzing::site_yaml(&std::fs::read_to_string(repo().join("site.yaml")).expect("site"));
    pestle::fuzzing::glossary_yaml(
        &std::fs::read_to_string(repo().join("glossary.yaml")).expect("glossary"),
    );
}

#[test]
fn fuzz_entry_points_hold_on_hostile_inputs() {
    for name in [
        "..",
        "!..",
        "_..",
        " ..",
        "x\\..\\..\\evil",
        ".pestle-output",
        "a/../../b",
        "\u{1b}[2J",
        "é\u{301}",
    ] {
        pestle::fuzzing::name(name);
        pestle::fuzzing::link(".", name);
        pestle::fuzzing::link("eps", name);
    }
    pestle::fuzzing::page("---\ntitle: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n---\n");
    pestle::fuzzing::page(&format!("---\ntitle: A\n---\n{}", "## Same\n".repeat(2000)));
    pestle::fuzzing::page("---\rtitle: A\r---\r> [!NOTE]\r> x");
    pestle::fuzzing::site_yaml("title: T\ncheck:\n  external_retries: 99999999999999999999\n");
    pestle::fuzzing::glossary_yaml("- &a [*a, *a]\n");
    for bytes in [
        &b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x00\x00\x00\x00\x00"[..],
        b"\xFF\xD8\xFF\xC0\x00\x02",
        b"RIFF\xff\xff\xff\xffWEBPVP8 ",
        b"<svg width=\"1e308\" height=\"-1\" viewBox=\"0 0 0 0\">",
        b"<svg viewBox=\"0 0 1e-9 5\">",
        b"<!--",
        b"",
    ] {
        pestle::fuzzing::image_size(bytes);
    }
}
