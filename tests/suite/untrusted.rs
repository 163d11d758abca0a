//! Untrusted content: whatever a pull request puts in content/, static/,
//! themes/, site.yaml or glossary.yaml, pestle writes, deletes and
//! publishes nothing outside the site's output folder, reads nothing outside
//! the site, and names every hostile file as an error. Each test is named
//! after what it prevents; each builds in a temporary folder that holds the
//! site (`site/`) and, beside it, files an attack would aim at (`outside/`).

use crate::support::{page, pestle_cmd, snapshot};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A site folder with a neighbour folder of files that must never change.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write(
            "site/site.yaml",
            "title: T\nbase_url: https://example.org/\n",
        );
        f.write("site/content/_index.md", &page("title: Home", "Hello."));
        f.write("outside/victim.txt", "precious\n");
        f.write("outside/secret.txt", "SECRET-TOKEN-1234\n");
        f
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn site(&self) -> PathBuf {
        self.path("site")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    #[cfg(unix)]
    fn link(&self, target: &Path, rel: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, p).expect("symlink");
    }

    /// Runs pestle with `--root site` from the fixture's folder.
    fn run(&self, args: &[&str]) -> (Output, String) {
        let out = pestle_cmd()
            .arg("--root")
            .arg(self.site())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run pestle");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out, text)
    }

    /// Everything outside the site folder, with its bytes.
    fn outside(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all = Vec::new();
        for e in std::fs::read_dir(self.dir.path()).expect("read") {
            let p = e.expect("entry").path();
            let name = p.file_name().map(PathBuf::from).unwrap_or_default();
            if name == Path::new("site") {
                continue;
            }
            let meta = std::fs::symlink_metadata(&p).expect("meta");
            if meta.is_dir() {
                for (rel, bytes) in snapshot(&p) {
                    all.push((name.join(rel), bytes));
                }
            } else if meta.is_file() {
                all.push((name, std::fs::read(&p).expect("read")));
            } else {
                all.push((name, Vec::new()));
            }
        }
        all.sort();
        all
    }

    /// Every output file's text, joined, for "was it published?" checks.
    fn published(&self) -> String {
        let out = self.path("site/output");
        if !out.exists() {
            return String::new();
        }
        snapshot(&out)
            .into_iter()
            .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
            .collect()
    }
}

fn assert_fails_naming(text: &str, out: &Output, names: &[&str]) {
    assert_eq!(out.status.code(), Some(1), "{text}");
    for n in names {
        assert!(text.contains(n), "no finding names {n:?}:\n{text}");
    }
}

#[test]
#[cfg(unix)]
fn backslashes_in_a_static_file_name_cannot_write_outside_the_output() {
    let f = Fixture::new();
    f.write(
        "site/static/x\\..\\..\\..\\outside\\evil.sh",
        "echo pwned\n",
    );
    let before = f.outside();
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &["static/x\\..\\..\\..\\outside\\evil.sh", "[bad-file-name]"],
    );
    assert_eq!(f.outside(), before, "a file outside the site changed");
    assert!(!f.path("outside/evil.sh").exists());
    let (out, text) = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "check must say so too: {text}");
}

#[test]
#[cfg(unix)]
fn backslashes_in_a_content_file_name_cannot_truncate_a_file_outside() {
    let f = Fixture::new();
    f.write(
        "site/content/docs/a\\..\\..\\..\\..\\outside\\victim.txt",
        "",
    );
    let before = f.outside();
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(&text, &out, &["[bad-file-name]"]);
    assert_eq!(f.outside(), before);
    assert_eq!(
        std::fs::read_to_string(f.path("outside/victim.txt")).expect("victim"),
        "precious\n"
    );
}

#[test]
fn names_that_slugify_to_dot_dot_cannot_climb_out_of_the_output() {
    for name in ["!..", "_..", " ..", "-..", "~..", "!.", "(..)"] {
        let f = Fixture::new();
        f.write(
            &format!("site/content/{name}/{name}/outside/p.md"),
            &page("title: P", "Text."),
        );
        let before = f.outside();
        let (out, text) = f.run(&["build"]);
        assert_fails_naming(&text, &out, &["[bad-file-name]"]);
        assert_eq!(f.outside(), before, "{name:?} wrote outside");
        assert!(!f.path("outside/p").exists(), "{name:?}");
        assert!(!f.path("site/p").exists(), "{name:?}");
    }
}

