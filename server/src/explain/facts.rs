//! The facts about one definition: everything the hover, the explain request,
//! the docstring action and the docs command show.

use super::body::{body_facts, BodyFacts};
use super::counts::{within, CallCounts, Seams};
use super::intent;
use super::resolve::Target;
use crate::index::{Def, DefKind, DynKind, EffectKind, FileSummary, ParamKind, Value};
use crate::text::TextRange;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub name: String,
    pub qualname: String,
    pub kind: DefKind,
    pub is_async: bool,
    /// The file, relative to the workspace root when known, and 1-based line.
    pub file: String,
    pub line: u32,
    pub signature: String,
    /// One line saying what the definition does.
    pub intent: String,
    pub intent_source: IntentSource,
    pub docstring: Option<String>,
    pub params: Vec<ParamFact>,
    pub returns: Option<String>,
    pub decorators: Vec<String>,
    pub bases: Vec<String>,
    pub effects: Effects,
    /// Workspace functions it calls that have effects, with what they do
    /// (one level deep).
    pub via: Vec<ViaCall>,
    /// Exception types raised in the body; empty when unknown or none.
    pub raises: Vec<String>,
    /// Whether the body returns a value (`None` when the body was not read).
    pub returns_value: Option<bool>,
    pub calls: Option<CallCounts>,
    pub coverage: Option<Coverage>,
    pub resources: Vec<ResourceFact>,
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    pub name_range: TextRange,
    #[serde(skip)]
    pub body: Option<BodyFacts>,
}

/// A workspace definition called from the explained one, and its effects as
/// short phrases ("runs `docker`", "calls S3 `upload_file`").
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViaCall {
    pub qualname: String,
    pub effects: Vec<String>,
}

/// How many distinct callees are resolved for [`ViaCall`]s.
const MAX_VIA: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IntentSource {
    Docstring,
    Derived,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamFact {
    pub name: String,
    pub kind: ParamKind,
    pub annotation: Option<String>,
    pub default: Option<String>,
}

/// Effects grouped by kind; each entry is one API + target, with how often it
/// occurs and the first line (1-based) where it does.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Effects {
    pub env: Vec<EffectFact>,
    pub processes: Vec<EffectFact>,
    pub http: Vec<EffectFact>,
    pub files_read: Vec<EffectFact>,
    pub files_written: Vec<EffectFact>,
    pub cloud: Vec<CloudFact>,
}

impl Effects {
    pub fn is_empty(&self) -> bool {
        self.env.is_empty()
            && self.processes.is_empty()
            && self.http.is_empty()
            && self.files_read.is_empty()
            && self.files_written.is_empty()
            && self.cloud.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectFact {
    pub api: String,
    /// Env var name, command line, `METHOD url`, path: when literal, or a
    /// template with the dynamic parts in braces (`docker push {tag}`).
    pub target: Option<String>,
    /// `target` is fully literal (not a template).
    pub literal: bool,
    pub count: u32,
    pub line: u32,
}

/// One cloud service: the clients created and the operations called.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudFact {
    /// `s3`, `dynamodb`…; `None` when the service is not a literal.
    pub service: Option<String>,
    pub clients: u32,
    pub operations: Vec<String>,
    pub line: u32,
}

/// Line coverage of a definition (from the coverage area, when known).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    pub covered_lines: u32,
    pub total_lines: u32,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.total_lines == 0 {
            return 100.0;
        }
        100.0 * f64::from(self.covered_lines) / f64::from(self.total_lines)
    }
}

/// An IaC resource the definition creates (from the iac area, when known).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceFact {
    /// Provider type as written, e.g. `aws.s3.BucketV2`.
    pub type_name: String,
    pub logical_name: Option<String>,
    /// Estimated monthly cost in USD; `None` when usage-priced or unknown.
    pub monthly_cost: Option<f64>,
    /// E.g. "usage-priced: $0.023 per GB-month".
    pub note: Option<String>,
}

