#!/usr/bin/env bash
# Editors area: Debian's chromium (the VS Code panel test drives it through
# playwright-core; no browser download) and neovim (the plugin's headless
# tests), and the extension's npm tooling from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEBIAN_FRONTEND=noninteractive
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
chromium --version
nvim --version | head -n 1

command -v node >/dev/null 2>&1 || { echo "error: node is required (Node 20)"; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "error: npm is required"; exit 1; }
node --version
# npm ci installs exactly package-lock.json; skip it when node_modules was
# installed after the last change of the lock file.
cd editors/vscode
if ! [ node_modules/.package-lock.json -nt package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx --no-install esbuild --version >/dev/null
