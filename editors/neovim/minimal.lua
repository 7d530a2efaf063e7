-- Minimal Neovim setup without a plugin: start devops-intel for Python buffers.
-- Neovim 0.11+:
if vim.lsp.config then
  vim.lsp.config("devops_intel", {
    cmd = { "devops-intel", "serve" },
    filetypes = { "python" },
    root_markers = { "devops-intel.toml", "pyproject.toml", ".git" },
  })
  vim.lsp.enable("devops_intel")
else
  -- Neovim 0.8-0.10
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "python",
    callback = function(args)
      local root = vim.fs and vim.fs.dirname(vim.fs.find({ "devops-intel.toml", "pyproject.toml", ".git" }, { upward = true, path = vim.api.nvim_buf_get_name(args.buf) })[1]) or vim.fn.getcwd()
      vim.lsp.start({ name = "devops-intel", cmd = { "devops-intel", "serve" }, root_dir = root })
    end,
  })
end