/// Explains `target`. `text` is the target file's current text (for the
/// body facts: raises, returns); `root` makes the file path relative.
pub fn explain(
    target: &Target,
    all: &[Arc<FileSummary>],
    text: Option<&str>,
    root: Option<&Path>,
    seams: &dyn Seams,
) -> Option<Explanation> {
    let file = &target.file;
    let def = target.def()?;
    // a class's body is all its methods: parsing it for raises would cost a
    // parse of most of the file on every hover, for little
    let body = text
        .filter(|_| def.kind != DefKind::Class)
        .filter(|t| crate::index::analyze::text_hash(t.as_bytes()) == file.hash)
        .and_then(|t| body_facts(t, &file.line_index, def.range));
    let effects = effects_of(file, target.def);
    let via = via_calls(target, all);
    let docstring = def.docstring.as_deref().map(str::to_string);
    let (intent, intent_source) = match docstring.as_deref().and_then(intent::first_line) {
        Some(line) => (line, IntentSource::Docstring),
        None => (intent::derive(def, &effects, &via), IntentSource::Derived),
    };
    let path = &file.path;
    let shown = root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
    Some(Explanation {
        name: def.name.to_string(),
        qualname: def.qualname.to_string(),
        kind: def.kind,
        is_async: def.is_async,
        file: shown.to_string_lossy().replace('\\', "/"),
        line: file.line_index.line_of(def.name_range.start) + 1,
        signature: signature(def),
        intent,
        intent_source,
        docstring,
        params: def
            .params
            .iter()
            .map(|p| ParamFact {
                name: p.name.to_string(),
                kind: p.kind,
                annotation: p.annotation.as_deref().map(str::to_string),
                default: p.default.as_deref().map(str::to_string),
            })
            .collect(),
        returns: def.returns.as_deref().map(str::to_string),
        decorators: def.decorators.iter().map(|d| d.to_string()).collect(),
        bases: def.bases.iter().map(|b| b.to_string()).collect(),
        effects,
        via,
        raises: body.as_ref().map(|b| b.raises.clone()).unwrap_or_default(),
        returns_value: body.as_ref().map(|b| b.returns_value || b.yields),
        calls: seams.call_counts(target, all),
        coverage: seams.coverage(target),
        resources: seams.resources(target),
        path: path.clone(),
        name_range: def.name_range,
        body,
    })
}

/// The workspace definitions `target` calls that have effects of their own.
pub fn via_calls(target: &Target, all: &[Arc<FileSummary>]) -> Vec<ViaCall> {
    let file = &target.file;
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for c in file
        .calls
        .iter()
        .filter(|c| within(file, c.enclosing, target.def))
    {
        if seen.len() >= MAX_VIA || seen.contains(&c.qualified.as_str()) {
            continue;
        }
        seen.push(&c.qualified);
        let Some(callee) = super::resolve::resolve_call(file, c, all) else {
            continue;
        };
        if Arc::ptr_eq(&callee.file, file) && callee.def == target.def {
            continue;
        }
        let Some(d) = callee.def() else { continue };
        let clauses = intent::effect_clauses(&effects_of(&callee.file, callee.def));
        if !clauses.is_empty() && !out.iter().any(|v: &ViaCall| v.qualname == d.qualname) {
            out.push(ViaCall {
                qualname: d.qualname.to_string(),
                effects: clauses,
            });
        }
    }
    out
}

/// `def name(a: int, *, b=1) -> str`, `async def …`, `class Name(Base)`.
pub fn signature(def: &Def) -> String {
    if def.kind == DefKind::Class {
        return if def.bases.is_empty() {
            format!("class {}", def.name)
        } else {
            format!("class {}({})", def.name, def.bases.join(", "))
        };
    }
    let mut parts = Vec::with_capacity(def.params.len() + 1);
    let mut star_seen = false;
    for p in &def.params {
        let mut s = String::new();
        match p.kind {
            ParamKind::PositionalOnlyMarker => {
                parts.push("/".to_string());
                continue;
            }
            ParamKind::VarArgs => {
                star_seen = true;
                s.push('*');
            }
            ParamKind::VarKeyword => s.push_str("**"),
            ParamKind::KeywordOnly if !star_seen => {
                star_seen = true;
                parts.push("*".to_string());
            }
            _ => {}
        }
        s.push_str(&p.name);
        if let Some(a) = &p.annotation {
            s.push_str(": ");
            s.push_str(a);
        }
        if let Some(d) = &p.default {
            s.push_str(if p.annotation.is_some() { " = " } else { "=" });
            s.push_str(d);
        }
        parts.push(s);
    }
    let prefix = if def.is_async { "async def" } else { "def" };
    let ret = def
        .returns
        .as_ref()
        .map(|r| format!(" -> {r}"))
        .unwrap_or_default();
    format!("{prefix} {}({}){ret}", def.name, parts.join(", "))
}

