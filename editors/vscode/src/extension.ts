// VS Code entry point: runs `devops-intel serve` through vscode-languageclient,
// forwards settings, and shows the graph requests in a webview panel and a
// sidebar tree.

import * as fs from "fs";
import * as os from "os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { exportBytes, exportFileName, parsePanelMessage } from "./messages";
import { makeNonce, panelHtml } from "./panelHtml";
import { buildRequest, EditorContext, GRAPH_KINDS, GraphKind, isGraphKind, TITLES } from "./requests";
import { resolveServerPath } from "./serverPath";
import { didChangeConfigurationParams, readSettings, RESTART_KEYS, toServerConfig } from "./settings";
import { GNode, Graph, parseGraph } from "./viewModel";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const cfg = vscode.workspace.getConfiguration("devopsIntel");
  const resolved = resolveServerPath({
    configured: cfg.get<string>("server.path"),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
    pathEnv: process.env.PATH,
    homeDir: os.homedir(),
    isExecutable,
  });
  if (!resolved.ok) {
    output.appendLine(resolved.error);
    void vscode.window.showErrorMessage(resolved.error);
    return;
  }
  output.appendLine(`devops-intel server: ${resolved.path} (from ${resolved.source})`);
  const args = ["serve", ...(cfg.get<string[]>("server.args") ?? [])];
  const serverOptions: ServerOptions = {
    run: { command: resolved.path, args, transport: TransportKind.stdio },
    debug: { command: resolved.path, args, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
    ],
    initializationOptions: toServerConfig(readSettings(cfg)),
    outputChannel: output,
  };
  client = new LanguageClient("devopsIntel", "devops-intel", serverOptions, clientOptions);
  await client.start();
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

function editorContext(): EditorContext {
  const ed = vscode.window.activeTextEditor;
  if (!ed) return { depth: vscode.workspace.getConfiguration("devopsIntel").get<number>("graph.depth") ?? 0 };
  const pos = ed.selection.active;
  const depth = vscode.workspace.getConfiguration("devopsIntel").get<number>("graph.depth") ?? 0;
  return { uri: ed.document.uri.toString(), position: { line: pos.line, character: pos.character }, depth };
}

async function openLocation(uri: string, range: Graph["nodes"][number]["range"]): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const sel = range
    ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character)
    : undefined;
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: sel, preserveFocus: false });
}

/** One panel per graph kind, reused. */
class GraphPanel {
  static panels = new Map<GraphKind, GraphPanel>();
  private json: unknown = null;
  private ready = false;

