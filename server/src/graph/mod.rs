//! Workspace graphs: module resolution, module/call/impact/data-flow graphs
//! (and the IaC resource graph built by `iac/`), all in one schema, exported
//! as JSON, DOT or Mermaid.
//!
//! Everything here reads file summaries only. [`GraphState`] caches the
//! layers and rebuilds them only when imports or definitions change.

pub mod calls;
pub mod dataflow;
pub mod export;
pub mod impact;
pub mod module_graph;
pub mod modules;
pub mod query;
pub mod schema;
pub mod state;

pub use calls::{CallLayer, NodeRef};
pub use module_graph::ModuleLayer;
pub use modules::{search_roots, ModuleIndex, Target, DEFAULT_SRC};
pub use schema::{Edge, Graph, GraphKind, Location, Node};
pub use state::{GraphState, Refresh, Snapshot};
