// The graph panel's page: renders a Graph JSON message with cytoscape and an
// ELK layered layout (a linear layered layout above ELK_LIMIT nodes), posts
// `open` on a node click and `export` for SVG/PNG. Runs inside a VS Code
// webview, or standalone (tests) with a shim for acquireVsCodeApi.

import cytoscape from "cytoscape";
import elk from "cytoscape-elk";
import svg from "cytoscape-svg";
import {
  adjacency,
  describe,
  fastLayers,
  Graph,
  hiddenByCollapse,
  KIND_COLORS,
  matchNodes,
  openMessage,
  parseGraph,
} from "../src/viewModel";

cytoscape.use(elk);
cytoscape.use(svg);

/** Above this many nodes ELK would keep the user waiting: use fastLayers. */
const ELK_LIMIT = 300;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let cy: cytoscape.Core | null = null;
let graph: Graph | null = null;
let adj: ReturnType<typeof adjacency> | null = null;
const collapsed = new Set<string>();
let renderStarted = 0;

interface DebugHandle {
  cy: () => cytoscape.Core | null;
  lastRenderMs: number;
  layout: string;
  ready: boolean;
  phases: Record<string, number>;
}
const debug: DebugHandle = { cy: () => cy, lastRenderMs: -1, layout: "", ready: false, phases: {} };
const phase = (name: string) => (debug.phases[name] = Math.round(performance.now() - renderStarted));
(window as unknown as { __devopsIntel: DebugHandle }).__devopsIntel = debug;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function style(): cytoscape.StylesheetJson {
  const fg = cssVar("--vscode-editor-foreground", "#333");
  const accent = cssVar("--vscode-focusBorder", "#007fd4");
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 11,
        color: fg,
        "text-valign": "bottom",
        "text-margin-y": 3,
        "background-color": "data(color)",
        width: 18,
        height: 18,
        "min-zoomed-font-size": 7,
      },
    },
    { selector: "node.collapsed", style: { shape: "round-rectangle", "border-width": 3, "border-color": fg } },
    { selector: "node.match", style: { "border-width": 3, "border-color": accent } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": accent } },
    { selector: "node.focus", style: { width: 26, height: 26 } },
    {
      selector: "edge",
      style: {
        width: 1.2,
        "curve-style": "bezier",
        "line-color": "#8a8a8a",
        "target-arrow-color": "#8a8a8a",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.8,
      },
    },
    // big graphs: straight edges are far cheaper to draw than beziers
    { selector: "edge.fast", style: { "curve-style": "haystack", "haystack-radius": 0, "target-arrow-shape": "none" } },
    { selector: "edge.dashed", style: { "line-style": "dashed" } },
    { selector: ".hidden", style: { display: "none" } },
  ];
}

function elements(g: Graph, pos: Map<string, { x: number; y: number }> | null): cytoscape.ElementDefinition[] {
  const big = g.nodes.length > ELK_LIMIT;
  const els: cytoscape.ElementDefinition[] = [];
  for (const n of g.nodes) {
    const classes = [n.kind];
    if (n.data["focus"] === true || n.data["distance"] === 0) classes.push("focus");
    els.push({
      group: "nodes",
      data: { id: n.id, label: n.label, kind: n.kind, color: KIND_COLORS[n.kind] ?? "#7a7a7a" },
      classes: classes.join(" "),
      position: pos?.get(n.id) ?? { x: 0, y: 0 },
    });
  }
  g.edges.forEach((e, i) => {
    const dashed = e.kind === "reference" || e.data["exact"] === false;
    els.push({ group: "edges", data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind }, classes: [dashed ? "dashed" : "", big ? "fast" : ""].join(" ").trim() });
  });
  return els;
}

/**
 * cy.fit() measures every label for the bounding box (seconds on 2,000
 * nodes); big graphs are fitted from node positions alone.
 */
function fitView(): void {
  if (!cy) return;
  const visible = cy.nodes().not(".hidden");
  if (visible.length <= ELK_LIMIT) {
    cy.fit(undefined, 30);
    return;
  }
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  visible.forEach((n) => {
    const p = n.position();
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  });
  if (!Number.isFinite(x1)) return;
  const pad = 40;
  const w = Math.max(x2 - x1, 1), h = Math.max(y2 - y1, 1);
  const zoom = Math.min((cy.width() - 2 * pad) / w, (cy.height() - 2 * pad) / h, 1);
  cy.viewport({ zoom, pan: { x: (cy.width() - w * zoom) / 2 - x1 * zoom, y: (cy.height() - h * zoom) / 2 - y1 * zoom } });
}

/** Lays out the visible nodes; `full: false` keeps positions set at creation. */
function runLayout(full = true): void {
  if (!cy || !graph) return;
  const visible = cy.nodes().not(".hidden");
  const done = () => {
    fitView();
    phase("fit");
    debug.lastRenderMs = performance.now() - renderStarted;
    debug.ready = true;
    updateStatus();
  };
  if (visible.length <= ELK_LIMIT) {
    debug.layout = "elk";
    const layout = visible.union(visible.edgesWith(visible)).layout({
      name: "elk",
      nodeDimensionsIncludeLabels: true,
      animate: false,
      elk: { algorithm: "layered", "elk.direction": "DOWN", "spacing.nodeNodeBetweenLayers": 50 },
    } as cytoscape.LayoutOptions);
    layout.one("layoutstop", done);
    layout.run();
  } else {
    debug.layout = "layers";
    if (!full) {
      done();
      return;
    }
    const sub: Graph = { ...graph, nodes: graph.nodes.filter((n) => !cy?.getElementById(n.id).hasClass("hidden")) };
    const pos = fastLayers(sub, adjacency(sub));
    cy.nodes().positions((n) => pos.get(n.id()) ?? { x: 0, y: 0 });
    phase("positioned");
    done();
  }
}

