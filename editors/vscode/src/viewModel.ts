// Graph JSON (server/src/graph/schema.rs) → what the panel draws. Pure code:
// shared by the extension, the webview page and the unit tests.

export interface GPosition {
  line: number;
  character: number;
}
export interface GRange {
  start: GPosition;
  end: GPosition;
}
export interface GNode {
  id: string;
  label: string;
  kind: string;
  uri: string | null;
  range: GRange | null;
  data: Record<string, unknown>;
}
export interface GEdge {
  from: string;
  to: string;
  kind: string;
  data: Record<string, unknown>;
}
export interface Graph {
  kind: string;
  nodes: GNode[];
  edges: GEdge[];
  truncated: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parsePos(v: unknown): GPosition | null {
  if (!isObj(v) || typeof v.line !== "number" || typeof v.character !== "number") return null;
  return { line: v.line, character: v.character };
}

function parseRange(v: unknown): GRange | null {
  if (!isObj(v)) return null;
  const start = parsePos(v.start);
  const end = parsePos(v.end);
  return start && end ? { start, end } : null;
}

/** Checks the shape of a server answer; throws with a readable message. */
export function parseGraph(json: unknown): Graph {
  if (!isObj(json)) throw new Error("graph answer is not an object");
  if (!Array.isArray(json.nodes) || !Array.isArray(json.edges)) {
    throw new Error("graph answer lacks nodes/edges arrays");
  }
  const nodes: GNode[] = [];
  const seen = new Set<string>();
  for (const n of json.nodes) {
    if (!isObj(n) || typeof n.id !== "string" || seen.has(n.id)) continue;
    seen.add(n.id);
    nodes.push({
      id: n.id,
      label: typeof n.label === "string" && n.label ? n.label : n.id,
      kind: typeof n.kind === "string" ? n.kind : "node",
      uri: typeof n.uri === "string" ? n.uri : null,
      range: parseRange(n.range),
      data: isObj(n.data) ? n.data : {},
    });
  }
  const edges: GEdge[] = [];
  for (const e of json.edges) {
    if (!isObj(e) || typeof e.from !== "string" || typeof e.to !== "string") continue;
    if (!seen.has(e.from) || !seen.has(e.to)) continue; // dangling: nothing to draw
    edges.push({ from: e.from, to: e.to, kind: typeof e.kind === "string" ? e.kind : "edge", data: isObj(e.data) ? e.data : {} });
  }
  return {
    kind: typeof json.kind === "string" ? json.kind : "graph",
    nodes,
    edges,
    truncated: json.truncated === true,
  };
}

export interface OpenMessage {
  type: "open";
  uri: string;
  range: GRange | null;
  id: string;
}

/** The message a click on a node posts, or null for nodes without a location (external callees). */
export function openMessage(n: GNode): OpenMessage | null {
  return n.uri ? { type: "open", uri: n.uri, range: n.range, id: n.id } : null;
}

/** Adjacency lists by index. */
export interface Adjacency {
  index: Map<string, number>;
  out: number[][];
  inc: number[][];
}

export function adjacency(g: Graph): Adjacency {
  const index = new Map<string, number>();
  g.nodes.forEach((n, i) => index.set(n.id, i));
  const out: number[][] = g.nodes.map(() => []);
  const inc: number[][] = g.nodes.map(() => []);
  for (const e of g.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    out[a].push(b);
    inc[b].push(a);
  }
  return { index, out, inc };
}

/**
 * Nodes hidden when `collapsed` nodes are collapsed: those reachable from a
 * collapsed node that cannot be reached any other way (from a node outside
 * the collapsed subtrees, without passing through a collapsed node).
 */
export function hiddenByCollapse(g: Graph, collapsed: Iterable<string>, adj: Adjacency = adjacency(g)): Set<string> {
  const n = g.nodes.length;
  const isCollapsed = new Uint8Array(n);
  const below = new Uint8Array(n);
  const stack: number[] = [];
  for (const id of collapsed) {
    const i = adj.index.get(id);
    if (i !== undefined) isCollapsed[i] = 1;
  }
  for (let i = 0; i < n; i++) if (isCollapsed[i]) stack.push(i);
  while (stack.length) {
    const v = stack.pop() as number;
    for (const w of adj.out[v]) {
      if (!below[w] && !isCollapsed[w]) {
        below[w] = 1;
        stack.push(w);
      }
    }
  }
  // Everything reachable from outside the collapsed subtrees stays visible.
  const visible = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!below[i]) {
      visible[i] = 1;
      if (!isCollapsed[i]) stack.push(i);
    }
  }
  while (stack.length) {
    const v = stack.pop() as number;
    for (const w of adj.out[v]) {
      if (!visible[w]) {
        visible[w] = 1;
        if (!isCollapsed[w]) stack.push(w);
      }
    }
  }
  const hidden = new Set<string>();
  for (let i = 0; i < n; i++) if (!visible[i]) hidden.add(g.nodes[i].id);
  return hidden;
}

