//! IAC018 (KMS rotation), IAC019 (CloudTrail), IAC020 (secrets in plain
//! configuration), IAC021 (deprecated Lambda runtimes).

use super::{add_keyword, is_false, model, replace};
use crate::iac::{Cloud, Expr, Framework, Kind, V};
use crate::index::last_segment;
use crate::rules::{Applicability, Category, Checker, RuleMeta, Severity};

pub static IAC018: RuleMeta = RuleMeta {
    id: "IAC018",
    name: "kms-rotation-off",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "KMS key without automatic rotation",
    peers: &["CKV_AWS_7", "AwsSolutions-KMS5", "AVD-AWS-0065"],
    fixable: true,
    check: check_kms,
    docs: r#"
## What it does
Flags symmetric KMS keys with `enable_key_rotation` unset or false (Pulumi,
CDK, CDKTF). Asymmetric and HMAC keys (`key_spec`/`customer_master_key_spec`
other than `SYMMETRIC_DEFAULT`) cannot rotate and are skipped.

## Why is this bad?
A key that never rotates protects ever more data with the same material; a
leak of it exposes everything ever encrypted.

## Example
```python
kms.Key(self, "DataKey")
```

Use instead:
```python
kms.Key(self, "DataKey", enable_key_rotation=True)
```

## How to fix
Enable rotation (the fix adds or sets `enable_key_rotation=True`; unsafe only
in that rotated versions are billed).
"#,
};

pub static IAC019: RuleMeta = RuleMeta {
    id: "IAC019",
    name: "cloudtrail-incomplete",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "CloudTrail not multi-region or without log file validation",
    peers: &["CKV_AWS_67", "CKV_AWS_36", "AVD-AWS-0014"],
    fixable: true,
    check: check_trail,
    docs: r#"
## What it does
Pulumi / CDKTF: flags trails without `is_multi_region_trail=True` or
`enable_log_file_validation=True` (both default to false). CDK: flags
`is_multi_region_trail=False` or `enable_file_validation=False` (CDK defaults
to true).

## Why is this bad?
A single-region trail misses activity in other regions (where attackers like to
run miners); without validation, log files can be altered unnoticed.

## Example
```python
aws.cloudtrail.Trail("audit", s3_bucket_name=logs.id)
```

Use instead:
```python
aws.cloudtrail.Trail("audit", s3_bucket_name=logs.id, is_multi_region_trail=True,
                     enable_log_file_validation=True)
```

## How to fix
Add the missing settings (the fix adds them; safe to apply, costs may rise with
more regions logged, so marked unsafe).
"#,
};

