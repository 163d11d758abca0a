//! The web editor: with `cms:` in site.yaml the build writes
//! admin/index.html and admin/config.yml for Decap CMS, made from the
//! site's sections and the front-matter key table; what the CMS writes
//! back is a page pestle accepts.

use crate::support::{Site, assert_message, assert_no_errors, page};
use serde_yaml::Value;
use std::path::{Path, PathBuf};

const CMS_SITE: &str = "title: CMS site\nbase_url: https://example.org/docs/\n\
taxonomies:\n  - name: region\n    closed: true\n    terms:\n      - { slug: london, title: London }\n      - { slug: north, title: North }\n  - name: tags\n\
cms:\n  backend: { name: github, repo: org/guidance, branch: main }\n";

fn cms_site(extra: &[(&str, &str)]) -> Site {
    let mut files = vec![
        ("site.yaml", CMS_SITE),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/eps/_index.md",
            "---\ntitle: EPS\ndescription: Prescriptions.\n---\n",
        ),
        ("content/eps/tokens/_index.md", "---\ntitle: Tokens\n---\n"),
        (
            "content/eps/tokens/ordering.md",
            "---\ntitle: Ordering\n---\n",
        ),
        ("content/news/_index.md", "---\ntitle: News\n---\n"),
    ];
    files.extend_from_slice(extra);
    Site::new(&files)
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("config.yml is not YAML: {e}\n{text}"))
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no text at {key} in {v:?}"))
}

fn collections(config: &Value) -> &Vec<Value> {
    config
        .get("collections")
        .and_then(Value::as_sequence)
        .expect("collections")
}

fn field<'a>(collection: &'a Value, name: &str) -> &'a Value {
    collection
        .get("fields")
        .and_then(Value::as_sequence)
        .and_then(|fs| {
            fs.iter()
                .find(|f| f.get("name").and_then(Value::as_str) == Some(name))
        })
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn a_site_without_cms_has_no_admin() {
    let s = Site::new(&[("content/_index.md", "---\ntitle: Home\n---\n")]);
    s.build_ok();
    assert!(!s.exists("admin/index.html"));
    assert!(!s.exists("admin/config.yml"));
}

#[test]
fn config_has_a_collection_per_section_and_fields_from_the_key_table() {
    let s = cms_site(&[]);
    s.build_ok();
    let config = yaml(&s.read("admin/config.yml"));
    assert_eq!(str_at(&config, "publish_mode"), "editorial_workflow");
    assert!(
        config.get("local_backend").is_none(),
        "only serve builds use the local proxy"
    );
    assert_eq!(str_at(&config["backend"], "repo"), "org/guidance");
    assert_eq!(str_at(&config, "media_folder"), "static/images");
    assert_eq!(str_at(&config, "public_folder"), "/images");
    assert_eq!(str_at(&config["slug"], "encoding"), "ascii");
    let cs = collections(&config);
    let folders: Vec<(&str, &str)> = cs
        .iter()
        .map(|c| (str_at(c, "name"), str_at(c, "folder")))
        .collect();
    assert_eq!(
        folders,
        [
            ("home", "content"),
            ("eps", "content/eps"),
            ("eps-tokens", "content/eps/tokens"),
            ("news", "content/news"),
        ]
    );
    for c in cs {
        assert_eq!(str_at(c, "format"), "yaml-frontmatter");
        assert_eq!(str_at(c, "extension"), "md");
        assert_eq!(c.get("create").and_then(Value::as_bool), Some(true));
    }
    assert_eq!(str_at(&cs[1], "label"), "EPS");
    assert_eq!(str_at(&cs[1], "description"), "Prescriptions.");
    assert_eq!(str_at(&cs[1], "slug"), "{{slug}}");
    assert_eq!(
        str_at(&cs[3], "slug"),
        "{{year}}-{{month}}-{{day}}-{{slug}}"
    );

    let eps = &cs[1];
    let title = field(eps, "title");
    assert_eq!(str_at(title, "widget"), "string");
    assert!(title.get("required").is_none(), "title is required");
    assert_eq!(str_at(field(eps, "description"), "widget"), "text");
    assert_eq!(str_at(field(eps, "weight"), "value_type"), "int");
    for date in ["date", "updated", "reviewed", "review_due"] {
        let f = field(eps, date);
        assert_eq!(str_at(f, "widget"), "datetime");
        assert_eq!(str_at(f, "format"), "YYYY-MM-DD");
        assert_eq!(f.get("time_format").and_then(Value::as_bool), Some(false));
        assert!(f.get("default").is_none(), "no date is filled in by itself");
        assert_eq!(f.get("required").and_then(Value::as_bool), Some(false));
    }
    assert_eq!(str_at(field(eps, "draft"), "widget"), "boolean");
    let region = field(eps, "region");
    assert_eq!(str_at(region, "widget"), "select");
    assert_eq!(region.get("multiple").and_then(Value::as_bool), Some(true));
    let options: Vec<(&str, &str)> = region["options"]
        .as_sequence()
        .expect("options")
        .iter()
        .map(|o| (str_at(o, "value"), str_at(o, "label")))
        .collect();
    assert_eq!(options, [("london", "London"), ("north", "North")]);
    assert_eq!(str_at(field(eps, "tags"), "widget"), "list");
    assert_eq!(str_at(field(eps, "aliases"), "widget"), "list");
    assert_eq!(str_at(field(eps, "related"), "widget"), "list");
    assert_eq!(
        str_at(field(eps, "title"), "hint"),
        "The page's title, shown as its heading, in menus and in search results. Required."
    );
    let body = field(eps, "body");
    assert_eq!(str_at(body, "widget"), "markdown");
    assert_eq!(body["modes"], yaml("[raw]"));
}

