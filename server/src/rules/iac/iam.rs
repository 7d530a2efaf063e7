//! IAC015–IAC017: IAM policies with wildcards, public trust, admin access.
//! Policy statements are read from JSON strings, `json.dumps({...})` dicts,
//! Pulumi `get_policy_document` statements, CDK `iam.PolicyStatement(...)` and
//! CDKTF `DataAwsIamPolicyDocument`.

use super::model;
use crate::iac::{Expr, Kind, Resource, V};
use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;

pub static IAC015: RuleMeta = RuleMeta {
    id: "IAC015",
    name: "iam-wildcard-action",
    category: Category::Iac,
    severity: Severity::Critical,
    summary: "IAM policy allows Action \"*\"",
    peers: &[
        "CKV_AWS_62",
        "CKV_AWS_63",
        "CKV_AWS_1",
        "AwsSolutions-IAM5",
        "AVD-AWS-0057",
    ],
    fixable: false,
    check: check_action,
    docs: r#"
## What it does
Flags `Allow` statements whose actions include `"*"` in IAM policies, inline
role policies, policy documents and CDK `PolicyStatement`s.

## Why is this bad?
`Action: "*"` grants every API of every service, including IAM itself: the
holder can make itself an administrator.

## Example
```python
aws.iam.Policy("ci", policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
```

Use instead:
```python
aws.iam.Policy("ci", policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": [bucket_arn]}]}))
```

## How to fix
List the actions the workload calls (IAM Access Analyzer can generate them
from CloudTrail).
"#,
};

pub static IAC016: RuleMeta = RuleMeta {
    id: "IAC016",
    name: "iam-wildcard-resource-write",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "IAM policy allows write actions on Resource \"*\"",
    peers: &["CKV_AWS_355", "AwsSolutions-IAM5", "AVD-AWS-0057"],
    fixable: false,
    check: check_resource,
    docs: r#"
## What it does
Flags `Allow` statements with `Resource: "*"` whose actions include a write
(anything but `Get*`, `List*`, `Describe*`, `Head*`, `BatchGet*`, `Query`,
`Scan`, …) or a service wildcard such as `s3:*`.

## Why is this bad?
The permission applies to every bucket, table or queue in the account, not
just the one the workload owns.

## Example
```python
iam.PolicyStatement(actions=["s3:PutObject"], resources=["*"])
```

Use instead:
```python
iam.PolicyStatement(actions=["s3:PutObject"], resources=[bucket.arn_for_objects("*")])
```

## How to fix
Scope `resources` to the ARNs the actions are meant for.
"#,
};

pub static IAC017: RuleMeta = RuleMeta {
    id: "IAC017",
    name: "iam-public-trust-or-admin",
    category: Category::Iac,
    severity: Severity::High,
    summary: "Role trust policy with Principal \"*\", or AdministratorAccess attached",
    peers: &["CKV_AWS_60", "CKV_AWS_274", "AwsSolutions-IAM4"],
    fixable: false,
    check: check_trust,
    docs: r#"
## What it does
Flags role trust policies (`assume_role_policy`, CDK `assumed_by`) that let any
principal (`"*"`, `AnyPrincipal()`, `ArnPrincipal("*")`) assume the role
without a condition, and the AWS managed `AdministratorAccess` policy attached
to anything.

## Why is this bad?
Anyone with an AWS account can assume a role trusted by `"*"`. An attached
`AdministratorAccess` turns any compromise of the role into full account
control.

## Example
```python
iam.Role(self, "Deploy", assumed_by=iam.AnyPrincipal(),
         managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")])
```

Use instead:
```python
iam.Role(self, "Deploy", assumed_by=iam.ServicePrincipal("codebuild.amazonaws.com"),
         managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("PowerUserAccess")])
```

## How to fix
Trust specific principals (an account, a service, an OIDC provider with
conditions) and attach least-privilege policies.
"#,
};

pub(crate) struct Statement {
    pub range: TextRange,
    pub allow: bool,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub principal_any: bool,
    pub has_condition: bool,
}

/// Every policy statement inside `e`.
pub(crate) fn statements(e: &Expr) -> Vec<Statement> {
    let mut out = Vec::new();
    e.walk(&mut |x| {
        if let Some(s) = statement(x) {
            out.push(s);
        } else if let Some(text) = x.as_str() {
            let t = text.trim_start();
            if t.starts_with('{') && t.contains("Statement") {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
                    out.extend(statements(&Expr::from_json(&json, x.range)));
                }
            }
        }
    });
    out
}