#[test]
#[cfg(unix)]
fn symlinks_out_of_the_site_are_refused_and_nothing_is_published() {
    let f = Fixture::new();
    let secret = f.path("outside/secret.txt");
    f.link(&secret, "site/content/passwd.txt");
    f.link(Path::new("/proc/self/environ"), "site/content/env.txt");
    f.link(&f.path("outside"), "site/content/folder");
    f.link(&secret, "site/static/secret.txt");
    f.link(&secret, "site/glossary.yaml");
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "content/passwd.txt",
            "content/env.txt",
            "content/folder",
            "static/secret.txt",
            "glossary.yaml",
            "[outside-site]",
        ],
    );
    assert!(
        !text.contains("SECRET-TOKEN"),
        "an error quoted the file: {text}"
    );
    let (out, _) = f.run(&["build", "--output", "../public"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!f.path("public").exists());
    assert!(!f.published().contains("SECRET-TOKEN"));
}

#[test]
#[cfg(unix)]
fn a_theme_linked_from_outside_the_site_is_refused() {
    let f = Fixture::new();
    f.write("site/site.yaml", "title: T\ntheme: mine\n");
    f.write(
        "outside/theme/templates/page.html",
        "{{ page.title }} SECRET-TOKEN",
    );
    f.link(&f.path("outside/theme"), "site/themes/mine");
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(&text, &out, &["themes/mine", "[outside-site]"]);
    // One file of a theme linked out is refused too.
    let f = Fixture::new();
    f.write("site/site.yaml", "title: T\ntheme: mine\n");
    f.write("site/themes/mine/theme.yaml", "extends: default\n");
    f.link(
        &f.path("outside/secret.txt"),
        "site/themes/mine/static/leak.txt",
    );
    f.link(
        &f.path("outside/secret.txt"),
        "site/themes/mine/templates/page.html",
    );
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "themes/mine/static/leak.txt",
            "themes/mine/templates/page.html",
        ],
    );
    assert!(!f.published().contains("SECRET-TOKEN"));
}

#[test]
#[cfg(unix)]
fn links_that_stay_inside_the_site_are_followed() {
    let f = Fixture::new();
    f.write(
        "site/shared/note.md",
        &page("title: Shared note", "Shared."),
    );
    f.write("site/shared/pic.png", "png");
    f.link(&f.path("site/shared/note.md"), "site/content/note.md");
    f.link(&f.path("site/shared"), "site/content/linked");
    let (out, text) = f.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(f.path("site/output/note/index.html").exists());
    assert!(f.path("site/output/linked/pic.png").exists());
}

#[test]
#[cfg(unix)]
fn a_page_linked_to_a_kernel_file_or_a_fifo_does_not_hang_the_build() {
    let f = Fixture::new();
    f.link(Path::new("/proc/kmsg"), "site/content/kmsg.md");
    let fifo = f.path("site/content/fifo.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "content/kmsg.md",
            "[outside-site]",
            "content/fifo.md",
            "[not-a-file]",
        ],
    );
}

#[test]
#[cfg(unix)]
fn output_at_a_fifo_is_refused_not_replaced_by_a_folder() {
    let f = Fixture::new();
    let fifo = f.path("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (out, text) = f.run(&["build", "--output", fifo.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("not a folder"), "{text}");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo()
    );
}

#[test]
fn dot_tags_cannot_overwrite_pages() {
    let f = Fixture::new();
    f.write(
        "site/content/a.md",
        &page("title: A\ntags: [\"..\", \".\", fine]", "Text."),
    );
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &["`..` cannot be a tags term", "`.` cannot be a tags term"],
    );
    let f = Fixture::new();
    f.write(
        "site/site.yaml",
        "title: T\ntaxonomies:\n  - name: tags\n    title: Topics\n    terms:\n      - { slug: .., title: Up }\n",
    );
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(&text, &out, &["term slug `..`"]);
}

#[test]
fn a_dot_folder_cannot_shadow_a_page_in_any_build() {
    for _ in 0..10 {
        let f = Fixture::new();
        f.write(
            "site/content/!./_index.md",
            &page("title: Shadow", "Shadow."),
        );
        let (out, text) = f.run(&["build"]);
        assert_fails_naming(&text, &out, &["content/!./_index.md", "[bad-file-name]"]);
    }
}

#[test]
fn addresses_that_differ_only_in_case_are_a_conflict() {
    let f = Fixture::new();
    f.write("site/content/a.md", &page("title: A\nslug: Guide", ""));
    f.write("site/content/b.md", &page("title: B\nslug: guide", ""));
    f.write("site/content/Map.png", "a");
    f.write("site/content/map.png", "b");
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(&text, &out, &["[url-conflict]", "map.png"]);
}

