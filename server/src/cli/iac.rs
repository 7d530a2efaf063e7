//! `devops-intel iac cost` and `devops-intel iac validate`.

use super::Format;
use crate::config::Config;
use crate::iac::pricing::{self, totals, Estimate, PriceTable};
use crate::iac::Cloud;
use crate::index::{discover, FileSummary, Workspace};
use crate::report::{self, Reported};
use crate::rules::Severity;
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Subcommand, Debug)]
pub enum IacCommand {
    /// Monthly cost estimate of the Pulumi / CDK / CDKTF resources under PATH.
    Cost(CostArgs),
    /// IaC findings only, with CI exit codes (0 clean, 1 findings, 2 error).
    Validate(ValidateArgs),
}

#[derive(Args, Debug)]
pub struct CostArgs {
    /// File or folder (default: the current folder).
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Use this configuration file instead of discovering one.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// File or folder (default: the current folder).
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Group findings by the Checkov / cdk-nag / Trivy ids each rule maps to.
    #[arg(long)]
    pub compliance: bool,
    /// Exit 1 only for findings at or above this severity.
    #[arg(long, default_value = "info")]
    pub fail_on: Severity,
    /// Use this configuration file instead of discovering one.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(cmd: IacCommand) -> ExitCode {
    let result = match cmd {
        IacCommand::Cost(a) => cost(&a),
        IacCommand::Validate(a) => validate(&a),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(2)
    })
}

struct Loaded {
    root: PathBuf,
    config: Config,
    summaries: Vec<Arc<FileSummary>>,
}

fn load(path: &Option<PathBuf>, config_file: &Option<PathBuf>) -> anyhow::Result<Loaded> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let target = cwd.join(path.clone().unwrap_or_else(|| PathBuf::from(".")));
    if !target.exists() {
        anyhow::bail!("{}: no such file or directory", target.display());
    }
    let config = match config_file {
        Some(p) => Config::from_file(p)?,
        None => Config::discover(&target)?.0,
    };
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
    let files = discover(std::slice::from_ref(&target), &config);
    let ws = Workspace::new();
    ws.index(&files, &config);
    Ok(Loaded {
        root: cwd,
        config,
        summaries: ws.summaries(),
    })
}

fn cost(args: &CostArgs) -> anyhow::Result<ExitCode> {
    let l = load(&args.path, &args.config)?;
    let table = PriceTable::embedded();
    let settings = l.config.price_settings();
    let mut files = Vec::new();
    for s in &l.summaries {
        let Some(iac) = s.iac.as_deref() else {
            continue;
        };
        let est = pricing::estimate_file(iac, &s.path, table, &settings);
        if !est.is_empty() {
            files.push((s.clone(), est));
        }
    }
    let all = totals(files.iter().flat_map(|(_, e)| e.iter()));
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&cost_json(&l.root, &files, &all, table))?,
        _ => cost_text(&l.root, &files, &all, table),
    };
    println!("{}", out.trim_end());
    Ok(ExitCode::SUCCESS)
}

fn cost_json(
    root: &Path,
    files: &[(Arc<FileSummary>, Vec<Estimate>)],
    all: &pricing::Totals,
    table: &PriceTable,
) -> serde_json::Value {
    let files: Vec<_> = files
        .iter()
        .map(|(s, est)| {
            let iac = s.iac.as_deref();
            let resources: Vec<_> = est
                .iter()
                .filter_map(|e| {
                    let r = iac?.resources.get(e.resource as usize)?;
                    Some(json!({
                        "name": r.label(), "type": r.type_name,
                        "line": s.line_index.line_of(r.range.start) + 1,
                        "estimate": e,
                    }))
                })
                .collect();
            json!({ "path": report::relative_path(&s.path, root), "resources": resources,
                    "total": totals(est.iter()) })
        })
        .collect();
    json!({ "currency": table.currency, "hoursPerMonth": table.hours_per_month,
            "files": files, "total": all })
}

fn money(x: f64) -> String {
    format!("${x:.2}")
}

fn cost_text(
    root: &Path,
    files: &[(Arc<FileSummary>, Vec<Estimate>)],
    all: &pricing::Totals,
    table: &PriceTable,
) -> String {
    let mut out = String::new();
    for (s, est) in files {
        let Some(iac) = s.iac.as_deref() else {
            continue;
        };
        let region = est
            .first()
            .map(|e| format!(" (region {}, from {})", e.region.name, e.region.source))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{region}\n",
            report::relative_path(&s.path, root)
        ));
        for e in est {
            let Some(r) = iac.resources.get(e.resource as usize) else {
                continue;
            };
            let line = s.line_index.line_of(r.range.start) + 1;
            let amount = match (&e.unpriced, e.monthly) {
                (Some(_), _) => "unpriced".to_string(),
                (None, Some(m)) => format!("{}/month", money(m)),
                (None, None) => "usage-priced".to_string(),
            };
            out.push_str(&format!(
                "  {:<28} {:<40} {:>16}\n",
                format!("{} (line {line})", r.label()),
                r.type_name,
                amount
            ));
            for l in &e.lines {
                let per = if l.unit == "hour" {
                    format!(
                        "{} x ${}/hour x {} h",
                        l.quantity,
                        pricing::trim_price(l.unit_price),
                        table.hours_per_month
                    )
                } else {
                    format!(
                        "{} x ${}/{}",
                        l.quantity,
                        pricing::trim_price(l.unit_price),
                        l.unit
                    )
                };
                let ov = if l.overridden { " (override)" } else { "" };
                out.push_str(&format!(
                    "      {}: {per} = {}{ov}\n",
                    l.what,
                    money(l.monthly)
                ));
            }
            if let Some(reason) = &e.unpriced {
                out.push_str(&format!("      unpriced: {reason}\n"));
            }
            for u in &e.usage {
                out.push_str(&format!(
                    "      usage: ${} per {} ({})\n",
                    pricing::trim_price(u.price),
                    u.unit,
                    u.sku
                ));
            }
            for n in &e.notes {
                out.push_str(&format!("      note: {n}\n"));
            }
        }
        let t = totals(est.iter());
        out.push_str(&format!(
            "  Stack total: {}/month fixed ({} priced, {} usage-priced, {} unpriced)\n\n",
            money(t.monthly),
            t.priced,
            t.usage_only,
            t.unpriced
        ));
    }
    out.push_str(&format!(
        "Total: {}/month fixed ({} priced, {} usage-priced, {} unpriced)\n",
        money(all.monthly),
        all.priced,
        all.usage_only,
        all.unpriced
    ));
    out.push_str(&format!(
        "Prices: embedded on-demand list prices in {} (monthly = hourly x {}); usage-priced resources are not totalled; override in [tool.devops-intel.prices].\n",
        table.currency, table.hours_per_month
    ));
    out
}

