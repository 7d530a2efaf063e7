import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveServerPath, ResolveInput } from "../../src/serverPath";

const base = (files: string[], over: Partial<ResolveInput> = {}): ResolveInput => ({
  configured: "",
  extensionPath: "/ext",
  workspaceFolder: "/ws",
  platform: "linux",
  pathEnv: "/usr/local/bin:/usr/bin",
  homeDir: "/home/u",
  isExecutable: (p) => files.includes(p),
  ...over,
});

test("the setting wins over the bundled binary and PATH", () => {
  const r = resolveServerPath(base(["/opt/di", "/ext/server/devops-intel", "/usr/bin/devops-intel"], { configured: "/opt/di" }));
  assert.deepEqual(r, { ok: true, path: "/opt/di", source: "setting" });
});

test("the setting expands ~ and ${workspaceFolder}, relative paths are from the workspace", () => {
  assert.deepEqual(resolveServerPath(base(["/home/u/bin/di"], { configured: "~/bin/di" })), { ok: true, path: "/home/u/bin/di", source: "setting" });
  assert.deepEqual(resolveServerPath(base(["/ws/target/debug/devops-intel"], { configured: "${workspaceFolder}/target/debug/devops-intel" })), {
    ok: true,
    path: "/ws/target/debug/devops-intel",
    source: "setting",
  });
  assert.deepEqual(resolveServerPath(base(["/ws/bin/di"], { configured: "bin/di" })), { ok: true, path: "/ws/bin/di", source: "setting" });
});

test("a setting naming a missing file is an error, not a silent fallback", () => {
  const r = resolveServerPath(base(["/ext/server/devops-intel"], { configured: "/nope/di" }));
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /\/nope\/di is not an executable file/);
});

test("bundled binary before PATH, PATH in order, .exe on Windows", () => {
  assert.deepEqual(resolveServerPath(base(["/ext/server/devops-intel", "/usr/bin/devops-intel"])), {
    ok: true,
    path: "/ext/server/devops-intel",
    source: "bundled",
  });
  assert.deepEqual(resolveServerPath(base(["/usr/local/bin/devops-intel", "/usr/bin/devops-intel"])), {
    ok: true,
    path: "/usr/local/bin/devops-intel",
    source: "path",
  });
  const win = resolveServerPath(base(["C:\\tools/devops-intel.exe"], { platform: "win32", pathEnv: "C:\\tools;C:\\other", extensionPath: "C:\\ext" }));
  assert.equal(win.ok && win.source, "path");
});

test("nothing found: the error says where it looked", () => {
  const r = resolveServerPath(base([]));
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /devopsIntel\.server\.path.*\/ext\/server.*PATH/);
});