function applyVisibility(relayout: boolean, full = true): void {
  if (!cy || !graph || !adj) return;
  const hidden = hiddenByCollapse(graph, collapsed, adj);
  const query = $<HTMLInputElement>("search").value.trim();
  const matches = query ? matchNodes(graph, query) : null;
  cy.batch(() => {
    cy?.nodes().forEach((n) => {
      const id = n.id();
      const hide = hidden.has(id) || (matches !== null && !matches.has(id));
      n.toggleClass("hidden", hide);
      n.toggleClass("collapsed", collapsed.has(id));
      n.toggleClass("match", matches !== null && matches.has(id));
    });
  });
  phase("visibility");
  if (relayout) runLayout(full);
  else updateStatus();
}

function updateStatus(): void {
  if (!cy || !graph) return;
  const shown = cy.nodes().not(".hidden").length;
  $("status").textContent = describe(graph, shown);
}

/** One entry per node kind present, in the node colours. */
function showLegend(g: Graph): void {
  const el = $("legend");
  el.textContent = "";
  const counts = new Map<string, number>();
  for (const n of g.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  for (const [kind, count] of counts) {
    const item = document.createElement("span");
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.style.backgroundColor = KIND_COLORS[kind] ?? "#7a7a7a";
    item.append(dot, `${kind} (${count})`);
    el.append(item);
  }
}

function showDetails(id: string): void {
  const n = graph?.nodes.find((x) => x.id === id);
  const el = $("details");
  if (!n) {
    el.textContent = "";
    return;
  }
  const facts = Object.entries(n.data)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
  const where = n.uri ? `${decodeURIComponent(n.uri.replace(/^file:\/\//, ""))}${n.range ? `:${n.range.start.line + 1}` : ""}` : "no location";
  el.textContent = `${n.kind} ${n.id} — ${where}${facts ? " — " + facts : ""}`;
}

function render(json: unknown, title: string): void {
  renderStarted = performance.now();
  debug.ready = false;
  let g: Graph;
  try {
    g = parseGraph(json);
  } catch (e) {
    $("status").textContent = `Cannot show graph: ${(e as Error).message}`;
    return;
  }
  graph = g;
  adj = adjacency(g);
  phase("parsed");
  collapsed.clear();
  $("title").textContent = title;
  $("empty").hidden = g.nodes.length > 0;
  showLegend(g);
  cy?.destroy();
  // Created empty, then filled: passing `elements` to the constructor runs
  // a default layout first and is several times slower on big graphs.
  cy = cytoscape({
    container: $("graph"),
    style: style(),
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    textureOnViewport: g.nodes.length > ELK_LIMIT,
    hideEdgesOnViewport: g.nodes.length > ELK_LIMIT,
  });
  const big = g.nodes.length > ELK_LIMIT;
  // big graphs get their positions before they are added (no second pass)
  const pos = big ? fastLayers(g, adj) : null;
  phase("layers");
  cy.add(elements(g, pos));
  phase("created");
  cy.on("tap", "node", (evt) => {
    const id = evt.target.id() as string;
    showDetails(id);
    const n = graph?.nodes.find((x) => x.id === id);
    const msg = n ? openMessage(n) : null;
    if (msg) vscode.postMessage(msg);
  });
  cy.on("dbltap", "node", (evt) => toggleCollapse(evt.target.id()));
  vscode.setState({ graph: json, title });
  applyVisibility(true, !big);
}

function toggleCollapse(id?: string): void {
  const target = id ?? cy?.nodes(":selected").first().id();
  if (!target) return;
  if (collapsed.has(target)) collapsed.delete(target);
  else collapsed.add(target);
  applyVisibility(true);
}

function exportAs(format: "svg" | "png"): void {
  if (!cy) return;
  const bg = cssVar("--vscode-editor-background", "#ffffff");
  const data =
    format === "svg"
      ? (cy as unknown as { svg(o: object): string }).svg({ full: true, bg })
      : cy.png({ full: true, bg, output: "base64uri", maxWidth: 8000, maxHeight: 8000 });
  vscode.postMessage({ type: "export", format, data, kind: graph?.kind ?? "graph" });
}

function init(): void {
  let timer: number | undefined;
  $<HTMLInputElement>("search").addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => applyVisibility(false), 120);
  });
  $("fit").addEventListener("click", () => fitView());
  $("relayout").addEventListener("click", () => runLayout());
  $("collapse").addEventListener("click", () => toggleCollapse());
  $("expand-all").addEventListener("click", () => {
    collapsed.clear();
    applyVisibility(true);
  });
  $("export-svg").addEventListener("click", () => exportAs("svg"));
  $("export-png").addEventListener("click", () => exportAs("png"));
  $("refresh").addEventListener("click", () => vscode.postMessage({ type: "refresh" }));
  window.addEventListener("message", (event: MessageEvent) => {
    const msg = event.data as { type?: string; graph?: unknown; title?: string; error?: string };
    if (msg?.type === "graph") render(msg.graph, msg.title ?? "Graph");
    else if (msg?.type === "error") $("status").textContent = msg.error ?? "error";
    else if (msg?.type === "loading") $("status").textContent = "Loading…";
  });
  const saved = vscode.getState() as { graph?: unknown; title?: string } | undefined;
  if (saved?.graph) render(saved.graph, saved.title ?? "Graph");
  vscode.postMessage({ type: "ready" });
}

init();
