//! The files a build makes, as they travel from the stages that make them
//! (`render`, `search`) to the one that writes them (`write`, or `serve`
//! in memory).

use std::sync::Arc;

use crate::error::Result;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path below the output folder, `/`-separated.
    pub path: String,
    /// Shared: a live session keeps the files of its last build and hands
    /// the unchanged ones to the next without copying.
    pub bytes: Arc<Vec<u8>>,
}

impl Output {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Output {
        Output { path: path.into(), bytes: Arc::new(bytes.into()) }
    }
}

/// Every file of a built site by path (below the output folder).
pub type Files = std::collections::HashMap<String, Arc<Vec<u8>>>;

/// Where rendered files go, as they are made (from several threads).
pub type Emit<'a> = dyn Fn(Output) -> Result<()> + Sync + 'a;