#[test]
fn templates_cannot_publish_the_environment() {
    let f = Fixture::new();
    f.write("site/site.yaml", "title: T\ntheme: t\n");
    f.write("site/themes/t/theme.yaml", "extends: default\n");
    f.write(
        "site/themes/t/templates/page.html",
        "{{ get_env(name=\"PESTLE_TEST_SECRET\") }}",
    );
    f.write("site/content/a.md", &page("title: A", ""));
    let out = pestle_cmd()
        .args(["--root", "site", "build"])
        .env("PESTLE_TEST_SECRET", "SECRET-TOKEN-ENV")
        .current_dir(f.dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_fails_naming(
        &text,
        &out,
        &["themes/t/templates/page.html", "environment variables"],
    );
    assert!(!f.published().contains("SECRET-TOKEN-ENV"));
}

#[test]
fn a_template_cannot_ask_range_for_billions_of_numbers() {
    let f = Fixture::new();
    f.write("site/site.yaml", "title: T\ntheme: t\n");
    f.write("site/themes/t/theme.yaml", "extends: default\n");
    f.write(
        "site/themes/t/templates/page.html",
        "{% for i in range(end=100000000000) %}x{% endfor %}",
    );
    f.write("site/content/a.md", &page("title: A", ""));
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(&text, &out, &["at most 100000 numbers"]);
}

#[test]
fn theme_extends_cannot_name_a_folder_outside_themes() {
    for bad in ["../../outside", "/etc", ".hidden", "a\\b"] {
        let f = Fixture::new();
        f.write("site/site.yaml", "title: T\ntheme: t\n");
        f.write("site/themes/t/theme.yaml", &format!("extends: {bad:?}\n"));
        let (out, text) = f.run(&["build"]);
        assert_fails_naming(
            &text,
            &out,
            &["themes/t/theme.yaml", "is not a theme folder name"],
        );
    }
}

#[test]
fn external_checks_do_not_visit_this_machine_unless_allowed() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let f = Fixture::new();
    f.write(
        "site/content/_index.md",
        &page(
            "title: Home\ndescription: Home.",
            &format!("[a](http://{addr}/admin) [b](http://169.254.169.254/latest/meta-data/) [c](http://localhost:{}/x)", addr.port()),
        ),
    );
    let (out, text) = f.run(&["check", "--external"]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!("`http://{addr}/admin` was not checked")),
        "{text}"
    );
    assert!(
        text.contains("169.254.169.254/latest/meta-data/` was not checked"),
        "{text}"
    );
    assert!(
        text.contains("was not checked: it is on this machine"),
        "{text}"
    );
    assert!(
        listener.accept().is_err(),
        "the checker connected to a loopback address"
    );
    // With --allow-private the same link is checked.
    listener.set_nonblocking(false).expect("blocking");
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    });
    f.write(
        "site/content/_index.md",
        &page(
            "title: Home\ndescription: Home.",
            &format!("[a](http://{addr}/admin)"),
        ),
    );
    let (out, text) = f.run(&["check", "--external", "--allow-private"]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("answers 404"), "{text}");
    let _ = server.join();
}

#[test]
#[cfg(unix)]
fn a_linked_link_cache_cannot_overwrite_a_file_outside() {
    let f = Fixture::new();
    f.write(
        "site/content/_index.md",
        &page(
            "title: Home\ndescription: Home.",
            "[x](http://127.0.0.1:9/x)",
        ),
    );
    f.link(
        &f.path("outside/victim.txt"),
        "site/.pestle-cache/external-links.json",
    );
    let before = f.outside();
    let (_, text) = f.run(&["check", "--external", "--allow-private"]);
    assert_eq!(f.outside(), before, "{text}");
    // A cache folder linked out of the site is not written through either.
    let f = Fixture::new();
    f.write(
        "site/content/_index.md",
        &page(
            "title: Home\ndescription: Home.",
            "[x](http://127.0.0.1:9/x)",
        ),
    );
    f.link(&f.path("outside"), "site/.pestle-cache");
    let before = f.outside();
    let (_, text) = f.run(&["check", "--external", "--allow-private"]);
    assert_eq!(f.outside(), before, "{text}");
}

