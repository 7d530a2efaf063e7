-- devops-intel for Neovim: starts `devops-intel serve` for Python buffers and
-- adds graph commands on top of the server's custom requests.
--
--   require("devops_intel").setup({
--     cmd = { "devops-intel", "serve" },        -- server command
--     settings = { ignore = { "REL002" } },     -- same keys as devops-intel.toml
--     root_markers = { "devops-intel.toml", "pyproject.toml", "setup.cfg", ".git" },
--     filetypes = { "python" },
--     split = "vertical",                       -- graph window: "vertical" | "horizontal"
--   })
--
-- Commands: :DevopsIntelGraph {modules|calls|impact|dataflow|resources} [focus]
--           :DevopsIntelExport {mermaid|dot} [file]
--           :DevopsIntelGenerateTest   (apply "Generate pytest test for …" at the cursor)
-- Works on Neovim 0.7+ (vim.lsp.config/enable on 0.11+, start_client before).

local render = require("devops_intel.render")

local M = {}

local NAME = "devops_intel"

M.config = {
  cmd = { "devops-intel", "serve" },
  settings = {},
  root_markers = { "devops-intel.toml", "pyproject.toml", "setup.cfg", "setup.py", ".git" },
  filetypes = { "python" },
  split = "vertical",
  on_attach = nil,
  capabilities = nil,
}

-- last graph shown (for :DevopsIntelExport) and per tree buffer state
M.last_graph = nil
local trees = {}

-- client.request/notify/request_sync: methods (client:request) from 0.11 on,
-- plain functions before.
local METHOD_CALLS = vim.fn.has("nvim-0.11") == 1
local function call(client, name, ...)
  if METHOD_CALLS then
    return client[name](client, ...)
  end
  return client[name](...)
end

local function notify(msg, level)
  vim.notify("devops-intel: " .. msg, level or vim.log.levels.INFO)
end

