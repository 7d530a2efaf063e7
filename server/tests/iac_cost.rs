//! Cost estimates against hand-computed totals from the embedded table
//! (server/resources/pricing/prices.toml, us-east-1 unless stated):
//! t3.medium $0.0416/h, NAT gateway $0.045/h, db.t4g.small postgres $0.032/h,
//! RDS gp2 storage $0.115/GB-month; monthly = hourly x 730.

use devops_intel::iac::pricing::{estimate_file, totals, Estimate, PriceSettings, PriceTable};
use devops_intel::index::{analyze, FileSummary};
use devops_intel::rules::RuleSettings;
use std::path::Path;

const EXPECTED_STACK: f64 = 2.0 * 0.0416 * 730.0 + 0.045 * 730.0 + 0.032 * 730.0 + 20.0 * 0.115;

fn summary(path: &Path, text: &str) -> FileSummary {
    analyze(path, text, &RuleSettings::default())
}

fn estimates(path: &Path, text: &str, settings: &PriceSettings) -> (FileSummary, Vec<Estimate>) {
    let s = summary(path, text);
    let iac = s.iac.as_deref().expect("file has an IaC model");
    let e = estimate_file(iac, path, PriceTable::embedded(), settings);
    (s, e)
}

fn by_name<'a>(s: &FileSummary, est: &'a [Estimate], name: &str) -> &'a Estimate {
    let iac = s.iac.as_deref().expect("model");
    est.iter()
        .find(|e| iac.resources[e.resource as usize].label() == name)
        .unwrap_or_else(|| panic!("no estimate for {name}: {est:#?}"))
}

const PULUMI_STACK: &str = r#"
import pulumi_aws as aws

web_a = aws.ec2.Instance("web-a", instance_type="t3.medium", ami="ami-1")
web_b = aws.ec2.Instance("web-b", instance_type="t3.medium", ami="ami-1")
nat = aws.ec2.NatGateway("nat", subnet_id="subnet-1")
db = aws.rds.Instance("db", instance_class="db.t4g.small", engine="postgres", allocated_storage=20)
sg = aws.ec2.SecurityGroup("sg")
"#;

#[test]
fn pulumi_stack_total_matches_the_table() {
    let (s, est) = estimates(
        Path::new("/nowhere/__main__.py"),
        PULUMI_STACK,
        &PriceSettings::default(),
    );
    assert_eq!(
        est.len(),
        4,
        "the security group has no cost model: {est:#?}"
    );
    let t = totals(est.iter());
    assert!(
        (t.monthly - EXPECTED_STACK).abs() < 1e-9,
        "{} != {EXPECTED_STACK}",
        t.monthly
    );
    assert!((EXPECTED_STACK - 119.246).abs() < 1e-9);
    assert_eq!((t.priced, t.usage_only, t.unpriced), (4, 0, 0));
    let db = by_name(&s, &est, "db");
    assert_eq!(db.lines.len(), 2, "instance + storage: {db:#?}");
    assert!((db.lines[1].monthly - 2.3).abs() < 1e-9);
    assert_eq!(db.region.name, "us-east-1");
    assert_eq!(db.region.source, "default");
    assert!(db.lines[0]
        .source
        .starts_with("https://aws.amazon.com/rds/"));
}

const CDK_STACK: &str = r#"
from aws_cdk import Stack, aws_ec2 as ec2, aws_rds as rds

class App(Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        vpc = ec2.Vpc(self, "Vpc", nat_gateways=1)
        medium = ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE3, ec2.InstanceSize.MEDIUM)
        ec2.Instance(self, "WebA", vpc=vpc, instance_type=medium, machine_image=ec2.MachineImage.latest_amazon_linux2023())
        ec2.Instance(self, "WebB", vpc=vpc, instance_type=ec2.InstanceType("t3.medium"), machine_image=ec2.MachineImage.latest_amazon_linux2023())
        rds.DatabaseInstance(self, "Db", vpc=vpc, engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
                             instance_type=ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE4_GRAVITON, ec2.InstanceSize.SMALL),
                             allocated_storage=20)
"#;

#[test]
fn cdk_stack_total_matches_the_same_sum() {
    let (s, est) = estimates(
        Path::new("/nowhere/app.py"),
        CDK_STACK,
        &PriceSettings::default(),
    );
    let t = totals(est.iter());
    assert!(
        (t.monthly - EXPECTED_STACK).abs() < 1e-9,
        "{} != {EXPECTED_STACK}: {est:#?}",
        t.monthly
    );
    let vpc = by_name(&s, &est, "Vpc");
    assert_eq!(vpc.lines[0].sku, "nat-gateway");
    assert!(!vpc.usage.is_empty(), "NAT data processing is a unit price");
}

#[test]
fn unknown_instance_types_are_unpriced_never_a_number() {
    let text = r#"
import pulumi
import pulumi_aws as aws
cfg = pulumi.Config()
a = aws.ec2.Instance("from-config", instance_type=cfg.require("size"), ami="ami-1")
b = aws.ec2.Instance("made-up", instance_type="t9.huge", ami="ami-1")
def make(size):
    return aws.ec2.Instance("param", instance_type=size, ami="ami-1")
c = aws.ec2.Instance("priced", instance_type="t3.micro", ami="ami-1")
"#;
    let (s, est) = estimates(Path::new("/nowhere/x.py"), text, &PriceSettings::default());
    let a = by_name(&s, &est, "from-config");
    assert_eq!(a.monthly, None);
    let reason = a.unpriced.as_deref().expect("unpriced");
    assert!(reason.contains("config `size`"), "{reason}");
    let b = by_name(&s, &est, "made-up");
    assert_eq!(b.monthly, None);
    assert!(b
        .unpriced
        .as_deref()
        .unwrap_or("")
        .contains("`ec2:t9.huge` is not in the price table"));
    let p = by_name(&s, &est, "param");
    assert!(
        p.unpriced
            .as_deref()
            .unwrap_or("")
            .contains("`instance_type` is size"),
        "{p:#?}"
    );
    let t = totals(est.iter());
    assert_eq!(t.unpriced, 3);
    assert!(
        (t.monthly - 0.0104 * 730.0).abs() < 1e-9,
        "only t3.micro is summed: {}",
        t.monthly
    );
    assert!(b.headline().starts_with("unpriced: "));
}

