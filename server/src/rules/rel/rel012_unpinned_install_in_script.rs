use crate::index::Value;
use crate::rules::helpers::command_arg;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL012",
    name: "unpinned-install-in-script",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "`pip install` / `apt-get install` / `apk add` of unpinned packages from code",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Reads the commands passed to `subprocess.*`, `os.system` and friends (string
or argument list, `sys.executable -m pip` included) and flags `pip install`
of packages without a version specifier (`==`, `~=`, `>=`, `@ url`, a local
path or wheel), `apt-get install` / `apt install` without `pkg=version`, and
`apk add` without `pkg=version`. Installs from requirement or constraint
files (`-r`, `-c`) are accepted, and so are upgrades of `pip`, `setuptools`
and `wheel` themselves.

## Why is this bad?
Every run installs whatever is newest that day: a breaking major release or
a compromised package reaches production through a script nobody changed,
and yesterday's run cannot be reproduced.

## Example
```python
subprocess.run([sys.executable, "-m", "pip", "install", "boto3", "ansible"], check=True)
```

Use instead:
```python
subprocess.run([sys.executable, "-m", "pip", "install", "-r", "requirements.lock"], check=True)
```

## How to fix
Pin exact versions (`boto3==1.35.36`), preferably in a lock or constraints
file with hashes, and install from it.
"#,
};

const PIP_OPTS_WITH_VALUE: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-t",
    "--target",
    "--prefix",
    "-f",
    "--find-links",
    "--root",
    "--src",
    "--trusted-host",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--cache-dir",
    "--log",
    "--proxy",
    "--timeout",
    "--retries",
    "--progress-bar",
    "-e",
    "--editable",
    "--upgrade-strategy",
];

fn tokens(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Str(s) => Some(s.split_whitespace().map(str::to_string).collect()),
        Value::List(items) => Some(
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| "?".to_string(), str::to_string))
                .collect(),
        ),
        _ => None,
    }
}

fn pip_pinned(pkg: &str) -> bool {
    pkg.contains(['=', '<', '>', '~', '@', '/'])
        || pkg.ends_with(".whl")
        || pkg.ends_with(".tar.gz")
        || pkg.ends_with(".zip")
        || pkg.starts_with('.')
        || pkg == "?"
        || matches!(
            pkg.to_ascii_lowercase().as_str(),
            "pip" | "setuptools" | "wheel"
        )
}

/// Unpinned packages of one command (a `&&`/`;`-separated segment).
fn unpinned(seg: &[String]) -> Vec<String> {
    let pos = |w: &str| seg.iter().position(|t| t == w);
    let is_pip = seg.iter().any(|t| t.starts_with("pip") || t == "?");
    if let (true, Some(i)) = (
        is_pip && seg.iter().any(|t| t.starts_with("pip")),
        pos("install"),
    ) {
        let mut out = Vec::new();
        let mut skip = false;
        for t in &seg[i + 1..] {
            if skip {
                skip = false;
                continue;
            }
            if matches!(t.as_str(), "-r" | "--requirement" | "-c" | "--constraint") {
                return Vec::new();
            }
            if PIP_OPTS_WITH_VALUE.contains(&t.as_str()) {
                skip = true;
                continue;
            }
            if t.starts_with('-') {
                continue;
            }
            if !pip_pinned(t) {
                out.push(t.clone());
            }
        }
        return out;
    }
    let apt = seg.iter().position(|t| t == "apt-get" || t == "apt");
    let apk = seg.iter().position(|t| t == "apk");
    let start = match (apt, apk) {
        (Some(a), _)
            if seg
                .get(a + 1..)
                .is_some_and(|r| r.iter().any(|t| t == "install")) =>
        {
            pos("install")
        }
        (_, Some(a)) if seg.get(a + 1).is_some_and(|t| t == "add") => Some(a + 1),
        _ => None,
    };
    let Some(i) = start else { return Vec::new() };
    seg[i + 1..]
        .iter()
        .filter(|t| !t.starts_with('-') && !t.contains('=') && *t != "?" && !t.ends_with(".deb"))
        .cloned()
        .collect()
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for call in cx.calls() {
        let Some(arg) = command_arg(call) else {
            continue;
        };
        let Some(toks) = tokens(&arg.value) else {
            continue;
        };
        let mut found = Vec::new();
        for seg in toks.split(|t| matches!(t.as_str(), "&&" | ";" | "||" | "|")) {
            found.extend(unpinned(seg));
        }
        if !found.is_empty() {
            hits.push((arg.range, found.join(", ")));
        }
    }
    for (range, pkgs) in hits {
        cx.report(range, format!("installs unpinned packages: {pkgs}"));
    }
}
