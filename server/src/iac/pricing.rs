//! The embedded price table (`resources/pricing/prices.toml`) and the
//! estimator: fixed monthly costs from hourly prices x 730, usage-priced
//! resources as unit prices, and "unpriced" with a reason whenever a size,
//! class or region is not known statically or not in the table.

use super::catalog::{Cloud, Framework, Kind};
use super::expr::{Expr, V};
use super::region::{self, Defaults, Region};
use super::{IacFile, Resource};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::LazyLock;

const TABLE_TEXT: &str = include_str!("../../resources/pricing/prices.toml");

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct TableFile {
    hours_per_month: f64,
    currency: String,
    default_region: BTreeMap<String, String>,
    sources: BTreeMap<String, String>,
    row: Vec<RowFile>,
}

#[derive(Deserialize)]
struct RowFile {
    sku: String,
    unit: Option<String>,
    #[serde(default)]
    monthly: bool,
    prices: BTreeMap<String, f64>,
    source: String,
    date: String,
}

pub struct PriceTable {
    pub hours_per_month: f64,
    pub currency: String,
    default_region: BTreeMap<String, String>,
    rows: HashMap<String, Row>,
}

struct Row {
    unit: Option<String>,
    monthly: bool,
    prices: BTreeMap<String, f64>,
    source: String,
    date: String,
}

impl PriceTable {
    pub fn parse(text: &str) -> Result<PriceTable, String> {
        let file: TableFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut rows = HashMap::new();
        for r in file.row {
            let source = file
                .sources
                .get(&r.source)
                .cloned()
                .ok_or_else(|| format!("row {}: unknown source `{}`", r.sku, r.source))?;
            rows.insert(
                r.sku,
                Row {
                    unit: r.unit,
                    monthly: r.monthly,
                    prices: r.prices,
                    source,
                    date: r.date,
                },
            );
        }
        Ok(PriceTable {
            hours_per_month: file.hours_per_month,
            currency: file.currency,
            default_region: file.default_region,
            rows,
        })
    }

