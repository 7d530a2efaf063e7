//! devops-intel: a language server and CLI for Python DevOps code.
//!
//! Layers, inner to outer: `text` and `syntax` (positions and parsing), `index`
//! (per-file summaries and the workspace), `rules` (findings and fixes),
//! `report` (text/JSON/SARIF), then the two skins: `lsp` and `cli`. Only `lsp`
//! knows the protocol and only `cli` knows argv.

pub mod cli;
pub mod config;
pub mod coverage;
pub mod explain;
pub mod graph;
pub mod iac;
pub mod index;
pub mod lsp;
pub mod report;
pub mod rules;
pub mod syntax;
pub mod testgen;
pub mod text;
