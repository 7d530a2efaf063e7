// Shared by the panel tests: serves dist/ on loopback, starts Debian's
// Chromium through playwright-core (never a browser download) with a new
// empty profile, and opens the standalone panel page with a graph rendered.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..");
const dist = join(root, "dist");
export const fixture = (name) => JSON.parse(readFileSync(join(root, "test", "fixtures", name), "utf8"));
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

let server;
let baseUrl;
let context;
let profileDir;
export const problems = [];

before(async () => {
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath}: install Debian's chromium (.ci/setup.d/50-editors.sh)`);
  assert.ok(existsSync(join(dist, "standalone.html")), "dist/standalone.html missing: run `node build.mjs` first");
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
  server = createServer((req, res) => {
    const name = (req.url ?? "/").split("?")[0].replace(/^\/+/, "") || "standalone.html";
    const file = join(dist, name);
    if (name === "favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (name.includes("..") || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${server.address().port}/standalone.html`;
  profileDir = mkdtempSync(join(tmpdir(), "di-chromium-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 700 },
  });
});

after(async () => {
  await context?.close();
  await new Promise((r) => server?.close(r));
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/** A page with `graph` rendered; CSP violations, console errors and page errors are collected. */
export async function open(graph, title = "Graph") {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(baseUrl);
  await page.evaluate(() =>
    document.addEventListener("securitypolicyviolation", (e) => window.__posted.push({ type: "csp", directive: e.violatedDirective, source: e.sourceFile, line: e.lineNumber, col: e.columnNumber, sample: e.sample })),
  );
  await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"));
  const ms = await page.evaluate(
    ({ graph, title }) =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        window.postMessage({ type: "graph", graph, title }, "*");
        const poll = () => {
          const d = window.__devopsIntel;
          if (d.ready) {
            // one more frame so the canvas has painted
            requestAnimationFrame(() => resolve(performance.now() - t0));
          } else if (performance.now() - t0 > 60000) reject(new Error("graph never finished rendering"));
          else setTimeout(poll, 5);
        };
        poll();
      }),
    { graph, title },
  );
  return { page, ms };
}

export const visibleCount = (page) => page.evaluate(() => window.__devopsIntel.cy().nodes().not(".hidden").length);
export const posted = (page, type) => page.evaluate((type) => window.__posted.filter((m) => m.type === type), type);

export async function clickNode(page, id) {
  const box = await page.locator("#graph").boundingBox();
  const p = await page.evaluate((id) => window.__devopsIntel.cy().getElementById(id).renderedPosition(), id);
  await page.mouse.click(box.x + p.x, box.y + p.y);
}

