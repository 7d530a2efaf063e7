use crate::index::Value;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC007",
    name: "unsafe-deserialization",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "Deserialization that can run code: pickle, dill, shelve, marshal, jsonpickle",
    peers: &["B301", "B302", "S301", "S302"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags loading data with `pickle` / `cPickle` / `_pickle` (`load`, `loads`,
`Unpickler`), `dill`, `shelve.open`, `marshal.load(s)`, `jsonpickle.decode`,
`pandas.read_pickle`, `joblib.load` and `numpy.load(..., allow_pickle=True)`,
through any import alias. Dumping is not flagged.

## Why is this bad?
Unpickling calls whatever `__reduce__` says: a pickle file from an artifact
store, a cache directory or a message queue runs arbitrary code in the
process that loads it.

## Example
```python
state = pickle.loads(redis_client.get("deploy-state"))
```

Use instead:
```python
state = json.loads(redis_client.get("deploy-state"))
```

## How to fix
Store data as JSON, YAML (with `safe_load`) or another data-only format. If a
pickle is unavoidable, sign it (HMAC) and verify before loading, and only load
files your own process wrote.
"#,
};

const LOADERS: &[&str] = &[
    "pickle.load",
    "pickle.loads",
    "pickle.Unpickler",
    "cPickle.load",
    "cPickle.loads",
    "cPickle.Unpickler",
    "_pickle.load",
    "_pickle.loads",
    "_pickle.Unpickler",
    "dill.load",
    "dill.loads",
    "dill.Unpickler",
    "shelve.open",
    "shelve.DbfilenameShelf",
    "marshal.load",
    "marshal.loads",
    "jsonpickle.decode",
    "jsonpickle.unpickler.decode",
    "jsonpickle.unpickler.Unpickler",
    "pandas.read_pickle",
    "joblib.load",
];

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let hit = LOADERS.contains(&q)
            || (q == "numpy.load"
                && call
                    .keyword("allow_pickle")
                    .is_some_and(|a| matches!(a.value, Value::Bool(true))));
        if !hit {
            continue;
        }
        let module = q.split('.').next().unwrap_or(q);
        cx.report(
            call.callee_range,
            format!("`{q}` can run arbitrary code while loading; {module} data must come only from trusted sources"),
        );
    }
}
