//! The assembled site: everything a build knows before it writes a file.
//! [`assemble`] runs the pipeline's reading and checking steps (site.yaml,
//! the theme, every page's front matter and Markdown, links, taxonomies,
//! related resources) and decides every output file and where it comes
//! from; [`emit`] renders one of those files. `pestle build` writes them all;
//! `pestle check` renders them in memory to check what templates produce.

pub(crate) mod emit;

use crate::commands::build::BuildOptions;
use crate::config::{self, Config};
use crate::content::{self, Kind, Tree};
use crate::diagnostics::{Diagnostic, Fatal, Position, Severity};
use crate::fs::{self, SiteRoot, SourceFile};
use crate::glossary;
use crate::hash::hash_of;
use crate::links::{self, LinkIndex, Resolved};
use crate::markdown::{self, PageRef, Rendered};
use crate::output;
use crate::render::context::{
    Feed, RelatedLink, RelatedTarget, SiteModel, pager_count, pager_url, tree_order,
};
use crate::render::functions::TermPages;
use crate::render::{Templates, theme};
use crate::search;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file of the output: where it comes from.
#[derive(Clone)]
pub(crate) enum Origin {
    Page(usize),
    /// Page n (from 2) of the paginated section.
    Paginated(usize, usize),
    /// The search page, when the theme has `search.html`.
    Search,
    /// A file of the search index (`search/meta.js`, shards, fragments).
    SearchFile(Arc<str>),
    /// The Atom feed of the news section.
    NewsFeed(usize),
    /// The Atom feed of a term.
    TermFeed(usize, usize),
    Taxonomy(usize),
    Term(usize, usize),
    Alias(usize, String),
    Static(theme::Source),
    Asset(PathBuf),
    Generated,
}

/// Everything known about the site before writing, owned.
pub(crate) struct Site {
    pub(crate) config: Config,
    pub(crate) tree: Tree,
    pub(crate) rendered: Vec<Arc<Rendered>>,
    pub(crate) related: Vec<Vec<RelatedLink>>,
    pub(crate) taxonomies: Vec<content::Taxonomy>,
    pub(crate) glossary: Vec<glossary::Entry>,
    /// Every output file (a `/`-separated path) and where it comes from.
    pub(crate) outputs: BTreeMap<String, Origin>,
    pub(crate) news: Option<usize>,
    pub(crate) latest_news: Vec<usize>,
    pub(crate) tree_order: Vec<usize>,
    pub(crate) drafts: bool,
    pub(crate) templates: Option<Templates>,
    /// Everything a link can point at, for re-rendering one page's Markdown.
    pub(crate) index: LinkIndex,
    /// True when the search index files are still to be made
    /// ([`Site::search_files`]) rather than listed in `outputs`.
    pub(crate) search_pending: bool,
}

impl Site {
    /// The view the templates are rendered from.
    pub(crate) fn model(&self) -> SiteModel<'_> {
        SiteModel {
            config: &self.config,
            tree: &self.tree,
            rendered: &self.rendered,
            related: &self.related,
            taxonomies: &self.taxonomies,
            glossary: &self.glossary,
            latest_news: self.latest_news.clone(),
            drafts: self.drafts,
            feeds: self
                .news
                .map(|n| Feed {
                    title: self.tree.pages[n].meta.title.clone(),
                    path: format!("{}atom.xml", self.tree.pages[n].url),
                })
                .into_iter()
                .collect(),
            paginated: self.news.map(|n| (n, self.config.news_per_page)),
            tree_order: self.tree_order.clone(),
            fingerprinting: false,
        }
    }

    /// Builds the search index files: (output path, text).
    pub(crate) fn search_files(&self) -> search::Files {
        search::build(&search::input(
            &self.tree,
            &self.rendered,
            &self.taxonomies,
            &self.glossary,
        ))
    }

    /// Regular pages, sections (the home page included) and listing pages.
    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        let pages = self
            .tree
            .pages
            .iter()
            .filter(|p| p.kind == Kind::Page)
            .count();
        let listings = self.taxonomies.iter().map(|t| 1 + t.terms.len()).sum();
        (pages, self.tree.pages.len() - pages, listings)
    }
}

