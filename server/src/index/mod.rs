//! Per-file analysis into [`FileSummary`] and the workspace of summaries.

pub mod analyze;
pub mod chunks;
pub mod effects;
pub mod extract;
mod open_doc;
mod source;
pub mod structure;
mod summary;
pub mod value;
mod workspace;

pub(crate) use analyze::text_hash;
pub use analyze::{analyze, analyze_source, analyze_tree, analyze_tree_cached};
pub use chunks::ChunkCache;
pub use open_doc::{reparse_and_analyze, OpenDocument};
pub use source::{read_source, SourceText};
pub use summary::*;
/// The evaluator, for the IaC model's leaves.
pub use value::{
    dotted_text, eval as eval_value, last_segment, node_text, split_last_dot,
    truncate as truncate_text, Scope,
};
pub use value::{DynKind, Taint, Value};
pub use workspace::{discover, index_one, is_excluded, Workspace};
