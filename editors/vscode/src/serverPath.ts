// Where the devops-intel binary comes from: the `devopsIntel.server.path`
// setting, else the copy bundled in the extension (`server/devops-intel`),
// else the first `devops-intel` on PATH. Pure: the file system is injected so
// the order is unit-tested.

import * as path from "path";

export type ServerSource = "setting" | "bundled" | "path";

export interface ResolveInput {
  /** Value of `devopsIntel.server.path` (may be empty). */
  configured?: string | null;
  /** Folder of the installed extension. */
  extensionPath: string;
  /** First workspace folder, for `${workspaceFolder}` in the setting. */
  workspaceFolder?: string;
  platform: string;
  /** Value of the PATH environment variable. */
  pathEnv?: string;
  homeDir?: string;
  /** True when `p` is an existing executable file. */
  isExecutable: (p: string) => boolean;
}

export type Resolved =
  | { ok: true; path: string; source: ServerSource }
  | { ok: false; error: string };

export function binaryName(platform: string): string {
  return platform === "win32" ? "devops-intel.exe" : "devops-intel";
}

/** Expands `~` and `${workspaceFolder}`; relative paths are taken from the workspace folder. */
export function expandSetting(value: string, input: ResolveInput): string {
  let v = value.trim();
  if (input.homeDir && (v === "~" || v.startsWith("~/"))) {
    v = path.join(input.homeDir, v.slice(1));
  }
  if (v.includes("${workspaceFolder}")) {
    v = v.split("${workspaceFolder}").join(input.workspaceFolder ?? "");
  }
  if (!path.isAbsolute(v) && input.workspaceFolder) {
    v = path.join(input.workspaceFolder, v);
  }
  return v;
}

export function resolveServerPath(input: ResolveInput): Resolved {
  const configured = (input.configured ?? "").trim();
  if (configured) {
    const p = expandSetting(configured, input);
    if (input.isExecutable(p)) return { ok: true, path: p, source: "setting" };
    // A wrong explicit setting is an error, not a reason to run another binary.
    return {
      ok: false,
      error: `devopsIntel.server.path is "${configured}" but ${p} is not an executable file`,
    };
  }
  const name = binaryName(input.platform);
  const bundled = path.join(input.extensionPath, "server", name);
  if (input.isExecutable(bundled)) return { ok: true, path: bundled, source: "bundled" };
  const sep = input.platform === "win32" ? ";" : ":";
  for (const dir of (input.pathEnv ?? "").split(sep)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (input.isExecutable(candidate)) return { ok: true, path: candidate, source: "path" };
  }
  return {
    ok: false,
    error:
      `devops-intel server not found: set devopsIntel.server.path, or put ${name} ` +
      `in ${path.join(input.extensionPath, "server")} or on PATH`,
  };
}