#[test]
fn region_from_provider_stack_config_and_missing_rows() {
    let text = r#"
import pulumi_aws as aws
eu = aws.Provider("eu", region="eu-west-1")
web = aws.ec2.Instance("web", instance_type="t3.medium", ami="ami-1")
"#;
    let (s, est) = estimates(Path::new("/nowhere/x.py"), text, &PriceSettings::default());
    let web = by_name(&s, &est, "web");
    assert_eq!(web.region.name, "eu-west-1");
    assert_eq!(web.region.source, "Provider(region=…)");
    assert!((web.monthly.unwrap_or(0.0) - 0.0456 * 730.0).abs() < 1e-9);

    // Pulumi.<stack>.yaml next to the program.
    let dir = std::env::temp_dir().join(format!("di-iac-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("Pulumi.dev.yaml"),
        "config:\n  aws:region: us-west-2\n  app:size: t3.micro\n",
    )
    .expect("stack file");
    let main = dir.join("__main__.py");
    let (s, est) = estimates(&main, "import pulumi_aws as aws\nweb = aws.ec2.Instance(\"web\", instance_type=\"t3.medium\", ami=\"a\")\n", &PriceSettings::default());
    let web = by_name(&s, &est, "web");
    assert_eq!(web.region.name, "us-west-2");
    assert_eq!(web.region.source, "Pulumi.dev.yaml (aws:region)");
    std::fs::write(
        dir.join("Pulumi.prod.yaml"),
        "config:\n  aws:region: ap-south-1\n",
    )
    .expect("stack file");
    let (s, est) = estimates(&main, "import pulumi_aws as aws\nweb = aws.ec2.Instance(\"web\", instance_type=\"t3.medium\", ami=\"a\")\n", &PriceSettings::default());
    let web = by_name(&s, &est, "web");
    assert_eq!(
        web.region.source, "default",
        "stacks disagree: fall back to the default"
    );
    let _ = std::fs::remove_dir_all(&dir);

    let text = "import pulumi_aws as aws\np = aws.Provider(\"p\", region=\"ap-south-1\")\nw = aws.ec2.Instance(\"w\", instance_type=\"t3.medium\", ami=\"a\")\n";
    let (s, est) = estimates(Path::new("/nowhere/x.py"), text, &PriceSettings::default());
    let w = by_name(&s, &est, "w");
    assert_eq!(w.monthly, None);
    assert!(
        w.unpriced
            .as_deref()
            .unwrap_or("")
            .contains("in ap-south-1"),
        "{w:#?}"
    );
}

#[test]
fn overrides_and_configured_default_region() {
    let mut settings = PriceSettings::default();
    settings.overrides.insert("ec2:t3.medium".into(), 0.05);
    settings.regions.aws = Some("us-west-2".into());
    let (_, est) = estimates(Path::new("/nowhere/__main__.py"), PULUMI_STACK, &settings);
    let t = totals(est.iter());
    let expected = 2.0 * 0.05 * 730.0 + 0.045 * 730.0 + 0.032 * 730.0 + 20.0 * 0.115;
    assert!(
        (t.monthly - expected).abs() < 1e-9,
        "{} != {expected}",
        t.monthly
    );
    assert!(est
        .iter()
        .all(|e| e.region.name == "us-west-2" && e.region.source == "config [prices]"));
    assert!(est[0].lines[0].overridden);
}

#[test]
fn usage_priced_resources_show_unit_prices_not_totals() {
    let text = r#"
import pulumi_aws as aws
b = aws.s3.BucketV2("b")
f = aws.lambda_.Function("f", runtime="python3.12", handler="h", role="r")
t = aws.dynamodb.Table("t", billing_mode="PAY_PER_REQUEST", hash_key="pk", attributes=[{"name": "pk", "type": "S"}])
"#;
    let (_, est) = estimates(Path::new("/nowhere/x.py"), text, &PriceSettings::default());
    assert_eq!(est.len(), 3);
    for e in &est {
        assert_eq!(e.monthly, None, "{e:#?}");
        assert!(e.unpriced.is_none());
        assert!(!e.usage.is_empty());
    }
    assert_eq!(est[0].usage[0].price, 0.023);
    let t = totals(est.iter());
    assert_eq!((t.monthly, t.usage_only), (0.0, 3));
}

#[test]
fn multi_az_doubles_instance_and_storage() {
    let text = "import pulumi_aws as aws\ndb = aws.rds.Instance(\"db\", instance_class=\"db.t4g.small\", engine=\"postgres\", allocated_storage=20, multi_az=True)\n";
    let (_, est) = estimates(Path::new("/nowhere/x.py"), text, &PriceSettings::default());
    let expected = 2.0 * (0.032 * 730.0 + 20.0 * 0.115);
    assert!(
        (est[0].monthly.unwrap_or(0.0) - expected).abs() < 1e-9,
        "{est:#?}"
    );
}
