//! pestle's integration tests: one tiny fixture site per test, built with the
//! library or the real binary, asserting on the files written and the
//! messages printed.

mod serving;
mod support;

mod check;
mod cli;
mod cms;
mod content_model;
mod content_rules;
mod editors;
mod errors;
mod fuzz_seeds;
mod images;
mod links;
mod listings;
mod markdown;
mod output;
mod page_features;
mod print_pages;
mod real_site;
mod search;
mod serve;
mod serve_hardening;
mod themes;
mod untrusted;
