//! The per-file summary: everything later stages need from a file, without its
//! syntax tree. Closed files keep only this.

use crate::rules::Finding;
use crate::text::{LineIndex, TextRange};
use serde::Serialize;
use smol_str::SmolStr;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSummary {
    pub path: PathBuf,
    /// FNV-1a hash of the text the summary was built from.
    pub hash: u64,
    #[serde(skip)]
    pub line_index: LineIndex,
    pub defs: Vec<Def>,
    pub imports: Vec<Import>,
    pub calls: Vec<CallSite>,
    pub constants: Vec<Constant>,
    pub effects: Vec<Effect>,
    pub findings: Vec<Finding>,
    /// Suppression comments found in the file, with whether each one was used.
    pub suppressions: Vec<Suppression>,
    /// Problems reading or parsing the file (not findings about the code).
    pub problems: Vec<FileProblem>,
    /// IaC resources (Pulumi, CDK, CDKTF); `None` for other files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iac: Option<Box<crate::iac::IacFile>>,
}

impl FileSummary {
    /// Definition enclosing `offset`, innermost first.
    pub fn def_at(&self, offset: u32) -> Option<&Def> {
        self.defs
            .iter()
            .filter(|d| d.range.contains(offset))
            .min_by_key(|d| d.range.len())
    }

    /// Approximate heap memory held by this summary, for the benchmark.
    pub fn heap_size(&self) -> usize {
        use std::mem::size_of;
        let s = |x: &SmolStr| if x.is_heap_allocated() { x.len() } else { 0 };
        self.line_index.heap_size()
            + self.defs.capacity() * size_of::<Def>()
            + self
                .defs
                .iter()
                .map(|d| {
                    d.params.capacity() * size_of::<Param>()
                        + d.decorators
                            .iter()
                            .map(|x| size_of::<SmolStr>() + s(x))
                            .sum::<usize>()
                        + d.docstring.as_ref().map_or(0, |x| x.len())
                })
                .sum::<usize>()
            + self.imports.capacity() * size_of::<Import>()
            + self.calls.capacity() * size_of::<CallSite>()
            + self
                .calls
                .iter()
                .map(|c| {
                    s(&c.callee)
                        + s(&c.qualified)
                        + c.args.capacity() * size_of::<Arg>()
                        + c.args.iter().map(|a| a.value.heap_size()).sum::<usize>()
                })
                .sum::<usize>()
            + self.constants.capacity() * size_of::<Constant>()
            + self.effects.capacity() * size_of::<Effect>()
            + self.findings.capacity() * size_of::<Finding>()
            + self.findings.iter().map(|f| f.message.len()).sum::<usize>()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum FileProblem {
    /// The file was not valid UTF-8; it was analysed with replacement characters.
    InvalidUtf8,
    /// The file has syntax errors; results come from tree-sitter's error recovery.
    SyntaxErrors { count: u32, first: TextRange },
    /// The file was too large or binary and was not analysed.
    Skipped { reason: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DefKind {
    Function,
    Method,
    Class,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Def {
    pub name: SmolStr,
    /// Dotted path inside the module, e.g. `Deployer.run` or `outer.inner`.
    pub qualname: SmolStr,
    pub kind: DefKind,
    pub is_async: bool,
    pub range: TextRange,
    pub name_range: TextRange,
    pub params: Vec<Param>,
    pub decorators: Vec<SmolStr>,
    /// Base classes as written, for classes.
    pub bases: Vec<SmolStr>,
    pub returns: Option<SmolStr>,
    pub docstring: Option<Box<str>>,
    /// Index of the enclosing definition in `FileSummary::defs`.
    pub parent: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    Positional,
    PositionalOnlyMarker,
    VarArgs,
    KeywordOnly,
    VarKeyword,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Param {
    pub name: SmolStr,
    pub kind: ParamKind,
    pub annotation: Option<SmolStr>,
    pub default: Option<SmolStr>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Import {
    /// Module as written (`os.path`, `pkg.mod`; empty for `from . import x`).
    pub module: SmolStr,
    /// Imported name for `from m import name`; `None` for `import m`.
    pub name: Option<SmolStr>,
    pub alias: Option<SmolStr>,
    /// Number of leading dots of a relative import.
    pub level: u8,
    pub range: TextRange,
    pub in_function: bool,
    pub type_checking: bool,
}

impl Import {
    /// The local name this import binds.
    pub fn bound_name(&self) -> &str {
        if let Some(a) = &self.alias {
            return a;
        }
        match &self.name {
            Some(n) => n,
            None => self.module.split('.').next().unwrap_or(&self.module),
        }
    }

    /// What the bound name refers to, as a dotted path (relative dots kept).
    pub fn target(&self) -> String {
        let dots = ".".repeat(self.level as usize);
        match (&self.name, &self.alias) {
            (Some(n), _) if self.module.is_empty() => format!("{dots}{n}"),
            (Some(n), _) => format!("{dots}{}.{n}", self.module),
            (None, Some(_)) => format!("{dots}{}", self.module),
            (None, None) => format!("{dots}{}", self.bound_name()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallSite {
    /// The callee as written, e.g. `sp.run`, `self.deploy`, `client.put_object`.
    pub callee: SmolStr,
    /// The callee resolved through imports and simple local bindings, e.g.
    /// `subprocess.run`, `requests.Session.get`, `boto3.client.put_object`.
    pub qualified: SmolStr,
    pub range: TextRange,
    /// Range of the callee expression (the part before the argument list).
    pub callee_range: TextRange,
    /// Range of the argument list including the parentheses.
    pub args_range: TextRange,
    pub args: Vec<Arg>,
    /// `*args` or `**kwargs` present: missing keywords may be passed there.
    pub has_star_args: bool,
    pub has_star_kwargs: bool,
    /// Index of the enclosing definition in `FileSummary::defs`.
    pub enclosing: Option<u32>,
}

impl CallSite {
    pub fn keyword(&self, name: &str) -> Option<&Arg> {
        self.args
            .iter()
            .find(|a| a.keyword.as_deref() == Some(name))
    }

    pub fn positional(&self, index: usize) -> Option<&Arg> {
        self.args.iter().filter(|a| a.keyword.is_none()).nth(index)
    }

    /// The argument passed positionally at `index` or by keyword `name`.
    pub fn arg(&self, index: usize, name: &str) -> Option<&Arg> {
        self.keyword(name).or_else(|| self.positional(index))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Arg {
    pub keyword: Option<SmolStr>,
    pub value: crate::index::Value,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Constant {
    pub name: SmolStr,
    pub value: crate::index::Value,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectKind {
    EnvRead,
    Subprocess,
    Network,
    FileRead,
    FileWrite,
    CloudClient,
    CloudCall,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effect {
    pub kind: EffectKind,
    /// The API used, e.g. `os.getenv`, `subprocess.run`, `requests.post`.
    pub api: SmolStr,
    /// The concrete target when it is a literal: env var name, command, URL,
    /// path, cloud service (`s3`) or operation (`s3.put_object`).
    pub target: Option<SmolStr>,
    pub range: TextRange,
    pub enclosing: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suppression {
    pub line: u32,
    pub range: TextRange,
    /// `None` = suppresses every rule; otherwise the codes as written.
    pub codes: Option<Vec<SmolStr>>,
    pub kind: SuppressionKind,
    pub used: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// `# devops-intel: ignore[...]`
    Native,
    /// `# nosec [B602]`
    Nosec,
    /// `# noqa: S602`
    Noqa,
}
