// VS Code settings (`devopsIntel.*`, camelCase) → the server's configuration
// keys (same as devops-intel.toml, kebab-case). Sent as initializationOptions
// and in workspace/didChangeConfiguration as `{ "devops-intel": {...} }`.

export type Severity = "critical" | "high" | "medium" | "low" | "info";

export interface ExtensionSettings {
  select?: string[] | null;
  ignore?: string[];
  severity?: Record<string, string>;
  exclude?: string[];
  httpTimeout?: number | null;
  maxFileSize?: number | null;
}

/** Anything with a `get` like vscode.WorkspaceConfiguration. */
export interface ConfigReader {
  get<T>(key: string): T | undefined;
}

export function readSettings(cfg: ConfigReader): ExtensionSettings {
  return {
    select: cfg.get<string[] | null>("select") ?? null,
    ignore: cfg.get<string[]>("ignore") ?? [],
    severity: cfg.get<Record<string, string>>("severity") ?? {},
    exclude: cfg.get<string[]>("exclude") ?? [],
    httpTimeout: cfg.get<number | null>("httpTimeout") ?? null,
    maxFileSize: cfg.get<number | null>("maxFileSize") ?? null,
  };
}

const cleanList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "").map((x) => x.trim()) : [];

/** The server's config object; unset values are left out so file config applies. */
export function toServerConfig(s: ExtensionSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(s.select)) out["select"] = cleanList(s.select);
  const ignore = cleanList(s.ignore);
  if (ignore.length) out["ignore"] = ignore;
  const sev: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.severity ?? {})) {
    if (typeof v === "string" && k.trim()) sev[k.trim()] = v.toLowerCase();
  }
  if (Object.keys(sev).length) out["severity"] = sev;
  const exclude = cleanList(s.exclude);
  if (exclude.length) out["exclude"] = exclude;
  if (typeof s.httpTimeout === "number" && s.httpTimeout > 0) out["http-timeout"] = Math.floor(s.httpTimeout);
  if (typeof s.maxFileSize === "number" && s.maxFileSize > 0) out["max-file-size"] = Math.floor(s.maxFileSize);
  return out;
}

/** Params of workspace/didChangeConfiguration. */
export function didChangeConfigurationParams(s: ExtensionSettings): { settings: Record<string, unknown> } {
  return { settings: { "devops-intel": toServerConfig(s) } };
}

/** Settings that need a server restart rather than a didChangeConfiguration. */
export const RESTART_KEYS = ["devopsIntel.server.path", "devopsIntel.server.args", "devopsIntel.trace.server"];
