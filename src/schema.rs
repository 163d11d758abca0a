//! JSON Schemas (draft 2020-12) for editors' tools, made from the same key
//! tables the validator reads: front matter ([`content::frontmatter::fields`],
//! with the site's own closed terms), site.yaml ([`config::SETTINGS`]) and
//! glossary.yaml ([`glossary::FIELDS`]).
//!
//! [`content::frontmatter::fields`]: crate::content::frontmatter::fields

use crate::config::{self, Config, SettingKind};
use crate::content::frontmatter::fields::{self, Kind};
use crate::glossary;
use serde_json::{Value, json};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

fn text_or_list(items: Value) -> Value {
    json!({ "anyOf": [items.clone(), { "type": "array", "items": items }] })
}

/// The schema of one front-matter key's value.
fn field_schema(f: &fields::Field, config: Option<&Config>) -> Value {
    let mut v = match f.kind {
        Kind::Text => json!({ "type": "string" }),
        // An empty string is not set, as tools write a cleared field.
        Kind::Integer => json!({ "anyOf": [{ "type": "integer" }, { "const": "" }] }),
        Kind::Date => json!({ "anyOf": [
            { "type": "string", "pattern": DATE, "format": "date" },
            { "const": "" }
        ] }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::List => text_or_list(json!({ "type": "string" })),
        Kind::Terms => {
            let closed =
                config.and_then(|c| c.taxonomies.iter().find(|t| t.name == f.name && t.closed));
            match closed {
                Some(t) => {
                    let slugs: Vec<&str> = t.terms.iter().map(|(slug, _)| slug.as_str()).collect();
                    text_or_list(json!({ "type": "string", "enum": slugs }))
                }
                None => text_or_list(json!({ "type": "string" })),
            }
        }
        Kind::Related => json!({
            "type": "array",
            "items": { "anyOf": [
                { "type": "string", "description": "A page of this site: the path to its .md file." },
                {
                    "type": "object",
                    "properties": {
                        "title": { "type": "string" },
                        "url": { "type": "string" }
                    },
                    "required": ["url"],
                    "additionalProperties": false
                }
            ] }
        }),
        Kind::Map => json!({ "type": "object" }),
    };
    // A key written with nothing after it is not set (YAML's null), which
    // pestle accepts for every key but the title, and the CMS writes for
    // a select that was cleared.
    if f.name != "title" {
        v = allow_null(v);
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("title".into(), json!(f.title));
        obj.insert("description".into(), json!(f.description));
    }
    v
}

/// `schema`, or null.
fn allow_null(mut schema: Value) -> Value {
    if let Some(obj) = schema.as_object_mut() {
        if let Some(Value::String(t)) = obj.get("type").cloned() {
            obj.insert("type".into(), json!([t, "null"]));
            return schema;
        }
        if let Some(Value::Array(any)) = obj.get_mut("anyOf") {
            any.push(json!({ "type": "null" }));
            return schema;
        }
    }
    schema
}

/// The front-matter schema; with a site's `config`, closed taxonomies'
/// terms are the only values allowed.
pub(crate) fn front_matter(config: Option<&Config>) -> Value {
    let properties: serde_json::Map<String, Value> = fields::FIELDS
        .iter()
        .map(|f| (f.name.to_string(), field_schema(f, config)))
        .collect();
    let site = config.map_or_else(|| "a pestle site".to_string(), |c| c.title.clone());
    json!({
        "$schema": DRAFT,
        "title": "Page front matter",
        "description": format!("The settings between the --- lines at the top of a page of {site}."),
        "type": "object",
        "properties": properties,
        "required": ["title"],
        "additionalProperties": false
    })
}

fn setting_schema(kind: SettingKind) -> Value {
    match kind {
        SettingKind::Text => json!({ "type": "string" }),
        SettingKind::Url => json!({ "type": "string", "pattern": "^(https?://[^/\\s]+)?/\\S*$" }),
        SettingKind::Count => json!({ "type": "integer", "minimum": 0 }),
        SettingKind::Bool => json!({ "type": "boolean" }),
        SettingKind::Map => json!({ "type": "object" }),
        SettingKind::Check => json!({
            "type": "object",
            "properties": {
                "ignore": { "type": "array", "items": { "type": "string" } },
                "external_cache_hours": { "type": "integer", "minimum": 0, "maximum": 8760 },
                "external_timeout_seconds": { "type": "integer", "minimum": 0, "maximum": 60 },
                "external_retries": { "type": "integer", "minimum": 0, "maximum": 5 }
            },
            "additionalProperties": false
        }),
        // What the validator also asks: http(s), a host, no spaces, and
        // `{url}` (which cannot be in the host, so comes after / ? or #).
        SettingKind::FeedbackUrl => json!({
            "type": "string",
            "pattern": "^https?://[^/?#\\s\\{\\}@]+[/?#]\\S*\\{url\\}\\S*$"
        }),
        SettingKind::Banners => json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": { "type": "string", "description": "The notice, in Markdown: one paragraph, with bold, italics, code and links (to other sites, or to pages written from the content folder, like /help/contingency.md)." },
                    "from": { "type": "string", "pattern": DATE, "format": "date", "description": "The first day the banner shows, YYYY-MM-DD." },
                    "until": { "type": "string", "pattern": DATE, "format": "date", "description": "The last day the banner shows, YYYY-MM-DD." }
                },
                "required": ["text", "from", "until"],
                "additionalProperties": false
            }
        }),
        SettingKind::Cms => cms_schema(),
        SettingKind::Taxonomies => json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": { "enum": config::TAXONOMY_KEYS },
                    "title": { "type": "string" },
                    "description": { "type": "string" },
                    "closed": { "type": "boolean" },
                    "feeds": { "type": "boolean" },
                    "terms": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "slug": { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$" },
                                "title": { "type": "string" }
                            },
                            "required": ["slug", "title"],
                            "additionalProperties": false
                        }
                    }
                },
                "required": ["name"],
                "additionalProperties": false
            }
        }),
    }
}