#[test]
fn link_check_retries_and_timeouts_are_bounded() {
    let f = Fixture::new();
    f.write(
        "site/site.yaml",
        "title: T\ncheck:\n  external_retries: 1000\n  external_timeout_seconds: 86400\n",
    );
    let (out, text) = f.run(&["check"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "check.external_retries is 1000",
            "check.external_timeout_seconds is 86400",
        ],
    );
}

#[test]
fn many_repeated_headings_get_numbered_ids() {
    let f = Fixture::new();
    f.write(
        "site/content/a.md",
        &page("title: A", &"## Same\n".repeat(20_000)),
    );
    let (out, text) = f.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let html = std::fs::read_to_string(f.path("site/output/a/index.html")).expect("page");
    assert!(html.contains("id=\"same-19999\""));
    assert!(!html.contains("id=\"same-20000\""));
}

#[test]
fn deeply_nested_yaml_is_refused_before_it_is_parsed() {
    let f = Fixture::new();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    f.write(
        "site/content/a.md",
        &page(&format!("title: A\nextra: {deep}"), ""),
    );
    f.write("site/glossary.yaml", &format!("- {deep}\n"));
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "content/a.md:3:",
            "glossary.yaml:1:",
            "nested more than 32 levels",
        ],
    );
}

#[test]
fn control_characters_from_content_never_reach_the_terminal_raw() {
    let f = Fixture::new();
    f.write(
        "site/content/a.md",
        &page(
            "title: A",
            "[x](\u{1b}[31mred\u{1b}[0m.md) [y](a%0A::error%20file=x::pwned.md)",
        ),
    );
    f.write("site/content/b\u{1b}[2J.md", &page("title: B", ""));
    for args in [
        &["build"][..],
        &["check"][..],
        &["check", "--format", "github"][..],
    ] {
        let (out, text) = f.run(args);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(!text.contains('\u{1b}'), "raw escape in {args:?}: {text:?}");
        assert!(
            !text.lines().any(|l| l.starts_with("::error file=x")),
            "an injected workflow command in {args:?}: {text}"
        );
    }
}

#[test]
fn staging_folders_left_by_a_killed_build_are_swept() {
    let f = Fixture::new();
    for stale in [
        ".output.pestle-tmp-999999999",
        ".output.pestle-old-999999998",
    ] {
        f.write(&format!("site/{stale}/.pestle-output"), "marker");
        f.write(&format!("site/{stale}/big.html"), "x");
    }
    f.write(
        "site/.output.pestle-tmp-999999997/keep.txt",
        "not ours: no marker",
    );
    let (out, text) = f.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!f.path("site/.output.pestle-tmp-999999999").exists());
    assert!(!f.path("site/.output.pestle-old-999999998").exists());
    assert!(
        f.path("site/.output.pestle-tmp-999999997/keep.txt")
            .exists()
    );
}

#[test]
fn odd_files_are_content_errors_at_their_place_not_io_failures() {
    let f = Fixture::new();
    std::fs::write(f.path("site/glossary.yaml"), b"- term: \xff\xfe\n").expect("write");
    f.write(
        "site/content/cr.md",
        "---\rtitle: Old Mac file\r---\rBody [x](nope.md)\r",
    );
    f.write(
        "site/content/alias.md",
        &page("title: Alias\naliases: [/.pestle-output]", ""),
    );
    f.write(
        "site/content/nul.md",
        &page("title: Nul\nslug: \"a\\0b\"", ""),
    );
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "glossary.yaml:1:9: error: this file is not UTF-8 text",
            "content/cr.md",
            "broken link `nope.md`",
            "content/alias.md",
            "[bad-alias]",
            "content/nul.md",
            "[bad-slug]",
        ],
    );
    std::fs::write(f.path("site/site.yaml"), b"title: \xff\n").expect("write");
    let (out, text) = f.run(&["build"]);
    assert_fails_naming(
        &text,
        &out,
        &["site.yaml:1:8: error: this file is not UTF-8 text"],
    );
}

#[test]
#[cfg(unix)]
fn a_linked_content_folder_cannot_be_the_output() {
    let f = Fixture::new();
    std::fs::rename(f.path("site/content"), f.path("site/docs")).expect("move");
    f.link(&f.path("site/docs"), "site/content");
    let (out, text) = f.run(&["build", "--output", "docs"]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("content/"), "{text}");
    assert!(f.path("site/docs/_index.md").exists());
}