/// Reads site.yaml, or explains that this is not a site folder.
pub(crate) fn load_config(
    root: &SiteRoot,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Config>, Fatal> {
    let rel = Path::new(config::CONFIG_FILE);
    if !root.exists(rel) {
        return Err(Fatal::new(format!(
            "{} has no {}: run pestle in a site folder, use --root, or create one with `pestle new DIR`",
            root.path().display(),
            config::CONFIG_FILE
        )));
    }
    let Some(text) = root.read_text(rel, diags) else {
        return Ok(None);
    };
    Ok(config::parse(&text, rel, diags))
}

/// A file's parse, or the errors that stopped it.
pub(crate) type ParseResult = (Option<content::tree::Parsed>, Vec<Diagnostic>);

/// What one assembly can lend the next: each file's parse and each page's
/// rendered Markdown, so `pestle serve` redoes only what a change touched.
#[derive(Default)]
pub(crate) struct Cache {
    /// Source path under content/ → its parse (or its errors).
    pub(crate) pages: HashMap<String, ParseResult>,
    /// Source path → (text hash, link environment hash, Markdown result).
    pub(crate) markdown: HashMap<String, (u64, u64, Arc<Rendered>, Vec<Diagnostic>)>,
    /// Keep rendered Markdown for the next assembly (serve); a one-off build
    /// frees it instead.
    pub(crate) keep: bool,
    /// Leave the search index for the caller to build (`build` writes it
    /// while the pages are being written).
    pub(crate) defer_search: bool,
    /// Files changed since the last assembly, as paths under the site root
    /// (`content/a.md`); `None` means "assume everything changed".
    pub(crate) dirty: Option<HashSet<PathBuf>>,
}

/// Reads, checks and plans the site. Returns `None` (with the diagnostics)
/// when anything is in error; only environment failures are `Err`.
pub(crate) fn assemble(opts: &BuildOptions) -> Result<(Option<Site>, Vec<Diagnostic>), Fatal> {
    assemble_cached(opts, &mut Cache::default())
}

/// [`assemble`], reusing what `cache` holds for files not marked dirty.
pub(crate) fn assemble_cached(
    opts: &BuildOptions,
    cache: &mut Cache,
) -> Result<(Option<Site>, Vec<Diagnostic>), Fatal> {
    let site_root = SiteRoot::new(&opts.root)?;
    let root = &site_root;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let Some(mut config) = load_config(root, &mut diags)? else {
        return Ok((None, diags));
    };
    if let Some(url) = &opts.base_url {
        let mut url = url.clone();
        if !url.ends_with('/') {
            url.push('/');
        }
        config::check_base_url(&url).map_err(|m| Fatal::new(format!("--base-url: {m}")))?;
        config.base_url = url;
    }
    config.file_urls |= opts.file_urls;

    let theme = theme::load(root, &config.theme, &mut diags)?;
    let templates = Templates::compile(&theme, &mut diags);

    let glossary_path = Path::new(glossary::GLOSSARY_FILE);
    let glossary = match root.read_text(glossary_path, &mut diags) {
        Some(text) => glossary::parse(&text, glossary_path, &mut diags),
        None => Vec::new(),
    };

    let t = std::time::Instant::now();
    // 1. Read every page and its front matter, in parallel.
    let found = content::discover(root, &mut diags);
    let real_of: HashMap<&str, &Path> = found
        .pages
        .iter()
        .map(|f| (f.rel.as_str(), f.real.as_path()))
        .collect();
    let page_names: Vec<String> = found.pages.iter().map(|f| f.rel.clone()).collect();
    let dirty = cache.dirty.take();
    let is_fresh = |source: &String| {
        dirty
            .as_ref()
            .is_some_and(|set| !set.contains(&PathBuf::from("content").join(source)))
    };
    let reread: Vec<&String> = page_names
        .iter()
        .filter(|s| !(is_fresh(s) && cache.pages.contains_key(*s)))
        .collect();
    let fresh: Vec<(String, ParseResult)> = reread
        .par_iter()
        .map(|source| {
            let real = real_of
                .get(source.as_str())
                .copied()
                .unwrap_or(Path::new(""));
            ((*source).clone(), read_page(real, source, &config))
        })
        .collect();
    let present: HashSet<&String> = page_names.iter().collect();
    cache.pages.retain(|k, _| present.contains(k));
    cache.markdown.retain(|k, _| present.contains(k));
    cache.pages.extend(fresh);
    let mut drafts_left_out = HashSet::new();
    let mut pages_in = Vec::with_capacity(page_names.len());
    for source in &page_names {
        let Some((p, d)) = cache.pages.get(source) else {
            continue;
        };
        diags.extend(d.iter().cloned());
        if let Some(p) = p.clone() {
            if p.meta.draft && !opts.drafts {
                drafts_left_out.insert(p.source);
            } else {
                pages_in.push(p);
            }
        }
    }

    crate::diagnostics::timing("read pages", t);
    let t = std::time::Instant::now();
    // 2. Place pages in the tree; group them into taxonomies.
    let mut tree = content::build_tree(pages_in, &config.title, &mut diags);
    let taxonomies = content::build_taxonomies(&config, &tree, &mut diags);

    crate::diagnostics::timing("tree and taxonomies", t);
    let t = std::time::Instant::now();
    // 3. Everything a link may point at.
    let mut index = LinkIndex {
        pages: tree.by_source.clone(),
        urls: tree.by_url.iter().map(|(u, &i)| (u.clone(), i)).collect(),
        drafts: drafts_left_out,
        page_urls: tree.pages.iter().map(|p| p.url.clone()).collect(),
        ..LinkIndex::default()
    };
    for (i, p) in tree.pages.iter().enumerate() {
        match (p.kind, &p.bundle_dir) {
            (Kind::Home, _) => {
                index.dirs.insert(String::new(), i);
            }
            (Kind::Section, _) => {
                index.dirs.insert(p.source_dir().to_string(), i);
            }
            (Kind::Page, Some(b)) => {
                index.dirs.insert(b.clone(), i);
            }
            _ => {}
        }
    }
    for asset in &found.assets {
        let url = asset_url(&tree, &asset.rel);
        let bad = content::slug::bad_url_segments(&url);
        if bad.is_empty() {
            index.assets.insert(asset.rel.clone(), url);
            continue;
        }
        for (seg, why) in bad {
            diags.push(
                Diagnostic::error(
                    "bad-file-name",
                    PathBuf::from("content").join(&asset.rel),
                    Position::File,
                    format!(
                        "this file's address would have the part `{}`, which cannot be used: {why}",
                        seg.escape_debug()
                    ),
                )
                .with_hint("rename the folder using letters, digits and hyphens"),
            );
        }
    }
    let site_static = root.walk(Path::new("static"), content::is_ignored_name, &mut diags);
    for (rel, _) in theme
        .statics
        .iter()
        .chain(&site_static_sources(&site_static))
    {
        index.static_files.insert(format!("/{rel}"));
    }

    crate::diagnostics::timing("link index", t);
    let t = std::time::Instant::now();
    // 4. Render Markdown once per page, in parallel; then check #anchors.
    let matcher = glossary::Matcher::new(&glossary);
    let env = link_environment(&index, &glossary, config.file_urls);
    let markdown_cache = &cache.markdown;
    let rendered: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = tree
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some((text, e, r, d)) = markdown_cache.get(&p.source) {
                if *text == p.text_hash && *e == env {
                    return (Arc::clone(r), d.clone());
                }
            }
            let mut d = Vec::new();
            let page = PageRef {
                index: i,
                url: &p.url,
                source_dir: p.source_dir(),
                file: &p.file,
                glossary: (p.meta.extra.get("glossary") != Some(&serde_json::Value::Bool(false)))
                    .then_some(&matcher),
            };
            let body = p.text.get(p.body_offset..).unwrap_or("");
            let r = markdown::render(body, p.body_offset, &page, &index, config.file_urls, &mut d);
            (Arc::new(r), d)
        })
        .collect();
    let mut rendered_pages = Vec::with_capacity(rendered.len());
    let keep = cache.keep;
    for (p, (r, d)) in tree.pages.iter().zip(rendered) {
        diags.extend(d.iter().cloned());
        if keep {
            cache
                .markdown
                .insert(p.source.clone(), (p.text_hash, env, Arc::clone(&r), d));
        }
        rendered_pages.push(r);
    }
    if !keep {
        cache.markdown.clear();
    }
    for p in &mut tree.pages {
        p.text = Arc::from("");
    }
    {
        let files: Vec<&Path> = tree.pages.iter().map(|p| p.file.as_path()).collect();
        let sources: Vec<&str> = tree.pages.iter().map(|p| p.source.as_str()).collect();
        markdown::check_anchors(&rendered_pages, &files, &sources, &mut diags);
    }

    crate::diagnostics::timing("markdown and anchors", t);
    let t = std::time::Instant::now();
    // 5. Related resources, templates named in front matter, output paths.
    let related = resolve_related(&tree, &index, &rendered_pages, &mut diags);
    if let Some(t) = &templates {
        check_templates(&tree, t, &taxonomies, !theme.broken, &mut diags);
    }
    let mut outputs: BTreeMap<String, Origin> = BTreeMap::new();
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut search_pending = false;
    let mut claim = |path: String,
                     origin: Origin,
                     diags: &mut Vec<Diagnostic>,
                     who: (&Path, Position)| {
        // The last guard: every name was checked where it was read, so this
        // only fires if a check upstream was missed.
        if !matches!(origin, Origin::Generated) {
            if let Err(why) = content::slug::check_path(&path) {
                diags.push(
                    Diagnostic::error(
                        "bad-file-name",
                        who.0,
                        who.1,
                        format!("pestle will not write this to the output folder: {why}"),
                    )
                    .with_hint("rename the file or folder using letters, digits and hyphens"),
                );
                return;
            }
        }
        let key = content::slug::conflict_key(&path);
        if let Some(prev) = keys.get(&key).and_then(|p| outputs.get(p)) {
            let what = describe(prev, &tree);
            diags.push(
                Diagnostic::error(
                    "url-conflict",
                    who.0,
                    who.1,
                    format!("this would write output/{path}, which {what} already writes"),
                )
                .with_hint("change the slug, alias or file name so each address has one source"),
            );
        } else {
            keys.insert(key, path.clone());
            outputs.insert(path, origin);
        }
    };
    for (i, p) in tree.pages.iter().enumerate() {
        claim(
            page_file(&p.url),
            Origin::Page(i),
            &mut diags,
            (&p.file, Position::File),
        );
    }
    let news = news_section(&config, &tree);
    if let Some(n) = news {
        let p = &tree.pages[n];
        let at = (p.file.as_path(), Position::File);
        let count = pager_count(p.pages.len(), config.news_per_page);
        for k in 2..=count {
            claim(
                page_file(&pager_url(&p.url, k)),
                Origin::Paginated(n, k),
                &mut diags,
                at,
            );
        }
        let first = format!("{}page/1/", p.url);
        claim(
            page_file(&first),
            Origin::Alias(n, first.clone()),
            &mut diags,
            at,
        );
        claim(
            format!("{}atom.xml", p.url.trim_start_matches('/')),
            Origin::NewsFeed(n),
            &mut diags,
            at,
        );
    }
    for (ti, t) in taxonomies.iter().enumerate() {
        if t.feeds {
            for (ni, term) in t.terms.iter().enumerate() {
                let file = format!("{}atom.xml", term.url.trim_start_matches('/'));
                claim(
                    file,
                    Origin::TermFeed(ti, ni),
                    &mut diags,
                    (Path::new(config::CONFIG_FILE), Position::File),
                );
            }
        }
    }
    for (ti, t) in taxonomies.iter().enumerate() {
        claim(
            page_file(&t.url),
            Origin::Taxonomy(ti),
            &mut diags,
            (Path::new(config::CONFIG_FILE), Position::File),
        );
        for (ni, term) in t.terms.iter().enumerate() {
            claim(
                page_file(&term.url),
                Origin::Term(ti, ni),
                &mut diags,
                (Path::new(config::CONFIG_FILE), Position::File),
            );
        }
    }
    for (i, p) in tree.pages.iter().enumerate() {
        for (alias, at) in &p.meta.aliases {
            let file = if alias.ends_with('/') {
                page_file(alias)
            } else {
                alias.trim_start_matches('/').to_string()
            };
            claim(
                file,
                Origin::Alias(i, alias.clone()),
                &mut diags,
                (&p.file, Position::Offset(*at)),
            );
        }
    }
    if templates.as_ref().is_some_and(|t| t.has("search.html")) {
        claim(
            "search/index.html".into(),
            Origin::Search,
            &mut diags,
            (Path::new("themes"), Position::File),
        );
        // Search: the index files, built from every page's rendered text.
        // A one-off build makes them later, alongside the pages (see
        // `Site::search_pending`); serve and check need them now.
        if cache.defer_search {
            search_pending = true;
        } else {
            let t = std::time::Instant::now();
            let files = search::build(&search::input(
                &tree,
                &rendered_pages,
                &taxonomies,
                &glossary,
            ));
            for (path, text) in files {
                claim(
                    path,
                    Origin::SearchFile(text),
                    &mut diags,
                    (Path::new("themes"), Position::File),
                );
            }
            crate::diagnostics::timing("search index", t);
        }
    }
    for special in ["404.html", "sitemap.xml", output::MARKER] {
        claim(
            special.to_string(),
            Origin::Generated,
            &mut diags,
            (Path::new(config::CONFIG_FILE), Position::File),
        );
    }
    for asset in &found.assets {
        let Some(url) = index.assets.get(&asset.rel) else {
            continue;
        };
        claim(
            url.trim_start_matches('/').to_string(),
            Origin::Asset(asset.real.clone()),
            &mut diags,
            (&PathBuf::from("content").join(&asset.rel), Position::File),
        );
    }
    let static_sources: Vec<(String, theme::Source)> = theme
        .statics
        .iter()
        .cloned()
        .chain(site_static_sources(&site_static))
        .collect();
    // Later statics (the site's own) override the theme's: keep the last.
    let mut static_map: BTreeMap<&str, &theme::Source> = BTreeMap::new();
    for (rel, src) in &static_sources {
        static_map.insert(rel.as_str(), src);
    }
    for (rel, src) in static_map {
        let who = match src {
            theme::Source::Disk(p) => p.strip_prefix(root.real()).unwrap_or(p).to_path_buf(),
            theme::Source::Embedded(_) => PathBuf::from("themes/default/static").join(rel),
        };
        claim(
            rel.to_string(),
            Origin::Static(src.clone()),
            &mut diags,
            (&who, Position::File),
        );
    }

    let Some(mut templates) = templates else {
        return Ok((None, diags));
    };
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Ok((None, diags));
    }
    crate::diagnostics::timing("related, templates and outputs", t);
    let latest_news = latest_news(&config, &tree);
    let tree_order = tree_order(&tree);
    let mut site = Site {
        config,
        tree,
        rendered: rendered_pages,
        related,
        taxonomies,
        glossary,
        outputs,
        news,
        latest_news,
        tree_order,
        drafts: opts.drafts,
        templates: None,
        index,
        search_pending,
    };
    let functions = TermPages::new(&site.model());
    templates.register_function("term_pages", functions);
    site.templates = Some(templates);
    Ok((Some(site), diags))
}

