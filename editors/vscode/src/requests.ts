// The graph requests (contract: server/docs/lsp-extensions.md and
// server/src/graph/schema.rs) and how their params are built from the editor.

export type GraphKind = "modules" | "calls" | "impact" | "dataflow" | "resources";

export const GRAPH_KINDS: GraphKind[] = ["modules", "calls", "impact", "dataflow", "resources"];

export const METHODS: Record<GraphKind, string> = {
  modules: "devopsIntel/moduleGraph",
  calls: "devopsIntel/callGraph",
  impact: "devopsIntel/impact",
  dataflow: "devopsIntel/dataFlow",
  resources: "devopsIntel/resourceGraph",
};

export const TITLES: Record<GraphKind, string> = {
  modules: "Module graph",
  calls: "Call graph",
  impact: "Impact",
  dataflow: "Data flow",
  resources: "Resource graph",
};

export interface Position {
  line: number;
  character: number;
}

export interface EditorContext {
  /** URI of the active document, if any. */
  uri?: string;
  /** Cursor position (in the client's position encoding). */
  position?: Position;
  focus?: string;
  depth?: number;
}

export type BuiltRequest =
  | { ok: true; method: string; params: Record<string, unknown> }
  | { ok: false; error: string };

export function isGraphKind(s: string): s is GraphKind {
  return (GRAPH_KINDS as string[]).includes(s);
}

export function buildRequest(kind: GraphKind, ctx: EditorContext): BuiltRequest {
  const method = METHODS[kind];
  const params: Record<string, unknown> = {};
  const needsDoc = kind === "calls" || kind === "impact" || kind === "dataflow";
  if (ctx.uri) params["textDocument"] = { uri: ctx.uri };
  else if (needsDoc) return { ok: false, error: `${TITLES[kind]} needs an open Python file` };
  if (kind === "dataflow" && !ctx.position) {
    return { ok: false, error: "Data flow needs a cursor position on a variable or call" };
  }
  if (ctx.position && kind !== "modules" && kind !== "resources") {
    params["position"] = { line: ctx.position.line, character: ctx.position.character };
  }
  if (ctx.focus && (kind === "modules" || kind === "calls" || kind === "impact")) params["focus"] = ctx.focus;
  if (typeof ctx.depth === "number" && ctx.depth > 0 && (kind === "modules" || kind === "calls")) {
    params["depth"] = Math.floor(ctx.depth);
  }
  return { ok: true, method, params };
}