fn statement(x: &Expr) -> Option<Statement> {
    let is_cdk = x.callee().is_some_and(|c| {
        c.ends_with("PolicyStatement")
            || c.ends_with("StatementArgs")
            || c.ends_with("PolicyDocumentStatement")
    });
    let is_dict = matches!(x.v, V::Dict(_));
    if !is_cdk && !is_dict {
        return None;
    }
    let actions = x.get_any(&["Action", "actions", "action"]);
    if actions.is_none() && x.get_any(&["NotAction", "not_actions"]).is_none() {
        return None;
    }
    let effect = x.get_any(&["Effect", "effect"]);
    let allow = match effect {
        None => true,
        Some(e) => e
            .as_str()
            .or_else(|| e.member())
            .is_some_and(|s| s.eq_ignore_ascii_case("allow")),
    };
    let strings = |e: Option<&Expr>| -> Vec<String> {
        e.map(|e| {
            e.items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
    };
    Some(Statement {
        range: x.range,
        allow,
        actions: strings(actions),
        resources: strings(x.get_any(&["Resource", "resources", "resource"])),
        principal_any: principal_any(x.get_any(&["Principal", "principals", "principal"])),
        has_condition: x
            .get_any(&["Condition", "conditions", "condition"])
            .is_some(),
    })
}

fn principal_any(p: Option<&Expr>) -> bool {
    let Some(p) = p else { return false };
    let mut any = false;
    p.walk(&mut |x| {
        if x.as_str() == Some("*") {
            any = true;
        }
        if let Some(c) = x.callee() {
            if c.ends_with("AnyPrincipal") || c.ends_with("StarPrincipal") {
                any = true;
            }
            if c.ends_with("ArnPrincipal") && x.positional(0).and_then(Expr::as_str) == Some("*") {
                any = true;
            }
        }
        if let Some(ids) = x.get("identifiers") {
            if ids.strings().contains(&"*") {
                any = true;
            }
        }
    });
    any
}

const TRUST_PROPS: &[&str] = &[
    "assume_role_policy",
    "assume_role_policy_document",
    "assumed_by",
];

/// Permission policies of IAM resources and `*policy*` methods (trust
/// policies excluded).
fn permission_statements(r: &Resource) -> Vec<Statement> {
    let iam = matches!(
        r.kind,
        Kind::IamPolicy | Kind::IamRole | Kind::IamPolicyDocument
    );
    let mut out = Vec::new();
    if iam {
        for a in &r.props {
            if a.name.as_deref().is_some_and(|n| TRUST_PROPS.contains(&n)) {
                continue;
            }
            out.extend(statements(&a.value));
        }
    }
    for m in &r.methods {
        if m.name.contains("policy") && !m.name.contains("resource_policy") {
            for a in &m.args {
                out.extend(statements(&a.value));
            }
        }
    }
    out
}

fn check_action(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in &m.resources {
        for s in permission_statements(r) {
            if s.allow && s.actions.iter().any(|a| a == "*" || a == "*:*") {
                cx.report(
                    s.range,
                    format!(
                        "{} allows Action \"*\": every API of every service",
                        r.describe()
                    ),
                );
            }
        }
    }
}

const READ_PREFIXES: &[&str] = &[
    "Get", "List", "Describe", "Head", "BatchGet", "Query", "Scan", "Select", "Lookup", "Search",
    "View", "Read", "Check", "Filter",
];

fn is_write(action: &str) -> bool {
    let Some((_, verb)) = action.split_once(':') else {
        return false;
    };
    if verb == "*" {
        return true;
    }
    !READ_PREFIXES.iter().any(|p| verb.starts_with(p))
}

fn check_resource(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in &m.resources {
        for s in permission_statements(r) {
            if !s.allow || s.actions.iter().any(|a| a == "*" || a == "*:*") {
                continue;
            }
            if !s.resources.iter().any(|x| x == "*") {
                continue;
            }
            let writes: Vec<&str> = s
                .actions
                .iter()
                .map(String::as_str)
                .filter(|a| is_write(a))
                .collect();
            if let Some(first) = writes.first() {
                let more = if writes.len() > 1 {
                    format!(" and {} more", writes.len() - 1)
                } else {
                    String::new()
                };
                cx.report(
                    s.range,
                    format!(
                        "{} allows `{first}`{more} on Resource \"*\"; scope it to specific ARNs",
                        r.describe()
                    ),
                );
            }
        }
    }
}

fn check_trust(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in &m.resources {
        if r.kind == Kind::IamRole {
            for name in TRUST_PROPS {
                let Some(v) = r.get(name) else { continue };
                if *name == "assumed_by" {
                    if principal_any(Some(v)) {
                        cx.report(
                            v.range,
                            format!(
                                "{} can be assumed by any principal (`{}`)",
                                r.describe(),
                                v.display()
                            ),
                        );
                    }
                    continue;
                }
                for s in statements(v) {
                    if s.allow && s.principal_any && !s.has_condition {
                        cx.report(
                            s.range,
                            format!(
                                "{}: trust policy lets Principal \"*\" assume the role",
                                r.describe()
                            ),
                        );
                    }
                }
            }
        }
        let mut admin: Vec<TextRange> = Vec::new();
        let mut scan = |e: &Expr| {
            e.walk(&mut |x| {
                if x.as_str()
                    .is_some_and(|s| s.ends_with(":policy/AdministratorAccess"))
                {
                    admin.push(x.range);
                }
                if x.callee()
                    .is_some_and(|c| c.ends_with("from_aws_managed_policy_name"))
                    && x.positional(0).and_then(Expr::as_str) == Some("AdministratorAccess")
                {
                    admin.push(x.range);
                }
            })
        };
        for a in &r.props {
            scan(&a.value);
        }
        for mc in &r.methods {
            for a in &mc.args {
                scan(&a.value);
            }
        }
        for range in admin {
            cx.report(
                range,
                format!(
                    "{} attaches AdministratorAccess; use a least-privilege policy",
                    r.describe()
                ),
            );
        }
    }
}
