-- Tiny assertion harness for `nvim --headless` scripts: results go to
-- $DI_RESULT (one line per check), and Neovim exits 1 on any failure.
local H = { failures = 0, lines = {} }

function H.log(msg)
  table.insert(H.lines, msg)
end

function H.check(cond, msg)
  if cond then
    H.log("ok   " .. msg)
  else
    H.failures = H.failures + 1
    H.log("FAIL " .. msg)
  end
  return cond
end

function H.eq(actual, expected, msg)
  local same = vim.deep_equal(actual, expected)
  if not same then
    msg = msg .. " | expected: " .. vim.inspect(expected) .. " | actual: " .. vim.inspect(actual)
  end
  return H.check(same, msg)
end

function H.finish()
  local out = os.getenv("DI_RESULT")
  H.log(string.format("%d failed", H.failures))
  if out then
    vim.fn.writefile(H.lines, out)
  else
    io.stdout:write(table.concat(H.lines, "\n") .. "\n")
  end
  vim.cmd(H.failures == 0 and "qa!" or "cq")
end

--- Runs `body`, turning an error into a failure, then exits.
function H.run(body)
  local ok, err = xpcall(body, debug.traceback)
  if not ok then
    H.check(false, "error: " .. tostring(err))
  end
  H.finish()
end

function H.buf_lines(buf)
  return vim.api.nvim_buf_get_lines(buf or 0, 0, -1, false)
end

return H
