//! Call hierarchy (prepare / incoming / outgoing) from the call layer. Items
//! carry `data: {"id": "<module.qualname>"}` so incoming/outgoing find them
//! again after edits; module-level code appears as a `module` item.

use super::convert;
use super::server::Server;
use super::state::path_to_uri;
use crate::graph::{CallLayer, NodeRef, Snapshot};
use crate::text::TextRange;
use serde_json::json;
use std::collections::BTreeMap;
use tower_lsp_server::ls_types::*;

impl Server {
    fn item(&self, snap: &Snapshot, calls: &CallLayer, n: NodeRef) -> Option<CallHierarchyItem> {
        let enc = self.state.encoding();
        match n {
            NodeRef::Def(g) => {
                let d = calls.defs.get(g as usize)?;
                let s = snap.summaries.get(d.file as usize)?;
                let def = s.defs.get(d.def as usize)?;
                Some(CallHierarchyItem {
                    name: def.name.to_string(),
                    kind: super::navigation::symbol_kind(def.kind),
                    tags: None,
                    detail: snap.modules.files[d.file as usize].module.clone(),
                    uri: path_to_uri(&s.path)?,
                    range: convert::range(&s.line_index, def.range, enc),
                    selection_range: convert::range(&s.line_index, def.name_range, enc),
                    data: Some(json!({ "id": d.id })),
                })
            }
            NodeRef::Module(f) => {
                let s = snap.summaries.get(f as usize)?;
                let m = snap.modules.files[f as usize].module.clone()?;
                let r = convert::range(&s.line_index, TextRange::default(), enc);
                Some(CallHierarchyItem {
                    name: m.clone(),
                    kind: SymbolKind::MODULE,
                    tags: None,
                    detail: Some("module".into()),
                    uri: path_to_uri(&s.path)?,
                    range: r,
                    selection_range: r,
                    data: Some(json!({ "id": m, "module": true })),
                })
            }
            NodeRef::External(_) => None,
        }
    }

    fn item_node(&self, calls: &CallLayer, item: &CallHierarchyItem) -> Option<NodeRef> {
        let id = item.data.as_ref()?.get("id")?.as_str()?;
        calls.find(id).map(NodeRef::Def)
    }

    pub(super) async fn prepare_hierarchy(
        &self,
        params: &CallHierarchyPrepareParams,
    ) -> Option<Vec<CallHierarchyItem>> {
        let (snap, calls) = self.snapshot_with_calls().await?;
        let tdp = &params.text_document_position_params;
        let g = self.hierarchy_focus(&snap, &calls, &tdp.text_document.uri, tdp.position)?;
        Some(vec![self.item(&snap, &calls, NodeRef::Def(g))?])
    }

    pub(super) async fn incoming(
        &self,
        params: &CallHierarchyIncomingCallsParams,
    ) -> Option<Vec<CallHierarchyIncomingCall>> {
        let (snap, calls) = self.snapshot_with_calls().await?;
        let n = self.item_node(&calls, &params.item)?;
        let enc = self.state.encoding();
        let mut by_caller: BTreeMap<NodeRef, Vec<Range>> = BTreeMap::new();
        for e in calls.incoming(n) {
            let s = &snap.summaries[e.file as usize];
            if let Some(c) = s.calls.get(e.call as usize) {
                by_caller.entry(e.caller).or_default().push(convert::range(
                    &s.line_index,
                    c.callee_range,
                    enc,
                ));
            }
        }
        Some(
            by_caller
                .into_iter()
                .filter_map(|(caller, from_ranges)| {
                    Some(CallHierarchyIncomingCall {
                        from: self.item(&snap, &calls, caller)?,
                        from_ranges,
                    })
                })
                .collect(),
        )
    }

    pub(super) async fn outgoing(
        &self,
        params: &CallHierarchyOutgoingCallsParams,
    ) -> Option<Vec<CallHierarchyOutgoingCall>> {
        let (snap, calls) = self.snapshot_with_calls().await?;
        let n = self.item_node(&calls, &params.item)?;
        let enc = self.state.encoding();
        let mut by_callee: BTreeMap<NodeRef, Vec<Range>> = BTreeMap::new();
        for e in calls.outgoing(n) {
            let s = &snap.summaries[e.file as usize];
            if let Some(c) = s.calls.get(e.call as usize) {
                by_callee.entry(e.callee).or_default().push(convert::range(
                    &s.line_index,
                    c.callee_range,
                    enc,
                ));
            }
        }
        Some(
            by_callee
                .into_iter()
                .filter_map(|(callee, from_ranges)| {
                    Some(CallHierarchyOutgoingCall {
                        to: self.item(&snap, &calls, callee)?,
                        from_ranges,
                    })
                })
                .collect(),
        )
    }
}