  private constructor(
    private readonly kind: GraphKind,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private ctx: EditorContext,
  ) {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(extensionUri, "dist");
    const nonce = makeNonce();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, "webview.js")).toString(),
      cssUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, "panel.css")).toString(),
    });
    webview.onDidReceiveMessage((raw) => void this.onMessage(raw));
    panel.onDidDispose(() => GraphPanel.panels.delete(kind));
  }

  static show(kind: GraphKind, extensionUri: vscode.Uri, ctx: EditorContext): GraphPanel {
    let p = GraphPanel.panels.get(kind);
    if (p) {
      p.ctx = ctx;
      p.panel.reveal(vscode.ViewColumn.Beside, true);
      return p;
    }
    const panel = vscode.window.createWebviewPanel("devopsIntel.graph", `devops-intel: ${TITLES[kind]}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")],
    });
    p = new GraphPanel(kind, panel, extensionUri, ctx);
    GraphPanel.panels.set(kind, p);
    return p;
  }

  async load(): Promise<Graph | null> {
    const req = buildRequest(this.kind, this.ctx);
    if (!req.ok) {
      void vscode.window.showWarningMessage(req.error);
      return null;
    }
    if (!client) {
      void vscode.window.showErrorMessage("devops-intel server is not running");
      return null;
    }
    void this.panel.webview.postMessage({ type: "loading" });
    try {
      const json = await client.sendRequest(req.method, req.params);
      const graph = parseGraph(json);
      this.json = json;
      this.post();
      return graph;
    } catch (e) {
      const msg = `${TITLES[this.kind]}: ${(e as Error).message ?? String(e)}`;
      void this.panel.webview.postMessage({ type: "error", error: msg });
      void vscode.window.showErrorMessage(msg);
      return null;
    }
  }

  private post(): void {
    if (this.ready && this.json) {
      void this.panel.webview.postMessage({ type: "graph", graph: this.json, title: TITLES[this.kind] });
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parsePanelMessage(raw);
    if (!m) return;
    if (m.type === "ready") {
      this.ready = true;
      this.post();
    } else if (m.type === "refresh") {
      await this.load();
    } else if (m.type === "open") {
      await openLocation(m.uri, m.range);
    } else if (m.type === "export") {
      const bytes = exportBytes(m);
      if (!bytes) return;
      const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(base, exportFileName(m)),
        filters: m.format === "svg" ? { SVG: ["svg"] } : { PNG: ["png"] },
      });
      if (target) await vscode.workspace.fs.writeFile(target, bytes);
    }
  }
}

type TreeItemData = { kind: GraphKind } | { node: GNode };

/** Sidebar: one entry per graph kind; a shown graph lists its nodes below its kind. */
class GraphTree implements vscode.TreeDataProvider<TreeItemData> {
  private readonly changed = new vscode.EventEmitter<TreeItemData | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly last = new Map<GraphKind, Graph>();

  setGraph(kind: GraphKind, g: Graph): void {
    this.last.set(kind, g);
    this.changed.fire(undefined);
  }

  getTreeItem(el: TreeItemData): vscode.TreeItem {
    if ("kind" in el) {
      const g = this.last.get(el.kind);
      const item = new vscode.TreeItem(
        TITLES[el.kind],
        g ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      item.description = g ? `${g.nodes.length} nodes` : "current file";
      item.command = { command: `devopsIntel.show.${el.kind}`, title: TITLES[el.kind] };
      item.contextValue = "graphKind";
      return item;
    }
    const n = el.node;
    const item = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
    item.description = n.kind + (typeof n.data["distance"] === "number" ? ` · distance ${n.data["distance"]}` : "");
    item.tooltip = n.id;
    if (n.uri) item.command = { command: "devopsIntel.openNode", title: "Open", arguments: [n.uri, n.range] };
    return item;
  }

  getChildren(el?: TreeItemData): TreeItemData[] {
    if (!el) return GRAPH_KINDS.map((kind) => ({ kind }));
    if ("kind" in el) return (this.last.get(el.kind)?.nodes ?? []).slice(0, 1000).map((node) => ({ node }));
    return [];
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("devops-intel");
  context.subscriptions.push(output);
  const tree = new GraphTree();
  context.subscriptions.push(vscode.window.registerTreeDataProvider("devopsIntel.graphs", tree));

  for (const kind of GRAPH_KINDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`devopsIntel.show.${kind}`, async () => {
        const panel = GraphPanel.show(kind, context.extensionUri, editorContext());
        const g = await panel.load();
        if (g) tree.setGraph(kind, g);
      }),
    );
  }
  context.subscriptions.push(
    vscode.commands.registerCommand("devopsIntel.showGraph", async (kind?: string) => {
      const picked =
        kind && isGraphKind(kind)
          ? kind
          : (await vscode.window.showQuickPick(GRAPH_KINDS.map((k) => ({ label: TITLES[k], graph: k }))))?.graph;
      if (picked) await vscode.commands.executeCommand(`devopsIntel.show.${picked}`);
    }),
    vscode.commands.registerCommand("devopsIntel.openNode", (uri: string, range: GNode["range"]) => openLocation(uri, range)),
    vscode.commands.registerCommand("devopsIntel.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("devopsIntel")) return;
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(k))) {
        await stopClient();
        await startClient(context);
      } else if (client) {
        const params = didChangeConfigurationParams(readSettings(vscode.workspace.getConfiguration("devopsIntel")));
        await client.sendNotification(DidChangeConfigurationNotification.type, params);
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

