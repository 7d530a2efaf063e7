//! IAC001–IAC003 (ingress open to the internet) and IAC022 (EKS endpoint).

use super::model;
use crate::iac::{Cloud, Expr, Framework, Kind, Resource, V};
use crate::index::last_segment;
use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;

pub static IAC001: RuleMeta = RuleMeta {
    id: "IAC001",
    name: "ssh-open-to-world",
    category: Category::Iac,
    severity: Severity::High,
    summary: "Ingress from 0.0.0.0/0 or ::/0 to port 22 (SSH)",
    peers: &[
        "CKV_AWS_24",
        "CKV_GCP_2",
        "CKV_AZURE_10",
        "AwsSolutions-EC23",
        "AVD-AWS-0107",
    ],
    fixable: false,
    check: check_ssh,
    docs: r#"
## What it does
Flags security group, firewall and NSG ingress rules that let any address
(`0.0.0.0/0`, `::/0`, `*`, `Internet`) reach port 22 (a rule covering all
ports is IAC003 instead).

Recognised: Pulumi `aws.ec2.SecurityGroup(ingress=[...])` (dicts or
`SecurityGroupIngressArgs`), `aws.ec2.SecurityGroupRule(type="ingress")`,
`aws.vpc.SecurityGroupIngressRule`; CDK `add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(22))`,
`connections.allow_from_any_ipv4(...)`, `allow_from(...)`, `CfnSecurityGroup`,
`CfnSecurityGroupIngress`; CDKTF `SecurityGroup` / `SecurityGroupRule` /
`VpcSecurityGroupIngressRule`; GCP `compute.Firewall`; Azure security rules.
Egress rules and route tables with destination `0.0.0.0/0` are not ingress and
are never flagged.

## Why is this bad?
SSH open to the internet is scanned within minutes and brute-forced around the
clock; one weak key or an unpatched sshd gives an attacker a shell.

## Example
```python
aws.ec2.SecurityGroup("bastion", ingress=[{"protocol": "tcp", "from_port": 22,
    "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}])
```

Use instead:
```python
aws.ec2.SecurityGroup("bastion", ingress=[{"protocol": "tcp", "from_port": 22,
    "to_port": 22, "cidr_blocks": [OFFICE_CIDR]}])
```

## How to fix
Restrict the source to known ranges, or remove SSH and use SSM Session Manager
/ IAP / Bastion. A rule covering all ports is IAC003 instead.
"#,
};

pub static IAC002: RuleMeta = RuleMeta {
    id: "IAC002",
    name: "rdp-open-to-world",
    category: Category::Iac,
    severity: Severity::High,
    summary: "Ingress from 0.0.0.0/0 or ::/0 to port 3389 (RDP)",
    peers: &[
        "CKV_AWS_25",
        "CKV_GCP_3",
        "CKV_AZURE_9",
        "AwsSolutions-EC23",
        "AVD-AWS-0107",
    ],
    fixable: false,
    check: check_rdp,
    docs: r#"
## What it does
Flags ingress rules that let any address reach port 3389 (Remote Desktop).

## Why is this bad?
RDP exposed to the internet is one of the most common ransomware entry points.

## Example
```python
sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(3389))
```

Use instead:
```python
sg.add_ingress_rule(ec2.Peer.ipv4(ADMIN_CIDR), ec2.Port.tcp(3389))
```

## How to fix
Restrict the source range, or reach the host through a VPN or Fleet Manager.
"#,
};

pub static IAC003: RuleMeta = RuleMeta {
    id: "IAC003",
    name: "all-ports-open-to-world",
    category: Category::Iac,
    severity: Severity::High,
    summary: "Ingress from 0.0.0.0/0 or ::/0 on all ports or protocol -1",
    peers: &["CKV_AWS_277", "AwsSolutions-EC23"],
    fixable: false,
    check: check_all_ports,
    docs: r#"
## What it does
Flags ingress rules open to any address on every port (protocol `-1`/`all`,
port range 0–65535, CDK `Port.all_traffic()` / `Port.all_tcp()`).

## Why is this bad?
Every service on the instance, including ones bound by accident (databases,
debug servers, metadata proxies), is reachable from the internet.

## Example
```python
aws.ec2.SecurityGroupRule("all", type="ingress", protocol="-1", from_port=0,
    to_port=0, cidr_blocks=["0.0.0.0/0"], security_group_id=sg.id)
```

Use instead:
```python
aws.ec2.SecurityGroupRule("https", type="ingress", protocol="tcp", from_port=443,
    to_port=443, cidr_blocks=["0.0.0.0/0"], security_group_id=sg.id)
```

## How to fix
Open only the ports the service needs. Public 80/443 for a load balancer is fine.
"#,
};