#[test]
fn the_admin_page_loads_only_the_cms_script_and_the_reader_pages_load_nothing_new() {
    let s = cms_site(&[]);
    s.build_ok();
    let html = s.read("admin/index.html");
    assert!(html.contains(
        "<script src=\"https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js\"></script>"
    ));
    assert!(
        !html.contains("<link"),
        "the CMS finds config.yml beside the page"
    );
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    // A cleared number or date is dropped before saving (pestle refuses "").
    assert!(html.contains(r#"["weight","date","updated","reviewed","review_due"].forEach"#));
    for page in [
        "index.html",
        "eps/index.html",
        "eps/tokens/ordering/index.html",
    ] {
        let text = s.read(page);
        assert!(!text.contains("decap"), "{page} mentions the CMS");
        assert!(
            !text.contains("https://unpkg.com"),
            "{page} loads from a CDN"
        );
    }
}

#[test]
fn serve_builds_turn_on_the_local_backend() {
    let s = cms_site(&[]);
    s.build_with(|o| o.preview = true);
    let config = yaml(&s.read("admin/config.yml"));
    assert_eq!(config["local_backend"], Value::Bool(true));
    assert_eq!(str_at(&config, "publish_mode"), "editorial_workflow");

    let site_yaml = format!(
        "{CMS_SITE}  local_backend_url: http://127.0.0.1:18081/api/v1\n  script_url: http://127.0.0.1:18082/decap-cms.js\n  media_folder: content/media\n"
    );
    s.write("site.yaml", &site_yaml);
    s.build_with(|o| o.preview = true);
    let config = yaml(&s.read("admin/config.yml"));
    assert_eq!(
        str_at(&config["local_backend"], "url"),
        "http://127.0.0.1:18081/api/v1"
    );
    assert_eq!(str_at(&config, "public_folder"), "/media");
    assert!(
        s.read("admin/index.html")
            .contains("<script src=\"http://127.0.0.1:18082/decap-cms.js\"></script>")
    );
}

#[test]
fn text_from_the_site_is_escaped_in_the_yaml_and_the_page() {
    let hostile_title = "Tokens: \"a\" #1 {{slug}} &x\n---\n- name: evil\n  folder: /etc";
    let section = page(
        &format!(
            "title: {}",
            serde_json::to_string(hostile_title).expect("json")
        ),
        "",
    );
    let site_yaml = "title: \"A </title><script>alert(1)</script>\"\n\
cms:\n  backend: { name: github, repo: \"o/r\\nmedia_folder: /etc\", branch: \"x: y # z\" }\n  script_url: \"https://cdn.example/x.js\\\"></script><script>alert(1)//\"\n";
    let s = Site::new(&[
        ("site.yaml", site_yaml),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/odd/_index.md", &section),
    ]);
    s.build_ok();
    let config = yaml(&s.read("admin/config.yml"));
    assert_eq!(
        str_at(&config["backend"], "repo"),
        "o/r\nmedia_folder: /etc"
    );
    assert_eq!(str_at(&config["backend"], "branch"), "x: y # z");
    assert_eq!(str_at(&config, "media_folder"), "static/images");
    let cs = collections(&config);
    assert_eq!(cs.len(), 2, "the title made no collection of its own");
    assert_eq!(str_at(&cs[1], "label"), hostile_title);
    assert_eq!(str_at(&cs[1], "folder"), "content/odd");
    let html = s.read("admin/index.html");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("<title>Edit A &lt;/title&gt;&lt;script&gt;"));
    assert!(html.contains("x.js&quot;&gt;&lt;/script&gt;"));
    assert_eq!(html.matches("<script").count(), 2, "{html}");
}

#[test]
fn cms_settings_that_cannot_work_are_errors_in_site_yaml() {
    let s = Site::new(&[
        (
            "site.yaml",
            "title: T\ncms:\n  backend: { repo: o/r }\n  media_folder: ../outside\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
    ]);
    let r = s.build();
    assert_message(
        &s,
        &r,
        &["site.yaml", "cms.backend needs a `name`", "[bad-config]"],
    );
    assert_message(&s, &r, &["cms.media_folder `../outside`", "[bad-config]"]);
    let s = Site::new(&[
        (
            "site.yaml",
            "title: T\ncms:\n  backend: { name: github }\n  colour: red\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
    ]);
    let r = s.build();
    assert!(r.diagnostics.has_errors());
}

#[test]
fn a_page_at_the_admin_address_is_a_conflict() {
    let s = cms_site(&[("content/admin/_index.md", "---\ntitle: Admin\n---\n")]);
    let r = s.build();
    assert_message(&s, &r, &["output/admin/index.html", "[url-conflict]"]);
}

/// Pages exactly as Decap CMS 3.16 writes them. The first two are the
/// texts the browser test (tests/browser/test/cms.test.mjs) reads back
/// after saving through the form: strings quoted only when they must be
/// (double quotes around an apostrophe, single around double quotes),
/// dates unquoted, lists in block style, an emptied list as `[]`, keys in
/// an order of its own, the body as typed. The others are
/// shapes it writes too: a cleared select as `null`, a long description
/// folded over lines, related items edited into plain addresses.
const WRITTEN_BY_DECAP: &[(&str, &str)] = &[
    (
        "content/eps/ordering-tokens-anns-cafe-guide.md",
        "---\ntitle: \"Ordering tokens: Ann's café guide\"\ndescription: How to order FP10DT tokens, step by step.\nreviewed: 2026-11-26\ntags: []\nregion:\n  - london\n---\nOrder them from Primary Care Support England.\n",
    ),
    (
        "content/eps/existing.md",
        "---\nrelated:\n  - _index.md\n  - title: NHS England\n    url: https://www.england.nhs.uk/\nextra:\n  note: kept as written\ntitle: Existing guidance\ndescription: 'Changed in the CMS: with \"quotes\".'\nreviewed: 2026-01-02\nowner: Pharmacy IT guidance team\ntags:\n  - tokens\nregion: london\n---\n> [!WARNING]\n> Written by hand, with an alert.\n",
    ),
    (
        "content/eps/cleared-fields.md",
        "---\ntitle: Cleared fields\nowner: Team\ntags:\n  - eps\n  - tokens\nregion: null\naliases: []\n---\n",
    ),
    (
        "content/eps/folded.md",
        "---\ntitle: Folded\ndescription: What Local Digital Roadmaps were, how their footprints lined up\n  with the 44 STP footprints of 2016, and who covers the area\n  now.\nweight: 30\ndraft: false\nrelated:\n  - _index.md\n  - https://www.england.nhs.uk/new/\n---\nBody.\n",
    ),
    (
        "content/news/2026-11-26-tokens-are-changing.md",
        "---\ntitle: Tokens are changing\nreviewed: 2026-11-26\n---\nNews, with a picture uploaded through the editor:\n\n![A token](/images/token.png)\n",
    ),
    ("static/images/token.png", crate::support::GIF_1X1),
];

#[test]
fn pestle_accepts_the_front_matter_the_cms_writes() {
    let s = cms_site(WRITTEN_BY_DECAP);
    let r = s.build_ok();
    assert_no_errors(&r);
    let unexpected: Vec<String> = crate::support::messages(&r, s.path())
        .into_iter()
        .filter(|m| m.contains("content/eps/") || m.contains("content/news/"))
        .collect();
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    let anns = s.read("eps/ordering-tokens-anns-cafe-guide/index.html");
    assert!(anns.contains("<h1>Ordering tokens: Ann&#39;s café guide</h1>"));
    assert!(
        anns.contains("26 November 2026"),
        "the reviewed date is shown"
    );
    let london = s.read("region/london/index.html");
    assert!(london.contains("eps/ordering-tokens-anns-cafe-guide/"));
    assert!(london.contains("eps/existing/"));
    assert!(
        s.read("eps/folded/index.html")
            .contains("lined up with the 44 STP footprints")
    );
    // An upload goes to media_folder (static/images) and is linked from
    // public_folder (/images), which pestle resolves from the site root.
    assert!(
        s.read("news/tokens-are-changing/index.html")
            .contains("<img src=\"../../images/token.png\" alt=\"A token\"")
    );
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// Every `.md` file under `dir`, relative to it.
fn md_files(dir: &Path, under: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            md_files(&p, under, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p.strip_prefix(under).expect("prefix").to_path_buf());
        }
    }
}

#[test]
fn the_real_site_gets_a_collection_holding_every_page_and_its_four_regions() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    copy_tree(&repo().join("content"), &root.join("content"));
    std::fs::copy(repo().join("glossary.yaml"), root.join("glossary.yaml")).expect("glossary");
    let site_yaml = std::fs::read_to_string(repo().join("site.yaml")).expect("site.yaml");
    std::fs::write(
        root.join("site.yaml"),
        format!("{site_yaml}cms:\n  backend: {{ name: github, repo: ORG/REPO, branch: main }}\n"),
    )
    .expect("write site.yaml");
    let report = pestle::build(&pestle::BuildOptions {
        output: Some(root.join("output")),
        ..pestle::BuildOptions::new(root)
    })
    .expect("build ran");
    assert_no_errors(&report);
    let config =
        yaml(&std::fs::read_to_string(root.join("output/admin/config.yml")).expect("read"));
    let cs = collections(&config);
    let folders: Vec<&str> = cs.iter().map(|c| str_at(c, "folder")).collect();
    // Decap lists the .md files directly in a collection's folder: every
    // page of the site must be in one.
    let mut pages = Vec::new();
    md_files(&root.join("content"), root, &mut pages);
    assert!(pages.len() >= 30);
    for p in &pages {
        let folder = p
            .parent()
            .expect("folder")
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            folders.contains(&folder.as_str()),
            "{} is in no collection ({folders:?})",
            p.display()
        );
    }
    let sections = pages.iter().filter(|p| p.ends_with("_index.md")).count();
    assert_eq!(cs.len(), sections, "one collection per section");
    for c in cs {
        let region = field(c, "region");
        let values: Vec<&str> = region["options"]
            .as_sequence()
            .expect("options")
            .iter()
            .map(|o| str_at(o, "value"))
            .collect();
        assert_eq!(values, ["north", "midlands-and-east", "london", "south"]);
    }
}

#[test]
fn serve_leaves_the_editor_page_out_of_live_reload() {
    let s = cms_site(&[]);
    let srv = crate::serving::start(&s);
    let (status, _, body) = crate::serving::get(&srv.addr, "/admin/");
    assert_eq!(status, 200);
    assert!(body.contains("decap-cms"), "{body}");
    assert!(
        !body.contains("/__pestle/live.js"),
        "live reload would swap the editor away after a save"
    );
    let (_, head, _) = crate::serving::get(&srv.addr, "/admin/config.yml");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/yaml"),
        "{head}"
    );
    let (_, _, home) = crate::serving::get(&srv.addr, "/");
    assert!(
        home.contains("/__pestle/live.js"),
        "other pages still reload"
    );
}
