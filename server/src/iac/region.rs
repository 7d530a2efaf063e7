//! Which region prices a resource: the resource's own argument (GCP
//! `region`/`zone`, Azure `location`), else the file's provider or stack
//! environment, else the Pulumi stack config (`Pulumi.<stack>.yaml`), else the
//! configured default, else the price table's default.

use super::catalog::Cloud;
use super::expr::{Expr, V};
use super::{IacFile, Resource};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Region {
    pub name: String,
    /// Where it came from, e.g. `aws.Provider(region=…)`, `default`.
    pub source: String,
}

/// Regions configured by the user, per cloud.
#[derive(Clone, Debug, Default)]
pub struct Defaults {
    pub aws: Option<String>,
    pub gcp: Option<String>,
    pub azure: Option<String>,
}

impl Defaults {
    fn get(&self, cloud: Cloud) -> Option<&String> {
        match cloud {
            Cloud::Aws => self.aws.as_ref(),
            Cloud::Gcp => self.gcp.as_ref(),
            Cloud::Azure => self.azure.as_ref(),
        }
    }
}

pub fn resolve(
    r: &Resource,
    file: &IacFile,
    path: &Path,
    defaults: &Defaults,
    table_default: &str,
) -> Region {
    let own = match r.cloud {
        Cloud::Gcp => r
            .get("region")
            .and_then(Expr::as_str)
            .map(|s| (s.to_string(), "region="))
            .or_else(|| {
                r.get("zone")
                    .and_then(Expr::as_str)
                    .and_then(|z| z.rsplit_once('-'))
                    .map(|(reg, _)| (reg.to_string(), "zone="))
            }),
        Cloud::Azure => r
            .get("location")
            .and_then(Expr::as_str)
            .map(|s| (s.to_ascii_lowercase().replace(' ', ""), "location=")),
        Cloud::Aws => None,
    };
    if let Some((name, how)) = own {
        return Region {
            name,
            source: format!("{} {how}", r.class()),
        };
    }
    if let Some(h) = file.region.as_ref().filter(|h| h.cloud == r.cloud) {
        match &h.value.v {
            V::Str(s) => {
                return Region {
                    name: s.to_string(),
                    source: h.source.to_string(),
                }
            }
            V::Config { key, .. } => {
                if let Some((v, file)) = stack_config(path, key) {
                    return Region {
                        name: v,
                        source: format!("{file} ({key})"),
                    };
                }
            }
            _ => {}
        }
    }
    if r.framework == super::Framework::Pulumi {
        let key = match r.cloud {
            Cloud::Aws => "aws:region",
            Cloud::Gcp => "gcp:region",
            Cloud::Azure => "azure-native:location",
        };
        if let Some((v, file)) = stack_config(path, key) {
            return Region {
                name: v,
                source: format!("{file} ({key})"),
            };
        }
    }
    if let Some(d) = defaults.get(r.cloud) {
        return Region {
            name: d.clone(),
            source: "config [prices]".into(),
        };
    }
    Region {
        name: table_default.to_string(),
        source: "default".into(),
    }
}

/// `key` in the Pulumi stack files next to `path` (or up to two folders up),
/// when every stack file that sets it agrees.
pub fn stack_config(path: &Path, key: &str) -> Option<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for dir in path.ancestors().skip(1).take(3) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.starts_with("Pulumi.") && (name.ends_with(".yaml") || name.ends_with(".yml")))
                || name == "Pulumi.yaml"
            {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            if let Some(v) = yaml_value(&text, key) {
                found.push((v, name));
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    let first = found.first()?.clone();
    found.iter().all(|(v, _)| *v == first.0).then_some(first)
}

/// A `key: value` line of a stack file (plain scalars only).
fn yaml_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix(key)?.strip_prefix(':')?;
        let v = rest.trim().trim_matches(['"', '\'']);
        (!v.is_empty() && !v.starts_with('{')).then(|| v.to_string())
    })
}
