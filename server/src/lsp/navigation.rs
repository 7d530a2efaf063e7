//! Standard navigation over workspace symbols: document symbols, workspace
//! symbols, go to definition and find references. Everything comes from the
//! summaries and the call layer (`graph::CallLayer`), so it works in any
//! client (Helix included) without the custom requests.

use super::convert;
use super::graph::location;
use super::server::Server;
use super::state::uri_to_path;
use crate::graph::query::{self, Focus};
use crate::graph::{CallLayer, NodeRef, Snapshot, Target};
use crate::index::{DefKind, FileSummary};
use crate::text::{Encoding, TextRange};
use std::sync::Arc;
use tower_lsp_server::ls_types::*;

/// Most workspace-symbol results returned for one query.
const MAX_SYMBOLS: usize = 256;

pub(super) fn symbol_kind(k: DefKind) -> SymbolKind {
    match k {
        DefKind::Function => SymbolKind::FUNCTION,
        DefKind::Method => SymbolKind::METHOD,
        DefKind::Class => SymbolKind::CLASS,
    }
}

/// What sits at a position: a definition's name, a call, or an import.
pub(super) enum AtPosition {
    Def(u32),
    Call(u32),
    Import(u32),
}

pub(super) fn at_offset(s: &FileSummary, offset: u32) -> Option<AtPosition> {
    let within = |r: TextRange| r.start <= offset && offset <= r.end;
    if let Some(i) = s.defs.iter().position(|d| within(d.name_range)) {
        return Some(AtPosition::Def(i as u32));
    }
    if let Some((i, _)) = s
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| within(c.callee_range))
        .min_by_key(|(_, c)| c.callee_range.len())
    {
        return Some(AtPosition::Call(i as u32));
    }
    s.imports
        .iter()
        .position(|i| within(i.range))
        .map(|i| AtPosition::Import(i as u32))
}

impl Server {
    pub(super) async fn snapshot_with_calls(&self) -> Option<(Snapshot, Arc<CallLayer>)> {
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || {
            let (snap, _) = state.graph_refresh();
            let calls = state.graph.calls(&snap);
            (snap, calls)
        })
        .await
        .ok()
    }

    /// The workspace definition named at a position (a definition's name, a
    /// resolved call, or a `from m import name`).
    pub(super) fn def_at(
        &self,
        snap: &Snapshot,
        calls: &CallLayer,
        uri: &Uri,
        pos: Position,
    ) -> Option<DefOrModule> {
        let path = uri_to_path(uri)?;
        let fi = query::file_index(snap, &path)?;
        let s = &snap.summaries[fi as usize];
        let offset = convert::offset(&s.line_index, pos, self.state.encoding())?;
        match at_offset(s, offset)? {
            AtPosition::Def(d) => calls.def_of(fi, d).map(DefOrModule::Def),
            AtPosition::Call(c) => calls.outgoing_of_call(fi, c).and_then(|n| match n {
                NodeRef::Def(g) => Some(DefOrModule::Def(g)),
                _ => None,
            }),
            AtPosition::Import(i) => {
                match snap.modules.files[fi as usize].imports.get(i as usize)? {
                    Target::Internal { module, name } => {
                        let def = name
                            .as_ref()
                            .and_then(|n| calls.find(&format!("{module}.{n}")));
                        Some(match def {
                            Some(g) => DefOrModule::Def(g),
                            None => DefOrModule::Module(module.clone()),
                        })
                    }
                    _ => None,
                }
            }
        }
    }

    pub(super) fn document_symbols(
        &self,
        params: &DocumentSymbolParams,
    ) -> Option<DocumentSymbolResponse> {
        let summary = self.state.summary(&params.text_document.uri)?;
        let enc = self.state.encoding();
        Some(DocumentSymbolResponse::Nested(children(
            &summary, None, enc,
        )))
    }

    pub(super) async fn workspace_symbols(
        &self,
        params: &WorkspaceSymbolParams,
    ) -> Option<WorkspaceSymbolResponse> {
        let (snap, _) = self.snapshot_with_calls().await?;
        let query = params.query.to_lowercase();
        let enc = self.state.encoding();
        let mut out: Vec<(u8, SymbolInformation)> = Vec::new();
        for (fi, s) in snap.summaries.iter().enumerate() {
            let module = snap.modules.files[fi].module.clone();
            for d in &s.defs {
                let name = d.name.to_lowercase();
                let rank = if name == query {
                    0
                } else if name.starts_with(&query) {
                    1
                } else if name.contains(&query) {
                    2
                } else if subsequence(&query, &name) {
                    3
                } else {
                    continue;
                };
                let Some(loc) = location(&snap, &s.path, d.name_range, enc) else {
                    continue;
                };
                #[allow(deprecated)]
                out.push((
                    rank,
                    SymbolInformation {
                        name: d.name.to_string(),
                        kind: symbol_kind(d.kind),
                        tags: None,
                        deprecated: None,
                        location: loc,
                        container_name: Some(match (&module, d.qualname.rsplit_once('.')) {
                            (Some(m), Some((parent, _))) => format!("{m}.{parent}"),
                            (Some(m), None) => m.clone(),
                            (None, _) => String::new(),
                        }),
                    },
                ));
            }
        }
        out.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
        out.truncate(MAX_SYMBOLS);
        Some(WorkspaceSymbolResponse::Flat(
            out.into_iter().map(|(_, s)| s).collect(),
        ))
    }

    pub(super) async fn definition(
        &self,
        params: &GotoDefinitionParams,
    ) -> Option<GotoDefinitionResponse> {
        let (snap, calls) = self.snapshot_with_calls().await?;
        let tdp = &params.text_document_position_params;
        let target = self.def_at(&snap, &calls, &tdp.text_document.uri, tdp.position)?;
        let loc = self.target_location(&snap, &calls, &target)?;
        Some(GotoDefinitionResponse::Scalar(loc))
    }

    pub(super) fn target_location(
        &self,
        snap: &Snapshot,
        calls: &CallLayer,
        t: &DefOrModule,
    ) -> Option<Location> {
        let enc = self.state.encoding();
        match t {
            DefOrModule::Def(g) => {
                let d = calls.defs.get(*g as usize)?;
                let s = snap.summaries.get(d.file as usize)?;
                location(snap, &s.path, s.defs.get(d.def as usize)?.name_range, enc)
            }
            DefOrModule::Module(m) => {
                let &fi = snap.modules.file_of_module.get(m)?;
                location(
                    snap,
                    &snap.summaries[fi as usize].path,
                    TextRange::default(),
                    enc,
                )
            }
        }
    }

    pub(super) async fn find_references(&self, params: &ReferenceParams) -> Option<Vec<Location>> {
        let (snap, calls) = self.snapshot_with_calls().await?;
        let tdp = &params.text_document_position;
        let DefOrModule::Def(g) =
            self.def_at(&snap, &calls, &tdp.text_document.uri, tdp.position)?
        else {
            return None;
        };
        let enc = self.state.encoding();
        let mut out = Vec::new();
        if params.context.include_declaration {
            out.extend(self.target_location(&snap, &calls, &DefOrModule::Def(g)));
        }
        for e in calls.incoming(NodeRef::Def(g)) {
            let s = &snap.summaries[e.file as usize];
            if let Some(c) = s.calls.get(e.call as usize) {
                out.extend(location(&snap, &s.path, c.callee_range, enc));
            }
        }
        let d = &calls.defs[g as usize];
        let name = snap.summaries[d.file as usize].defs[d.def as usize]
            .name
            .clone();
        for &f in calls.name_importers.get(&g).into_iter().flatten() {
            let s = &snap.summaries[f as usize];
            for imp in s
                .imports
                .iter()
                .filter(|i| i.name.as_deref() == Some(name.as_str()))
            {
                out.extend(location(&snap, &s.path, imp.range, enc));
            }
        }
        Some(out)
    }
}

