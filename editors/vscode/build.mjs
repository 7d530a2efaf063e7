// Bundles the extension (Node, CommonJS) and the panel page (browser IIFE,
// cytoscape + ELK inside: nothing is loaded from a CDN), and writes the
// standalone page the Chromium test drives (same code + acquireVsCodeApi shim).
import * as esbuild from "esbuild";
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const production = process.argv.includes("--production");
mkdirSync("dist", { recursive: true });

await esbuild.build({
  entryPoints: ["src/extension.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  outfile: "dist/extension.js",
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
});

await esbuild.build({
  entryPoints: ["webview/main.ts"],
  bundle: true,
  platform: "browser",
  format: "iife",
  target: "chrome114",
  outfile: "dist/webview.js",
  minify: production,
  sourcemap: false,
  logLevel: "warning",
});
copyFileSync("webview/panel.css", "dist/panel.css");

// Standalone page: compile panelHtml.ts on the fly so the page is the same HTML.
const out = await esbuild.build({
  entryPoints: ["src/panelHtml.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  write: false,
  logLevel: "warning",
});
const mod = { exports: {} };
new Function("module", "exports", "require", out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
const { panelHtml, makeNonce, STANDALONE_SHIM } = mod.exports;
writeFileSync(
  "dist/standalone.html",
  panelHtml({ cspSource: "'self'", nonce: makeNonce(), scriptUri: "webview.js", cssUri: "panel.css", shimScript: STANDALONE_SHIM }),
);

// Optional: ship a server binary inside the .vsix (`server/devops-intel`),
// e.g. DEVOPS_INTEL_BUNDLE=../../target/release/devops-intel npm run package.
const bundle = process.env.DEVOPS_INTEL_BUNDLE;
if (bundle) {
  mkdirSync("server", { recursive: true });
  const target = process.platform === "win32" ? "server/devops-intel.exe" : "server/devops-intel";
  copyFileSync(bundle, target);
  chmodSync(target, 0o755);
}
