use crate::index::last_segment;
use crate::index::Value;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC023",
    name: "weak-hash-for-security",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "MD4/MD5/SHA-1 (or weak `crypt` method) without `usedforsecurity=False`",
    peers: &["B303", "B324", "S303", "S324"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `hashlib.md5`, `hashlib.sha1` and `hashlib.new("md5" | "md4" | "sha1"
| "sha")` unless they pass `usedforsecurity=False`; PyCrypto/PyCryptodome
`MD2`/`MD4`/`MD5`/`SHA` `.new()`; `cryptography`'s `hashes.MD5()` /
`hashes.SHA1()`; and `crypt.crypt` / `crypt.mksalt` with `METHOD_CRYPT`,
`METHOD_MD5` or `METHOD_BLOWFISH`.

## Why is this bad?
MD5 and SHA-1 collisions are cheap: a signature, integrity check or
password hash built on them can be forged. Cache keys and ETags are fine,
and `usedforsecurity=False` says so (and keeps FIPS builds working).

## Example
```python
digest = hashlib.md5(artifact_bytes).hexdigest()
```

Use instead:
```python
digest = hashlib.sha256(artifact_bytes).hexdigest()
# or, for a non-security checksum:
etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
```

## How to fix
Use SHA-256 or better for integrity and signatures, and a password hash
(argon2, bcrypt, scrypt) for passwords. The fix adds `usedforsecurity=False`;
it is unsafe because it only declares that the hash is not used for security.
"#,
};

const WEAK_NAMES: &[&str] = &["md4", "md5", "sha", "sha1", "md2"];

fn weak_crypt_method(call: &crate::index::CallSite) -> bool {
    call.args.iter().any(|a| {
        matches!(&a.value, Value::Dynamic { text, .. }
            if matches!(last_segment(text), "METHOD_CRYPT" | "METHOD_MD5" | "METHOD_BLOWFISH"))
    })
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let (name, fixable) = match q {
            "hashlib.md5" | "hashlib.sha1" => (q.trim_start_matches("hashlib.").to_string(), true),
            "hashlib.new" => match call.arg(0, "name").and_then(|a| a.value.as_str()) {
                Some(n) if WEAK_NAMES.contains(&n.to_ascii_lowercase().as_str()) => {
                    (n.to_ascii_lowercase(), true)
                }
                _ => continue,
            },
            "crypt.crypt" | "crypt.mksalt" if weak_crypt_method(call) => {
                ("a weak crypt method".to_string(), false)
            }
            _ => {
                let weak_lib = ["Crypto.Hash.", "Cryptodome.Hash."].iter().any(|p| {
                    q.strip_prefix(p).is_some_and(|r| {
                        matches!(
                            r,
                            "MD2.new" | "MD4.new" | "MD5.new" | "SHA.new" | "SHA1.new"
                        )
                    })
                });
                let weak_cryptography = matches!(
                    q,
                    "cryptography.hazmat.primitives.hashes.MD5"
                        | "cryptography.hazmat.primitives.hashes.SHA1"
                );
                if !(weak_lib || weak_cryptography) {
                    continue;
                }
                let algo = q.trim_end_matches(".new").rsplit('.').next().unwrap_or(q);
                (algo.to_ascii_lowercase(), false)
            }
        };
        if fixable {
            match call.keyword("usedforsecurity") {
                Some(a) if matches!(a.value, Value::Bool(false)) => continue,
                Some(a) if !matches!(a.value, Value::Bool(true)) => continue,
                _ => {}
            }
        }
        let edit = (fixable && call.keyword("usedforsecurity").is_none() && !call.has_star_kwargs)
            .then(|| fix::add_keyword(call, "usedforsecurity", "False"));
        let f = cx.report(
            call.callee_range,
            format!("`{q}` uses {name}, which is broken for security purposes"),
        );
        f.fix = edit.map(|e| Fix {
            title: "Add `usedforsecurity=False` (not a security use)".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