/// Rebuilds the search index after a page's rendered text was replaced in
/// place (serve's one-page fast path): swaps the site's search outputs for
/// the new ones and returns their paths.
pub(crate) fn refresh_search(site: &mut Site) -> Vec<String> {
    if !site.search_pending
        && !site
            .outputs
            .values()
            .any(|o| matches!(o, Origin::SearchFile(_)))
    {
        return Vec::new();
    }
    site.search_pending = false;
    site.outputs
        .retain(|_, o| !matches!(o, Origin::SearchFile(_)));
    let files = search::build(&search::input(
        &site.tree,
        &site.rendered,
        &site.taxonomies,
        &site.glossary,
    ));
    let mut paths = Vec::with_capacity(files.len());
    for (path, text) in files {
        paths.push(path.clone());
        site.outputs.insert(path, Origin::SearchFile(text));
    }
    paths
}

fn site_static_sources(files: &[SourceFile]) -> Vec<(String, theme::Source)> {
    files
        .iter()
        .map(|f| (f.rel.clone(), theme::Source::Disk(f.real.clone())))
        .collect()
}

/// A hash of everything a page's rendered Markdown depends on besides its
/// own text: where every link can point, and the glossary.
fn link_environment(index: &LinkIndex, glossary: &[glossary::Entry], file_urls: bool) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut pages: Vec<(&String, &usize)> = index.pages.iter().collect();
    pages.sort();
    pages.hash(&mut h);
    index.page_urls.hash(&mut h);
    let mut dirs: Vec<(&String, &usize)> = index.dirs.iter().collect();
    dirs.sort();
    dirs.hash(&mut h);
    let mut assets: Vec<(&String, &String)> = index.assets.iter().collect();
    assets.sort();
    assets.hash(&mut h);
    let mut statics: Vec<&String> = index.static_files.iter().collect();
    statics.sort();
    statics.hash(&mut h);
    let mut drafts: Vec<&String> = index.drafts.iter().collect();
    drafts.sort();
    drafts.hash(&mut h);
    for g in glossary {
        (&g.term, &g.expansion).hash(&mut h);
    }
    file_urls.hash(&mut h);
    h.finish()
}

