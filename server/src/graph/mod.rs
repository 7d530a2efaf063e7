//! Workspace graphs: module resolution, module/call/impact/data-flow graphs
//! (and the IaC resource graph built by `iac/`), all in one schema.

pub mod schema;

pub use schema::{Edge, Graph, GraphKind, Location, Node};
