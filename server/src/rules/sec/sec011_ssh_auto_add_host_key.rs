use crate::index::last_segment;
use crate::index::Value;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC011",
    name: "ssh-auto-add-host-key",
    category: Category::Security,
    severity: Severity::High,
    summary: "paramiko accepts unknown SSH host keys (`AutoAddPolicy` / `WarningPolicy`)",
    peers: &["B507", "S507"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `set_missing_host_key_policy(...)` with paramiko's `AutoAddPolicy` or
`WarningPolicy` (the class or an instance, through any alias).

## Why is this bad?
The first connection to a host trusts whatever key it presents. A spoofed
DNS entry or a man in the middle receives the deploy user's session (and
anything the script types into it).

## Example
```python
client = paramiko.SSHClient()
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
```

Use instead:
```python
client = paramiko.SSHClient()
client.load_system_host_keys()
client.load_host_keys("deploy/known_hosts")
client.set_missing_host_key_policy(paramiko.RejectPolicy())
```

## How to fix
Ship a `known_hosts` file (or load the system one) and use `RejectPolicy`.
The fix swaps the policy for `RejectPolicy`; it is unsafe because hosts whose
keys are not known yet will be refused.
"#,
};

fn policy_of(text: &str) -> Option<&str> {
    let t = text.trim_end_matches("()");
    let last = last_segment(t);
    matches!(last, "AutoAddPolicy" | "WarningPolicy").then_some(last)
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        if !call.callee.ends_with("set_missing_host_key_policy") {
            continue;
        }
        let Some(arg) = call.arg(0, "policy") else {
            continue;
        };
        // The argument's own call site gives the alias-resolved name.
        let inner = cx
            .calls()
            .iter()
            .find(|c| c.range == arg.range)
            .map(|c| c.qualified.to_string());
        let text = match (&inner, &arg.value) {
            (Some(q), _) => q.clone(),
            (None, Value::Dynamic { text, .. }) => text.to_string(),
            _ => continue,
        };
        let Some(policy) = policy_of(&text) else {
            continue;
        };
        let written = arg.range.slice(cx.src);
        let edit = written.contains('.').then(|| {
            let at = written.rfind(policy).unwrap_or(0) as u32;
            fix::replace(
                crate::text::TextRange {
                    start: arg.range.start + at,
                    end: arg.range.start + at + policy.len() as u32,
                },
                "RejectPolicy",
            )
        });
        let f = cx.report(
            arg.range,
            format!(
                "`{policy}` trusts unknown SSH host keys; load known_hosts and use `RejectPolicy`"
            ),
        );
        f.fix = edit.map(|e| Fix {
            title: "Use `RejectPolicy`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