pub static IAC022: RuleMeta = RuleMeta {
    id: "IAC022",
    name: "eks-public-endpoint",
    category: Category::Iac,
    severity: Severity::High,
    summary: "EKS API endpoint public and open to 0.0.0.0/0",
    peers: &["CKV_AWS_38", "CKV_AWS_39", "AwsSolutions-EKS1"],
    fixable: false,
    check: check_eks,
    docs: r#"
## What it does
Flags EKS clusters whose Kubernetes API endpoint is public without a CIDR
restriction: Pulumi/CDKTF `vpc_config` without `endpoint_public_access=False`
and without `public_access_cidrs` (the defaults are public and `0.0.0.0/0`);
CDK `eks.Cluster` without `endpoint_access` (default `PUBLIC_AND_PRIVATE`) or with
`PUBLIC`/`PUBLIC_AND_PRIVATE` not narrowed by `.only([...])`.

## Why is this bad?
The API server is the cluster's control plane; exposing it to the internet
leaves only authentication between an attacker and the cluster.

## Example
```python
eks.Cluster(self, "Cluster", version=eks.KubernetesVersion.V1_30)
```

Use instead:
```python
eks.Cluster(self, "Cluster", version=eks.KubernetesVersion.V1_30,
            endpoint_access=eks.EndpointAccess.PRIVATE)
```

## How to fix
Make the endpoint private, or restrict it: `EndpointAccess.PUBLIC_AND_PRIVATE.only(["203.0.113.0/24"])`,
`public_access_cidrs=[...]`.
"#,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ports {
    All,
    Range(i64, i64),
}

struct Ingress {
    range: TextRange,
    source: String,
    ports: Ports,
    owner: String,
}

fn check_ssh(cx: &mut Checker) {
    report_port(cx, 22, "SSH");
}

fn check_rdp(cx: &mut Checker) {
    report_port(cx, 3389, "RDP");
}

fn report_port(cx: &mut Checker, port: i64, what: &str) {
    let Some(m) = model(cx) else { return };
    for i in ingresses(&m.resources) {
        if let Ports::Range(a, b) = i.ports {
            if a <= port && port <= b {
                let ports = if a == b {
                    format!("port {a}")
                } else {
                    format!("ports {a}-{b}")
                };
                cx.report(
                    i.range,
                    format!(
                        "{} allows ingress from {} to {ports} ({what}); restrict the source range",
                        i.owner, i.source
                    ),
                );
            }
        }
    }
}

fn check_all_ports(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for i in ingresses(&m.resources) {
        if i.ports == Ports::All {
            cx.report(
                i.range,
                format!(
                    "{} allows ingress from {} on all ports; open only the ports the service needs",
                    i.owner, i.source
                ),
            );
        }
    }
}

const OPEN: &[&str] = &[
    "0.0.0.0/0",
    "::/0",
    "*",
    "Internet",
    "internet",
    "Any",
    "any",
];

fn open_source(values: &[&str]) -> Option<String> {
    values
        .iter()
        .find(|v| OPEN.contains(v))
        .map(|v| format!("`{v}`"))
}

fn ingresses(resources: &[Resource]) -> Vec<Ingress> {
    let mut out = Vec::new();
    for r in resources {
        let owner = r.describe();
        match r.kind {
            Kind::SecurityGroup => {
                let list = r.get("ingress").or_else(|| r.get("security_group_ingress"));
                for item in list.map(Expr::items).unwrap_or_default() {
                    if let Some(i) = aws_rule(item, item.range, &owner) {
                        out.push(i);
                    }
                }
            }
            Kind::SgRule if r.get("type").and_then(Expr::as_str) == Some("ingress") => {
                if let Some(i) = aws_rule_props(r, &owner) {
                    out.push(i);
                }
            }
            Kind::SgIngressRule => {
                if let Some(i) = aws_rule_props(r, &owner) {
                    out.push(i);
                }
            }
            Kind::GcpFirewall => out.extend(gcp_firewall(r, &owner)),
            Kind::AzureSecurityRule => {
                if let Some(i) = azure_rule(&RuleView::Res(r), r.callee_range, &owner) {
                    out.push(i);
                }
            }
            Kind::AzureNsg => {
                for item in r.get("security_rules").map(Expr::items).unwrap_or_default() {
                    if let Some(i) = azure_rule(&RuleView::Expr(item), item.range, &owner) {
                        out.push(i);
                    }
                }
            }
            _ => {}
        }
        if r.framework == Framework::Cdk {
            out.extend(cdk_methods(r, &owner));
        }
    }
    out
}

/// A resource's props or a nested dict/args, read alike.
enum RuleView<'a> {
    Res(&'a Resource),
    Expr(&'a Expr),
}

impl RuleView<'_> {
    fn get(&self, k: &str) -> Option<&Expr> {
        match self {
            RuleView::Res(r) => r.get(k),
            RuleView::Expr(e) => e.get(k),
        }
    }
}

