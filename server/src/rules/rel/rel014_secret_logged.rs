use crate::index::{last_segment, split_last_dot};
use crate::rules::helpers::is_secret_name;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL014",
    name: "secret-logged",
    category: Category::Reliability,
    severity: Severity::High,
    summary: "A secret-named value passed to logging or print",
    peers: &["semgrep:python-logger-credential-disclosure"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `logging.*` / `logger.*` / `log.*` calls (`debug`, `info`, `warning`,
`error`, `exception`, `critical`, `log`) and `print` whose arguments
reference a secret-named value: a variable, attribute or `["key"]` named
like `password`, `token`, `secret`, `api_key`, `private_key` (see SEC014),
including inside f-strings and `%`/`.format()` arguments. Text that merely
mentions the word (`"token refreshed"`), lengths, masks and digests
(`len(token)`, `mask(token)`, `hash_secret(token)`, `token[:4]`: any call
whose name holds `mask`, `redact`, `hash`, `digest` or `fingerprint`) and
non-secret attributes (`token.expires_at`) are not flagged.

## Why is this bad?
Logs go to CI output, log aggregators and support tickets, readable by far
more people than the secret was meant for, and kept for months.

## Example
```python
log.info("logging in with token %s", token)
```

Use instead:
```python
log.info("logging in with token %s…", token[:4])
```

## How to fix
Log that a secret was used, not its value (or a short prefix/hash of it).
"#,
};

const LOG_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
];
/// Calls whose result does not reveal their argument, by name (a call's
/// last name segment); any name holding one of [`SAFE_WORDS`] too.
const SAFE_WRAPPERS: &[&str] = &[
    "len",
    "bool",
    "type",
    "id",
    "sha256",
    "isinstance",
    "censor",
    "obfuscate",
];
const SAFE_WORDS: &[&str] = &["mask", "redact", "hash", "digest", "fingerprint"];

fn is_logging_call(callee: &str, qualified: &str) -> bool {
    if qualified == "print" {
        return true;
    }
    let Some((recv, method)) = split_last_dot(callee) else {
        return false;
    };
    if !LOG_METHODS.contains(&method) {
        return false;
    }
    let recv = last_segment(recv)
        .trim_start_matches('_')
        .to_ascii_lowercase();
    qualified.starts_with("logging.")
        || recv == "log"
        || recv == "logger"
        || recv == "logging"
        || recv.ends_with("logger")
        || recv.ends_with("_log")
}

/// Secret-named references in an expression's source: identifiers outside
/// string literals (f-string interpolations included) that end a dotted
/// chain, and string keys of subscripts.
fn secret_refs(text: &str) -> Vec<String> {
    // Works on chars, so any input (non-ASCII, unbalanced quotes) is safe.
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut calls: Vec<String> = Vec::new(); // enclosing call names per '('
    let mut i = 0;
    let mut last_ident = String::new();
    while i < b.len() {
        let c = b[i];
        if c == '"' || c == '\'' {
            let prefix_f = i > 0 && matches!(b[i - 1], 'f' | 'F');
            let subscript_key = i > 0 && b[i - 1] == '[';
            let quote = c;
            let mut j = i + 1;
            let mut content = String::new();
            let mut depth = 0;
            let mut inner = String::new();
            while j < b.len() {
                let d = b[j];
                if d == '\\' {
                    j += 2;
                    continue;
                }
                if prefix_f && d == '{' {
                    if j + 1 < b.len() && b[j + 1] == '{' && depth == 0 {
                        j += 2;
                        continue;
                    }
                    depth += 1;
                } else if prefix_f && d == '}' && depth > 0 {
                    depth -= 1;
                    if depth == 0 {
                        out.extend(secret_refs(&inner));
                        inner.clear();
                    }
                } else if depth > 0 {
                    inner.push(d);
                } else if d == quote {
                    break;
                } else {
                    content.push(d);
                }
                j += 1;
            }
            if subscript_key && is_secret_name(&content) && !wrapped(&calls) {
                out.push(content);
            }
            i = j + 1;
            last_ident.clear();
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            if i < b.len() && (b[i] == '"' || b[i] == '\'') && word.len() <= 2 {
                continue; // string prefix (f, rb…)
            }
            let next = b[i..].iter().copied().find(|c| !c.is_whitespace());
            let ends_chain = !matches!(next, Some('.') | Some('(') | Some('['));
            let sliced = next == Some('[');
            if ends_chain && is_secret_name(&word) && !wrapped(&calls) && !sliced {
                out.push(word.clone());
            }
            last_ident = word;
            continue;
        }
        match c {
            '(' => calls.push(std::mem::take(&mut last_ident)),
            ')' => {
                calls.pop();
            }
            _ => last_ident.clear(),
        }
        i += 1;
    }
    out
}

fn wrapped(calls: &[String]) -> bool {
    calls.iter().any(|c| {
        let l = c.to_ascii_lowercase();
        SAFE_WRAPPERS.contains(&l.as_str()) || SAFE_WORDS.iter().any(|w| l.contains(w))
    })
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for call in cx.calls() {
        if !is_logging_call(&call.callee, &call.qualified) {
            continue;
        }
        for arg in &call.args {
            if matches!(
                arg.keyword.as_deref(),
                Some("exc_info" | "stack_info" | "stacklevel" | "file" | "end" | "sep" | "flush")
            ) {
                continue;
            }
            let text = match &arg.keyword {
                Some(_) => arg
                    .range
                    .slice(cx.src)
                    .split_once('=')
                    .map_or("", |(_, v)| v),
                None => arg.range.slice(cx.src),
            };
            if let Some(name) = secret_refs(text).into_iter().next() {
                hits.push((
                    arg.range,
                    format!("`{}` writes the secret `{name}` to the log", call.callee),
                ));
                break;
            }
        }
    }
    for (range, message) in hits {
        cx.report(range, message);
    }
}

#[cfg(test)]
mod tests {
    use super::secret_refs;

    #[test]
    fn finds_references_not_mentions() {
        assert_eq!(secret_refs("f\"token={token}\""), vec!["token"]);
        assert!(secret_refs("\"token refreshed\"").is_empty());
        assert!(secret_refs("len(token)").is_empty());
        assert!(secret_refs("token[:4]").is_empty());
        assert!(secret_refs("token.expires_at").is_empty());
        assert_eq!(secret_refs("self.db_password"), vec!["db_password"]);
        assert_eq!(secret_refs("creds[\"password\"]"), vec!["password"]);
        // never panics on odd input
        assert!(secret_refs("f\"{é\u{1F600}[\"").is_empty());
        assert!(secret_refs("'\\").is_empty());
    }
}
