//! `pestle new DIR`: a small working site to start from.

use crate::diagnostics::Fatal;
use crate::fs;
use std::path::Path;

const SITE_YAML: &str = "\
title: My guidance site
base_url: https://example.org/
language: en-GB
theme: default
review_period_months: 12
taxonomies:
  - name: tags
    title: Topics
";

const HOME: &str = "\
---
title: My guidance site
description: Guidance for our teams, kept up to date.
---

Welcome. Start with the [getting started guide](guide/_index.md).
";

const SECTION: &str = "\
---
title: Getting started
description: How this site is organised and how to add a page.
weight: 10
---

Pages in this folder are listed here, in order of their `weight`.
";

const PAGE: &str = "\
---
title: Writing your first page
description: Front matter, headings and links in one short example.
weight: 10
tags: [editing]
reviewed: 2026-11-01
---

## Front matter

Every page starts with a block of settings between `---` lines. Only
`title` is required.

## Links

Link to other pages by their file, like the [section overview](_index.md)
or a [heading on this page](#front-matter). The build checks every link.

> [!TIP]
> Run `pestle serve` and keep the page open: it updates as you save.
";

/// Creates a new site in `dir`, which must not exist or be empty, and says
/// what to do next.
pub fn run(dir: &Path) -> Result<super::Status, Fatal> {
    create(dir)?;
    println!(
        "Created a new site in {}.\nNext, to see it as you edit:\n  cd {}\n  {} serve\nthen open http://127.0.0.1:1111/ in your browser: each page updates when you save it.",
        dir.display(),
        shell_word(&dir.display().to_string()),
        shell_word(&command_name())
    );
    Ok(super::Status::Success)
}

/// How to run this pestle from a terminal: `pestle` when that is the one on
/// the PATH, otherwise its full path (run from a build folder, say).
fn command_name() -> String {
    let me = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| {
                d.join(if cfg!(windows) {
                    "pestle.exe"
                } else {
                    "pestle"
                })
            })
            .find(|p| p.is_file())
            .and_then(|p| p.canonicalize().ok())
    });
    match (me, on_path) {
        (Some(me), Some(found)) if me == found => "pestle".into(),
        (Some(me), _) => me.display().to_string(),
        (None, _) => "pestle".into(),
    }
}

/// `word` as one word for a shell: in single quotes when it has anything
/// but plain characters.
fn shell_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-+:".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Creates a new site in `dir`, which must not exist or be empty.
fn create(dir: &Path) -> Result<(), Fatal> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Fatal::io("read", dir, &e))?
            .next()
            .is_none();
        if !empty {
            return Err(Fatal::new(format!(
                "{} already exists and is not empty; choose a new folder name",
                dir.display()
            )));
        }
    }
    fs::write(&dir.join("site.yaml"), SITE_YAML.as_bytes())?;
    fs::write(&dir.join("content/_index.md"), HOME.as_bytes())?;
    fs::write(&dir.join("content/guide/_index.md"), SECTION.as_bytes())?;
    fs::write(&dir.join("content/guide/first-page.md"), PAGE.as_bytes())?;
    fs::write(&dir.join(".gitignore"), b"/output\n")?;
    Ok(())
}