fn aws_rule(item: &Expr, range: TextRange, owner: &str) -> Option<Ingress> {
    aws_rule_view(&RuleView::Expr(item), range, owner)
}

fn aws_rule_props(r: &Resource, owner: &str) -> Option<Ingress> {
    aws_rule_view(&RuleView::Res(r), r.callee_range, owner)
}

fn aws_rule_view(v: &RuleView, range: TextRange, owner: &str) -> Option<Ingress> {
    let mut cidrs: Vec<&str> = Vec::new();
    for k in [
        "cidr_blocks",
        "ipv6_cidr_blocks",
        "cidr_ipv4",
        "cidr_ipv6",
        "cidr_ip",
        "cidr_ipv6",
        "cidrIp",
        "cidrIpv6",
    ] {
        if let Some(e) = v.get(k) {
            cidrs.extend(e.strings());
        }
    }
    let source = open_source(&cidrs)?;
    let protocol = v
        .get("protocol")
        .or_else(|| v.get("ip_protocol"))
        .and_then(|p| {
            p.as_str()
                .map(str::to_string)
                .or_else(|| p.as_int().map(|i| i.to_string()))
        });
    let from = v.get("from_port").and_then(Expr::as_int);
    let to = v.get("to_port").and_then(Expr::as_int);
    let ports = match protocol.as_deref() {
        Some("-1") | Some("all") => Ports::All,
        Some("icmp") | Some("icmpv6") | Some("1") | Some("58") => return None,
        _ => match (from, to) {
            (Some(0), Some(65535)) | (Some(0), Some(0)) if protocol.is_none() => Ports::All,
            (Some(0), Some(65535)) => Ports::All,
            (Some(a), Some(b)) => Ports::Range(a, b),
            (Some(a), None) => Ports::Range(a, a),
            _ => return None,
        },
    };
    Some(Ingress {
        range,
        source,
        ports,
        owner: owner.to_string(),
    })
}

fn gcp_firewall(r: &Resource, owner: &str) -> Vec<Ingress> {
    let direction = r
        .get("direction")
        .and_then(Expr::as_str)
        .unwrap_or("INGRESS");
    if direction != "INGRESS" {
        return Vec::new();
    }
    let ranges = r
        .get("source_ranges")
        .map(Expr::strings)
        .unwrap_or_default();
    let Some(source) = open_source(&ranges) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for allow in r
        .get("allows")
        .or_else(|| r.get("allow"))
        .map(Expr::items)
        .unwrap_or_default()
    {
        let protocol = allow.get("protocol").and_then(Expr::as_str).unwrap_or("");
        let ports = allow.get("ports").map(Expr::strings).unwrap_or_default();
        let mk = |p| Ingress {
            range: allow.range,
            source: source.clone(),
            ports: p,
            owner: owner.to_string(),
        };
        if protocol == "all" || (ports.is_empty() && matches!(protocol, "tcp" | "udp")) {
            out.push(mk(Ports::All));
            continue;
        }
        for p in ports {
            if let Some(range) = port_range(p) {
                out.push(mk(range));
            }
        }
    }
    out
}

fn port_range(p: &str) -> Option<Ports> {
    if p == "*" {
        return Some(Ports::All);
    }
    let (a, b) = match p.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let n = p.trim().parse().ok()?;
            (n, n)
        }
    };
    Some(if (a, b) == (0, 65535) || (a, b) == (1, 65535) {
        Ports::All
    } else {
        Ports::Range(a, b)
    })
}

fn azure_rule(v: &RuleView, range: TextRange, owner: &str) -> Option<Ingress> {
    let s = |k: &str| {
        v.get(k).and_then(|e| {
            e.as_str()
                .map(str::to_string)
                .or_else(|| e.member().map(str::to_string))
        })
    };
    if !s("direction").is_some_and(|d| d.eq_ignore_ascii_case("inbound"))
        || !s("access").is_some_and(|a| a.eq_ignore_ascii_case("allow"))
    {
        return None;
    }
    let mut sources: Vec<&str> = Vec::new();
    for k in ["source_address_prefix", "source_address_prefixes"] {
        if let Some(e) = v.get(k) {
            sources.extend(e.strings());
        }
    }
    let source = open_source(&sources)?;
    let mut ports: Vec<&str> = Vec::new();
    for k in ["destination_port_range", "destination_port_ranges"] {
        if let Some(e) = v.get(k) {
            ports.extend(e.strings());
        }
    }
    let ports = ports
        .iter()
        .filter_map(|p| port_range(p))
        .fold(None, |acc, p| match (acc, p) {
            (Some(Ports::All), _) | (_, Ports::All) => Some(Ports::All),
            (None, p) => Some(p),
            (Some(Ports::Range(a, b)), Ports::Range(c, d)) => {
                Some(Ports::Range(a.min(c), b.max(d)))
            }
        })?;
    Some(Ingress {
        range,
        source,
        ports,
        owner: owner.to_string(),
    })
}

