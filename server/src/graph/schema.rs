//! The one JSON schema every graph uses: the custom requests
//! (`devopsIntel/moduleGraph`, `callGraph`, `impact`, `dataFlow`,
//! `resourceGraph`) and `devops-intel graph --format json`.
//!
//! ```json
//! { "kind": "modules",
//!   "nodes": [ { "id": "pkg.mod", "label": "mod", "kind": "module",
//!                "uri": "file:///…/pkg/mod.py",
//!                "range": { "start": {"line": 0, "character": 0},
//!                           "end":   {"line": 0, "character": 0} },
//!                "data": { … } } ],
//!   "edges": [ { "from": "pkg.mod", "to": "pkg.other", "kind": "import",
//!                "data": { … } } ],
//!   "truncated": false }
//! ```
//!
//! Inside the engine a node's location is a path and a byte range; it becomes
//! `uri` + `range` (zero-based lines, columns in the negotiated encoding; the
//! CLI uses UTF-16 like LSP's default) only when rendered by [`Graph::to_json`].

use crate::text::{Encoding, LineIndex, TextRange};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphKind {
    Modules,
    Calls,
    Impact,
    Dataflow,
    Resources,
}

/// Where a node is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable id: dotted module name for modules, `module.qualname` for
    /// functions, the dotted name for external callees, a resource's
    /// `module:logical-name`…
    pub id: String,
    pub label: String,
    /// `module`, `external-module`, `function`, `method`, `class`, `external`,
    /// `resource`, `input`, `output`, `test`… (per graph kind; documented in
    /// `server/docs/lsp-extensions.md`).
    pub kind: String,
    pub location: Option<Location>,
    /// Kind-specific facts (e.g. `exact: true`, `distance: 2`, `monthlyCost`).
    pub data: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `import`, `call`, `reference`, `flow`…
    pub kind: String,
    pub data: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    pub kind: GraphKind,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// True when a depth or size limit cut the graph short.
    pub truncated: bool,
}

impl Graph {
    pub fn new(kind: GraphKind) -> Self {
        Self {
            kind,
            nodes: Vec::new(),
            edges: Vec::new(),
            truncated: false,
        }
    }

    /// Renders the schema above. `line_index` finds a file's line index (from
    /// its summary) to turn byte ranges into positions; nodes whose file is
    /// unknown get `uri` but no `range`.
    pub fn to_json<'a>(
        &self,
        enc: Encoding,
        line_index: impl Fn(&Path) -> Option<&'a LineIndex>,
    ) -> Value {
        self.clone().into_json(enc, line_index)
    }
}

impl Graph {
    /// Like [`to_json`](Self::to_json), moving each node's `data` instead of
    /// cloning it (large graphs: the whole Django module graph).
    pub fn into_json<'a>(
        self,
        enc: Encoding,
        line_index: impl Fn(&Path) -> Option<&'a LineIndex>,
    ) -> Value {
        serde_json::to_value(self.render(enc, line_index)).unwrap_or(Value::Null)
    }

    /// The schema above as a serialisable value: what the server answers
    /// with. (A `serde_json::Value` answer would be deep-copied by the LSP
    /// framework's `to_value`; this is turned into JSON once.)
    pub fn render<'a>(
        self,
        enc: Encoding,
        line_index: impl Fn(&Path) -> Option<&'a LineIndex>,
    ) -> Rendered {
        let nodes = self
            .nodes
            .into_iter()
            .map(|n| {
                let (uri, range) = match &n.location {
                    // a whole module: the start of the file, no lookup needed
                    Some(loc) if loc.range == TextRange::default() => {
                        (Some(path_to_uri(&loc.path)), Some(Range::default()))
                    }
                    Some(loc) => (
                        Some(path_to_uri(&loc.path)),
                        line_index(&loc.path).map(|idx| Range::of(idx, loc.range, enc)),
                    ),
                    None => (None, None),
                };
                RenderedNode {
                    id: n.id,
                    label: n.label,
                    kind: n.kind,
                    uri,
                    range,
                    data: n.data,
                }
            })
            .collect();
        Rendered {
            kind: self.kind,
            nodes,
            edges: self.edges,
            truncated: self.truncated,
        }
    }
}

/// A rendered graph (see the module docs for the JSON it becomes).
#[derive(Serialize)]
pub struct Rendered {
    pub kind: GraphKind,
    pub nodes: Vec<RenderedNode>,
    pub edges: Vec<Edge>,
    pub truncated: bool,
}

#[derive(Serialize)]
pub struct RenderedNode {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub uri: Option<String>,
    pub range: Option<Range>,
    pub data: Value,
}

/// An LSP range: zero-based lines, columns in the negotiated encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Range {
    fn of(idx: &LineIndex, r: TextRange, enc: Encoding) -> Self {
        let pos = |offset| {
            let lc = idx.line_col(offset, enc);
            Position {
                line: lc.line,
                character: lc.col,
            }
        };
        Self {
            start: pos(r.start),
            end: pos(r.end),
        }
    }
}

/// `file://` URI of an absolute path (percent-encoding what URIs require).
pub fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_nodes_with_positions() {
        let idx = LineIndex::new("import os\nx = 1\n");
        let mut g = Graph::new(GraphKind::Modules);
        g.nodes.push(Node {
            id: "pkg.mod".into(),
            label: "mod".into(),
            kind: "module".into(),
            location: Some(Location {
                path: PathBuf::from("/w/pkg/mod.py"),
                range: TextRange::new(10, 15),
            }),
            data: json!({}),
        });
        g.edges.push(Edge {
            from: "pkg.mod".into(),
            to: "os".into(),
            kind: "import".into(),
            data: json!({}),
        });
        let v = g.to_json(Encoding::Utf16, |_| Some(&idx));
        assert_eq!(v, g.clone().into_json(Encoding::Utf16, |_| Some(&idx)));
        assert_eq!(v["kind"], "modules");
        assert_eq!(v["nodes"][0]["uri"], "file:///w/pkg/mod.py");
        assert_eq!(v["nodes"][0]["range"]["start"]["line"], 1);
        assert_eq!(v["nodes"][0]["range"]["end"]["character"], 5);
        assert_eq!(v["edges"][0]["to"], "os");
    }

    #[test]
    fn uri_escapes_spaces() {
        assert_eq!(path_to_uri(Path::new("/a b/c.py")), "file:///a%20b/c.py");
    }
}
