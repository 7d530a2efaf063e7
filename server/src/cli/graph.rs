//! `devops-intel graph`: the module, call, impact, data-flow (and resource)
//! graphs of a folder as JSON, DOT or Mermaid.

use crate::graph::query::{self, Focus};
use crate::graph::{export, search_roots, Graph, GraphState, Snapshot};
use anyhow::{anyhow, bail, Context};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphKindArg {
    Modules,
    Calls,
    Impact,
    Dataflow,
    Resources,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Json,
    Dot,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// Workspace folder (default: the current folder). A file means its folder,
    /// focused on that file's module.
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "modules")]
    pub kind: GraphKindArg,
    #[arg(long, value_enum, default_value = "json")]
    pub format: GraphFormat,
    /// A module (`pkg.mod`), a definition (`pkg.mod.Class.method`) or a file.
    /// Required for `impact` and `dataflow`.
    #[arg(long)]
    pub focus: Option<String>,
    /// Steps from the focus (modules: 1, calls: 2).
    #[arg(long)]
    pub depth: Option<u32>,
    /// Use this configuration file instead of discovering one.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Write the graph to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: GraphArgs) -> ExitCode {
    match build(&args) {
        Ok(text) => match &args.output {
            Some(p) => match std::fs::write(p, text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", p.display());
                    ExitCode::from(2)
                }
            },
            None => {
                print!("{text}");
                ExitCode::SUCCESS
            }
        },
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn build(args: &GraphArgs) -> anyhow::Result<String> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let given = cwd.join(args.path.clone().unwrap_or_else(|| PathBuf::from(".")));
    let given = given
        .canonicalize()
        .with_context(|| format!("{}: no such file or directory", given.display()))?;
    let (root, file_focus) = if given.is_file() {
        let parent = given
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| cwd.clone());
        (parent, Some(given.clone()))
    } else {
        (given, None)
    };
    let (config, ws) = super::index_workspace(&root, args.config.as_deref())?;
    let roots = search_roots(std::slice::from_ref(&root), &config.src_dirs());
    let state = GraphState::new();
    let (snap, _) = state.refresh(ws.summaries(), &roots);
    let calls = state.calls(&snap);
    let focus = match (&args.focus, &file_focus) {
        (Some(f), _) => Some(
            query::resolve_focus(&snap, &calls, f)
                .ok_or_else(|| anyhow!("--focus `{f}`: no such module, definition or file"))?,
        ),
        (None, Some(p)) => query::focus_at(&snap, &calls, p, None),
        (None, None) => None,
    };
    let graph = match args.kind {
        GraphKindArg::Modules => {
            let m = match &focus {
                Some(Focus::Module(m)) => Some(m.clone()),
                Some(Focus::Def(g)) => module_of_def(&snap, &calls, *g),
                None => None,
            };
            snap.modules
                .graph(&snap.summaries, m.as_deref(), args.depth)
        }
        GraphKindArg::Calls => query::call_graph(&snap, &calls, focus.as_ref(), args.depth),
        GraphKindArg::Impact => {
            let f = focus.ok_or_else(|| anyhow!("--kind impact needs --focus"))?;
            crate::graph::impact::impact(&snap, &calls, &f)
        }
        GraphKindArg::Dataflow => match focus {
            Some(Focus::Def(g)) => crate::graph::dataflow::dataflow(&snap, &calls, g),
            _ => bail!("--kind dataflow needs --focus naming a function (pkg.mod.func)"),
        },
        GraphKindArg::Resources => {
            // a file argument: that file's stack; a folder: every stack in it
            let stacks: Vec<_> = snap
                .summaries
                .iter()
                .filter(|s| file_focus.as_ref().is_none_or(|f| &s.path == f))
                .cloned()
                .collect();
            crate::iac::resource_graph(&stacks, &config.price_settings())
        }
    };
    Ok(render(graph, &snap, args.format))
}

fn module_of_def(snap: &Snapshot, calls: &crate::graph::CallLayer, g: u32) -> Option<String> {
    let d = calls.defs.get(g as usize)?;
    snap.modules.files.get(d.file as usize)?.module.clone()
}

pub fn render(graph: Graph, snap: &Snapshot, format: GraphFormat) -> String {
    match format {
        GraphFormat::Json => {
            let v = graph.into_json(crate::text::Encoding::Utf16, |p| {
                query::file_index(snap, p).map(|i| &snap.summaries[i as usize].line_index)
            });
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        GraphFormat::Dot => export::to_dot(&graph),
        GraphFormat::Mermaid => export::to_mermaid(&graph),
    }
}
