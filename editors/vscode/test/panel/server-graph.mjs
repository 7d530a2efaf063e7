// Renders graphs answered by the real server (written by
// tests/tests/editors_vscode.rs from devopsIntel/* requests on
// tests/workspaces/graph-demo) in the panel: every node drawn, a click on a
// node opens its location. Run: PANEL_SERVER_GRAPHS=file.json node --test test/panel/server-graph.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { clickNode, open, posted, problems } from "./browser.mjs";

const file = process.env.PANEL_SERVER_GRAPHS;
assert.ok(file, "PANEL_SERVER_GRAPHS (a JSON array of {title, graph} from the server) is required");
const graphs = JSON.parse(readFileSync(file, "utf8"));
assert.ok(Array.isArray(graphs) && graphs.length > 0, "no server graphs to render");

for (const { title, graph } of graphs) {
  test(`server ${title}: ${graph.nodes.length} nodes render and a click opens a node`, async () => {
    const { page } = await open(graph, title);
    const ids = new Set(graph.nodes.map((n) => n.id));
    const drawable = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
    assert.equal(await page.evaluate(() => window.__devopsIntel.cy().nodes().length), graph.nodes.length);
    assert.equal(await page.evaluate(() => window.__devopsIntel.cy().edges().length), drawable.length);
    const target = graph.nodes.find((n) => typeof n.uri === "string" && n.range);
    assert.ok(target, `${title}: no node with a location`);
    await clickNode(page, target.id);
    const opens = await posted(page, "open");
    assert.deepEqual(opens.at(-1), { type: "open", id: target.id, uri: target.uri, range: target.range });
    await page.close();
  });
}

test("no page errors, console errors or CSP violations", () => {
  assert.deepEqual(problems, []);
});
