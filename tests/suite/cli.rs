//! The command line: new, --help, --version, exit codes and colour.

use crate::support::{Site, page, pestle_cmd};

#[test]
fn new_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = pestle_cmd()
        .args(["new", "mysite"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("mysite");
    let out = pestle_cmd()
        .args(["--root", site.to_str().expect("utf8"), "build"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("Built 1 page, 2 sections and 2 listing pages into output in "),
        "{stdout}"
    );
    assert!(site.join("output/guide/first-page/index.html").exists());
    // Refuses a folder that is not empty.
    let again = pestle_cmd()
        .args(["new", "mysite"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn prints_version_and_help_for_every_command() {
    let out = pestle_cmd().arg("--version").output().expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("pestle {}\n", env!("CARGO_PKG_VERSION"))
    );
    for cmd in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["serve", "--help"],
        vec!["check", "--help"],
        vec!["new", "--help"],
    ] {
        let out = pestle_cmd().args(&cmd).output().expect("run");
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: pestle"),
            "{cmd:?}"
        );
    }
    let build_help = String::from_utf8_lossy(
        &pestle_cmd()
            .args(["build", "--help"])
            .output()
            .expect("run")
            .stdout,
    )
    .into_owned();
    for flag in [
        "--output",
        "--base-url",
        "--drafts",
        "--file-urls",
        "--root",
    ] {
        assert!(build_help.contains(flag), "build --help lacks {flag}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = pestle_cmd()
        .args(["build", "--nope"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = pestle_cmd().output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let s = Site::new(&[("content/_index.md", &page("title: Home", ""))]);
    let out = s.run(&["build", "--base-url", "not a url"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base-url"));
}

#[test]
fn colour_is_forced_by_clicolor_force_and_stopped_by_no_color() {
    let s = Site::new(&[("content/_index.md", &page("title: Home", "[x](nope.md)"))]);
    let coloured = pestle_cmd()
        .arg("build")
        .current_dir(s.path())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&coloured.stderr).contains("\x1b[1;31merror\x1b[0m"));
    let plain = pestle_cmd()
        .arg("build")
        .current_dir(s.path())
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run");
    assert_eq!(plain.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&plain.stderr).contains('\x1b'));
}

#[test]
fn a_build_memory_that_is_not_a_number_stops_the_build_with_the_fix() {
    let s = Site::new(&[("content/_index.md", &page("title: Home", "Hello."))]);
    let run = |value: &str| {
        let out = pestle_cmd()
            .arg("build")
            .env("PESTLE_BUILD_MEMORY", value)
            .current_dir(s.path())
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run("lots\u{1b}[31m");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "PESTLE_BUILD_MEMORY is `lots\\u{1b}[31m`, which is not a whole number of MiB"
        ) && err.contains("PESTLE_BUILD_MEMORY=256"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "escaped for the terminal: {err}");
    assert!(!s.path().join("output").exists(), "nothing was built");
    for ok in ["0", " 64 ", ""] {
        let (code, err) = run(ok);
        assert_eq!(code, Some(0), "PESTLE_BUILD_MEMORY={ok:?}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn a_setting_that_is_not_valid_text_is_refused_not_ignored() {
    use std::os::unix::ffi::OsStrExt;
    let s = Site::new(&[("content/_index.md", &page("title: Home", "Hello."))]);
    let bad = std::ffi::OsStr::from_bytes(b"12\xff");
    for name in ["PESTLE_BUILD_MEMORY", "PESTLE_TODAY", "SOURCE_DATE_EPOCH"] {
        let out = pestle_cmd()
            .arg("build")
            .env_remove("PESTLE_TODAY")
            .env_remove("SOURCE_DATE_EPOCH")
            .env(name, bad)
            .current_dir(s.path())
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{name} is `12\u{fffd}`")),
            "{name}: {err}"
        );
    }
}