/// The schema of site.yaml's `cms:` block, with [`config::CMS_KEYS`]'
/// descriptions.
fn cms_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for (name, description) in config::CMS_KEYS {
        let mut v = match *name {
            "backend" => json!({
                "type": "object",
                "properties": {
                    "name": { "type": "string", "minLength": 1, "description": "The service edits are saved to: github, gitlab, gitea, git-gateway, ..." }
                },
                "required": ["name"]
            }),
            "media_folder" => {
                json!({ "type": "string", "pattern": "^(static|content)(/[^/.][^/]*)*/?$" })
            }
            "script_url" => {
                json!({ "type": "string", "pattern": "^(https?://[^/\\s]+/|/[^/])\\S*$" })
            }
            _ => json!({ "type": "string", "pattern": "^https?://[^/\\s]+(/\\S*)?$" }),
        };
        if let Some(obj) = v.as_object_mut() {
            obj.insert("description".into(), json!(description));
        }
        properties.insert(name.to_string(), v);
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": ["backend"],
        "additionalProperties": false
    })
}

/// The site.yaml schema.
pub(crate) fn site() -> Value {
    let properties: serde_json::Map<String, Value> = config::SETTINGS
        .iter()
        .map(|s| {
            let mut v = setting_schema(s.kind);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("title".into(), json!(s.name));
                obj.insert("description".into(), json!(s.description));
            }
            (s.name.to_string(), v)
        })
        .collect();
    json!({
        "$schema": DRAFT,
        "title": "site.yaml",
        "description": "The settings of a pestle site.",
        "type": "object",
        "properties": properties,
        "required": ["title"],
        "additionalProperties": false
    })
}

/// The glossary.yaml schema.
pub(crate) fn glossary() -> Value {
    let properties: serde_json::Map<String, Value> = glossary::FIELDS
        .iter()
        .map(|(name, description)| {
            let kind = if *name == "aliases" {
                json!({ "type": "array", "items": { "type": "string" } })
            } else {
                json!({ "type": "string" })
            };
            let mut v = kind;
            if let Some(obj) = v.as_object_mut() {
                obj.insert("description".into(), json!(description));
            }
            (name.to_string(), v)
        })
        .collect();
    json!({
        "$schema": DRAFT,
        "title": "glossary.yaml",
        "description": "The site's glossary: terms, what they stand for, and what they mean.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": ["term", "expansion"],
            "additionalProperties": false
        }
    })
}
