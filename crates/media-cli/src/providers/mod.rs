//! `media <provider> …`: each provider's own workflows, with typed output.
//!
//! One module per provider, each with its own clap `Command` and `run`.

pub(crate) mod memories_v1;
pub(crate) mod memories_v2;
pub(crate) mod ncp_mi;
pub(crate) mod twelvelabs;

use crate::output::Output;

/// What every provider command receives besides its own arguments.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// `--base-url`, overriding the provider's environment variable.
    pub(crate) base_url: Option<String>,
    /// Where results go.
    pub(crate) output: Output,
}
