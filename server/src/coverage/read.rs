//! Readers for coverage.py JSON (format 3) and lcov tracefiles. Paths in
//! either are resolved against the data file's folder (coverage.py writes
//! them relative to where it ran).

use super::{Coverage, FileCoverage};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not coverage.py JSON: {message}")]
    Json { path: PathBuf, message: String },
    #[error("{path}: unsupported coverage.py JSON format {format}")]
    Format { path: PathBuf, format: u32 },
    #[error("{path}: line {line}: {message}")]
    Lcov {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

#[derive(Deserialize)]
struct JsonReport {
    meta: Option<JsonMeta>,
    files: HashMap<String, JsonFile>,
}

#[derive(Deserialize)]
struct JsonMeta {
    format: Option<u32>,
}

#[derive(Deserialize)]
struct JsonFile {
    #[serde(default)]
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
    #[serde(default)]
    functions: HashMap<String, JsonRegion>,
}

#[derive(Deserialize)]
struct JsonRegion {
    #[serde(default)]
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
}

/// Reads `path` as coverage.py JSON when it starts with `{`, else as lcov.
pub fn read(path: &Path) -> Result<Coverage, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if text.trim_start().starts_with('{') {
        parse_json(&text, path, &base)
    } else {
        parse_lcov(&text, path, &base)
    }
}

fn resolve(base: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    joined.canonicalize().unwrap_or(joined)
}

pub fn parse_json(text: &str, path: &Path, base: &Path) -> Result<Coverage, ReadError> {
    let report: JsonReport = serde_json::from_str(text).map_err(|e| ReadError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let format = report.meta.and_then(|m| m.format).unwrap_or(3);
    if !(2..=3).contains(&format) {
        return Err(ReadError::Format {
            path: path.to_path_buf(),
            format,
        });
    }
    let files = report
        .files
        .into_iter()
        .map(|(name, f)| {
            let functions = f
                .functions
                .into_iter()
                .filter(|(q, _)| !q.is_empty())
                .map(|(q, r)| {
                    (
                        q,
                        (
                            r.executed_lines.into_iter().collect(),
                            r.missing_lines.into_iter().collect(),
                        ),
                    )
                })
                .collect();
            (
                resolve(base, &name),
                FileCoverage {
                    executed: f.executed_lines.into_iter().collect(),
                    missing: f.missing_lines.into_iter().collect(),
                    functions,
                },
            )
        })
        .collect();
    Ok(Coverage {
        source: path.to_path_buf(),
        files,
    })
}

pub fn parse_lcov(text: &str, path: &Path, base: &Path) -> Result<Coverage, ReadError> {
    let mut files: HashMap<PathBuf, FileCoverage> = HashMap::new();
    let mut current: Option<(PathBuf, FileCoverage)> = None;
    let err = |line: usize, message: &str| ReadError::Lcov {
        path: path.to_path_buf(),
        line: line + 1,
        message: message.to_string(),
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(sf) = line.strip_prefix("SF:") {
            current = Some((resolve(base, sf), FileCoverage::default()));
        } else if let Some(da) = line.strip_prefix("DA:") {
            let Some((_, fc)) = current.as_mut() else {
                return Err(err(i, "DA outside a record"));
            };
            let mut parts = da.split(',');
            let (Some(l), Some(hits)) = (
                parts.next().and_then(|x| x.parse::<u32>().ok()),
                parts.next().and_then(|x| x.trim().parse::<u64>().ok()),
            ) else {
                return Err(err(i, "malformed DA line"));
            };
            if hits > 0 {
                fc.missing.remove(&l);
                fc.executed.insert(l);
            } else if !fc.executed.contains(&l) {
                fc.missing.insert(l);
            }
        } else if line == "end_of_record" {
            if let Some((p, fc)) = current.take() {
                let entry = files.entry(p).or_default();
                entry.executed.extend(fc.executed);
                entry.missing.extend(fc.missing);
                let executed = entry.executed.clone();
                entry.missing.retain(|l| !executed.contains(l));
            }
        }
    }
    if let Some((p, fc)) = current.take() {
        files.insert(p, fc);
    }
    Ok(Coverage {
        source: path.to_path_buf(),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcov_hits_and_misses_merge_per_file() {
        let text = "TN:\nSF:/x/a.py\nDA:1,1\nDA:3,0\nDA:4,2\nend_of_record\nSF:/x/a.py\nDA:3,1\nend_of_record\n";
        let c = parse_lcov(text, Path::new("t.lcov"), Path::new("/")).unwrap();
        let f = &c.files[Path::new("/x/a.py")];
        assert_eq!(
            f.executed.iter().copied().collect::<Vec<_>>(),
            vec![1, 3, 4]
        );
        assert!(f.missing.is_empty());
        assert!(parse_lcov("DA:1,1\n", Path::new("t"), Path::new("/")).is_err());
    }

    #[test]
    fn json_rejects_other_formats_and_reads_functions() {
        let bad = r#"{"meta": {"format": 9}, "files": {}}"#;
        assert!(parse_json(bad, Path::new("c.json"), Path::new("/")).is_err());
        let ok = r#"{"meta": {"format": 3}, "files": {"/x/m.py": {"executed_lines": [1, 2], "missing_lines": [5],
            "functions": {"f": {"executed_lines": [], "missing_lines": [5]}, "": {"executed_lines": [1, 2], "missing_lines": []}}}}}"#;
        let c = parse_json(ok, Path::new("c.json"), Path::new("/")).unwrap();
        let f = &c.files[Path::new("/x/m.py")];
        assert_eq!(f.missing.iter().copied().collect::<Vec<_>>(), vec![5]);
        assert_eq!(f.functions.len(), 1, "module region dropped");
    }
}
