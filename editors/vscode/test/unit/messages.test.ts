import { test } from "node:test";
import assert from "node:assert/strict";
import { exportBytes, exportFileName, parsePanelMessage } from "../../src/messages";
import { contentSecurityPolicy, makeNonce, panelHtml } from "../../src/panelHtml";

test("open messages are checked before a file is opened", () => {
  const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } };
  assert.deepEqual(parsePanelMessage({ type: "open", uri: "file:///a.py", range, id: "a" }), { type: "open", uri: "file:///a.py", range, id: "a" });
  assert.deepEqual(parsePanelMessage({ type: "open", uri: "file:///a.py", range: { start: 1 } }), { type: "open", uri: "file:///a.py", range: null, id: "" });
  assert.equal(parsePanelMessage({ type: "open", uri: "not a uri" }), null);
  assert.equal(parsePanelMessage({ type: "open" }), null);
  assert.equal(parsePanelMessage({ type: "rm -rf" }), null);
  assert.equal(parsePanelMessage("ready"), null);
  assert.deepEqual(parsePanelMessage({ type: "ready" }), { type: "ready" });
});

test("exports: SVG text as is, PNG decoded from its data URI, junk refused", () => {
  const svg = parsePanelMessage({ type: "export", format: "svg", data: "<svg></svg>", kind: "calls" });
  assert.ok(svg && svg.type === "export");
  assert.equal(new TextDecoder().decode(exportBytes(svg)!), "<svg></svg>");
  assert.equal(exportFileName(svg), "devops-intel-calls.svg");
  const png = parsePanelMessage({ type: "export", format: "png", data: "data:image/png;base64,iVBORw0KGgo=", kind: "../x" });
  assert.ok(png && png.type === "export");
  assert.deepEqual([...exportBytes(png)!.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal(exportFileName(png), "devops-intel-x.png");
  assert.equal(exportBytes({ type: "export", format: "png", data: "data:text/html,<script>", kind: "x" }), null);
  assert.equal(parsePanelMessage({ type: "export", format: "pdf", data: "" }), null);
});

test("panel HTML: strict CSP, nonce on every script and style, no remote source", () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  const html = panelHtml({ cspSource: "vscode-resource:", nonce, scriptUri: "vscode-resource:/dist/webview.js", cssUri: "vscode-resource:/dist/panel.css" });
  const csp = contentSecurityPolicy("vscode-resource:", nonce);
  assert.ok(html.includes(csp));
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  const tags = html.match(/<(script|style|link)\b[^>]*>/g) ?? [];
  assert.ok(tags.length >= 3);
  for (const t of tags) assert.ok(t.includes(`nonce="${nonce}"`), `missing nonce: ${t}`);
  assert.doesNotMatch(html, /https?:\/\//);
});
