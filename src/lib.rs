//! guild: a static-site generator for communities of practice.
//!
//! The pipeline runs one way: `load` -> `parse` -> `link` -> `render` ->
//! `write`, driven by `pipeline`. See ARCHITECTURE.md for the map.

pub mod cache;
pub mod checks;
pub mod config;
pub mod date;
pub mod diag;
pub mod error;
pub mod external;
pub mod git;
pub mod hash;
pub mod hooks;
pub mod lang;
pub mod lifecycle;
pub mod link;
pub mod load;
pub mod locale;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod run;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod source;
pub mod url;
pub mod watch;
pub mod write;
pub mod yaml;
pub mod zone;
