//! The resource graph: every resource of the given files as a node (type,
//! logical name, monthly cost, findings count), references as edges.

use super::pricing::{estimate_file, PriceSettings, PriceTable};
use crate::graph::schema::{Edge, Graph, GraphKind, Location, Node};
use crate::index::FileSummary;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;

/// The resources graph of `summaries` (a file, or the whole workspace).
pub fn resource_graph(summaries: &[Arc<FileSummary>], prices: &PriceSettings) -> Graph {
    let table = PriceTable::embedded();
    let mut g = Graph::new(GraphKind::Resources);
    let mut used: HashSet<String> = HashSet::new();
    for s in summaries {
        let Some(iac) = s.iac.as_deref() else {
            continue;
        };
        let estimates = estimate_file(iac, &s.path, table, prices);
        let stem = s
            .path
            .file_stem()
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = s
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = if stem == "__main__" || stem == "__init__" {
            parent
        } else {
            stem
        };
        let ids: Vec<String> = iac
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let base = format!("{prefix}:{}", r.label());
                let id = if used.contains(&base) {
                    format!("{base}#{i}")
                } else {
                    base
                };
                used.insert(id.clone());
                id
            })
            .collect();
        for (i, r) in iac.resources.iter().enumerate() {
            let findings = s
                .findings
                .iter()
                .filter(|f| f.rule.starts_with("IAC"))
                .filter(|f| {
                    r.range.contains_range(f.range)
                        || r.methods.iter().any(|m| m.range.contains_range(f.range))
                })
                .count();
            let est = estimates.iter().find(|e| e.resource as usize == i);
            g.nodes.push(Node {
                id: ids[i].clone(),
                label: r.label(),
                kind: "resource".into(),
                location: Some(Location {
                    path: s.path.clone(),
                    range: r.callee_range,
                }),
                data: json!({
                    "type": r.type_name,
                    "logicalName": r.name.as_str(),
                    "variable": r.var,
                    "framework": r.framework,
                    "cloud": r.cloud,
                    "monthlyCost": est.and_then(|e| e.monthly),
                    "cost": est.map(|e| e.headline()),
                    "findings": findings,
                }),
            });
            for (target, via) in &r.refs {
                if let Some(to) = ids.get(*target as usize) {
                    if *to != ids[i] {
                        g.edges.push(Edge {
                            from: ids[i].clone(),
                            to: to.clone(),
                            kind: "reference".into(),
                            data: json!({ "via": via }),
                        });
                    }
                }
            }
        }
    }
    g
}
