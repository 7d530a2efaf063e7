use crate::index::last_segment;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC006",
    name: "yaml-unsafe-load",
    category: Category::Security,
    severity: Severity::High,
    summary: "YAML loaded with a loader that can construct arbitrary Python objects",
    peers: &["B506", "S506"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `yaml.load` / `yaml.load_all` without a loader or with `Loader`,
`UnsafeLoader`, `FullLoader` (or their C variants), and calls to
`yaml.unsafe_load`, `yaml.full_load` and their `_all` forms, through any import
alias (`from yaml import load`). `SafeLoader`, `CSafeLoader` and `BaseLoader`
are accepted; an unknown custom loader is not flagged.

## Why is this bad?
The full and unsafe loaders build arbitrary Python objects from tags such as
`!!python/object/apply:os.system`, so loading a pipeline file, a Helm values
file or an API response runs whatever it says.

## Example
```python
config = yaml.load(open("deploy.yml"))
```

Use instead:
```python
config = yaml.safe_load(open("deploy.yml"))
```

## How to fix
Use `yaml.safe_load`. The fix is safe when no loader was given (PyYAML 6
requires one, so that call could only fail) and unsafe when it replaces an
explicit unsafe loader, since documents with Python tags stop loading.
"#,
};

const UNSAFE_LOADERS: &[&str] = &[
    "Loader",
    "UnsafeLoader",
    "FullLoader",
    "CLoader",
    "CUnsafeLoader",
    "CFullLoader",
];

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let (safe_name, loader_arg) = match q {
            "yaml.load" => ("safe_load", call.arg(1, "Loader")),
            "yaml.load_all" => ("safe_load_all", call.arg(1, "Loader")),
            "yaml.unsafe_load" | "yaml.full_load" => ("safe_load", None),
            "yaml.unsafe_load_all" | "yaml.full_load_all" => ("safe_load_all", None),
            _ => continue,
        };
        let is_load = q == "yaml.load" || q == "yaml.load_all";
        let (message, applicability) = match (is_load, loader_arg) {
            (true, None) => (
                format!("`{}` without a safe Loader can construct arbitrary objects; use `yaml.{safe_name}`", q),
                Applicability::Safe,
            ),
            (true, Some(arg)) => {
                let loader = arg.value.display();
                let last = last_segment(&loader).to_string();
                if !UNSAFE_LOADERS.contains(&last.as_str()) {
                    continue;
                }
                (
                    format!("`{q}` with Loader={loader} can construct arbitrary objects; use `yaml.{safe_name}`"),
                    Applicability::Unsafe,
                )
            }
            (false, _) => (
                format!("`{q}` can construct arbitrary objects; use `yaml.{safe_name}`"),
                Applicability::Unsafe,
            ),
        };
        let mut edits = Vec::new();
        if let Some(rename) = fix::rename_method(cx.src, call, safe_name) {
            edits.push(rename);
            if let Some(arg) = loader_arg {
                edits.push(fix::remove_arg(call, arg));
            }
        }
        let finding = cx.report(call.callee_range, message);
        if !edits.is_empty() {
            finding.fix = Some(Fix {
                title: format!("Use `yaml.{safe_name}`"),
                applicability,
                edits,
            });
        }
    }
}