fn validate(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let l = load(&args.path, &args.config)?;
    let findings: Vec<Reported> = report::collect(&l.summaries, &l.config, &l.root)
        .into_iter()
        .filter(|f| f.rule.starts_with("IAC"))
        .collect();
    let iac_files = l.summaries.iter().filter(|s| s.iac.is_some()).count();
    // The cloud of each finding's resource, in the order `collect` reports them.
    let clouds: Vec<Option<Cloud>> = l
        .summaries
        .iter()
        .flat_map(|s| {
            report::enabled_findings(s, &l.config)
                .filter(|(f, _)| f.rule.starts_with("IAC"))
                .map(|(f, _)| cloud_of(s, f.range))
                .collect::<Vec<_>>()
        })
        .collect();
    let out = if args.compliance {
        compliance(&findings, &clouds, args.format)
    } else {
        match args.format {
            Format::Text => report::to_text(&findings, iac_files, &[]),
            Format::Json => report::to_json(&findings),
            Format::Sarif => report::to_sarif(&findings),
        }
    };
    print!("{out}");
    let failing = findings.iter().any(|f| f.severity >= args.fail_on);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cloud_of(s: &FileSummary, range: crate::text::TextRange) -> Option<Cloud> {
    let iac = s.iac.as_deref()?;
    iac.resources
        .iter()
        .filter(|r| {
            r.range.contains_range(range) || r.methods.iter().any(|m| m.range.contains_range(range))
        })
        .min_by_key(|r| r.range.len())
        .map(|r| r.cloud)
}

/// Whether a peer id is a control for `cloud` (provider-neutral ids always are).
fn peer_applies(id: &str, cloud: Option<Cloud>) -> bool {
    let Some(cloud) = cloud else { return true };
    let for_cloud = if id.starts_with("CKV_GCP") || id.starts_with("CKV2_GCP") {
        Cloud::Gcp
    } else if id.starts_with("CKV_AZURE") || id.starts_with("CKV2_AZURE") {
        Cloud::Azure
    } else if id.starts_with("CKV_AWS")
        || id.starts_with("CKV2_AWS")
        || id.starts_with("AwsSolutions")
        || id.starts_with("AVD-AWS")
    {
        Cloud::Aws
    } else {
        return true;
    };
    for_cloud == cloud
}

/// The tool a peer id belongs to.
fn peer_tool(id: &str) -> Option<&'static str> {
    if id.starts_with("CKV") {
        Some("Checkov")
    } else if id.starts_with("AwsSolutions") {
        Some("cdk-nag")
    } else if id.starts_with("AVD-") {
        Some("Trivy")
    } else {
        None
    }
}

fn compliance(findings: &[Reported], clouds: &[Option<Cloud>], format: Format) -> String {
    let mut groups: BTreeMap<(&str, &str), Vec<&Reported>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        let cloud = clouds.get(i).copied().flatten();
        let Some(rule) = crate::rules::rule(f.rule) else {
            continue;
        };
        let mut any = false;
        for peer in rule.peers.iter().filter(|p| peer_applies(p, cloud)) {
            if let Some(tool) = peer_tool(peer) {
                groups.entry((tool, peer)).or_default().push(f);
                any = true;
            }
        }
        if !any {
            groups.entry(("devops-intel", f.rule)).or_default().push(f);
        }
    }
    if format == Format::Json {
        let v: Vec<_> = groups
            .iter()
            .map(|((tool, id), fs)| json!({ "tool": tool, "id": id, "findings": fs }))
            .collect();
        return serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into()) + "\n";
    }
    let mut out = String::new();
    for ((tool, id), fs) in &groups {
        out.push_str(&format!(
            "{id} ({tool}): {} finding{}\n",
            fs.len(),
            if fs.len() == 1 { "" } else { "s" }
        ));
        for f in fs {
            out.push_str(&format!(
                "  {}:{}:{}: {} [{}] {}\n",
                f.path,
                f.line,
                f.column,
                f.rule,
                f.severity.as_str(),
                f.message
            ));
        }
    }
    out.push_str(&format!(
        "{} IaC finding{} mapped to {} control{}.\n",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        groups.len(),
        if groups.len() == 1 { "" } else { "s" }
    ));
    out
}
