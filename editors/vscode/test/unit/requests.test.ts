import { test } from "node:test";
import assert from "node:assert/strict";
import { buildRequest, GRAPH_KINDS, METHODS } from "../../src/requests";

const uri = "file:///ws/deploy_tool/cli.py";
const position = { line: 4, character: 7 };

test("every kind maps to its custom request", () => {
  assert.deepEqual(
    GRAPH_KINDS.map((k) => METHODS[k]),
    ["devopsIntel/moduleGraph", "devopsIntel/callGraph", "devopsIntel/impact", "devopsIntel/dataFlow", "devopsIntel/resourceGraph"],
  );
});

test("module graph: document optional, no position, focus and depth passed", () => {
  assert.deepEqual(buildRequest("modules", { uri, position, focus: "deploy_tool.cli", depth: 2 }), {
    ok: true,
    method: "devopsIntel/moduleGraph",
    params: { textDocument: { uri }, focus: "deploy_tool.cli", depth: 2 },
  });
  assert.deepEqual(buildRequest("modules", {}), { ok: true, method: "devopsIntel/moduleGraph", params: {} });
});

test("call graph and impact take the cursor; depth only where the contract has it", () => {
  assert.deepEqual(buildRequest("calls", { uri, position, depth: 3.9 }), {
    ok: true,
    method: "devopsIntel/callGraph",
    params: { textDocument: { uri }, position, depth: 3 },
  });
  assert.deepEqual(buildRequest("impact", { uri, position, depth: 3 }), {
    ok: true,
    method: "devopsIntel/impact",
    params: { textDocument: { uri }, position },
  });
});

test("data flow needs a document and a position", () => {
  assert.equal(buildRequest("dataflow", { uri }).ok, false);
  assert.equal(buildRequest("dataflow", { position }).ok, false);
  assert.deepEqual(buildRequest("dataflow", { uri, position }), { ok: true, method: "devopsIntel/dataFlow", params: { textDocument: { uri }, position } });
});

test("resource graph: document only", () => {
  assert.deepEqual(buildRequest("resources", { uri, position, focus: "x" }), {
    ok: true,
    method: "devopsIntel/resourceGraph",
    params: { textDocument: { uri } },
  });
  assert.equal(buildRequest("calls", {}).ok, false);
});
