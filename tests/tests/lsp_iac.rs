//! IaC over real LSP: code lenses (per resource and the stack total), hover
//! on a constructor (type and cost), `devopsIntel/resourceGraph`, IAC
//! diagnostics; and the `iac cost` / `iac validate` commands.

use devops_intel_e2e::*;
use serde_json::{json, Value};

const STACK: &str = r#"import pulumi
import pulumi_aws as aws

sg = aws.ec2.SecurityGroup(
    "web",
    ingress=[{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}],
)
web_a = aws.ec2.Instance("web-a", instance_type="t3.medium", ami="ami-1", vpc_security_group_ids=[sg.id])
web_b = aws.ec2.Instance("web-b", instance_type="t3.medium", ami="ami-1", vpc_security_group_ids=[sg.id])
nat = aws.ec2.NatGateway("nat", subnet_id="subnet-1")
db = aws.rds.Instance("db", instance_class="db.t4g.small", engine="postgres", allocated_storage=20)
build = aws.ec2.Instance("build", instance_type="t9.huge", ami="ami-1")
"#;

/// 2 x t3.medium + NAT gateway + db.t4g.small + 20 GB gp2, us-east-1.
const TOTAL: &str = "$119.25";

fn open_stack() -> (TempWorkspace, LspClient, String) {
    let ws = TempWorkspace::with_files(&[("infra/__main__.py", STACK)]);
    let (mut c, init) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    assert!(
        init["capabilities"]["codeLensProvider"].is_object(),
        "code lens capability expected: {init}"
    );
    let uri = ws.uri("infra/__main__.py");
    c.did_open(&uri, STACK, 1);
    c.wait_diagnostics_version(&uri, 1);
    (ws, c, uri)
}

#[test]
fn code_lenses_show_each_resource_and_the_stack_total() {
    let (_ws, mut c, uri) = open_stack();
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("codeLens");
    let lenses = lenses.as_array().expect("array of lenses").clone();
    let titled: Vec<(u64, String)> = lenses
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap_or(999),
                l["command"]["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        titled,
        vec![
            (
                0,
                format!("Stack: {TOTAL}/month fixed (4 priced, 0 usage-priced, 1 unpriced)")
            ),
            (7, "$30.37/month".to_string()),
            (8, "$30.37/month".to_string()),
            (9, "$32.85/month + usage".to_string()),
            (10, "$25.66/month".to_string()),
            (
                11,
                "unpriced: `ec2:t9.huge` is not in the price table".to_string()
            ),
        ],
        "{lenses:#?}"
    );
    // The lens sits on the constructor (`aws.rds.Instance`).
    let db = &lenses[4]["range"];
    assert_eq!(
        (
            db["start"]["character"].as_u64(),
            db["end"]["character"].as_u64()
        ),
        (Some(5), Some(21))
    );
}

#[test]
fn hover_on_a_constructor_shows_type_and_cost() {
    let (_ws, mut c, uri) = open_stack();
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 10, "character": 12}}),
        )
        .expect("hover");
    let text = h["contents"]["value"].as_str().unwrap_or("");
    for needle in [
        "**rds.Instance** `db`",
        "aws:rds/instance:Instance",
        "region us-east-1 from default",
        "$25.66/month",
        "db.t4g.small postgres: 1 × $0.032/hour = $23.36/month",
        "20 GB gp2 storage: 20 × $0.115/GB-month = $2.30/month",
    ] {
        assert!(text.contains(needle), "hover lacks {needle:?}:\n{text}");
    }
    // On the security group: the IAC001 finding's docs and the resource.
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 20}}),
        )
        .expect("hover");
    let text = h["contents"]["value"].as_str().unwrap_or("");
    assert!(text.contains("IAC001"), "{text}");
    assert!(text.contains("**ec2.SecurityGroup** `web`"), "{text}");
}

