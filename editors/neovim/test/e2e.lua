-- End-to-end: Debian's nvim + the plugin + the real `devops-intel serve`.
-- Env: DEVOPS_INTEL_BIN, DI_WORKSPACE (fixture workspace, see
-- tests/tests/editors_neovim.rs), DI_RESULT, DI_ACTION (title pattern of the
-- code action to apply; default the REL002 quick fix), DI_EXPECT_FILE (file
-- the action must create, for the generate-test action), DI_SERVER_GRAPH=1 to
-- also check :DevopsIntelGraph modules against the server.
package.path = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/?.lua;" .. package.path
local H = require("harness")

local bin = assert(os.getenv("DEVOPS_INTEL_BIN"), "DEVOPS_INTEL_BIN not set")
local ws = assert(os.getenv("DI_WORKSPACE"), "DI_WORKSPACE not set")
local action = os.getenv("DI_ACTION") or "^Add `check=True`"
local expect_file = os.getenv("DI_EXPECT_FILE")

vim.cmd("filetype on")
vim.o.hidden = true
vim.cmd("cd " .. vim.fn.fnameescape(ws))
local di = require("devops_intel")
di.setup({ cmd = { bin, "serve" } })

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, string.format("%s:%d", tostring(d.code), d.lnum + 1))
  end
  table.sort(out)
  return out
end

H.run(function()
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/deploy_tool/release.py"))
  local src = vim.api.nvim_get_current_buf()
  local src_win = vim.api.nvim_get_current_win()
  H.eq(vim.bo.filetype, "python", "fixture detected as python")
  H.check(vim.wait(20000, function()
    return di.client(src) ~= nil and #vim.diagnostic.get(src) >= 2
  end, 50), "server attached and published diagnostics")
  local c = di.client(src)
  H.check(c ~= nil and c.name == "devops_intel", "client named devops_intel")
  H.eq(codes(src), { "REL002:6", "SEC001:10", "SEC004:10" }, "diagnostics on the fixture (rule:line)")
  local d = vim.diagnostic.get(src, { lnum = 5 })[1]
  H.check(d ~= nil and d.source == "devops-intel", "diagnostic source is devops-intel")

  -- code action at the REL002 line
  vim.api.nvim_win_set_cursor(0, { 6, 8 })
  local title = di.apply_code_action(action, 10000)
  H.check(title ~= nil, "code action matching " .. action .. " offered (got " .. tostring(title) .. ")")
  if expect_file then
    -- expect_file is a glob relative to the workspace (e.g. tests/test_*.py):
    -- the action's CreateFile + edits land in a buffer (saved or not)
    local function created()
      for _, b in ipairs(vim.api.nvim_list_bufs()) do
        local name = vim.api.nvim_buf_get_name(b)
        if name ~= "" and vim.fn.match(name, vim.fn.glob2regpat(ws .. "/" .. expect_file)) >= 0 then
          return b
        end
      end
      return nil
    end
    H.check(vim.wait(5000, function()
      return created() ~= nil
    end, 50), "action created " .. expect_file)
    local b = created()
    local text = b and table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), "\n") or ""
    H.check(text:find("def test_", 1, true) ~= nil, "generated file holds a pytest test: " .. text:sub(1, 200):gsub("\n", " | "))
    vim.api.nvim_set_current_buf(src)
  else
    H.check(vim.api.nvim_buf_get_lines(src, 5, 6, false)[1]:find("check=True", 1, true) ~= nil, "quick fix applied to the buffer")
    H.check(vim.wait(10000, function()
      return vim.deep_equal(codes(src), { "SEC001:10", "SEC004:10" })
    end, 50), "REL002 gone after the fix (server re-analysed the edit): " .. vim.inspect(codes(src)))
  end

  -- the graph tree: a graph whose nodes point into the workspace
  local uri = vim.uri_from_fname(ws .. "/deploy_tool/util.py")
  local graph = {
    kind = "calls",
    truncated = false,
    nodes = {
      { id = "deploy_tool.release.release", label = "release", kind = "function", uri = vim.uri_from_fname(ws .. "/deploy_tool/release.py"), range = { start = { line = 4, character = 4 }, ["end"] = { line = 4, character = 11 } }, data = { focus = true } },
      { id = "deploy_tool.util.run_cmd", label = "run_cmd", kind = "function", uri = uri, range = { start = { line = 3, character = 4 }, ["end"] = { line = 3, character = 11 } }, data = {} },
      { id = "subprocess.run", label = "subprocess.run", kind = "external", uri = vim.NIL, range = vim.NIL, data = {} },
    },
    edges = {
      { from = "deploy_tool.release.release", to = "deploy_tool.util.run_cmd", kind = "call", data = {} },
      { from = "deploy_tool.release.release", to = "subprocess.run", kind = "call", data = {} },
    },
  }
  local tree = di.show_graph(graph, src_win)
  local lines = H.buf_lines(tree)
  H.eq(lines[1], "Call graph: 3 nodes, 2 edges", "tree header")
  H.eq(#lines, 5, "tree has one line per node")
  H.check(lines[4]:find("run_cmd", 1, true) ~= nil, "callee listed under the caller")
  H.check(vim.api.nvim_get_current_buf() == tree and #vim.api.nvim_list_wins() == 2, "tree opened in a split")
  vim.api.nvim_win_set_cursor(0, { 4, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  H.eq(vim.fn.expand("%:p"), ws .. "/deploy_tool/util.py", "<Enter> opened the node's file")
  H.eq(vim.api.nvim_win_get_cursor(0), { 4, 4 }, "<Enter> put the cursor on the node's range")
  H.check(vim.api.nvim_get_current_win() == src_win, "jumped in the source window, tree kept")

  -- fold with <Tab>
  vim.api.nvim_set_current_win(vim.fn.bufwinid(tree))
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<Tab>", true, false, true), "x", false)
  H.eq(#H.buf_lines(tree), 3, "<Tab> folded the root's children")
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<Tab>", true, false, true), "x", false)
  H.eq(#H.buf_lines(tree), 5, "<Tab> again unfolded them")

  -- export
  local out = vim.fn.tempname() .. ".mmd"
  vim.cmd("DevopsIntelExport mermaid " .. out)
  H.eq(vim.fn.readfile(out), { "flowchart LR", '  n1["release"]', '  n2["run_cmd"]', '  n3["subprocess.run"]', "  n1 --> n2", "  n1 --> n3" }, ":DevopsIntelExport mermaid wrote the flowchart")
  vim.cmd("DevopsIntelExport dot")
  H.check(H.buf_lines(0)[1] == 'digraph "calls" {' and vim.bo.filetype == "dot", ":DevopsIntelExport dot opened a dot buffer")

  if os.getenv("DI_SERVER_GRAPH") == "1" then
    vim.api.nvim_set_current_win(src_win)
    vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/deploy_tool/release.py"))
    local before = di.last_graph
    vim.cmd("DevopsIntelGraph modules")
    H.check(vim.wait(20000, function()
      return di.last_graph ~= before
    end, 50), ":DevopsIntelGraph modules got an answer")
    local text = table.concat(H.buf_lines(vim.fn.bufnr("devops-intel://graph")), "\n")
    H.check(text:find("release", 1, true) ~= nil and text:find("util", 1, true) ~= nil, "module tree lists release and util: " .. text:gsub("\n", " | "))
  end
end)