pub(super) enum DefOrModule {
    Def(u32),
    Module(String),
}

fn subsequence(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars();
    needle.chars().all(|c| it.any(|h| h == c))
}

fn children(s: &FileSummary, parent: Option<u32>, enc: Encoding) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for (i, d) in s.defs.iter().enumerate() {
        if d.parent != parent {
            continue;
        }
        let kids = children(s, Some(i as u32), enc);
        #[allow(deprecated)]
        out.push(DocumentSymbol {
            name: d.name.to_string(),
            detail: (d.kind != DefKind::Class).then(|| {
                let params: Vec<&str> = d.params.iter().map(|p| p.name.as_str()).collect();
                format!("({})", params.join(", "))
            }),
            kind: symbol_kind(d.kind),
            tags: None,
            deprecated: None,
            range: convert::range(&s.line_index, d.range, enc),
            selection_range: convert::range(&s.line_index, d.name_range, enc),
            children: (!kids.is_empty()).then_some(kids),
        });
    }
    if parent.is_none() {
        for c in &s.constants {
            #[allow(deprecated)]
            out.push(DocumentSymbol {
                name: c.name.to_string(),
                detail: None,
                kind: SymbolKind::CONSTANT,
                tags: None,
                deprecated: None,
                range: convert::range(&s.line_index, c.range, enc),
                selection_range: convert::range(&s.line_index, c.range, enc),
                children: None,
            });
        }
        out.sort_by_key(|x| (x.range.start.line, x.range.start.character));
    }
    out
}

impl Server {
    /// Focus for call hierarchy: a definition at or around the position.
    pub(super) fn hierarchy_focus(
        &self,
        snap: &Snapshot,
        calls: &CallLayer,
        uri: &Uri,
        pos: Position,
    ) -> Option<u32> {
        if let Some(DefOrModule::Def(g)) = self.def_at(snap, calls, uri, pos) {
            return Some(g);
        }
        let path = uri_to_path(uri)?;
        let fi = query::file_index(snap, &path)?;
        let s = &snap.summaries[fi as usize];
        let offset = convert::offset(&s.line_index, pos, self.state.encoding())?;
        match query::focus_at(snap, calls, &path, Some(offset))? {
            Focus::Def(g) => Some(g),
            Focus::Module(_) => None,
        }
    }
}
