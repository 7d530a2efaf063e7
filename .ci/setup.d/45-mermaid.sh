#!/usr/bin/env bash
# Mermaid's real parser under Node, for the docs test (tests/tests/docs.rs):
# installs tests/mermaid-check's locked dependencies (mermaid + jsdom).
set -euo pipefail
cd "$(dirname "$0")/../../tests/mermaid-check"
command -v node >/dev/null || { echo "45-mermaid: node is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "45-mermaid: npm is required" >&2; exit 1; }
npm ci --no-audit --no-fund
node -e "import('mermaid').then(() => console.log('mermaid ready'))" >/dev/null