pub(crate) fn describe(origin: &Origin, tree: &Tree) -> String {
    match origin {
        Origin::Page(i) | Origin::Paginated(i, _) | Origin::NewsFeed(i) => {
            tree.pages[*i].file.display().to_string()
        }
        Origin::TermFeed(..) => "a taxonomy feed".into(),
        Origin::Search => "the search page".into(),
        Origin::SearchFile(_) => "the search index".into(),
        Origin::Taxonomy(_) | Origin::Term(..) => "a taxonomy page".into(),
        Origin::Alias(i, a) => format!("the alias {a} of {}", tree.pages[*i].file.display()),
        Origin::Static(theme::Source::Disk(p)) => p.display().to_string(),
        Origin::Static(theme::Source::Embedded(_)) => "the default theme".into(),
        Origin::Asset(p) => p.display().to_string(),
        Origin::Generated => "pestle itself".into(),
    }
}

/// The file a site path is written to: `/eps/` → `eps/index.html`.
pub(crate) fn page_file(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// Reads and parses the page `source` (under content/), found at `real`.
pub(crate) fn read_page(
    real: &Path,
    source: &str,
    config: &Config,
) -> (Option<content::tree::Parsed>, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let file = PathBuf::from("content").join(source);
    let bytes = match fs::read_regular(real) {
        Ok(b) => b,
        Err(r) => {
            d.push(r.diagnostic(&file));
            return (None, d);
        }
    };
    let Some(text) = fs::text_or_diagnostic(bytes, &file, &mut d) else {
        return (None, d);
    };
    let text = content::lone_cr_to_lf(text);
    let stem = source
        .rsplit('/')
        .next()
        .unwrap_or(source)
        .trim_end_matches(".md");
    let (stem_date, _) = content::tree::name_parts(stem);
    let (meta, body_offset) = content::parse_file(&text, &file, stem_date, config, &mut d);
    let hash = hash_of(&text);
    let parsed = meta.map(|meta| content::tree::Parsed {
        source: source.to_string(),
        meta: Arc::new(meta),
        hash,
        text: Arc::from(text),
        body_offset,
    });
    (parsed, d)
}

/// The site path of a content file that is not a page.
fn asset_url(tree: &Tree, asset: &str) -> String {
    let (dir, name) = asset.rsplit_once('/').unwrap_or(("", asset));
    format!("{}{name}", tree.dir_url(dir))
}

fn resolve_related(
    tree: &Tree,
    index: &LinkIndex,
    rendered: &[Arc<Rendered>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<RelatedLink>> {
    tree.pages
        .iter()
        .map(|p| {
            let mut out = Vec::new();
            for r in &p.meta.related {
                let at = Position::Offset(r.offset);
                if links::is_external(&r.target) {
                    let title = r.title.clone().unwrap_or_else(|| r.target.clone());
                    out.push(RelatedLink { title, target: RelatedTarget::External(r.target.clone()) });
                    continue;
                }
                match index.resolve(p.source_dir(), &r.target) {
                    Resolved::Page(t, frag) => {
                        if let Some(f) = &frag {
                            if !rendered[t].ids.contains(f) {
                                diags.push(
                                    Diagnostic::error("broken-anchor", &p.file, at, format!("related: content/{} has no heading with the id `{f}`", tree.pages[t].source))
                                        .with_hint("check the heading's id on that page"),
                                );
                            }
                        }
                        let title = r.title.clone().unwrap_or_else(|| tree.pages[t].meta.title.clone());
                        out.push(RelatedLink { title, target: RelatedTarget::Page(t, frag) });
                    }
                    Resolved::File(..) | Resolved::External => {
                        diags.push(
                            Diagnostic::error("broken-link", &p.file, at, format!("related `{}` is not a page", r.target))
                                .with_hint("list pages by their .md path, or external links with a title and url"),
                        );
                    }
                    Resolved::Draft(s) => diags.push(
                        Diagnostic::error("draft-link", &p.file, at, format!("related `{}` is content/{s}, a draft this build leaves out", r.target))
                            .with_hint("publish that page or build with --drafts"),
                    ),
                    Resolved::Missing(why) => diags.push(
                        Diagnostic::error("broken-link", &p.file, at, format!("related `{}`: {why}", r.target))
                            .with_hint("write the path to the page's .md file, relative to this page"),
                    ),
                }
            }
            out
        })
        .collect()
}

fn check_templates(
    tree: &Tree,
    t: &Templates,
    taxonomies: &[content::Taxonomy],
    theme_complete: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for p in &tree.pages {
        if let Some(name) = &p.meta.template {
            if !t.has(name) {
                diags.push(
                    Diagnostic::error(
                        "missing-template",
                        &p.file,
                        p.meta.keys.value_pos("template"),
                        format!("the theme has no template `{name}`"),
                    )
                    .with_hint("name a file in the theme's templates/ folder, like `page.html`"),
                );
            }
        }
    }
    if !theme_complete {
        return;
    }
    let mut needed = vec!["page.html", "section.html", "404.html"];
    if !taxonomies.is_empty() {
        needed.extend(["taxonomy.html", "term.html"]);
    }
    for name in needed {
        if !t.has(name) {
            diags.push(
                Diagnostic::error("missing-template", "themes", Position::File, format!("the theme has no `{name}` template"))
                    .with_hint("add it to the theme's templates/ folder, or extend the default theme in theme.yaml"),
            );
        }
    }
}

/// The news section's page index, when the site has one.
pub(crate) fn news_section(config: &Config, tree: &Tree) -> Option<usize> {
    let key = format!("{}/_index.md", config.news_section.trim_matches('/'));
    tree.by_source.get(&key).copied()
}

fn latest_news(config: &Config, tree: &Tree) -> Vec<usize> {
    let Some(section) = news_section(config, tree) else {
        return vec![];
    };
    let mut items: Vec<usize> = tree.pages[section]
        .pages
        .iter()
        .copied()
        .filter(|&i| tree.pages[i].meta.date.is_some())
        .collect();
    items.sort_by(|&a, &b| {
        let (pa, pb) = (&tree.pages[a].meta, &tree.pages[b].meta);
        pb.date.cmp(&pa.date).then_with(|| pa.title.cmp(&pb.title))
    });
    items.truncate(config.latest_news);
    items
}

pub(crate) fn template_for(tree: &Tree, i: usize, t: &Templates) -> String {
    let p = &tree.pages[i];
    if let Some(name) = &p.meta.template {
        return name.clone();
    }
    match p.kind {
        Kind::Home if t.has("home.html") => "home.html".into(),
        Kind::Home | Kind::Section => "section.html".into(),
        Kind::Page => "page.html".into(),
    }
}
