//! Conversions between our types and LSP's, in the negotiated encoding.

use crate::config::Config;
use crate::index::FileSummary;
use crate::rules::{Finding, Severity};
use crate::text::{Encoding, LineCol, LineIndex, TextRange};
use tower_lsp_server::ls_types::*;

pub fn range(idx: &LineIndex, r: TextRange, enc: Encoding) -> Range {
    Range {
        start: position(idx, r.start, enc),
        end: position(idx, r.end, enc),
    }
}

pub fn position(idx: &LineIndex, offset: u32, enc: Encoding) -> Position {
    let LineCol { line, col } = idx.line_col(offset, enc);
    Position {
        line,
        character: col,
    }
}

/// Byte offset of an LSP position; `None` when the line does not exist.
pub fn offset(idx: &LineIndex, pos: Position, enc: Encoding) -> Option<u32> {
    idx.offset(
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(s: &FileSummary, f: &Finding, sev: Severity, enc: Encoding) -> Diagnostic {
    Diagnostic {
        range: range(&s.line_index, f.range, enc),
        severity: Some(severity(sev)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        source: Some("devops-intel".into()),
        message: f.message.clone(),
        data: Some(serde_json::json!({ "rule": f.rule, "name": f.meta().name })),
        ..Default::default()
    }
}

/// The diagnostics `config` keeps for a summary (findings plus file problems).
pub fn diagnostics(s: &FileSummary, config: &Config, enc: Encoding) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = crate::report::enabled_findings(s, config)
        .map(|(f, sev)| diagnostic(s, f, sev, enc))
        .collect();
    for p in &s.problems {
        if let crate::index::FileProblem::Skipped { .. } | crate::index::FileProblem::InvalidUtf8 =
            p
        {
            if let Some(message) = crate::report::describe_problem(p, s) {
                out.push(Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::INFORMATION),
                    source: Some("devops-intel".into()),
                    message,
                    ..Default::default()
                });
            }
        }
    }
    out
}
