//! Integration tests: the real `guild` binary on real files.
//!
//! Golden files live in `tests/it/snapshots/`; update them with
//! `INSTA_UPDATE=always cargo test --test it` and review the diff.

#[path = "../support/corpus.rs"]
mod corpus;

mod action;
mod adoption;
mod bad_input;
mod build;
mod cli;
mod diagnostics;
mod external;
mod git;
mod golden;
mod incremental;
mod kinds;
mod languages;
mod layering;
mod links;
mod markdown;
mod mistakes;
mod navigation;
mod output_safety;
mod pathological;
mod search;
mod serve;
mod serve_load;
mod sharing;
mod support;
mod workflows;
mod zones;
