import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, fastLayers, Graph, hiddenByCollapse, matchNodes, openMessage, parseGraph } from "../../src/viewModel";

// compiled to out/test/unit: fixtures are three levels up
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", name), "utf8"));

const g = (nodes: string[], edges: Array<[string, string]>): Graph =>
  parseGraph({
    kind: "calls",
    nodes: nodes.map((id) => ({ id, label: id, kind: "function", uri: null, range: null, data: {} })),
    edges: edges.map(([from, to]) => ({ from, to, kind: "call", data: {} })),
    truncated: false,
  });

test("parseGraph keeps valid nodes, drops duplicates and dangling edges", () => {
  const parsed = parseGraph({
    kind: "modules",
    nodes: [
      { id: "a", label: "", kind: "module", uri: "file:///a.py", range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, data: { x: 1 } },
      { id: "a", label: "dup", kind: "module" },
      { id: "b" },
      { label: "no id" },
    ],
    edges: [
      { from: "a", to: "b", kind: "import" },
      { from: "a", to: "missing", kind: "import" },
    ],
    truncated: true,
  });
  assert.equal(parsed.nodes.length, 2);
  assert.equal(parsed.nodes[0].label, "a", "empty label falls back to the id");
  assert.deepEqual(parsed.nodes[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  assert.equal(parsed.nodes[1].kind, "node");
  assert.equal(parsed.nodes[1].uri, null);
  assert.equal(parsed.edges.length, 1);
  assert.equal(parsed.truncated, true);
  assert.equal(describe(parsed, 2), "2 of 2 nodes, 1 edges (truncated by the server's depth/size limit)");
});

test("parseGraph rejects answers that are not graphs", () => {
  assert.throws(() => parseGraph(null), /not an object/);
  assert.throws(() => parseGraph({ nodes: [] }), /nodes\/edges/);
});

test("fixtures parse whole", () => {
  for (const [name, n, e] of [["modules.json", 7, 7], ["calls.json", 8, 7], ["impact.json", 6, 5]] as const) {
    const parsed = parseGraph(fixture(name));
    assert.equal(parsed.nodes.length, n, name);
    assert.equal(parsed.edges.length, e, name);
  }
});

test("openMessage: nodes with a location open it, external ones do not", () => {
  const calls = parseGraph(fixture("calls.json"));
  const byId = (id: string) => calls.nodes.find((n) => n.id === id)!;
  assert.deepEqual(openMessage(byId("deploy_tool.cli.main")), {
    type: "open",
    uri: "file:///ws/deploy_tool/cli.py",
    range: { start: { line: 10, character: 4 }, end: { line: 10, character: 8 } },
    id: "deploy_tool.cli.main",
  });
  assert.equal(openMessage(byId("requests.post")), null);
});

test("collapse hides what is only reachable through the collapsed node", () => {
  //   r → a → c
  //   r → b → c     (c reachable via b too)
  //   a → d → e     (d, e only via a)
  const graph = g(["r", "a", "b", "c", "d", "e"], [["r", "a"], ["r", "b"], ["a", "c"], ["b", "c"], ["a", "d"], ["d", "e"]]);
  assert.deepEqual([...hiddenByCollapse(graph, ["a"])].sort(), ["d", "e"]);
  assert.deepEqual([...hiddenByCollapse(graph, ["a", "b"])].sort(), ["c", "d", "e"]);
  assert.deepEqual([...hiddenByCollapse(graph, ["r"])].sort(), ["a", "b", "c", "d", "e"]);
  assert.deepEqual([...hiddenByCollapse(graph, [])], []);
  assert.deepEqual([...hiddenByCollapse(graph, ["unknown"])], []);
});

test("collapse terminates on cycles and keeps a cycle visible from outside", () => {
  const graph = g(["x", "y", "z", "w"], [["x", "y"], ["y", "z"], ["z", "y"], ["w", "z"]]);
  assert.deepEqual([...hiddenByCollapse(graph, ["x"])], [], "z and y are reachable from w");
  const graph2 = g(["x", "y", "z"], [["x", "y"], ["y", "z"], ["z", "y"]]);
  assert.deepEqual([...hiddenByCollapse(graph2, ["x"])].sort(), ["y", "z"]);
});

test("search: terms all match label or id, kind: filters by kind, case-insensitive", () => {
  const impact = parseGraph(fixture("impact.json"));
  assert.deepEqual([...matchNodes(impact, "kind:test")].sort(), ["tests.test_cli.test_deploy_dry_run", "tests.test_config.test_load_defaults"]);
  assert.deepEqual([...matchNodes(impact, "CLI")].sort(), ["deploy_tool.cli.deploy", "deploy_tool.cli.main", "tests.test_cli.test_deploy_dry_run"]);
  assert.deepEqual([...matchNodes(impact, "kind:function cli")].sort(), ["deploy_tool.cli.deploy", "deploy_tool.cli.main"]);
  assert.equal(matchNodes(impact, "  ").size, 6);
  assert.equal(matchNodes(impact, "nothing-like-this").size, 0);
});

test("fastLayers puts callers above callees, survives cycles, one position per node", () => {
  const graph = g(["a", "b", "c", "d"], [["a", "b"], ["b", "c"], ["c", "a"], ["a", "d"], ["d", "c"]]);
  const pos = fastLayers(graph);
  assert.equal(pos.size, 4);
  assert.ok(pos.get("a")!.y < pos.get("b")!.y);
  assert.ok(pos.get("a")!.y < pos.get("d")!.y);
  assert.ok(pos.get("d")!.y < pos.get("c")!.y, "longest path puts c below d");
  const seen = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
  assert.equal(seen.size, 4, "no two nodes overlap");
});

test("fastLayers is linear enough for 20,000 nodes", () => {
  const ids = Array.from({ length: 20000 }, (_, i) => `n${i}`);
  const edges: Array<[string, string]> = [];
  for (let i = 1; i < ids.length; i++) edges.push([ids[Math.floor((i - 1) / 3)], ids[i]]);
  const t0 = Date.now();
  const pos = fastLayers(g(ids, edges));
  assert.equal(pos.size, 20000);
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
});
