-- Unit checks of lua/devops_intel/render.lua (tree, mermaid, dot, request params).
-- nvim --headless -u NONE --cmd "set rtp^=editors/neovim" -c "luafile editors/neovim/test/render_spec.lua"
package.path = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/?.lua;" .. package.path
local H = require("harness")
local render = require("devops_intel.render")

local function node(id, kind, extra)
  local n = { id = id, label = id:match("[^.]+$"), kind = kind or "function", uri = nil, range = nil, data = {} }
  for k, v in pairs(extra or {}) do
    n[k] = v
  end
  return n
end

H.run(function()
  local g = {
    kind = "calls",
    truncated = false,
    nodes = {
      node("app.main", "function", { uri = "file:///ws/app.py", range = { start = { line = 9, character = 4 }, ["end"] = { line = 9, character = 8 } }, data = { focus = true } }),
      node("app.deploy"),
      node("app.build"),
      node("subprocess.run", "external"),
      node("app.orphan"),
    },
    edges = {
      { from = "app.main", to = "app.deploy", kind = "call", data = {} },
      { from = "app.deploy", to = "app.build", kind = "call", data = {} },
      { from = "app.main", to = "app.build", kind = "call", data = { exact = false } },
      { from = "app.build", to = "subprocess.run", kind = "call", data = {} },
      { from = "app.build", to = "app.main", kind = "call", data = {} }, -- cycle
      { from = "app.main", to = "missing", kind = "call", data = {} }, -- dangling
    },
  }
  local lines, items = render.tree(g)
  H.eq(lines[1], "Call graph: 5 nodes, 5 edges", "header counts nodes and drawable edges")
  H.eq(lines[3], "▾ main  [function]  /ws/app.py:10", "focus node first, with its location (1-based line)")
  H.eq(lines[4], "  ▾ deploy  [function]", "child indented")
  H.eq(lines[5], "    ▾ build  [function]", "grandchild")
  H.eq(lines[6], "        run  [external]", "leaf without marker")
  H.eq(lines[7], "        main  [function]  /ws/app.py:10  (see above)", "cycle shown once, then referenced")
  H.eq(lines[8], "    build  [function]  (see above)", "shared node repeated as a leaf")
  H.eq(lines[9], "  orphan  [function]", "unreached root listed")
  H.eq(#lines, 9, "one line per tree entry")
  H.eq(items[3], { id = "app.main", depth = 0 }, "items map lines to node ids")
  H.eq(items[1], false, "header lines map to nothing")

  local folded = render.tree(g, { ["app.deploy"] = true })
  H.eq(folded[4], "  ▸ deploy  [function]", "folded node marked")
  H.eq(folded[5], "  ▾ build  [function]", "its children hidden; build now expanded under main")

  local impact = { kind = "impact", nodes = { node("a.f", "function", { data = { distance = 0 } }), node("tests.test_a.test_f", "test", { data = { distance = 1 } }) }, edges = { { from = "a.f", to = "tests.test_a.test_f", kind = "call", data = {} } } }
  local il = render.tree(impact)
  H.eq(il[4], "    test_f  [test]  d=1", "impact distance shown")

  local mermaid = render.mermaid(g)
  H.eq(vim.split(mermaid, "\n"), {
    "flowchart LR",
    '  n1["main"]',
    '  n2["deploy"]',
    '  n3["build"]',
    '  n4["run"]',
    '  n5["orphan"]',
    "  n1 --> n2",
    "  n1 -.-> n3",
    "  n2 --> n3",
    "  n3 --> n4",
    "  n3 --> n1",
    "",
  }, "mermaid flowchart, dashed for inexact edges")

  local q = { kind = "modules", nodes = { node('a"b', "module") }, edges = {} }
  H.check(render.dot(q):find('"a\\"b" %[label="a\\"b"') ~= nil, "dot escapes quotes")
  H.check(render.mermaid(q):find('n1%["a#quot;b"%]') ~= nil, "mermaid escapes quotes")
  local dot = render.dot(g)
  H.check(dot:find('^digraph "calls" {') ~= nil, "dot header")
  H.check(dot:find('"app.main" %-> "app.build" %[style=dashed%];') ~= nil, "dot dashed edge")
  H.check(dot:find("missing") == nil, "dangling edge dropped")

  -- JSON nulls (vim.NIL) from the server where values are optional
  local nils = { kind = "calls", truncated = vim.NIL, nodes = { { id = "x.y", label = vim.NIL, kind = "external", uri = vim.NIL, range = vim.NIL, data = vim.NIL } }, edges = {} }
  H.eq(render.tree(nils)[3], "  x.y  [external]", "null label/uri/range/data tolerated")
  H.check(render.mermaid(nils):find('n1%["x.y"%]') ~= nil, "mermaid falls back to the id")

  local m, p = render.request("calls", { uri = "file:///x.py", position = { line = 1, character = 2 }, depth = 2 })
  H.eq({ m, p }, { "devopsIntel/callGraph", { textDocument = { uri = "file:///x.py" }, position = { line = 1, character = 2 }, depth = 2 } }, "call graph params")
  m, p = render.request("modules", { uri = "file:///x.py", position = { line = 1, character = 2 } })
  H.eq({ m, p }, { "devopsIntel/moduleGraph", { textDocument = { uri = "file:///x.py" } } }, "module graph params carry no position")
  m, p = render.request("impact", {})
  H.eq({ m, p }, { nil, "Impact needs a Python buffer" }, "impact needs a document")
  m, p = render.request("bogus", {})
  H.check(m == nil and p:find("unknown graph kind") ~= nil, "unknown kind refused")
  m, p = render.request("resources", { uri = "file:///x.py", position = { line = 0, character = 0 } })
  H.eq({ m, p }, { "devopsIntel/resourceGraph", { textDocument = { uri = "file:///x.py" } } }, "resource graph params")
end)
