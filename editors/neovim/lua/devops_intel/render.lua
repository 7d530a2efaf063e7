-- Pure rendering of the graph JSON (server/src/graph/schema.rs): the tree
-- shown by :DevopsIntelGraph and the mermaid/dot text of :DevopsIntelExport.
-- No editor state here, so it is tested on its own.
local M = {}

local function index(graph)
  local by_id, out, has_in = {}, {}, {}
  for _, n in ipairs(graph.nodes or {}) do
    if type(n) == "table" and type(n.id) == "string" and not by_id[n.id] then
      by_id[n.id] = n
      out[n.id] = {}
    end
  end
  for _, e in ipairs(graph.edges or {}) do
    if type(e) == "table" and by_id[e.from] and by_id[e.to] and e.from ~= e.to then
      table.insert(out[e.from], e)
      has_in[e.to] = true
    end
  end
  return by_id, out, has_in
end

local function label_of(n)
  return (type(n.label) == "string" and n.label ~= "") and n.label or n.id
end

local function is_focus(n)
  local d = type(n.data) == "table" and n.data or {}
  return d.focus == true or d.distance == 0
end

local function short_path(uri)
  if type(uri) ~= "string" then
    return nil
  end
  local path = uri:gsub("^file://", ""):gsub("%%(%x%x)", function(h)
    return string.char(tonumber(h, 16))
  end)
  local cwd = vim and vim.fn and vim.fn.getcwd() or nil
  if cwd and path:sub(1, #cwd + 1) == cwd .. "/" then
    path = path:sub(#cwd + 2)
  end
  return path
end

M.short_path = short_path

local TITLES = {
  modules = "Module graph",
  calls = "Call graph",
  impact = "Impact",
  dataflow = "Data flow",
  resources = "Resource graph",
}
M.TITLES = TITLES

--- Tree lines of a graph. Roots: focus nodes (data.focus / distance 0), then
--- nodes nobody points to, then anything not reached yet (cycles). A node
--- shown before appears again as a leaf marked "(see above)".
--- @param graph table Graph JSON
--- @param collapsed table<string, boolean>|nil ids whose children are hidden
--- @return string[] lines, table[] items (items[i] = {id=, depth=} for lines[i], nil for headers)
function M.tree(graph, collapsed)
  collapsed = collapsed or {}
  local by_id, out, has_in = index(graph)
  local nodes = graph.nodes or {}
  local edge_count = 0
  for _, list in pairs(out) do
    edge_count = edge_count + #list
  end
  local node_count = 0
  for _ in pairs(by_id) do
    node_count = node_count + 1
  end
  local title = TITLES[graph.kind] or (type(graph.kind) == "string" and graph.kind or "Graph")
  local lines = {
    string.format("%s: %d nodes, %d edges%s", title, node_count, edge_count, graph.truncated == true and " (truncated)" or ""),
    "<Enter> open  <Tab> fold  q close",
  }
  local items = { false, false }
  local shown = {}

  local function label(n, edge, repeated)
    local parts = { label_of(n), "[" .. tostring(n.kind) .. "]" }
    if edge and type(edge.kind) == "string" and edge.kind ~= "call" and edge.kind ~= "import" then
      table.insert(parts, 1, "(" .. edge.kind .. ")")
    end
    local d = type(n.data) == "table" and n.data or {}
    if d.distance ~= nil then
      table.insert(parts, "d=" .. tostring(d.distance))
    end
    local p = short_path(n.uri)
    if p then
      local line = type(n.range) == "table" and n.range.start and n.range.start.line
      table.insert(parts, line and string.format("%s:%d", p, line + 1) or p)
    end
    if repeated then
      table.insert(parts, "(see above)")
    end
    return table.concat(parts, "  ")
  end

  -- iterative DFS so deep graphs don't hit Lua's C stack
  local function walk(root)
    local stack = { { id = root, depth = 0 } }
    while #stack > 0 do
      local top = table.remove(stack)
      local n = by_id[top.id]
      local repeated = shown[top.id] == true
      local kids = out[top.id]
      local marker = " "
      if #kids > 0 and not repeated then
        marker = collapsed[top.id] and "▸" or "▾"
      end
      table.insert(lines, string.rep("  ", top.depth) .. marker .. " " .. label(n, top.edge, repeated))
      table.insert(items, { id = top.id, depth = top.depth })
      if not repeated then
        shown[top.id] = true
        if not collapsed[top.id] then
          for i = #kids, 1, -1 do
            table.insert(stack, { id = kids[i].to, depth = top.depth + 1, edge = kids[i] })
          end
        end
      end
    end
  end

  -- what a root reaches, folded or not: a folded subtree is not listed again
  -- as roots of its own
  local covered = {}
  local function cover(root)
    local stack = { root }
    covered[root] = true
    while #stack > 0 do
      local v = table.remove(stack)
      for _, e in ipairs(out[v]) do
        if not covered[e.to] then
          covered[e.to] = true
          table.insert(stack, e.to)
        end
      end
    end
  end
  local passes = {
    function(n)
      return is_focus(n)
    end,
    function(n)
      return not has_in[n.id]
    end,
    function()
      return true
    end,
  }
  for _, wanted in ipairs(passes) do
    for _, n in ipairs(nodes) do
      if by_id[n.id] == n and not covered[n.id] and wanted(n) then
        cover(n.id)
        walk(n.id)
      end
    end
  end
  return lines, items
end

local function dot_escape(s)
  return (tostring(s):gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n"))
end

local function mermaid_escape(s)
  return (tostring(s):gsub('"', "#quot;"):gsub("\n", " "))
end

local function dashed(e)
  return e.kind == "reference" or (type(e.data) == "table" and e.data.exact == false)
end

--- Graphviz text.
function M.dot(graph)
  local by_id, out = index(graph)
  local lines = { string.format('digraph "%s" {', dot_escape(graph.kind or "graph")), "  rankdir=LR;", "  node [shape=box, style=rounded];" }
  for _, n in ipairs(graph.nodes or {}) do
    if by_id[n.id] == n then
      table.insert(lines, string.format('  "%s" [label="%s", class="%s"];', dot_escape(n.id), dot_escape(label_of(n)), dot_escape(type(n.kind) == "string" and n.kind or "")))
    end
  end
  for _, n in ipairs(graph.nodes or {}) do
    for _, e in ipairs(by_id[n.id] == n and out[n.id] or {}) do
      table.insert(lines, string.format('  "%s" -> "%s"%s;', dot_escape(e.from), dot_escape(e.to), dashed(e) and " [style=dashed]" or ""))
    end
  end
  table.insert(lines, "}")
  return table.concat(lines, "\n") .. "\n"
end

--- Mermaid flowchart text (ids replaced by n1, n2… since mermaid ids are restricted).
function M.mermaid(graph)
  local by_id, out = index(graph)
  local short, count = {}, 0
  local lines = { "flowchart LR" }
  for _, n in ipairs(graph.nodes or {}) do
    if by_id[n.id] == n then
      count = count + 1
      short[n.id] = "n" .. count
      table.insert(lines, string.format('  %s["%s"]', short[n.id], mermaid_escape(label_of(n))))
    end
  end
  for _, n in ipairs(graph.nodes or {}) do
    for _, e in ipairs(by_id[n.id] == n and out[n.id] or {}) do
      table.insert(lines, string.format("  %s %s %s", short[e.from], dashed(e) and "-.->" or "-->", short[e.to]))
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

--- Params of the custom request for `kind` (contract in server/docs/lsp-extensions.md).
--- @param ctx table {uri=, position=, focus=, depth=}
--- @return string|nil method, table|string params or error
function M.request(kind, ctx)
  local methods = {
    modules = "devopsIntel/moduleGraph",
    calls = "devopsIntel/callGraph",
    impact = "devopsIntel/impact",
    dataflow = "devopsIntel/dataFlow",
    resources = "devopsIntel/resourceGraph",
  }
  local method = methods[kind]
  if not method then
    return nil, "unknown graph kind " .. tostring(kind) .. " (modules, calls, impact, dataflow, resources)"
  end
  local params = {}
  if ctx.uri then
    params.textDocument = { uri = ctx.uri }
  elseif kind == "calls" or kind == "impact" or kind == "dataflow" then
    return nil, TITLES[kind] .. " needs a Python buffer"
  end
  if ctx.position and kind ~= "modules" and kind ~= "resources" then
    params.position = ctx.position
  end
  if ctx.focus and (kind == "modules" or kind == "calls" or kind == "impact") then
    params.focus = ctx.focus
  end
  if ctx.depth and (kind == "modules" or kind == "calls") then
    params.depth = ctx.depth
  end
  return method, params
end

return M