/**
 * Search: every whitespace-separated term must match the node's label, id or
 * (`kind:xyz`) kind, case-insensitively. An empty query matches everything.
 */
export function matchNodes(g: Graph, query: string): Set<string> {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out = new Set<string>();
  for (const n of g.nodes) {
    const label = n.label.toLowerCase();
    const id = n.id.toLowerCase();
    const ok = terms.every((t) =>
      t.startsWith("kind:") ? n.kind.toLowerCase() === t.slice(5) : label.includes(t) || id.includes(t),
    );
    if (ok) out.add(n.id);
  }
  return out;
}

/**
 * A fast layered layout (longest-path ranks, one barycenter pass per layer),
 * linear in nodes + edges: used for graphs too big for ELK to lay out while
 * the user waits. Cycles are broken by ignoring back edges of a DFS.
 */
export function fastLayers(g: Graph, adj: Adjacency = adjacency(g), spacing = { x: 180, y: 90 }): Map<string, { x: number; y: number }> {
  const n = g.nodes.length;
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const order: number[] = []; // reverse postorder = topological order of the DAG without back edges
  const forward: number[][] = g.nodes.map(() => []);
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const stack: Array<[number, number]> = [[s, 0]];
    state[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, k] = top;
      if (k < adj.out[v].length) {
        top[1] = k + 1;
        const w = adj.out[v][k];
        if (state[w] === 0) {
          forward[v].push(w);
          state[w] = 1;
          stack.push([w, 0]);
        } else if (state[w] === 2) {
          forward[v].push(w);
        } // state 1: back edge, ignored
      } else {
        state[v] = 2;
        order.push(v);
        stack.pop();
      }
    }
  }
  order.reverse();
  const rank = new Int32Array(n);
  for (const v of order) for (const w of forward[v]) if (rank[w] < rank[v] + 1) rank[w] = rank[v] + 1;
  const layers: number[][] = [];
  for (const v of order) (layers[rank[v]] ??= []).push(v);
  const posInLayer = new Float64Array(n);
  layers.forEach((layer, r) => {
    if (r > 0) {
      const bary = (v: number) => {
        const ins = adj.inc[v];
        if (!ins.length) return Number.MAX_SAFE_INTEGER;
        let s = 0;
        for (const u of ins) s += posInLayer[u];
        return s / ins.length;
      };
      const keyed = layer.map((v) => [bary(v), v] as const);
      keyed.sort((a, b) => a[0] - b[0]);
      layer.splice(0, layer.length, ...keyed.map((k) => k[1]));
    }
    layer.forEach((v, i) => (posInLayer[v] = i));
  });
  const widest = layers.reduce((m, l) => Math.max(m, l.length), 0);
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, r) => {
    const offset = ((widest - layer.length) * spacing.x) / 2;
    layer.forEach((v, i) => pos.set(g.nodes[v].id, { x: offset + i * spacing.x, y: r * spacing.y }));
  });
  return pos;
}

/** Summary line under the toolbar. */
export function describe(g: Graph, shown: number): string {
  const base = `${shown} of ${g.nodes.length} nodes, ${g.edges.length} edges`;
  return g.truncated ? `${base} (truncated by the server's depth/size limit)` : base;
}

/** Node colours per kind (both themes). */
export const KIND_COLORS: Record<string, string> = {
  module: "#4f86c6",
  "external-module": "#9aa5b1",
  function: "#3fa66b",
  method: "#2f8f8f",
  class: "#8d6cc7",
  external: "#9aa5b1",
  test: "#d9822b",
  resource: "#c75b5b",
  input: "#c7a13a",
  output: "#5b8fc7",
  variable: "#c7a13a",
};