pub static IAC020: RuleMeta = RuleMeta {
    id: "IAC020",
    name: "secret-in-plain-config",
    category: Category::Iac,
    severity: Severity::Critical,
    summary: "Secret in Lambda/ECS environment, user data or plain (non-secret) config",
    peers: &[
        "CKV_AWS_45",
        "CKV_AWS_46",
        "AwsSolutions-ECS2",
        "AVD-AWS-0029",
    ],
    fixable: false,
    check: check_secrets,
    docs: r#"
## What it does
Flags secret-named resource arguments (`password=`, `master_user_password=`)
and secret-named environment variables (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`,
`*API_KEY*`, `*PRIVATE_KEY*`, `*ACCESS_KEY*`, `*CREDENTIAL*`) of Lambda
functions and ECS containers whose value is a literal or read with
`pulumi.Config().get/require` instead of `get_secret/require_secret`, and
`user_data` containing `password=`/`secret=`/`token=` literals.

## Why is this bad?
Environment variables and user data are stored in plain text in the function
or task configuration, visible to anyone with read access (`lambda:GetFunction`,
`ecs:DescribeTaskDefinition`) and in the Pulumi state/CloudFormation template.

## Example
```python
aws.lambda_.Function("api", ..., environment={"variables": {"DB_PASSWORD": "hunter2"}})
```

Use instead:
```python
aws.lambda_.Function("api", ..., environment={"variables": {"DB_SECRET_ARN": secret.arn}})
```

## How to fix
Keep secrets in Secrets Manager / SSM Parameter Store (ECS `secrets=`, CDK
`ecs.Secret.from_secrets_manager`) and read them at run time; for Pulumi
config use `config.require_secret(...)`.
"#,
};

pub static IAC021: RuleMeta = RuleMeta {
    id: "IAC021",
    name: "deprecated-lambda-runtime",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "Lambda function on a deprecated runtime",
    peers: &["CKV_AWS_363", "AwsSolutions-L1"],
    fixable: true,
    check: check_runtime,
    docs: r#"
## What it does
Flags Lambda functions whose `runtime` is deprecated by AWS: `python2.7`–`python3.9`,
`nodejs`–`nodejs18.x`, `java8` (Amazon Linux 1), `dotnetcore*`, `dotnet6`,
`dotnet7`, `ruby2.7`, `ruby3.2`, `go1.x`, `provided`. Strings, Pulumi
`aws.lambda_.Runtime.*` and CDK `lambda_.Runtime.*` members are recognised.

## Why is this bad?
Deprecated runtimes get no security patches, and AWS eventually blocks
creating and then updating functions that use them.

## Example
```python
lambda_.Function(self, "Fn", runtime=lambda_.Runtime.PYTHON_3_8, handler="app.handler", code=code)
```

Use instead:
```python
lambda_.Function(self, "Fn", runtime=lambda_.Runtime.PYTHON_3_12, handler="app.handler", code=code)
```

## How to fix
Move to a supported runtime. The fix rewrites the runtime to the current one of
the same language (unsafe: test the function on it).
"#,
};

fn check_kms(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in m.resources.iter().filter(|r| r.kind == Kind::KmsKey) {
        let spec = r
            .get("key_spec")
            .or_else(|| r.get("customer_master_key_spec"))
            .map(|s| s.as_str().or_else(|| s.member()).unwrap_or("?"));
        if spec.is_some_and(|s| s != "SYMMETRIC_DEFAULT") {
            continue;
        }
        match r.get("enable_key_rotation") {
            Some(v) if is_false(Some(v)) => {
                let f = cx.report(
                    v.range,
                    format!("{} sets `enable_key_rotation=False`", r.describe()),
                );
                f.fix = replace(v, "True", Applicability::Unsafe);
            }
            None if !r.has_star_kwargs => {
                let fix = add_keyword(cx, r, "enable_key_rotation", "True", Applicability::Unsafe);
                cx.report(
                    r.callee_range,
                    format!(
                        "{} does not rotate (`enable_key_rotation` not set)",
                        r.describe()
                    ),
                )
                .fix = fix;
            }
            _ => {}
        }
    }
}

fn check_trail(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in m.resources.iter().filter(|r| r.kind == Kind::Trail) {
        let cdk = r.framework == Framework::Cdk && !r.class().starts_with("Cfn");
        let validation = if cdk {
            "enable_file_validation"
        } else {
            "enable_log_file_validation"
        };
        let mut missing: Vec<(&str, &str)> = Vec::new();
        for (flag, what) in [
            ("is_multi_region_trail", "records only its own region"),
            (validation, "has no log file validation"),
        ] {
            match r.get(flag) {
                Some(v) if is_false(Some(v)) => {
                    let f = cx.report(v.range, format!("{} {what} (`{flag}=False`)", r.describe()));
                    f.fix = replace(v, "True", Applicability::Unsafe);
                }
                None if !cdk && !r.has_star_kwargs => missing.push((flag, what)),
                _ => {}
            }
        }
        if missing.is_empty() {
            continue;
        }
        // One finding (and one fix) for the missing settings.
        let flags: Vec<&str> = missing.iter().map(|(f, _)| *f).collect();
        let whats: Vec<&str> = missing.iter().map(|(_, w)| *w).collect();
        let value = flags
            .iter()
            .map(|f| format!("{f}=True"))
            .collect::<Vec<_>>()
            .join(", ");
        let fix = add_keyword(
            cx,
            r,
            flags[0],
            &value["=".len() + flags[0].len()..],
            Applicability::Unsafe,
        )
        .map(|mut f| {
            f.title = format!("Add `{value}`");
            f
        });
        cx.report(
            r.callee_range,
            format!(
                "{} {} (`{}` not set)",
                r.describe(),
                whats.join(" and "),
                flags.join("`, `")
            ),
        )
        .fix = fix;
    }
}

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

fn secret_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| up.contains(w))
        && !up.contains("TOKENS")
        && !up.contains("VALIDITY")
        && !up.ends_with("_ARN")
        && !up.ends_with("_NAME")
        && !up.ends_with("_ID")
        && !up.ends_with("_PATH")
}

/// Why `v` is a plain secret value: a literal, or a non-secret config read.
fn plain(v: &Expr) -> Option<String> {
    match &v.v {
        V::Str(s) if !s.is_empty() && !s.starts_with("arn:") && !s.starts_with("{{resolve:") => {
            Some("a literal".to_string())
        }
        V::Config { key, secret: false } => Some(format!(
            "config `{key}` read with get/require instead of get_secret/require_secret"
        )),
        _ => None,
    }
}

fn env_pairs(e: &Expr) -> Vec<(String, &Expr)> {
    match &e.v {
        V::Dict(pairs) => pairs.iter().map(|(k, v)| (k.to_string(), v)).collect(),
        // ECS `environment=[{"name": "X", "value": "y"}]`
        V::List(items) => items
            .iter()
            .filter_map(|i| Some((i.get("name")?.as_str()?.to_string(), i.get("value")?)))
            .collect(),
        _ => Vec::new(),
    }
}

fn check_secrets(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in &m.resources {
        let mut envs: Vec<&Expr> = Vec::new();
        match r.kind {
            Kind::LambdaFunction => {
                if let Some(env) = r.get("environment") {
                    envs.push(env.get("variables").unwrap_or(env));
                }
            }
            Kind::EcsTaskDefinition => {
                if let Some(defs) = r.get("container_definitions") {
                    defs.walk(&mut |x| {
                        if let Some(env) = x.get("environment") {
                            envs.push(env);
                        }
                    });
                }
                for mc in r.methods.iter().filter(|mc| mc.name == "add_container") {
                    envs.extend(
                        mc.args
                            .iter()
                            .filter(|a| a.name.as_deref() == Some("environment"))
                            .map(|a| &a.value),
                    );
                }
            }
            _ => {}
        }
        let mut hits: Vec<(crate::text::TextRange, String)> = Vec::new();
        for env in envs {
            for (name, v) in env_pairs(env) {
                if secret_name(&name) {
                    if let Some(why) = plain(v) {
                        hits.push((
                            v.range,
                            format!(
                                "{}: environment variable `{name}` holds a secret as {why}",
                                r.describe()
                            ),
                        ));
                    }
                }
            }
        }
        if matches!(r.kind, Kind::Instance | Kind::LaunchTemplate) {
            if let Some(u) = r.get("user_data") {
                if let Some(s) = u.as_str() {
                    let low = s.to_ascii_lowercase();
                    if [
                        "password=",
                        "secret=",
                        "token=",
                        "api_key=",
                        "aws_secret_access_key",
                    ]
                    .iter()
                    .any(|w| low.contains(w))
                    {
                        hits.push((
                            u.range,
                            format!("{}: `user_data` contains a secret literal", r.describe()),
                        ));
                    }
                }
            }
        }
        // CDK `SecretValue.unsafe_plain_text("…")` anywhere in the arguments.
        for a in &r.props {
            a.value.walk(&mut |x| {
                let plain_text = x
                    .callee()
                    .is_some_and(|c| c.ends_with("SecretValue.unsafe_plain_text") || c.ends_with("SecretValue.plain_text"));
                if plain_text && x.positional(0).and_then(Expr::as_str).is_some() {
                    hits.push((x.range, format!("{}: `SecretValue.unsafe_plain_text` puts a literal secret in the template", r.describe())));
                }
            });
        }
        // Secret-named arguments (`password=`, `master_user_password=`…).
        for a in &r.props {
            let Some(name) = a.name.as_deref() else {
                continue;
            };
            if secret_name(name) && name != "manage_master_user_password" {
                if let Some(why) = plain(&a.value) {
                    hits.push((
                        a.value.range,
                        format!("{}: `{name}` is {why}", r.describe()),
                    ));
                }
            }
        }
        for (range, msg) in hits {
            cx.report(range, msg);
        }
    }
}

/// (deprecated runtime, its current replacement)
const DEPRECATED: &[(&str, &str)] = &[
    ("python2.7", "python3.12"),
    ("python3.6", "python3.12"),
    ("python3.7", "python3.12"),
    ("python3.8", "python3.12"),
    ("python3.9", "python3.12"),
    ("nodejs", "nodejs22.x"),
    ("nodejs4.3", "nodejs22.x"),
    ("nodejs6.10", "nodejs22.x"),
    ("nodejs8.10", "nodejs22.x"),
    ("nodejs10.x", "nodejs22.x"),
    ("nodejs12.x", "nodejs22.x"),
    ("nodejs14.x", "nodejs22.x"),
    ("nodejs16.x", "nodejs22.x"),
    ("nodejs18.x", "nodejs22.x"),
    ("java8", "java21"),
    ("dotnetcore1.0", "dotnet8"),
    ("dotnetcore2.0", "dotnet8"),
    ("dotnetcore2.1", "dotnet8"),
    ("dotnetcore3.1", "dotnet8"),
    ("dotnet6", "dotnet8"),
    ("dotnet7", "dotnet8"),
    ("ruby2.5", "ruby3.3"),
    ("ruby2.7", "ruby3.3"),
    ("ruby3.2", "ruby3.3"),
    ("go1.x", "provided.al2023"),
    ("provided", "provided.al2023"),
];

/// Pulumi spells versions with `D` for the dot: `PYTHON3D8`, `NODE_JS18D_X`.
fn pulumi_style(member: &str) -> bool {
    let c: Vec<char> = member.chars().filter(|c| *c != '_').collect();
    c.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == 'D' && (w[2].is_ascii_digit() || w[2] == 'X'))
}

/// `PYTHON_3_8` / `PYTHON3D8` / `NODEJS_18_X` / `NODE_JS18D_X` -> `python3.8` / `nodejs18.x`.
fn runtime_from_member(m: &str) -> String {
    if pulumi_style(m) {
        let c: Vec<char> = m.chars().filter(|c| *c != '_').collect();
        let mut out = String::new();
        for (i, ch) in c.iter().enumerate() {
            let dot = *ch == 'D'
                && i > 0
                && c[i - 1].is_ascii_digit()
                && c.get(i + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == 'X');
            out.push(if dot { '.' } else { ch.to_ascii_lowercase() });
        }
        return out;
    }
    let low = m.to_ascii_lowercase();
    let parts: Vec<&str> = low.split('_').collect();
    let n = parts
        .iter()
        .take_while(|p| !p.starts_with(|c: char| c.is_ascii_digit()))
        .count();
    format!("{}{}", parts[..n].concat(), parts[n..].join("."))
}

fn check_runtime(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in m
        .resources
        .iter()
        .filter(|r| r.kind == Kind::LambdaFunction && r.cloud == Cloud::Aws)
    {
        let Some(rt) = r.get("runtime") else { continue };
        let (name, is_enum) = match &rt.v {
            V::Str(s) => (s.to_string(), false),
            V::Enum(e) => (runtime_from_member(last_segment(e)), true),
            _ => continue,
        };
        let Some((_, new)) = DEPRECATED.iter().find(|(d, _)| *d == name) else {
            continue;
        };
        let fix_text = if is_enum {
            let text = cx.text(rt.range);
            text.rsplit_once('.')
                .map(|(p, _)| format!("{p}.{}", member_for(new, text)))
        } else {
            Some(format!("\"{new}\""))
        };
        let f = cx.report(
            rt.range,
            format!(
                "{} uses the deprecated runtime `{name}`; move to `{new}`",
                r.describe()
            ),
        );
        f.fix = fix_text
            .and_then(|t| replace(rt, &t, Applicability::Unsafe))
            .map(|mut fx| {
                fx.title = format!("Use `{new}`");
                fx
            });
    }
}

/// The enum member for a runtime in the style of `written`
/// (CDK `PYTHON_3_12`, Pulumi `PYTHON3D12`).
fn member_for(runtime: &str, written: &str) -> String {
    let up = runtime.to_ascii_uppercase();
    if pulumi_style(last_segment(written)) {
        return up
            .replace("NODEJS", "NODE_JS")
            .replace(".X", "D_X")
            .replace('.', "D");
    }
    let digit = up.find(|c: char| c.is_ascii_digit()).unwrap_or(up.len());
    let (lang, ver) = up.split_at(digit);
    if ver.is_empty() {
        return lang.to_string();
    }
    format!("{lang}_{}", ver.replace('.', "_"))
}