#[test]
#[cfg(unix)]
fn a_site_holding_every_hostile_input_fails_naming_each_and_touches_nothing_outside() {
    let f = Fixture::new();
    let secret = f.path("outside/secret.txt");
    f.write("site/static/x\\..\\..\\outside\\evil.sh", "x");
    f.write("site/content/d/a\\..\\..\\..\\outside\\victim.txt", "");
    f.write("site/content/!../!../outside/p.md", &page("title: P", ""));
    f.link(&secret, "site/content/passwd.txt");
    f.link(Path::new("/proc/self/environ"), "site/content/env.txt");
    f.link(Path::new("/proc/kmsg"), "site/content/kmsg.md");
    f.link(&f.path("outside"), "site/content/folder");
    f.link(&secret, "site/glossary.yaml");
    f.write(
        "site/content/t.md",
        &page("title: T\ntags: [\"..\", \".\"]", ""),
    );
    f.write("site/content/!./_index.md", &page("title: Shadow", ""));
    f.write("site/site.yaml", "title: T\ntheme: t\n");
    f.write("site/themes/t/theme.yaml", "extends: ../../outside\n");
    f.write(
        "site/themes/t/templates/page.html",
        "{{ get_env(name=\"HOME\") }}",
    );
    f.write(
        "site/content/h.md",
        &page("title: H", &"## Same\n".repeat(5000)),
    );
    f.write(
        "site/content/y.md",
        &page(&format!("title: Y\nextra: {}", "[".repeat(5000)), ""),
    );
    f.write(
        "site/content/al.md",
        &page("title: Al\naliases: [/.pestle-output]", ""),
    );
    let before = f.outside();
    let (out, text) = f.run(&["build", "--output", "../public"]);
    assert_fails_naming(
        &text,
        &out,
        &[
            "static/x\\..\\..\\outside\\evil.sh",
            "content/d/a\\..\\..\\..\\outside\\victim.txt",
            "content/!../!../outside/p.md",
            "content/passwd.txt",
            "content/env.txt",
            "content/kmsg.md",
            "content/folder",
            "glossary.yaml",
            "`..` cannot be a tags term",
            "content/!./_index.md",
            "themes/t/theme.yaml",
            "themes/t/templates/page.html",
            "content/y.md",
            "content/al.md",
        ],
    );
    assert!(!text.contains("SECRET-TOKEN"));
    assert_eq!(f.outside(), before, "something outside the site changed");
    assert!(!f.path("public").exists());
}

/// A tiny deterministic generator for the property test below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn any_generated_file_name_builds_inside_the_output_or_is_refused() {
    const PIECES: &[&str] = &[
        "..", ".", "!", "_", " ", "-", "~", "\\", "a", "Z", "é", "e\u{301}", "%2e", "%2f", ":",
        "?", "#", "*", "\u{1b}", "\t", "·", "．", "／", "\u{202e}", "0", "md",
    ];
    let mut rng = Lcg(19);
    let f = Fixture::new();
    let site = f.site();
    for round in 0..12 {
        let _ = std::fs::remove_dir_all(site.join("content"));
        f.write("site/content/_index.md", &page("title: Home", ""));
        for n in 0..25 {
            let mut parts = Vec::new();
            for _ in 0..(1 + rng.next(3)) {
                let seg: String = (0..(1 + rng.next(3)))
                    .map(|_| PIECES[rng.next(PIECES.len())])
                    .collect();
                parts.push(seg);
            }
            // `.` and `..` folders would be the file system's own, not names.
            if parts.iter().any(|p| p == "." || p == "..") {
                continue;
            }
            let name = parts.join("/");
            let file = if rng.next(3) == 0 {
                format!("site/content/{name}{n}.png")
            } else {
                format!("site/content/{name}{n}.md")
            };
            let target = f.path(&file);
            // Names the file system itself refuses are not the question here.
            if std::fs::create_dir_all(target.parent().expect("parent")).is_err() {
                continue;
            }
            let _ = std::fs::write(&target, page(&format!("title: P{n}"), ""));
        }
        let before = f.outside();
        let (out, text) = f.run(&["build"]);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "round {round}: exit {code:?}\n{text}"
        );
        assert_eq!(f.outside(), before, "round {round}: wrote outside the site");
        for e in std::fs::read_dir(&site).expect("read site") {
            let name = e.expect("entry").file_name();
            let name = name.to_string_lossy();
            assert!(
                matches!(name.as_ref(), "content" | "output" | "site.yaml"),
                "round {round}: wrote {name} beside output/"
            );
        }
    }
}