/// CDK `add_ingress_rule(peer, port)`, `connections.allow_from(peer, port)`,
/// `connections.allow_from_any_ipv4(port)`.
fn cdk_methods(r: &Resource, owner: &str) -> Vec<Ingress> {
    let mut out = Vec::new();
    for m in &r.methods {
        let name = last_segment(&m.name);
        let pos = |i: usize| {
            m.args
                .iter()
                .filter(|a| a.name.is_none())
                .nth(i)
                .map(|a| &a.value)
        };
        let kw = |k: &str| {
            m.args
                .iter()
                .find(|a| a.name.as_deref() == Some(k))
                .map(|a| &a.value)
        };
        let (source, port) = match name {
            "add_ingress_rule" | "allow_from" => (
                pos(0)
                    .or_else(|| kw("peer"))
                    .or_else(|| kw("other"))
                    .and_then(cdk_peer),
                pos(1)
                    .or_else(|| kw("connection"))
                    .or_else(|| kw("port_range")),
            ),
            "allow_from_any_ipv4" => (
                Some("`0.0.0.0/0`".to_string()),
                pos(0).or_else(|| kw("port_range")),
            ),
            _ => continue,
        };
        let (Some(source), Some(port)) = (source, port) else {
            continue;
        };
        let Some(ports) = cdk_port(port) else {
            continue;
        };
        out.push(Ingress {
            range: m.range,
            source,
            ports,
            owner: owner.to_string(),
        });
    }
    out
}

fn cdk_peer(e: &Expr) -> Option<String> {
    let callee = e.callee()?;
    if callee.ends_with("Peer.any_ipv4") {
        return Some("`0.0.0.0/0`".into());
    }
    if callee.ends_with("Peer.any_ipv6") {
        return Some("`::/0`".into());
    }
    if callee.ends_with("Peer.ipv4") || callee.ends_with("Peer.ipv6") {
        return open_source(&e.positional(0)?.strings());
    }
    None
}

fn cdk_port(e: &Expr) -> Option<Ports> {
    let callee = e.callee()?;
    let last = last_segment(callee);
    let n = |i| e.positional(i).and_then(Expr::as_int);
    match last {
        "all_traffic" | "all_tcp" | "all_udp" => Some(Ports::All),
        "tcp" | "udp" => Some(Ports::Range(n(0)?, n(0)?)),
        "tcp_range" | "udp_range" => {
            let (a, b) = (n(0)?, n(1)?);
            Some(if (a, b) == (0, 65535) {
                Ports::All
            } else {
                Ports::Range(a, b)
            })
        }
        _ => None,
    }
}

fn check_eks(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in m
        .resources
        .iter()
        .filter(|r| r.kind == Kind::EksCluster && r.cloud == Cloud::Aws)
    {
        if r.framework == Framework::Cdk && !r.class().starts_with("Cfn") {
            let msg = match r.get("endpoint_access") {
                None => Some((r.callee_range, "`endpoint_access` is not set: the default PUBLIC_AND_PRIVATE exposes the API endpoint to 0.0.0.0/0".to_string())),
                Some(e) => match &e.v {
                    V::Enum(m) if m.ends_with(".PRIVATE") => None,
                    V::Enum(m) => Some((e.range, format!("`endpoint_access={}` exposes the API endpoint to 0.0.0.0/0", crate::iac::expr::short_enum(m)))),
                    V::Call { callee, .. } if callee.ends_with(".only") => {
                        let cidrs = e.positional(0).map(Expr::strings).unwrap_or_default();
                        open_source(&cidrs).map(|s| (e.range, format!("`endpoint_access` allows {s}")))
                    }
                    _ => None,
                },
            };
            if let Some((range, msg)) = msg {
                cx.report(range, format!("{}: {msg}", r.describe()));
            }
            continue;
        }
        let vpc = r
            .get("vpc_config")
            .or_else(|| r.get("resources_vpc_config"));
        let public = vpc.and_then(|v| v.get("endpoint_public_access"));
        if super::is_false(public) || public.is_some_and(|p| !p.is_known()) {
            continue;
        }
        let cidrs = vpc.and_then(|v| v.get("public_access_cidrs"));
        let open = match cidrs {
            None => Some("`0.0.0.0/0` (the default)".to_string()),
            Some(c) => open_source(&c.strings()),
        };
        if let Some(src) = open {
            let range = cidrs
                .map(|c| c.range)
                .or(vpc.map(|v| v.range))
                .unwrap_or(r.callee_range);
            cx.report(
                range,
                format!(
                    "{}: the public API endpoint is open to {src}; set `endpoint_public_access=False` or `public_access_cidrs`",
                    r.describe()
                ),
            );
        }
    }
}
