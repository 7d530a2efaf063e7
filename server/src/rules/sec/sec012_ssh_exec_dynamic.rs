use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC012",
    name: "ssh-exec-dynamic",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "paramiko `exec_command` with a non-constant command (runs in the remote shell)",
    peers: &["B601", "S601"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `exec_command(...)` on paramiko clients (a local bound to
`paramiko.SSHClient()`, or any `.exec_command` in a file that imports
paramiko, directly or as a name re-exported by a compat module) when the
command is not a constant.

## Why is this bad?
The command string is run by the remote user's login shell. A host name,
path or version string with `;` or `$(...)` runs arbitrary commands on the
server, with the deploy user's rights.

## Example
```python
def restart(client, service):
    client.exec_command(f"sudo systemctl restart {service}")
```

Use instead:
```python
def restart(client, service):
    if service not in ALLOWED_SERVICES:
        raise ValueError(service)
    client.exec_command(f"sudo systemctl restart {shlex.quote(service)}")
```

## How to fix
Validate dynamic parts against an allow-list and quote them with
`shlex.quote`.
"#,
};

fn check(cx: &mut Checker) {
    let imports_paramiko = cx.imports_module("paramiko");
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if !q.ends_with(".exec_command") || !(q.starts_with("paramiko") || imports_paramiko) {
            continue;
        }
        let Some(cmd) = call.arg(0, "command") else {
            continue;
        };
        if cmd.value.is_constant() {
            continue;
        }
        cx.report(
            call.callee_range,
            format!(
                "`exec_command` runs the non-constant command `{}` in the remote shell",
                cmd.value.display()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    fn sec012_count(src: &str) -> usize {
        let s = crate::index::analyze(
            std::path::Path::new("remote.py"),
            src,
            &crate::rules::RuleSettings::default(),
        );
        s.findings.iter().filter(|f| f.rule == "SEC012").count()
    }

    #[test]
    fn paramiko_through_a_compat_module() {
        let body = "\n\n\ndef run(chan, cmd):\n    chan.exec_command(cmd)\n";
        let compat = "from ansible.module_utils.compat.paramiko import paramiko";
        assert_eq!(sec012_count(&format!("{compat}{body}")), 1);
        // a name that merely starts like it is not paramiko
        assert_eq!(
            sec012_count(&format!("from tools import paramiko_helpers{body}")),
            0
        );
        assert_eq!(sec012_count(body), 0);
    }
}
