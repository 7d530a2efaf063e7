use crate::index::Taint;
use crate::rules::helpers::command_arg;
use crate::rules::{Category, Checker, RuleMeta, Severity};
use regex::Regex;
use std::sync::OnceLock;

pub static RULE: RuleMeta = RuleMeta {
    id: "REL013",
    name: "download-and-execute",
    category: Category::Reliability,
    severity: Severity::High,
    summary:
        "Code downloaded and executed in one step (`curl … | sh`, `exec(urlopen(...).read())`)",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags commands that pipe `curl` or `wget` output into a shell or
interpreter (`curl -fsSL https://get.example.sh | sh`, `| sudo bash`,
`| python3`), and `exec` / `eval` / `compile` or command runners whose input
comes from an HTTP response or `urlopen` in the same function.

## Why is this bad?
Whatever the server (or anyone who can tamper with it, its CDN or DNS)
returns that day runs with the script's rights, unreviewed and unpinned. A
truncated download can even run half a script.

## Example
```python
subprocess.run("curl -fsSL https://get.helm.sh/install.sh | bash", shell=True, check=True)
```

Use instead:
```python
script = download("https://get.helm.sh/install.sh", sha256=HELM_INSTALLER_SHA256)
subprocess.run(["bash", script], check=True)
```

## How to fix
Download to a file, verify a pinned checksum or signature, then run it — or
install a pinned package from a package manager.
"#,
};

fn pipe_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+(-\S+\s+)*)?(ba|z|da|k)?sh\b|\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?python[0-9.]*\b")
            .expect("valid regex")
    })
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if matches!(
            q,
            "exec" | "eval" | "compile" | "builtins.exec" | "builtins.eval"
        ) {
            if let Some(code) = call.arg(0, "source") {
                if code.value.taint().has(Taint::NETWORK) {
                    hits.push((
                        call.callee_range,
                        format!("`{q}` runs code downloaded from the network"),
                    ));
                }
            }
            continue;
        }
        let Some(cmd) = command_arg(call) else {
            continue;
        };
        let text = cmd.range.slice(cx.src);
        let literal = cmd.value.command_text();
        let piped = literal.as_deref().is_some_and(|t| pipe_regex().is_match(t))
            || pipe_regex().is_match(text);
        if piped {
            hits.push((
                cmd.range,
                "pipes a download straight into a shell".to_string(),
            ));
        } else if cmd.value.taint().has(Taint::NETWORK) {
            hits.push((
                call.callee_range,
                format!("`{q}` runs a command downloaded from the network"),
            ));
        }
    }
    for (range, message) in hits {
        cx.report(range, message);
    }
}
