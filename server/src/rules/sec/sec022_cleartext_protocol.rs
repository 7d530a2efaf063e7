use crate::rules::helpers::string_node_at;
use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;
use regex::Regex;
use std::sync::OnceLock;

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC022",
    name: "cleartext-protocol",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "Cleartext protocol: telnetlib, ftplib (not FTP_TLS), credentials in an http:// URL",
    peers: &[
        "B312", "B321", "B401", "B402", "S312", "S321", "S401", "S402",
    ],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags imports of `telnetlib` and `ftplib`, calls to `telnetlib.Telnet` and
`ftplib.FTP` (not `FTP_TLS`), and string literals with credentials in an
`http://` or `ftp://` URL (`http://user:pass@host`), each URL reported where
it stands (a long text holding several gets one finding per URL).

## Why is this bad?
Telnet, FTP and plain HTTP send passwords and data in clear text; anyone on
the network path (a shared office, a cloud VPC peering, a compromised
switch) reads them.

## Example
```python
ftp = ftplib.FTP("files.example.com")
ftp.login("deploy", password)
```

Use instead:
```python
ftp = ftplib.FTP_TLS("files.example.com")
ftp.login("deploy", password)
ftp.prot_p()
```

## How to fix
Use SSH (paramiko, fabric), SFTP, `FTP_TLS` or HTTPS, and never put
credentials in a URL.
"#,
};

fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(http|ftp)://[^/\s:@'\x22]+:[^/\s@'\x22]+@").expect("valid regex")
    })
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for i in &cx.ex.imports {
        let top = i.module.split('.').next().unwrap_or("");
        if matches!(top, "telnetlib" | "ftplib") && i.level == 0 {
            hits.push((
                i.range,
                format!("`{top}` is a cleartext protocol; use SSH/SFTP or FTP_TLS"),
            ));
        }
    }
    hits.dedup_by_key(|h| h.0);
    for call in cx.calls() {
        if matches!(call.qualified.as_str(), "telnetlib.Telnet" | "ftplib.FTP") {
            hits.push((
                call.callee_range,
                format!(
                    "`{}` sends credentials and data in clear text",
                    call.qualified
                ),
            ));
        }
    }
    // every match holds `://`: most files have none, and memmem rules that
    // out faster than the case-insensitive regex
    let urls =
        memchr::memmem::find(cx.src.as_bytes(), b"://").map(|_| url_regex().find_iter(cx.src));
    for m in urls.into_iter().flatten() {
        // the URL itself, not the whole literal (which may be a long text
        // holding several)
        if string_node_at(cx.tree, m.start(), m.end()).is_some() {
            hits.push((
                TextRange::new(m.start(), m.end()),
                "credentials in a cleartext URL".to_string(),
            ));
        }
    }
    for (range, message) in hits {
        cx.report(range, message);
    }
}