#[test]
fn diagnostics_include_iac_findings_with_exact_ranges() {
    let ws = TempWorkspace::with_files(&[("infra/__main__.py", STACK)]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("infra/__main__.py");
    c.did_open(&uri, STACK, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    let keys = diag_keys(&p);
    // The ingress dict on line 6, columns of `{"protocol": … }`.
    let line = STACK.lines().nth(5).expect("line 6");
    let (s, _) = span_of(line, "{\"protocol\"", Enc::Utf16);
    let iac001: Vec<_> = keys.iter().filter(|k| k.0 == "IAC001").collect();
    assert_eq!(iac001.len(), 1, "{p}");
    assert_eq!(iac001[0].1 .0, 5);
    assert_eq!(iac001[0].1 .1, s);
    assert!(keys.iter().any(|k| k.0 == "IAC014" && k.1 .0 == 7), "{p}");
}

#[test]
fn resource_graph_has_resources_costs_findings_and_references() {
    let (_ws, mut c, uri) = open_stack();
    let g = c
        .request(
            "devopsIntel/resourceGraph",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("resourceGraph");
    assert_eq!(g["kind"], "resources");
    let nodes = g["nodes"].as_array().expect("nodes");
    let ids: Vec<&str> = nodes.iter().filter_map(|n| n["id"].as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "infra:web",
            "infra:web-a",
            "infra:web-b",
            "infra:nat",
            "infra:db",
            "infra:build"
        ]
    );
    let web_a = &nodes[1];
    assert_eq!(web_a["kind"], "resource");
    assert_eq!(web_a["data"]["type"], "aws:ec2/instance:Instance");
    assert_eq!(web_a["data"]["logicalName"], "web-a");
    assert!((web_a["data"]["monthlyCost"].as_f64().unwrap_or(0.0) - 30.368).abs() < 1e-9);
    assert!(
        web_a["data"]["findings"].as_u64().unwrap_or(0) >= 2,
        "IAC013 + IAC014: {web_a}"
    );
    assert_eq!(web_a["range"]["start"]["line"], 7);
    assert!(same_uri(web_a["uri"].as_str().unwrap_or(""), &uri));
    assert_eq!(nodes[5]["data"]["monthlyCost"], Value::Null);
    let edges: Vec<(&str, &str, &str)> = g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap_or(""),
                e["to"].as_str().unwrap_or(""),
                e["data"]["via"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        edges,
        vec![
            ("infra:web-a", "infra:web", "vpc_security_group_ids"),
            ("infra:web-b", "infra:web", "vpc_security_group_ids"),
        ]
    );
    // Without a document: the whole workspace (the open file included).
    let all = c
        .request("devopsIntel/resourceGraph", json!({}))
        .expect("workspace graph");
    assert_eq!(all["nodes"].as_array().map(Vec::len), Some(6), "{all}");
}

#[test]
fn cli_iac_cost_and_validate() {
    let ws = TempWorkspace::with_files(&[("infra/__main__.py", STACK), ("tool.py", "import os\n")]);
    let out = run_cli(&["iac", "cost", "infra"], ws.root());
    assert_eq!(out.code(), Some(0), "{out:?}");
    assert!(
        out.stdout.contains(&format!(
            "Stack total: {TOTAL}/month fixed (4 priced, 0 usage-priced, 1 unpriced)"
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("t3.medium instance: 1 x $0.0416/hour x 730 h = $30.37"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("unpriced: `ec2:t9.huge` is not in the price table"),
        "{}",
        out.stdout
    );
    let out = run_cli(&["iac", "cost", ".", "--format", "json"], ws.root());
    let v: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    assert!(
        (v["total"]["monthly"].as_f64().unwrap_or(0.0) - 119.246).abs() < 1e-9,
        "{v}"
    );
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["hoursPerMonth"], 730.0);

    // Price override and region from the configuration.
    ws.write(
        "devops-intel.toml",
        "[prices]\nregion = \"us-west-2\"\noverride = { \"ec2:t3.medium\" = 0.05 }\n",
    );
    let out = run_cli(&["iac", "cost", "infra"], ws.root());
    assert!(
        out.stdout
            .contains("region us-west-2, from config [prices]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("$36.50 (override)"), "{}", out.stdout);
    ws.remove("devops-intel.toml");

    let out = run_cli(&["iac", "validate", "."], ws.root());
    assert_eq!(out.code(), Some(1), "{out:?}");
    assert!(out.stdout.contains("IAC001 [high]"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("SEC0"),
        "IaC findings only: {}",
        out.stdout
    );
    let out = run_cli(&["iac", "validate", ".", "--compliance"], ws.root());
    assert!(
        out.stdout.contains("CKV_AWS_24 (Checkov): 1 finding"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("AwsSolutions-EC23 (cdk-nag)"),
        "{}",
        out.stdout
    );
    let out = run_cli(
        &["iac", "validate", ".", "--fail-on", "critical"],
        ws.root(),
    );
    assert_eq!(
        out.code(),
        Some(0),
        "no critical finding in STACK: {}",
        out.stdout
    );
    let out = run_cli(&["iac", "validate", "missing-dir"], ws.root());
    assert_eq!(out.code(), Some(2));
}

/// The README documents the example stack's total; the CLI must agree.
#[test]
fn readme_demo_stack_total_matches_iac_cost() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let documented = readme
        .lines()
        .find(|l| l.trim_start().starts_with("Stack total: $"))
        .expect("README shows a stack total")
        .trim()
        .to_string();
    let out = run_cli(&["iac", "cost", "tests/workspaces/devops-demo"], &root);
    assert_eq!(out.code(), Some(0), "{out:?}");
    assert!(
        out.stdout.contains(&documented),
        "README says {documented:?}, CLI says:\n{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("from Pulumi.dev.yaml (aws:region)"),
        "{}",
        out.stdout
    );
    let check = run_cli(&["check", "tests/workspaces/devops-demo"], &root);
    for id in ["IAC001", "IAC014", "IAC012", "IAC016"] {
        assert!(
            check.stdout.contains(id),
            "`check` shows {id}: {}",
            check.stdout
        );
    }
}
