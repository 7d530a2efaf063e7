// The graph panel's HTML, shared by the VS Code webview and the standalone
// page the Chromium test drives. Strict CSP: nothing but our own script and
// stylesheet (by nonce), images only from data:/blob: (PNG export).

export interface PanelHtmlInput {
  /** `webview.cspSource` in VS Code, `'self'` standalone. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  cssUri: string;
  /** Extra script run before the page (standalone only: the acquireVsCodeApi shim). */
  shimScript?: string;
}

export function makeNonce(random: () => number = Math.random): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 32; i++) s += chars.charAt(Math.floor(random() * chars.length));
  return s;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export function panelHtml(i: PanelHtmlInput): string {
  const csp = contentSecurityPolicy(i.cspSource, i.nonce);
  const shim = i.shimScript ? `<script nonce="${i.nonce}">${i.shimScript}</script>\n` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style id="__________cytoscape_stylesheet" nonce="${i.nonce}">.__________cytoscape_container { position: relative; }</style>
<link rel="stylesheet" href="${escapeAttr(i.cssUri)}" nonce="${i.nonce}">
<title>devops-intel graph</title>
</head>
<body>
<div id="toolbar">
  <span id="title">Graph</span>
  <input id="search" type="search" placeholder="Filter nodes (text, kind:test)" aria-label="Filter nodes">
  <button id="fit" title="Fit to window">Fit</button>
  <button id="relayout" title="Lay out again">Layout</button>
  <button id="collapse" title="Collapse or expand the selected node (or double-click it)">Collapse/Expand</button>
  <button id="expand-all" title="Expand every collapsed node">Expand all</button>
  <button id="export-svg" title="Save as SVG">SVG</button>
  <button id="export-png" title="Save as PNG">PNG</button>
  <button id="refresh" title="Ask the server again">Refresh</button>
</div>
<div id="status">Waiting for a graph…</div>
<div id="details"></div>
<div id="legend" aria-label="Node kinds"></div>
<div id="empty" hidden>The graph is empty.</div>
<div id="graph"></div>
${shim}<script nonce="${i.nonce}" src="${escapeAttr(i.scriptUri)}"></script>
</body>
</html>
`;
}

/** Standalone shim: records posted messages in `window.__posted` (tests read them). */
export const STANDALONE_SHIM = `window.__posted = [];
window.__state = undefined;
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) { window.__posted.push(m); },
    getState: function () { return window.__state; },
    setState: function (s) { window.__state = s; },
  };
};`;
