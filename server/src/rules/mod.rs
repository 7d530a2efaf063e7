//! Rule registry, findings, fixes and the checker that runs every rule over one
//! file's extraction. One file per rule under `sec/` and `rel/`; each file holds
//! the rule's metadata, its user documentation and its detection.

mod arc;
mod checker;
pub mod cov;
pub mod fix;
pub(crate) mod helpers;
mod iac;
mod rel;
mod sec;
pub mod suppression;
pub mod workspace;

pub use checker::{check_file, Checker, RuleSettings};

use crate::text::TextRange;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected info, low, medium, high or critical)"
            )),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Security,
    Reliability,
    Iac,
    Architecture,
    Coverage,
}

/// Whether a fix may be applied without review (ruff's applicability).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the program's meaning (or only removes a crash); applied by
    /// `check --fix` and `source.fixAll`.
    Safe,
    /// Changes behaviour; offered as a quick fix, applied by `--unsafe-fixes`.
    Unsafe,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn meta(&self) -> &'static RuleMeta {
        rule(self.rule).expect("findings only carry registered rule ids")
    }
}

/// A rule: identity, documentation and detection.
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// Markdown: what it does, why it is bad, example, how to fix.
    pub docs: &'static str,
    /// Equivalent ids in bandit (B…), ruff (S…/PL…), Checkov, semgrep…; bandit
    /// and ruff ids are honoured in `# nosec` / `# noqa` comments.
    pub peers: &'static [&'static str],
    /// Whether the rule can offer a fix.
    pub fixable: bool,
    pub check: fn(&mut Checker),
}

impl std::fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.id, self.name)
    }
}

/// Every rule, in id order: each category module owns its list (`sec::RULES`,
/// `rel::RULES`, ...), so adding a rule touches only its own folder.
pub static RULES: std::sync::LazyLock<Vec<&'static RuleMeta>> = std::sync::LazyLock::new(|| {
    let mut all: Vec<&'static RuleMeta> =
        [sec::RULES, rel::RULES, arc::RULES, iac::RULES, cov::RULES].concat();
    all.sort_by_key(|r| r.id);
    all
});

pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Full documentation of a rule as Markdown, as `devops-intel rule ID` prints it
/// and the hover on a diagnostic shows it.
pub fn render_docs(r: &RuleMeta) -> String {
    let peers = if r.peers.is_empty() {
        String::new()
    } else {
        format!("\n\nEquivalents: {}", r.peers.join(", "))
    };
    let fix = if r.fixable { "\n\nFix available." } else { "" };
    format!(
        "# {} ({})\n\nSeverity: {} · Category: {:?}{peers}{fix}\n\n{}\n",
        r.name,
        r.id,
        r.severity.as_str(),
        r.category,
        r.docs.trim()
    )
}
