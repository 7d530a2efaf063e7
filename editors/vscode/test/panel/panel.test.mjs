// Drives the graph panel's page (dist/standalone.html: the webview bundle plus
// a shim recording what it posts) in Debian's Chromium through playwright-core.
// Never downloads a browser: CHROMIUM_PATH or /usr/bin/chromium, and fails if
// neither exists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { clickNode, fixture, open, posted, problems, root, visibleCount } from "./browser.mjs";

test("module graph renders every node with a layered ELK layout, no CSP violation", async () => {
  const g = fixture("modules.json");
  const { page } = await open(g, "Module graph");
  assert.equal(await page.evaluate(() => window.__devopsIntel.layout), "elk");
  assert.equal(await page.evaluate(() => window.__devopsIntel.cy().nodes().length), g.nodes.length);
  assert.equal(await page.evaluate(() => window.__devopsIntel.cy().edges().length), g.edges.length);
  assert.equal(await page.locator("#status").textContent(), `${g.nodes.length} of ${g.nodes.length} nodes, ${g.edges.length} edges`);
  // layered: the importer sits above what it imports
  const y = await page.evaluate(() => {
    const cy = window.__devopsIntel.cy();
    return { cli: cy.getElementById("deploy_tool.cli").position().y, art: cy.getElementById("deploy_tool.artifacts").position().y, sub: cy.getElementById("subprocess").position().y };
  });
  assert.ok(y.cli < y.art && y.art < y.sub, `layers out of order: ${JSON.stringify(y)}`);
  assert.equal(await page.locator("#legend").textContent(), "module (5)external-module (2)");
  assert.deepEqual(await posted(page, "csp"), []);
  await page.close();
});

test("a click on a node posts `open` with its uri and range; external nodes post nothing", async () => {
  const g = fixture("calls.json");
  const { page } = await open(g, "Call graph");
  await clickNode(page, "deploy_tool.artifacts.upload");
  const opens = await posted(page, "open");
  assert.equal(opens.length, 1);
  assert.deepEqual(opens[0], {
    type: "open",
    id: "deploy_tool.artifacts.upload",
    uri: "file:///ws/deploy_tool/artifacts.py",
    range: { start: { line: 20, character: 4 }, end: { line: 20, character: 10 } },
  });
  assert.match(await page.locator("#details").textContent(), /function deploy_tool\.artifacts\.upload/);
  await clickNode(page, "subprocess.run");
  assert.equal((await posted(page, "open")).length, 1, "external callee has no location to open");
  await page.close();
});

test("search filters nodes by text and by kind", async () => {
  const { page } = await open(fixture("impact.json"), "Impact");
  assert.equal(await visibleCount(page), 6);
  await page.fill("#search", "kind:test");
  await page.waitForFunction(() => window.__devopsIntel.cy().nodes().not(".hidden").length === 2);
  assert.equal(await page.locator("#status").textContent(), "2 of 6 nodes, 5 edges");
  await page.fill("#search", "CLI");
  await page.waitForFunction(() => window.__devopsIntel.cy().nodes().not(".hidden").length === 3);
  const shown = await page.evaluate(() => window.__devopsIntel.cy().nodes().not(".hidden").map((n) => n.id()).sort());
  assert.deepEqual(shown, ["deploy_tool.cli.deploy", "deploy_tool.cli.main", "tests.test_cli.test_deploy_dry_run"]);
  await page.fill("#search", "");
  await page.waitForFunction(() => window.__devopsIntel.cy().nodes().not(".hidden").length === 6);
  await page.close();
});

test("double-click collapses a node's subtree and expands it again", async () => {
  const { page } = await open(fixture("calls.json"), "Call graph");
  await page.evaluate(() => window.__devopsIntel.cy().getElementById("deploy_tool.cli.deploy").emit("dbltap"));
  await page.waitForFunction(() => window.__devopsIntel.ready);
  // deploy hides build, upload, send and their externals: 8 - 6 = 2 left
  assert.equal(await visibleCount(page), 2);
  await page.click("#expand-all");
  await page.waitForFunction(() => window.__devopsIntel.cy().nodes().not(".hidden").length === 8);
  await page.close();
});

test("export posts an SVG document and a PNG data URI", async () => {
  const { page } = await open(fixture("modules.json"), "Module graph");
  await page.click("#export-svg");
  await page.click("#export-png");
  const ex = await posted(page, "export");
  assert.equal(ex.length, 2);
  assert.equal(ex[0].format, "svg");
  assert.match(ex[0].data, /<svg[\s\S]*deploy_tool/);
  assert.equal(ex[1].format, "png");
  assert.match(ex[1].data, /^data:image\/png;base64,[A-Za-z0-9+/=]{1000,}$/);
  await page.close();
});

function bigGraph(n) {
  const nodes = [];
  const edges = [];
  for (let i = 0; i < n; i++) {
    const mod = `pkg${i % 40}.mod${i % 97}`;
    nodes.push({ id: `${mod}.f${i}`, label: `f${i}`, kind: i % 10 === 0 ? "test" : "function", uri: `file:///ws/${mod.replace(/\./g, "/")}.py`, range: { start: { line: i % 500, character: 4 }, end: { line: i % 500, character: 10 } }, data: {} });
  }
  for (let i = 1; i < n; i++) {
    edges.push({ from: nodes[Math.floor((i - 1) / 3)].id, to: nodes[i].id, kind: "call", data: {} });
    if (i % 2 === 0) edges.push({ from: nodes[(i * 7919) % i].id, to: nodes[i].id, kind: "call", data: {} });
  }
  return { kind: "calls", nodes, edges, truncated: false };
}

test("a 2,000-node graph renders within a few seconds", async () => {
  const g = bigGraph(2000);
  const { page, ms } = await open(g, "Call graph");
  assert.equal(await visibleCount(page), 2000);
  assert.equal(await page.evaluate(() => window.__devopsIntel.cy().edges().length), g.edges.length);
  console.log(`PANEL_2000_NODES_MS=${Math.round(ms)} (nodes=2000 edges=${g.edges.length} layout=${await page.evaluate(() => window.__devopsIntel.layout)} phases=${JSON.stringify(await page.evaluate(() => window.__devopsIntel.phases))})`);
  // ~1-3 s on 2 cores; the bound leaves room for a machine busy with other builds
  const bound = Number(process.env.PANEL_2000_BOUND_MS || 10000);
  assert.ok(ms < bound, `2,000-node graph took ${Math.round(ms)} ms (bound ${bound} ms)`);
  // search on the big graph stays interactive
  await page.fill("#search", "kind:test");
  await page.waitForFunction(() => window.__devopsIntel.cy().nodes().not(".hidden").length === 200);
  await page.close();
});

test("screenshot for the README", async () => {
  const { page } = await open(fixture("calls.json"), "Call graph");
  await clickNode(page, "deploy_tool.cli.deploy");
  const out = process.env.PANEL_SCREENSHOT || join(root, "media", "screenshot.png");
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  assert.ok(readFileSync(out).length > 5000, "screenshot is empty");
  await page.close();
});

test("no page errors, console errors or CSP violations", () => {
  assert.deepEqual(problems, []);
});