    /// The embedded table (an empty table, logged, if it failed to parse —
    /// a unit test keeps that from shipping).
    pub fn embedded() -> &'static PriceTable {
        static TABLE: LazyLock<PriceTable> = LazyLock::new(|| {
            PriceTable::parse(TABLE_TEXT).unwrap_or_else(|e| {
                tracing::error!("embedded price table: {e}");
                PriceTable {
                    hours_per_month: 730.0,
                    currency: "USD".into(),
                    default_region: BTreeMap::new(),
                    rows: HashMap::new(),
                }
            })
        });
        &TABLE
    }

    pub fn default_region(&self, cloud: Cloud) -> &str {
        self.default_region
            .get(cloud.as_str())
            .map(String::as_str)
            .unwrap_or("us-east-1")
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Price settings from the configuration (`[tool.devops-intel.prices]`).
#[derive(Clone, Debug, Default)]
pub struct PriceSettings {
    pub regions: Defaults,
    /// sku -> price in the row's unit (per hour, per month, per GB-month…).
    pub overrides: BTreeMap<String, f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostLine {
    pub what: String,
    pub sku: String,
    pub quantity: f64,
    /// `hour`, `month`, `GB-month`…
    pub unit: String,
    pub unit_price: f64,
    pub monthly: f64,
    pub source: String,
    pub date: String,
    pub overridden: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UsagePrice {
    pub sku: String,
    pub unit: String,
    pub price: f64,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Index of the resource in its file.
    pub resource: u32,
    pub region: Region,
    /// Fixed monthly cost; `None` when unpriced or priced by usage only.
    pub monthly: Option<f64>,
    pub lines: Vec<CostLine>,
    pub usage: Vec<UsagePrice>,
    /// Why no number is given.
    pub unpriced: Option<String>,
    pub notes: Vec<String>,
}

impl Estimate {
    /// One line for a code lens or a CLI row.
    pub fn headline(&self) -> String {
        match (&self.unpriced, self.monthly) {
            (Some(reason), _) => format!("unpriced: {reason}"),
            (None, Some(m)) if self.usage.is_empty() => format!("${m:.2}/month"),
            (None, Some(m)) => format!("${m:.2}/month + usage"),
            (None, None) => {
                let first = self
                    .usage
                    .first()
                    .map(|u| format!(" (${} per {})", trim_price(u.price), u.unit))
                    .unwrap_or_default();
                format!("usage-priced{first}")
            }
        }
    }
}

pub fn trim_price(p: f64) -> String {
    let s = format!("{p:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Every cost-bearing resource of a file, in order.
pub fn estimate_file(
    file: &IacFile,
    path: &Path,
    table: &PriceTable,
    settings: &PriceSettings,
) -> Vec<Estimate> {
    file.resources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let region = region::resolve(
                r,
                file,
                path,
                &settings.regions,
                table.default_region(r.cloud),
            );
            let mut e = Estimator {
                table,
                settings,
                region: &region.name,
                lines: Vec::new(),
                usage: Vec::new(),
                notes: Vec::new(),
            };
            let outcome = e.resource(r)?;
            let Estimator {
                lines,
                usage,
                notes,
                ..
            } = e;
            let unpriced = outcome.err();
            let monthly = (unpriced.is_none() && !lines.is_empty())
                .then(|| lines.iter().map(|l| l.monthly).sum::<f64>());
            Some(Estimate {
                resource: i as u32,
                region,
                monthly,
                lines: if unpriced.is_some() {
                    Vec::new()
                } else {
                    lines
                },
                usage,
                unpriced,
                notes,
            })
        })
        .collect()
}

struct Estimator<'a> {
    table: &'a PriceTable,
    settings: &'a PriceSettings,
    region: &'a str,
    lines: Vec<CostLine>,
    usage: Vec<UsagePrice>,
    notes: Vec<String>,
}

type Outcome = Result<(), String>;

impl Estimator<'_> {
    fn lookup(&self, sku: &str) -> Result<(f64, &Row, bool), String> {
        let row = self.table.rows.get(sku);
        if let Some(&p) = self.settings.overrides.get(sku) {
            return match row {
                Some(r) => Ok((p, r, true)),
                None => Err(format!("`{sku}` is overridden but not in the price table")),
            };
        }
        let row = row.ok_or_else(|| format!("`{sku}` is not in the price table"))?;
        let p = row
            .prices
            .get(self.region)
            .ok_or_else(|| format!("no price for `{sku}` in {} in the table", self.region))?;
        Ok((*p, row, false))
    }

    /// Adds a fixed line: `quantity` of an hourly (or monthly, or per-unit-month) sku.
    fn fixed(&mut self, what: impl Into<String>, sku: &str, quantity: f64) -> Outcome {
        let (price, row, overridden) = self.lookup(sku)?;
        let (unit, monthly) = match (&row.unit, row.monthly) {
            (Some(u), _) => (u.clone(), price * quantity),
            (None, true) => ("month".to_string(), price * quantity),
            (None, false) => (
                "hour".to_string(),
                price * quantity * self.table.hours_per_month,
            ),
        };
        self.lines.push(CostLine {
            what: what.into(),
            sku: sku.to_string(),
            quantity,
            unit,
            unit_price: price,
            monthly,
            source: row.source.clone(),
            date: row.date.clone(),
            overridden,
        });
        Ok(())
    }

    fn usage(&mut self, skus: &[&str]) -> Outcome {
        for sku in skus {
            let (price, row, _) = self.lookup(sku)?;
            self.usage.push(UsagePrice {
                sku: sku.to_string(),
                unit: row.unit.clone().unwrap_or_else(|| "hour".into()),
                price,
                source: row.source.clone(),
            });
        }
        Ok(())
    }

    /// `None` for resources without a price model (free or not covered).
    fn resource(&mut self, r: &Resource) -> Option<Outcome> {
        use Kind::*;
        let out = match r.kind {
            Instance if r.cloud == Cloud::Aws => self.instance(r),
            EbsVolume => self.volume(r),
            NatGateway => self
                .fixed("NAT gateway", "nat-gateway", 1.0)
                .and_then(|_| self.usage(&["nat-gateway:data"])),
            Eip => self.fixed("public IPv4 address", "public-ipv4", 1.0),
            Vpc if r.framework == Framework::Cdk => return self.cdk_vpc(r),
            LoadBalancer => self.load_balancer(r),
            EksCluster => self.eks(r),
            DbInstance => self.rds(r),
            DbCluster | DbClusterInstance => {
                Err("Aurora / cluster capacity is not in the price table".into())
            }
            ElastiCache => self.elasticache(r),
            KmsKey => self.fixed("KMS key", "kms-key", 1.0),
            Secret => self.fixed("secret", "secret", 1.0),
            S3Bucket => self.usage(&["s3:storage", "s3:put", "s3:get"]),
            LambdaFunction => self.usage(&["lambda:requests", "lambda:duration"]),
            DynamoTable => self.dynamo(r),
            ApiGateway => {
                let http = r.class().contains("Http") || r.type_name.contains("apigatewayv2");
                self.usage(&[if http { "apigw:http" } else { "apigw:rest" }])
            }
            Queue => self.usage(&["sqs:requests"]),
            Topic => self.usage(&["sns:publish"]),
            LogGroup => self.usage(&["logs:ingest"]),
            GcpInstance => match r.get("machine_type").and_then(Expr::as_str) {
                Some(t) => self.fixed(format!("{t} VM"), &format!("gce:{t}"), 1.0),
                None => Err(unknown_arg(r, "machine_type")),
            },
            GcpDisk => self.gcp_disk(r),
            GcpAddress => {
                self.notes
                    .push("a reserved external address is billed while unused".into());
                self.fixed("static IP (unused)", "gcp-ip:idle", 1.0)
            }
            GkeCluster => {
                self.notes.push(
                    "GKE's free tier credits one zonal or Autopilot cluster per billing account"
                        .into(),
                );
                self.fixed("GKE cluster management", "gke", 1.0)
            }
            CloudSql => self.cloud_sql(r),
            GcpRedis => self.memorystore(r),
            GcsBucket => self.usage(&["gcs:storage"]),
            AzureVm => self.azure_vm(r),
            AksCluster => self.aks(r),
            AzureNatGateway => self.fixed("NAT gateway", "azure-nat-gateway", 1.0),
            AzurePublicIp => self.fixed("public IP", "azure-public-ip", 1.0),
            AzureStorageAccount => self.usage(&["azure-blob:hot"]),
            _ => return None,
        };
        Some(out)
    }

    fn instance(&mut self, r: &Resource) -> Outcome {
        let ty =
            instance_type(r.get("instance_type")).ok_or_else(|| unknown_arg(r, "instance_type"))?;
        self.fixed(format!("{ty} instance"), &format!("ec2:{ty}"), 1.0)?;
        let root = r.get("root_block_device");
        match root.map(|d| (d.get("volume_size"), d.get("volume_type"))) {
            Some((Some(size), Some(t))) => match (size.as_f64(), t.as_str()) {
                (Some(gb), Some(t)) => {
                    self.fixed(format!("root volume {gb} GB {t}"), &format!("ebs:{t}"), gb)
                }
                _ => Err("root_block_device size or type is not known statically".into()),
            },
            _ => {
                self.notes
                    .push("root volume not priced: its size and type come from the AMI".into());
                Ok(())
            }
        }
    }

    fn volume(&mut self, r: &Resource) -> Outcome {
        let size = r.get("size").ok_or_else(|| unknown_arg(r, "size"))?;
        let gb = match &size.v {
            V::Call { callee, .. } if callee.ends_with("Size.gibibytes") => {
                size.positional(0).and_then(Expr::as_f64)
            }
            _ => size.as_f64(),
        }
        .ok_or_else(|| unknown_arg(r, "size"))?;
        let ty = match r.get_first(&["type", "volume_type"]) {
            Some(t) => t
                .as_str()
                .map(str::to_string)
                .or_else(|| t.member().map(cdk_volume_type))
                .ok_or_else(|| unknown_arg(r, "type"))?,
            None => {
                self.notes
                    .push("volume type not set: the EC2 default is gp2".into());
                "gp2".into()
            }
        };
        self.fixed(format!("{gb} GB {ty}"), &format!("ebs:{ty}"), gb)
    }

    fn cdk_vpc(&mut self, r: &Resource) -> Option<Outcome> {
        match r.get("nat_gateways").map(|n| n.as_int()) {
            Some(Some(0)) => None,
            Some(Some(n)) => Some(
                self.fixed(format!("{n} NAT gateway(s)"), "nat-gateway", n as f64)
                    .and_then(|_| self.usage(&["nat-gateway:data"])),
            ),
            Some(None) => Some(Err(unknown_arg(r, "nat_gateways"))),
            None => Some(Err(
                "nat_gateways not set: CDK creates one NAT gateway per AZ; set it to price the VPC"
                    .into(),
            )),
        }
    }

    fn load_balancer(&mut self, r: &Resource) -> Outcome {
        let ty = match r.class() {
            "ApplicationLoadBalancer" => "application".to_string(),
            "NetworkLoadBalancer" => "network".to_string(),
            _ => match r.get_first(&["load_balancer_type", "type"]) {
                Some(t) => t
                    .as_str()
                    .ok_or_else(|| unknown_arg(r, "load_balancer_type"))?
                    .to_string(),
                None => "application".into(),
            },
        };
        match ty.as_str() {
            "application" => self
                .fixed("application load balancer", "alb", 1.0)
                .and_then(|_| self.usage(&["alb:lcu"])),
            "network" => self
                .fixed("network load balancer", "nlb", 1.0)
                .and_then(|_| self.usage(&["nlb:nlcu"])),
            other => Err(format!(
                "load balancer type `{other}` is not in the price table"
            )),
        }
    }

    fn eks(&mut self, r: &Resource) -> Outcome {
        self.fixed("EKS control plane", "eks", 1.0)?;
        if r.framework != Framework::Cdk || r.class() != "Cluster" {
            return Ok(());
        }
        // CDK's eks.Cluster adds 2 x m5.large nodes unless told otherwise.
        let count = match r.get("default_capacity") {
            None => 2,
            Some(n) => n
                .as_int()
                .ok_or_else(|| unknown_arg(r, "default_capacity"))?,
        };
        if count == 0 {
            return Ok(());
        }
        let ty = match r.get("default_capacity_instance") {
            None => "m5.large".to_string(),
            Some(t) => {
                instance_type(Some(t)).ok_or_else(|| unknown_arg(r, "default_capacity_instance"))?
            }
        };
        if r.get("default_capacity").is_none() {
            self.notes.push(
                "CDK default capacity: 2 x m5.large nodes (default_capacity=0 removes them)".into(),
            );
        }
        self.fixed(
            format!("{count} x {ty} node"),
            &format!("ec2:{ty}"),
            count as f64,
        )
    }

    fn rds(&mut self, r: &Resource) -> Outcome {
        let class = match r.get_first(&["instance_class", "db_instance_class"]) {
            Some(c) => c.as_str().map(str::to_string),
            None => instance_type(r.get("instance_type")).map(|t| format!("db.{t}")),
        }
        .ok_or_else(|| unknown_arg(r, "instance_class"))?;
        let engine = engine_family(r.get("engine")).ok_or_else(|| unknown_arg(r, "engine"))?;
        let multi = match r.get("multi_az") {
            None => false,
            Some(m) => m.as_bool().ok_or_else(|| unknown_arg(r, "multi_az"))?,
        };
        let factor = if multi { 2.0 } else { 1.0 };
        if multi {
            self.notes
                .push("Multi-AZ: instance and storage billed twice".into());
        }
        self.fixed(
            format!("{class} {engine}{}", if multi { " Multi-AZ" } else { "" }),
            &format!("rds:{class}:{engine}"),
            factor,
        )?;
        let storage = match r.get("allocated_storage") {
            Some(s) => s
                .as_f64()
                .ok_or_else(|| unknown_arg(r, "allocated_storage"))?,
            None if r.framework == Framework::Cdk => {
                self.notes
                    .push("allocated_storage not set: CDK default 100 GB".into());
                100.0
            }
            None => return Err(unknown_arg(r, "allocated_storage")),
        };
        let st = match r.get("storage_type") {
            Some(t) => t
                .as_str()
                .map(str::to_string)
                .or_else(|| t.member().map(|m| m.to_ascii_lowercase()))
                .ok_or_else(|| unknown_arg(r, "storage_type"))?,
            None => "gp2".into(),
        };
        self.fixed(
            format!("{storage} GB {st} storage"),
            &format!("rds-storage:{st}"),
            storage * factor,
        )
    }

    fn elasticache(&mut self, r: &Resource) -> Outcome {
        let node = r
            .get_first(&["node_type", "cache_node_type"])
            .and_then(Expr::as_str)
            .ok_or_else(|| unknown_arg(r, "node_type"))?
            .to_string();
        let n = match r.get_first(&["num_cache_nodes", "num_cache_clusters"]) {
            Some(n) => n
                .as_int()
                .ok_or_else(|| unknown_arg(r, "num_cache_nodes"))?,
            None => 1,
        };
        self.fixed(
            format!("{n} x {node}"),
            &format!("elasticache:{node}"),
            n as f64,
        )
    }

    fn dynamo(&mut self, r: &Resource) -> Outcome {
        let mode = r.get("billing_mode");
        let on_demand = match mode {
            Some(m) => match m.as_str().or_else(|| m.member()) {
                Some(s) => matches!(s, "PAY_PER_REQUEST" | "ON_DEMAND"),
                None => return Err(unknown_arg(r, "billing_mode")),
            },
            None => false,
        };
        if on_demand {
            return self.usage(&["dynamodb:write", "dynamodb:read", "dynamodb:storage"]);
        }
        let cap = |names: &[&str]| r.get_first(names).and_then(Expr::as_f64);
        let (rcu, wcu) = match (
            cap(&["read_capacity"]),
            cap(&["write_capacity"]),
            r.framework == Framework::Cdk,
        ) {
            (Some(rc), Some(wc), _) => (rc, wc),
            (None, None, true) => {
                self.notes
                    .push("provisioned capacity not set: CDK default 5 RCU / 5 WCU".into());
                (5.0, 5.0)
            }
            _ => return Err(unknown_arg(r, "read_capacity / write_capacity")),
        };
        self.fixed(format!("{wcu} WCU"), "dynamodb:wcu", wcu)?;
        self.fixed(format!("{rcu} RCU"), "dynamodb:rcu", rcu)?;
        self.usage(&["dynamodb:storage"])
    }

    fn gcp_disk(&mut self, r: &Resource) -> Outcome {
        let size = r
            .get("size")
            .and_then(Expr::as_f64)
            .ok_or_else(|| unknown_arg(r, "size"))?;
        let ty = match r.get("type") {
            Some(t) => t
                .as_str()
                .ok_or_else(|| unknown_arg(r, "type"))?
                .to_string(),
            None => "pd-standard".into(),
        };
        self.fixed(format!("{size} GB {ty}"), &format!("pd:{ty}"), size)
    }

    fn cloud_sql(&mut self, r: &Resource) -> Outcome {
        let settings = r
            .get("settings")
            .ok_or_else(|| unknown_arg(r, "settings"))?;
        let tier = settings
            .get("tier")
            .and_then(Expr::as_str)
            .ok_or_else(|| unknown_arg(r, "settings.tier"))?;
        if let Some(rest) = tier.strip_prefix("db-custom-") {
            let (cpu, mem) = rest
                .split_once('-')
                .and_then(|(c, m)| Some((c.parse::<f64>().ok()?, m.parse::<f64>().ok()?)))
                .ok_or_else(|| format!("tier `{tier}` is not db-custom-CPUS-MEMORY_MB"))?;
            self.fixed(format!("{cpu} vCPU"), "cloudsql:vcpu", cpu)?;
            self.fixed(
                format!("{} GB memory", mem / 1024.0),
                "cloudsql:memory",
                mem / 1024.0,
            )?;
        } else {
            self.fixed(format!("{tier} instance"), &format!("cloudsql:{tier}"), 1.0)?;
        }
        let size = match settings.get("disk_size") {
            Some(s) => s
                .as_f64()
                .ok_or_else(|| unknown_arg(r, "settings.disk_size"))?,
            None => 10.0,
        };
        let ty = match settings.get("disk_type") {
            Some(t) => t
                .as_str()
                .ok_or_else(|| unknown_arg(r, "settings.disk_type"))?
                .to_string(),
            None => "PD_SSD".into(),
        };
        self.fixed(
            format!("{size} GB {ty}"),
            &format!("cloudsql-storage:{ty}"),
            size,
        )
    }

    fn memorystore(&mut self, r: &Resource) -> Outcome {
        let gb = r
            .get("memory_size_gb")
            .and_then(Expr::as_f64)
            .ok_or_else(|| unknown_arg(r, "memory_size_gb"))?;
        let tier = match r.get("tier") {
            Some(t) => t
                .as_str()
                .ok_or_else(|| unknown_arg(r, "tier"))?
                .to_string(),
            None => "BASIC".into(),
        };
        let (price, row, overridden) = self.lookup(&format!("memorystore:{tier}"))?;
        self.lines.push(CostLine {
            what: format!("{gb} GB {tier}"),
            sku: format!("memorystore:{tier}"),
            quantity: gb,
            unit: "GB-hour".into(),
            unit_price: price,
            monthly: price * gb * self.table.hours_per_month,
            source: row.source.clone(),
            date: row.date.clone(),
            overridden,
        });
        Ok(())
    }

    fn azure_vm(&mut self, r: &Resource) -> Outcome {
        let size = r
            .get("hardware_profile")
            .and_then(|h| h.get("vm_size"))
            .or_else(|| r.get_first(&["size", "vm_size"]))
            .and_then(|s| {
                s.as_str()
                    .map(str::to_string)
                    .or_else(|| s.member().map(str::to_string))
            })
            .ok_or_else(|| unknown_arg(r, "vm_size"))?;
        self.fixed(format!("{size} VM"), &format!("azure-vm:{size}"), 1.0)
    }

    fn aks(&mut self, r: &Resource) -> Outcome {
        let tier = r
            .get("sku")
            .and_then(|s| s.get("tier"))
            .or_else(|| r.get("sku_tier"))
            .map(|t| {
                t.as_str()
                    .map(str::to_string)
                    .or_else(|| t.member().map(str::to_string))
            });
        let tier = match tier {
            Some(Some(t)) => t.to_ascii_lowercase(),
            Some(None) => return Err(unknown_arg(r, "sku.tier")),
            None => "free".into(),
        };
        self.notes
            .push("node pools are priced as VMs, not included here".into());
        self.fixed(format!("AKS {tier} tier"), &format!("aks:{tier}"), 1.0)
    }
}

impl Resource {
    fn get_first(&self, names: &[&str]) -> Option<&Expr> {
        names.iter().find_map(|n| self.get(n))
    }
}

fn unknown_arg(r: &Resource, name: &str) -> String {
    let base = name.split('.').next().unwrap_or(name);
    match r.get(base) {
        Some(v) => format!("`{name}` is {}, not known statically", v.display()),
        None => format!("`{name}` is not set"),
    }
}

/// `"t3.medium"`, `ec2.InstanceType("t3.medium")`,
/// `ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE3, ec2.InstanceSize.MEDIUM)`.
pub fn instance_type(e: Option<&Expr>) -> Option<String> {
    let e = e?;
    if let Some(s) = e.as_str() {
        return Some(s.to_string());
    }
    let callee = e.callee()?;
    if callee.ends_with("InstanceType") {
        return e.positional(0).and_then(Expr::as_str).map(str::to_string);
    }
    if callee.ends_with("InstanceType.of") {
        let class = cdk_instance_class(e.positional(0)?.member()?)?;
        let size = cdk_instance_size(e.positional(1)?.member()?)?;
        return Some(format!("{class}.{size}"));
    }
    None
}

fn cdk_instance_class(m: &str) -> Option<&'static str> {
    Some(match m {
        "BURSTABLE2" | "T2" => "t2",
        "BURSTABLE3" | "T3" => "t3",
        "BURSTABLE3_AMD" | "T3A" => "t3a",
        "BURSTABLE4_GRAVITON" | "T4G" => "t4g",
        "STANDARD5" | "M5" => "m5",
        "STANDARD6_INTEL" | "M6I" => "m6i",
        "STANDARD6_GRAVITON" | "M6G" => "m6g",
        "COMPUTE5" | "C5" => "c5",
        "COMPUTE6_INTEL" | "C6I" => "c6i",
        "MEMORY5" | "R5" => "r5",
        "MEMORY6_GRAVITON" | "R6G" => "r6g",
        _ => return None,
    })
}