/// The effects inside definition `def` (and definitions nested in it), grouped.
pub fn effects_of(file: &FileSummary, def: u32) -> Effects {
    let mut out = Effects::default();
    let line = |r: TextRange| file.line_index.line_of(r.start) + 1;
    for e in file
        .effects
        .iter()
        .filter(|e| within(file, e.enclosing, def))
    {
        let literal_target = e.target.as_deref().map(str::to_string);
        let template = match e.kind {
            EffectKind::Subprocess if literal_target.is_none() => template(file, e, 0, "args"),
            EffectKind::FileRead | EffectKind::FileWrite
                if literal_target.is_none() && e.api != "pathlib.Path.open" =>
            {
                template(file, e, 0, "file")
            }
            EffectKind::Network => match literal_target.as_deref() {
                Some(m) if !m.contains(' ') && m.chars().all(|c| c.is_ascii_uppercase()) => {
                    template(file, e, 0, "url").map(|u| format!("{m} {u}"))
                }
                None => template(file, e, 0, "url"),
                _ => None,
            },
            _ => None,
        };
        let literal = template.is_none() && literal_target.is_some();
        let target = template.or(literal_target);
        let list = match e.kind {
            EffectKind::EnvRead => &mut out.env,
            EffectKind::Subprocess => &mut out.processes,
            EffectKind::Network => &mut out.http,
            EffectKind::FileRead => &mut out.files_read,
            EffectKind::FileWrite => &mut out.files_written,
            EffectKind::CloudClient | EffectKind::CloudCall => {
                add_cloud(&mut out.cloud, e.kind, target, line(e.range));
                continue;
            }
        };
        match list
            .iter_mut()
            .find(|f| f.api == e.api.as_str() && f.target == target)
        {
            Some(f) => f.count += 1,
            None => list.push(EffectFact {
                api: e.api.to_string(),
                target,
                literal,
                count: 1,
                line: line(e.range),
            }),
        }
    }
    out
}

fn add_cloud(cloud: &mut Vec<CloudFact>, kind: EffectKind, target: Option<String>, line: u32) {
    // CloudClient: target = service; CloudCall: `service.op` or `op`
    let (service, op) = match (kind, target) {
        (EffectKind::CloudClient, t) => (t, None),
        (_, Some(t)) => match t.split_once('.') {
            Some((s, o)) => (Some(s.to_string()), Some(o.to_string())),
            None => (None, Some(t)),
        },
        (_, None) => (None, None),
    };
    let entry = match cloud.iter_mut().position(|c| c.service == service) {
        Some(i) => &mut cloud[i],
        None => {
            cloud.push(CloudFact {
                service,
                clients: 0,
                operations: Vec::new(),
                line,
            });
            let last = cloud.len() - 1;
            &mut cloud[last]
        }
    };
    match op {
        None => entry.clients += 1,
        Some(o) => {
            if !entry.operations.contains(&o) {
                entry.operations.push(o);
            }
        }
    }
}

/// The argument of the call behind effect `e`, with its dynamic parts in
/// braces: `["docker", "push", tag]` -> `docker push {tag}`,
/// `f"kubectl -n {env}"` -> `kubectl -n {env}`.
fn template(
    file: &FileSummary,
    e: &crate::index::Effect,
    index: usize,
    kw: &str,
) -> Option<String> {
    let call = file.calls.iter().find(|c| c.range == e.range)?;
    let v = &call.arg(index, kw)?.value;
    let part = |v: &Value| match v {
        Value::Str(s) => s.to_string(),
        Value::Dynamic {
            kind: DynKind::FString,
            text,
            ..
        } => fstring_body(text),
        other => format!("{{{}}}", other.display()),
    };
    Some(match v {
        Value::List(items) => items.iter().map(part).collect::<Vec<_>>().join(" "),
        other => part(other),
    })
}

/// `f"a {b}"` -> `a {b}`.
fn fstring_body(text: &str) -> String {
    let t = text.trim_start_matches(['f', 'F', 'r', 'R', 'b', 'B']);
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    format!("{{{text}}}")
}
