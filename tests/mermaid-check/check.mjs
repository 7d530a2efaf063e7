#!/usr/bin/env node
// Usage: node check.mjs FILE.md...
// Parses every ```mermaid block with mermaid's real parser (mermaid.parse,
// under jsdom since mermaid expects a DOM). Prints one line per block and
// exits 1 if any block fails or if no block was found at all.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs FILE.md...');
  process.exit(2);
}
let blocks = 0;
let failures = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const re = /^```mermaid\n([\s\S]*?)^```/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    blocks += 1;
    const line = text.slice(0, m.index).split('\n').length;
    try {
      const r = await mermaid.parse(m[1]);
      console.log(`ok ${file}:${line} ${r.diagramType}`);
    } catch (e) {
      failures += 1;
      console.log(`FAIL ${file}:${line} ${String(e.message ?? e).split('\n').join(' | ')}`);
    }
  }
}
console.log(`${blocks} mermaid blocks, ${failures} failures`);
process.exit(failures > 0 || blocks === 0 ? 1 : 0);
