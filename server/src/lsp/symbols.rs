//! Document symbols (the outline Helix's symbol picker and VS Code's outline
//! show): classes, functions and methods from the file summary, nested as in
//! the source.

use super::convert;
use super::server::Server;
use crate::index::{DefKind, FileSummary, ParamKind};
use crate::text::Encoding;
use tower_lsp_server::ls_types::*;

impl Server {
    pub(super) fn document_symbols(
        &self,
        params: &DocumentSymbolParams,
    ) -> Option<DocumentSymbolResponse> {
        let summary = self.state.summary(&params.text_document.uri)?;
        Some(DocumentSymbolResponse::Nested(outline(
            &summary,
            self.state.encoding(),
        )))
    }
}

/// The nested outline of a file's definitions.
pub fn outline(s: &FileSummary, enc: Encoding) -> Vec<DocumentSymbol> {
    let n = s.defs.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, d) in s.defs.iter().enumerate() {
        match d.parent.map(|p| p as usize).filter(|&p| p < i) {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    // `parent` always points to an earlier def, so building children first
    // (from the end) needs no recursion.
    let mut built: Vec<Option<DocumentSymbol>> = (0..n).map(|_| None).collect();
    for i in (0..n).rev() {
        let d = &s.defs[i];
        let kids: Vec<DocumentSymbol> = children[i]
            .iter()
            .filter_map(|&c| built[c].take())
            .collect();
        let detail = match d.kind {
            DefKind::Class if !d.bases.is_empty() => Some(format!("({})", d.bases.join(", "))),
            DefKind::Function | DefKind::Method => Some(format!(
                "{}({})",
                if d.is_async { "async " } else { "" },
                d.params
                    .iter()
                    .map(|p| match p.kind {
                        ParamKind::VarArgs => format!("*{}", p.name),
                        ParamKind::VarKeyword => format!("**{}", p.name),
                        ParamKind::PositionalOnlyMarker => "/".to_string(),
                        _ => p.name.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            DefKind::Class => None,
        };
        #[allow(deprecated)] // `deprecated` is a required field of the struct
        let sym = DocumentSymbol {
            name: d.name.to_string(),
            detail,
            kind: match d.kind {
                DefKind::Class => SymbolKind::CLASS,
                DefKind::Method => SymbolKind::METHOD,
                DefKind::Function => SymbolKind::FUNCTION,
            },
            tags: None,
            deprecated: None,
            range: convert::range(&s.line_index, d.range, enc),
            selection_range: convert::range(&s.line_index, d.name_range, enc),
            children: (!kids.is_empty()).then_some(kids),
        };
        built[i] = Some(sym);
    }
    roots.into_iter().filter_map(|r| built[r].take()).collect()
}
