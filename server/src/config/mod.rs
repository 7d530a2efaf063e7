//! Configuration: `devops-intel.toml`, or `[tool.devops-intel]` in
//! `pyproject.toml`, plus overrides from the CLI and the editor.

use crate::rules::{RuleMeta, RuleSettings, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Folders never worth indexing (hidden ones are skipped by discovery anyway).
const DEFAULT_EXCLUDES: &[&str] = &[
    "**/node_modules",
    "**/__pycache__",
    "**/site-packages",
    "**/venv",
    "**/.venv",
    "**/.tox",
    "**/.nox",
    "**/cdk.out",
];

/// Build output folders, skipped like [`DEFAULT_EXCLUDES`] unless they are a
/// Python package of that name (`samcli/lib/build/__init__.py`): setuptools'
/// `build/` and `dist/` hold no `__init__.py` of their own.
const OUTPUT_DIRS: &[&str] = &["build", "dist"];

/// Whether `dir` is a build output folder discovery skips (see [`OUTPUT_DIRS`]).
pub fn is_output_dir(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| OUTPUT_DIRS.contains(&n))
        && !dir.join("__init__.py").is_file()
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    /// Rule ids or prefixes to enable (`SEC`, `SEC00`, `REL001`); default: all.
    pub select: Option<Vec<String>>,
    /// Rule ids or prefixes to disable.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Per-rule (or prefix) severity overrides: `SEC001 = "critical"`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Glob patterns (relative to the root) of files and folders to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Seconds the "add timeout" fix inserts (default 30).
    pub http_timeout: Option<u32>,
    /// Files larger than this many bytes are not analysed (default 10 MiB).
    pub max_file_size: Option<u64>,
    /// Folders (relative to the root) that module names start from, for
    /// import resolution: `src = ["src", "."]` (default `[".", "src"]`).
    pub src: Option<Vec<String>>,
    /// Coverage data (coverage.py JSON or lcov), relative to the root; default:
    /// the first of coverage.json, coverage.lcov, lcov.info that exists.
    pub coverage: Option<String>,
    /// IaC cost estimates: default regions and price overrides.
    pub prices: Option<PriceConfig>,
}

