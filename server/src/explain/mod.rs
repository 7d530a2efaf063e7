//! Explain: what a function, method or class *does*, from its summary.
//!
//! - [`resolve`]: which definition a position names (its name, or a call site
//!   resolved through the file's imports to another workspace file);
//! - [`facts`]: the [`Explanation`] of a definition: intent, signature, grouped
//!   effects, exceptions raised, callers/callees, coverage and IaC resources
//!   (the last two through [`Seams`], filled in by other areas when present);
//! - [`render`]: Markdown and plain-text hovers;
//! - [`docstring`]: the "Generate docstring" edit (Google style);
//! - [`docs`]: the workspace documentation behind `devops-intel docs`.
//!
//! Everything reads summaries; the only syntax work is [`body`], which parses
//! one definition's byte range on demand (raises, returns, docstring slot).

pub mod body;
pub mod counts;
pub mod docs;
pub mod docstring;
pub mod facts;
pub mod intent;
pub mod render;
pub mod resolve;

pub use counts::{CallCounts, IndexedCounts, Seams, SummariesOnly};
pub use facts::{explain, Coverage, Explanation, ResourceFact, ViaCall};
pub use render::{render_markdown, render_plain};
pub use resolve::{target_at, Target};