local function find_root(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  for _, marker in ipairs(M.config.root_markers) do
    local found = vim.fn.findfile(marker, dir .. ";")
    if found == "" then
      found = vim.fn.finddir(marker, dir .. ";")
    end
    if found ~= "" then
      local root = vim.fn.fnamemodify(found, ":p"):gsub("/$", "")
      return (vim.fn.fnamemodify(root, ":h"))
    end
  end
  return dir
end

--- The running devops-intel client for `bufnr` (or any buffer), if any.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, c in ipairs(get({ bufnr = bufnr })) do
    if c.name == NAME then
      return c
    end
  end
  for _, c in ipairs(get()) do
    if c.name == NAME then
      return c
    end
  end
  return nil
end

local clients_by_root = {}

-- Neovim < 0.11: one client per root, attached on FileType.
local function attach_legacy(bufnr)
  local root = find_root(bufnr)
  local id = clients_by_root[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client({
      name = NAME,
      cmd = M.config.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      init_options = M.config.settings,
      settings = { ["devops-intel"] = M.config.settings },
      capabilities = M.config.capabilities,
      on_attach = M.config.on_attach,
      on_init = function(client)
        call(client, "notify", "workspace/didChangeConfiguration", { settings = { ["devops-intel"] = M.config.settings } })
      end,
    })
    if not id then
      notify("cannot start " .. table.concat(M.config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

--- Sends new settings to the server (workspace/didChangeConfiguration).
function M.update_settings(settings)
  M.config.settings = settings or {}
  local c = M.client()
  if c then
    call(c, "notify", "workspace/didChangeConfiguration", { settings = { ["devops-intel"] = M.config.settings } })
  end
end

local function context(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local ctx = {}
  if vim.api.nvim_buf_get_name(bufnr) ~= "" then
    ctx.uri = vim.uri_from_bufnr(bufnr)
    local c = M.client(bufnr)
    local params = vim.lsp.util.make_position_params(0, c and c.offset_encoding or "utf-16")
    ctx.position = params.position
  end
  return ctx
end

local function location_of(node)
  if type(node.uri) ~= "string" then
    return nil
  end
  local fname = vim.uri_to_fname(node.uri)
  local line, col = 1, 0
  if type(node.range) == "table" and type(node.range.start) == "table" then
    line = (node.range.start.line or 0) + 1
    col = node.range.start.character or 0
  end
  return fname, line, col
end

local function draw(buf)
  local st = trees[buf]
  if not st then
    return
  end
  local lines, items = render.tree(st.graph, st.collapsed)
  st.items = items
  vim.api.nvim_buf_set_option(buf, "modifiable", true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.api.nvim_buf_set_option(buf, "modifiable", false)
end

--- Jumps to the node on the cursor line of a tree buffer.
function M.open_node(buf)
  buf = buf or vim.api.nvim_get_current_buf()
  local st = trees[buf]
  if not st then
    return false
  end
  local item = st.items[vim.api.nvim_win_get_cursor(0)[1]]
  if not item then
    return false
  end
  local node = st.by_id[item.id]
  local fname, line, col = location_of(node)
  if not fname then
    notify(node.id .. " has no location (external)", vim.log.levels.WARN)
    return false
  end
  local target = st.source_win
  if not (target and vim.api.nvim_win_is_valid(target)) then
    vim.cmd("wincmd p")
    target = vim.api.nvim_get_current_win()
  end
  vim.api.nvim_set_current_win(target)
  if vim.fn.expand("%:p") ~= fname then
    vim.cmd("edit " .. vim.fn.fnameescape(fname))
  end
  local last = vim.api.nvim_buf_line_count(0)
  vim.api.nvim_win_set_cursor(0, { math.min(line, last), col })
  return true
end

--- Folds/unfolds the node on the cursor line.
function M.toggle_node(buf)
  buf = buf or vim.api.nvim_get_current_buf()
  local st = trees[buf]
  local item = st and st.items[vim.api.nvim_win_get_cursor(0)[1]]
  if not item then
    return
  end
  st.collapsed[item.id] = not st.collapsed[item.id] or nil
  local cursor = vim.api.nvim_win_get_cursor(0)
  draw(buf)
  vim.api.nvim_win_set_cursor(0, { math.min(cursor[1], vim.api.nvim_buf_line_count(buf)), 0 })
end

--- Shows a graph (the JSON of a graph request) as a tree in a split; returns the buffer.
function M.show_graph(graph, source_win)
  M.last_graph = graph
  local by_id = {}
  for _, n in ipairs(graph.nodes or {}) do
    if type(n) == "table" and type(n.id) == "string" then
      by_id[n.id] = by_id[n.id] or n
    end
  end
  local buf
  for b, _ in pairs(trees) do
    if vim.api.nvim_buf_is_valid(b) then
      buf = b
    else
      trees[b] = nil
    end
  end
  if not buf then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, "devops-intel://graph")
    vim.api.nvim_buf_set_option(buf, "bufhidden", "hide")
    vim.api.nvim_buf_set_option(buf, "filetype", "devops-intel-graph")
    local opts = { buffer = buf, silent = true, nowait = true }
    vim.keymap.set("n", "<CR>", function()
      M.open_node(buf)
    end, opts)
    vim.keymap.set("n", "<Tab>", function()
      M.toggle_node(buf)
    end, opts)
    vim.keymap.set("n", "za", function()
      M.toggle_node(buf)
    end, opts)
    vim.keymap.set("n", "q", "<cmd>close<CR>", opts)
  end
  trees[buf] = { graph = graph, by_id = by_id, collapsed = {}, items = {}, source_win = source_win }
  draw(buf)
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd(M.config.split == "horizontal" and "botright split" or "botright vsplit")
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  vim.api.nvim_win_set_cursor(0, { math.min(3, vim.api.nvim_buf_line_count(buf)), 0 })
  return buf
end

--- Sends the graph request for `kind`; `callback(err, graph)` (default: show it).
function M.request_graph(kind, opts, callback)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  local source_win = vim.api.nvim_get_current_win()
  local c = M.client(bufnr)
  if not c then
    notify("server not running for this buffer", vim.log.levels.ERROR)
    return
  end
  local ctx = context(bufnr)
  ctx.focus, ctx.depth = opts.focus, opts.depth
  local method, params = render.request(kind, ctx)
  if not method then
    notify(params, vim.log.levels.ERROR)
    return
  end
  callback = callback
    or function(err, graph)
      if err then
        notify(err, vim.log.levels.ERROR)
      else
        M.show_graph(graph, source_win)
      end
    end
  call(c, "request", method, params, function(err, result)
    if err then
      callback(string.format("%s failed: %s", method, err.message or vim.inspect(err)))
    elseif type(result) ~= "table" or type(result.nodes) ~= "table" then
      callback(method .. " returned no graph")
    else
      callback(nil, result)
    end
  end, bufnr)
end

--- Renders the last graph as mermaid/dot into a scratch buffer, or into `path`.
function M.export(format, path)
  if format ~= "mermaid" and format ~= "dot" then
    notify("export format is mermaid or dot", vim.log.levels.ERROR)
    return nil
  end
  local graph = M.last_graph
  if not graph then
    notify("no graph yet: run :DevopsIntelGraph first", vim.log.levels.ERROR)
    return nil
  end
  local text = format == "dot" and render.dot(graph) or render.mermaid(graph)
  local lines = vim.split(text, "\n", { plain = true })
  if lines[#lines] == "" then
    table.remove(lines)
  end
  if path and path ~= "" then
    vim.fn.writefile(lines, path)
    notify("wrote " .. path)
    return text
  end
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(buf, "buftype", "nofile")
  vim.api.nvim_buf_set_option(buf, "filetype", format)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  return text
end

local function lsp_col(bufnr, lnum, col, encoding)
  local text = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ""
  col = math.min(col or 0, #text)
  if encoding == "utf-8" then
    return col
  end
  local ok, utf32, utf16 = pcall(vim.str_utfindex, text, col)
  if not ok then
    return col
  end
  return encoding == "utf-32" and utf32 or utf16
end

-- vim.diagnostic item → LSP Diagnostic (Neovim < 0.10 keeps only code and
-- data of the original in user_data.lsp).
local function to_lsp_diagnostic(bufnr, d, encoding)
  local lsp = (d.user_data and d.user_data.lsp) or {}
  local end_lnum = d.end_lnum or d.lnum
  return {
    range = {
      start = { line = d.lnum, character = lsp_col(bufnr, d.lnum, d.col, encoding) },
      ["end"] = { line = end_lnum, character = lsp_col(bufnr, end_lnum, d.end_col or d.col, encoding) },
    },
    severity = d.severity,
    message = d.message,
    source = d.source,
    code = d.code or lsp.code,
    data = lsp.data,
  }
end

--- Code actions at the cursor whose title matches the Lua pattern `pattern`;
--- applies the first. Returns its title, or nil.
function M.apply_code_action(pattern, timeout_ms)
  local bufnr = vim.api.nvim_get_current_buf()
  local c = M.client(bufnr)
  if not c then
    notify("server not running for this buffer", vim.log.levels.ERROR)
    return nil
  end
  local params = vim.lsp.util.make_range_params(0, c.offset_encoding)
  local line = params.range.start.line
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
    table.insert(diags, to_lsp_diagnostic(bufnr, d, c.offset_encoding))
  end
  params.context = { diagnostics = diags }
  local res = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, timeout_ms or 5000) or {}
  for client_id, r in pairs(res) do
    if client_id == c.id then
      for _, action in ipairs(r.result or {}) do
        if type(action.title) == "string" and action.title:match(pattern) then
          if not action.edit and action.data ~= nil then
            -- the server computes the edit on codeAction/resolve
            local resolved = call(c, "request_sync", "codeAction/resolve", action, timeout_ms or 5000, bufnr)
            if resolved and resolved.result then
              action = resolved.result
            elseif resolved and resolved.err then
              notify("codeAction/resolve: " .. (resolved.err.message or vim.inspect(resolved.err)), vim.log.levels.ERROR)
            end
          end
          if action.edit then
            vim.lsp.util.apply_workspace_edit(action.edit, c.offset_encoding)
          end
          if type(action.command) == "table" then
            call(c, "request", "workspace/executeCommand", action.command, function() end, bufnr)
          end
          return action.title
        end
      end
    end
  end
  return nil
end

local KINDS = { "modules", "calls", "impact", "dataflow", "resources" }

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", M.config, opts or {})
  local cfg = M.config
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(NAME, {
      cmd = cfg.cmd,
      filetypes = cfg.filetypes,
      root_markers = cfg.root_markers,
      init_options = cfg.settings,
      settings = { ["devops-intel"] = cfg.settings },
      capabilities = cfg.capabilities,
      on_attach = cfg.on_attach,
    })
    vim.lsp.enable(NAME)
  else
    local group = vim.api.nvim_create_augroup("devops_intel", { clear = true })
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = cfg.filetypes,
      callback = function(args)
        if vim.api.nvim_buf_get_option(args.buf, "buftype") == "" then
          attach_legacy(args.buf)
        end
      end,
    })
    -- buffers already open when setup runs
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(cfg.filetypes, vim.api.nvim_buf_get_option(b, "filetype")) then
        attach_legacy(b)
      end
    end
  end

  vim.api.nvim_create_user_command("DevopsIntelGraph", function(a)
    M.request_graph(a.fargs[1] or "modules", { focus = a.fargs[2] })
  end, {
    nargs = "+",
    complete = function()
      return KINDS
    end,
    desc = "devops-intel: show a graph (modules, calls, impact, dataflow, resources)",
  })
  vim.api.nvim_create_user_command("DevopsIntelExport", function(a)
    M.export(a.fargs[1], a.fargs[2])
  end, {
    nargs = "+",
    complete = function()
      return { "mermaid", "dot" }
    end,
    desc = "devops-intel: export the last graph as mermaid or dot",
  })
  vim.api.nvim_create_user_command("DevopsIntelGenerateTest", function()
    if not M.apply_code_action("^Generate pytest test for") then
      notify("no test generation action here", vim.log.levels.WARN)
    end
  end, { desc = "devops-intel: generate a pytest test for the function at the cursor" })
end

return M