/// `[tool.devops-intel.prices]`: regions used when the code names none, and
/// prices replacing the embedded table's (`"ec2:t3.medium" = 0.05`, in the
/// row's unit).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PriceConfig {
    pub region: Option<String>,
    pub gcp_region: Option<String>,
    pub azure_region: Option<String>,
    #[serde(default, rename = "override")]
    pub overrides: BTreeMap<String, f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration in {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Finds and reads the configuration for `root`: `devops-intel.toml`
    /// first, then `[tool.devops-intel]` in `pyproject.toml`; searches `root`
    /// and its parents. Returns the file it came from, if any.
    pub fn discover(root: &Path) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let start = if root.is_file() {
            root.parent().unwrap_or(root)
        } else {
            root
        };
        for dir in start.ancestors() {
            let own = dir.join("devops-intel.toml");
            if own.is_file() {
                return Ok((Self::from_file(&own)?, Some(own)));
            }
            let pyproject = dir.join("pyproject.toml");
            if pyproject.is_file() {
                if let Some(cfg) = Self::from_pyproject(&pyproject)? {
                    return Ok((cfg, Some(pyproject)));
                }
            }
        }
        Ok((Config::default(), None))
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        if path.file_name().and_then(|n| n.to_str()) == Some("pyproject.toml") {
            return Ok(Self::from_pyproject(path)?.unwrap_or_default());
        }
        let text = read(path)?;
        toml::from_str(&text).map_err(|e| invalid(path, e.message()))
    }

    fn from_pyproject(path: &Path) -> Result<Option<Config>, ConfigError> {
        let text = read(path)?;
        let doc: toml::Table = toml::from_str(&text).map_err(|e| invalid(path, e.message()))?;
        let Some(section) = doc.get("tool").and_then(|t| t.get("devops-intel")) else {
            return Ok(None);
        };
        section
            .clone()
            .try_into()
            .map(Some)
            .map_err(|e: toml::de::Error| {
                invalid(path, &format!("[tool.devops-intel]: {}", e.message()))
            })
    }

    /// Parses editor settings (`initializationOptions` or
    /// `workspace/didChangeConfiguration`), same keys as the file.
    pub fn from_json(value: &serde_json::Value) -> Result<Config, String> {
        serde_json::from_value(value.clone()).map_err(|e| e.to_string())
    }

    /// `other`'s fields, where set, win.
    pub fn merged(mut self, other: &Config) -> Config {
        if other.select.is_some() {
            self.select = other.select.clone();
        }
        self.ignore.extend(other.ignore.iter().cloned());
        self.severity.extend(other.severity.clone());
        self.exclude.extend(other.exclude.iter().cloned());
        self.http_timeout = other.http_timeout.or(self.http_timeout);
        self.max_file_size = other.max_file_size.or(self.max_file_size);
        if other.src.is_some() {
            self.src = other.src.clone();
        }
        self.coverage = other.coverage.clone().or(self.coverage.take());
        if other.prices.is_some() {
            self.prices = other.prices.clone();
        }
        self
    }

    /// Enabled when the longest matching prefix among `select` (default: all)
    /// and `ignore` comes from `select`; a tie goes to `ignore`.
    pub fn rule_enabled(&self, id: &str) -> bool {
        let longest = |list: &[String]| {
            list.iter()
                .filter(|p| {
                    id.starts_with(p.to_ascii_uppercase().as_str()) || p.eq_ignore_ascii_case("ALL")
                })
                .map(|p| {
                    if p.eq_ignore_ascii_case("ALL") {
                        0
                    } else {
                        p.len()
                    }
                })
                .max()
        };
        let sel = match &self.select {
            None => Some(0),
            Some(list) => longest(list),
        };
        let ign = longest(&self.ignore);
        match (sel, ign) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The rule's severity after overrides (the longest matching prefix wins).
    pub fn severity_of(&self, rule: &RuleMeta) -> Severity {
        self.severity
            .iter()
            .filter(|(k, _)| rule.id.starts_with(k.to_ascii_uppercase().as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, s)| *s)
            .unwrap_or(rule.severity)
    }

    pub fn rule_settings(&self) -> RuleSettings {
        RuleSettings {
            http_timeout: self
                .http_timeout
                .unwrap_or(RuleSettings::default().http_timeout),
        }
    }

    /// The import search folders (`src`), relative to a root.
    pub fn src_dirs(&self) -> Vec<String> {
        match &self.src {
            Some(v) if !v.is_empty() => v.clone(),
            _ => crate::graph::DEFAULT_SRC
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// Price settings for IaC cost estimates.
    pub fn price_settings(&self) -> crate::iac::pricing::PriceSettings {
        let p = self.prices.clone().unwrap_or_default();
        crate::iac::pricing::PriceSettings {
            regions: crate::iac::region::Defaults {
                aws: p.region,
                gcp: p.gcp_region,
                azure: p.azure_region,
            },
            overrides: p.overrides,
        }
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }

    /// Default excludes plus the configured ones. Invalid globs are logged and
    /// skipped (`validate` reports them as errors).
    pub fn exclude_set(&self) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for pat in DEFAULT_EXCLUDES
            .iter()
            .map(|s| s.to_string())
            .chain(self.exclude.iter().cloned())
        {
            for p in expand(&pat) {
                match Glob::new(&p) {
                    Ok(g) => {
                        b.add(g);
                    }
                    Err(e) => tracing::warn!(pattern = %p, error = %e, "invalid exclude glob"),
                }
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// Checks what serde cannot: known rule ids/prefixes and valid globs.
    pub fn validate(&self) -> Result<(), String> {
        let known = |p: &str| {
            p.eq_ignore_ascii_case("ALL")
                || crate::rules::RULES
                    .iter()
                    .any(|r| r.id.starts_with(p.to_ascii_uppercase().as_str()))
                || ["SEC", "REL", "IAC", "ARC", "COV"].iter().any(|c| {
                    c.starts_with(&p.to_ascii_uppercase()) || p.to_ascii_uppercase().starts_with(c)
                })
        };
        for p in self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.keys())
        {
            if !known(p) {
                return Err(format!("unknown rule id or prefix `{p}`"));
            }
        }
        for p in &self.exclude {
            Glob::new(p).map_err(|e| format!("invalid exclude glob `{p}`: {e}"))?;
        }
        Ok(())
    }
}

/// `tests/fixtures` also matches `**/tests/fixtures` below the root, like gitignore.
fn expand(pat: &str) -> Vec<String> {
    let p = pat.trim_end_matches('/');
    if p.starts_with("**/") || p.starts_with('/') {
        vec![p.trim_start_matches('/').to_string()]
    } else {
        vec![p.to_string(), format!("**/{p}")]
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn invalid(path: &Path, message: &str) -> ConfigError {
    ConfigError::Invalid {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_and_ignore_by_prefix() {
        let c: Config = toml::from_str("select = [\"SEC\"]\nignore = [\"SEC00\"]\n").unwrap();
        assert!(!c.rule_enabled("SEC001"));
        assert!(c.rule_enabled("SEC013"));
        assert!(!c.rule_enabled("REL001"));
        let c: Config = toml::from_str("ignore = [\"REL002\"]").unwrap();
        assert!(c.rule_enabled("REL001") && !c.rule_enabled("REL002"));
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("selekt = []").is_err());
    }
}
