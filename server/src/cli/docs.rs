//! `devops-intel docs [PATH] --out DIR`: Markdown documentation of a
//! workspace (see `crate::explain::docs`).

use crate::explain::docs::{generate, DocsInput};
use crate::graph::{search_roots, ModuleLayer};
use anyhow::{anyhow, Context};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct DocsArgs {
    /// Workspace folder (default: the current folder).
    pub path: Option<PathBuf>,
    /// Folder to write `index.md` and one page per module into (created).
    #[arg(long)]
    pub out: PathBuf,
    /// Use this configuration file instead of discovering one.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(args: DocsArgs) -> ExitCode {
    match write_docs(&args) {
        Ok(n) => {
            eprintln!("wrote {n} pages to {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn write_docs(args: &DocsArgs) -> anyhow::Result<usize> {
    let given = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let root = given
        .canonicalize()
        .with_context(|| format!("{}: no such folder", given.display()))?;
    if !root.is_dir() {
        return Err(anyhow!("{}: not a folder", root.display()));
    }
    let (config, ws) = super::index_workspace(&root, args.config.as_deref())?;
    let summaries = ws.summaries();
    let roots = search_roots(std::slice::from_ref(&root), &config.src_dirs());
    let modules = ModuleLayer::build(&summaries, &roots);
    let text_of = |p: &std::path::Path| std::fs::read_to_string(p).ok();
    let pages = generate(&DocsInput {
        root: &root,
        summaries: &summaries,
        modules: &modules,
        resources: None,
        text_of: &text_of,
    });
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    for page in &pages {
        let path = args.out.join(&page.name);
        std::fs::write(&path, &page.content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(pages.len())
}
