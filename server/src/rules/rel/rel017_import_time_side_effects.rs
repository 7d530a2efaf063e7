use crate::index::EffectKind;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL017",
    name: "import-time-side-effects",
    category: Category::Reliability,
    severity: Severity::Low,
    summary:
        "Network, subprocess, cloud or file-write call at module level without a `__main__` guard",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags calls at module level (outside any function and outside
`if __name__ == "__main__":`) that run a subprocess, make a network request,
call a cloud API or write files, in modules that define functions or classes
(modules meant to be imported; a flat script with no definitions is not
flagged). `setup.py`, `conftest.py`, `__main__.py` and test files are not checked; reading config files and creating SDK
clients at import time are not flagged.

## Why is this bad?
Importing the module — from a test, a documentation build, another script
or the language server of a colleague's editor — deploys, deletes or
downloads. Such modules cannot be tested or reused.

## Example
```python
import subprocess

subprocess.run(["kubectl", "apply", "-f", "k8s/"], check=True)
```

Use instead:
```python
import subprocess

def main():
    subprocess.run(["kubectl", "apply", "-f", "k8s/"], check=True)

if __name__ == "__main__":
    main()
```

## How to fix
Move the work into a `main()` function and call it under
`if __name__ == "__main__":`.
"#,
};

fn check(cx: &mut Checker) {
    let name = cx.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if matches!(
        name,
        "setup.py" | "conftest.py" | "__main__.py" | "noxfile.py" | "fabfile.py"
    ) || cx.is_test_file()
    {
        return;
    }
    // A flat script (no function or class) is run, not imported.
    if cx.ex.defs.is_empty() {
        return;
    }
    let mut hits = Vec::new();
    for e in &cx.ex.effects {
        if e.enclosing.is_some() || cx.structure().in_main_guard(e.range.start) {
            continue;
        }
        let what = match e.kind {
            EffectKind::Subprocess => "runs a subprocess",
            EffectKind::Network => "makes a network call",
            EffectKind::CloudCall => "calls a cloud API",
            EffectKind::FileWrite => "writes files",
            _ => continue,
        };
        hits.push((e.range, format!("`{}` {what} at import time", e.api)));
    }
    for (range, message) in hits {
        cx.report(range, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::index::analyze;
    use crate::rules::RuleSettings;
    use std::path::Path;

    fn rel017_lines(src: &str) -> usize {
        let s = analyze(Path::new("deploy.py"), src, &RuleSettings::default());
        s.findings.iter().filter(|f| f.rule == "REL017").count()
    }

    #[test]
    fn flat_scripts_are_run_not_imported() {
        let flat = "import subprocess\nsubprocess.run([\"make\"], check=True)\n";
        assert_eq!(rel017_lines(flat), 0);
        let module = format!("{flat}\ndef helper():\n    return 1\n");
        assert_eq!(rel017_lines(&module), 1);
    }
}