fn cdk_instance_size(m: &str) -> Option<String> {
    Some(match m {
        "NANO" => "nano".into(),
        "MICRO" => "micro".into(),
        "SMALL" => "small".into(),
        "MEDIUM" => "medium".into(),
        "LARGE" => "large".into(),
        "XLARGE" => "xlarge".into(),
        other => {
            let n = other.strip_prefix("XLARGE")?;
            n.parse::<u32>().ok()?;
            format!("{n}xlarge")
        }
    })
}

fn cdk_volume_type(m: &str) -> String {
    match m {
        "GENERAL_PURPOSE_SSD" | "GP2" => "gp2",
        "GENERAL_PURPOSE_SSD_GP3" | "GP3" => "gp3",
        "PROVISIONED_IOPS_SSD" | "IO1" => "io1",
        "THROUGHPUT_OPTIMIZED_HDD" | "ST1" => "st1",
        "COLD_HDD" | "SC1" => "sc1",
        other => return other.to_ascii_lowercase(),
    }
    .into()
}

/// `"postgres"`, `rds.DatabaseInstanceEngine.postgres(...)`, `…POSTGRES`.
fn engine_family(e: Option<&Expr>) -> Option<&'static str> {
    let e = e?;
    let text = match &e.v {
        V::Str(s) => s.to_ascii_lowercase(),
        V::Call { callee, .. } => callee.rsplit('.').next()?.to_ascii_lowercase(),
        V::Enum(m) => m.rsplit('.').next()?.to_ascii_lowercase(),
        _ => return None,
    };
    if text.starts_with("postgres") {
        Some("postgres")
    } else if text.starts_with("mysql") || text.starts_with("maria") {
        Some("mysql")
    } else {
        None
    }
}

/// Sum of the fixed monthly costs, and how many resources are usage-priced
/// or unpriced.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub monthly: f64,
    pub priced: usize,
    pub usage_only: usize,
    pub unpriced: usize,
}

pub fn totals<'e>(estimates: impl IntoIterator<Item = &'e Estimate>) -> Totals {
    let mut t = Totals::default();
    for e in estimates {
        match (&e.unpriced, e.monthly) {
            (Some(_), _) => t.unpriced += 1,
            (None, Some(m)) => {
                t.monthly += m;
                t.priced += 1;
            }
            (None, None) => t.usage_only += 1,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses_and_every_row_has_a_source_and_date() {
        let t = PriceTable::parse(TABLE_TEXT).expect("prices.toml parses");
        assert!(t.len() > 80, "{} rows", t.len());
        assert_eq!(t.hours_per_month, 730.0);
        for (sku, r) in &t.rows {
            assert!(r.source.starts_with("https://"), "{sku}");
            assert!(r.date.len() == 10, "{sku}: date {}", r.date);
            assert!(!r.prices.is_empty(), "{sku}");
        }
    }
}
