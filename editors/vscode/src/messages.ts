// Messages the webview posts to the extension. The page is ours, but its
// messages are still checked before they open files or write to disk.

import type { GRange, OpenMessage } from "./viewModel";

export type ExportFormat = "svg" | "png";

export interface ExportMessage {
  type: "export";
  format: ExportFormat;
  data: string;
  kind: string;
}

export type PanelMessage = OpenMessage | ExportMessage | { type: "ready" } | { type: "refresh" };

const isPos = (p: unknown): boolean =>
  typeof p === "object" && p !== null && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character);

export function parsePanelMessage(m: unknown): PanelMessage | null {
  if (typeof m !== "object" || m === null) return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case "ready":
    case "refresh":
      return { type: o.type };
    case "open": {
      if (typeof o.uri !== "string" || !/^[a-z][a-z0-9+.-]*:/i.test(o.uri)) return null;
      const r = o.range as { start?: unknown; end?: unknown } | null | undefined;
      const range = r && isPos(r.start) && isPos(r.end) ? (r as GRange) : null;
      return { type: "open", uri: o.uri, range, id: typeof o.id === "string" ? o.id : "" };
    }
    case "export": {
      if ((o.format !== "svg" && o.format !== "png") || typeof o.data !== "string") return null;
      return { type: "export", format: o.format, data: o.data, kind: typeof o.kind === "string" ? o.kind : "graph" };
    }
    default:
      return null;
  }
}

/** Bytes to write for an export: SVG text as is, PNG from its base64 data URI. */
export function exportBytes(m: ExportMessage): Uint8Array | null {
  if (m.format === "svg") {
    return m.data.trimStart().startsWith("<") ? new TextEncoder().encode(m.data) : null;
  }
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(m.data);
  return match ? Uint8Array.from(Buffer.from(match[1], "base64")) : null;
}

export function exportFileName(m: ExportMessage): string {
  return `devops-intel-${m.kind.replace(/[^a-z0-9-]/gi, "") || "graph"}.${m.format}`;
}
